"""A day's plan and the answers to a session (`lumbar today --json`, `GET /api/v1/today`,
`lumbar log --json`, `POST /api/v1/sessions`, the player's answers and skips): the
shapes of `plan_json`, `logged_json` and `answered_json` in formats/views.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field

from lumbar.domain.model import Kind, Level, Pain, Range
from lumbar.domain.skips import SkipReason
from lumbar.formats.shapes.base import Shape
from lumbar.formats.shapes.camera import Camera


class Decision(Shape):
    """A rule that decided something, with the facts it read (docs/rules.md)."""

    rule: str
    facts: dict[str, Any]


class Alert(Shape):
    """A safety alert that stands: what to do about it in `message`."""

    level: Level
    code: str
    message: str
    rule: str
    since: dt.date


class Planned(Shape):
    """One exercise of the day's session, with its dose."""

    id: str
    name: str
    version: str | None = Field(description="A variant or the chosen alternative, or null.")
    taught_as: str
    warm_up: bool
    sets: int
    reps: int | None
    hold_seconds: int | None
    rest_seconds: int
    per_side: bool
    range: Range
    load_lb: float | None
    household: str | None
    step: int = Field(description="The step of the exercise's dose in its phase, from 1.")
    estimated_seconds: int
    why: list[str]


class Plan(Shape):
    """The day's plan: a session, a rest day, or blocked (why in `alerts` and `why`)."""

    date: dt.date
    kind: Kind
    phase: int
    phase_name: str
    completed: bool
    exercises: list[Planned]
    daily: list[str]
    alerts: list[Alert]
    why: list[str]
    decisions: list[Decision]
    next_session: dt.date | None
    estimated_minutes: int | None


class ExerciseResponse(Shape):
    """What a pain answer (or a skip) means for the exercise next time."""

    exercise: str
    rule: str
    message: str


class Logged(Shape):
    """A recorded session: what each answer means, and the day's plan as it now stands."""

    date: dt.date
    responses: list[ExerciseResponse]
    plan: Plan


class Answer(Shape):
    """One pain answer of a session in progress."""

    id: str
    pain: Pain
    version: str | None = Field(default=None, description="Present when done as another version.")
    comment: str | None = Field(default=None, description="The patient's words, when any.")
    camera: Camera | None = Field(
        default=None, description="The camera's summary of the exercise, when it was used."
    )


class Skipped(Shape):
    """One exercise skipped in a session in progress, and why."""

    id: str
    reason: SkipReason
    note: str | None


class Answered(Shape):
    """An answer kept by the player: the session so far, what comes next, and, after the
    last exercise, the recorded session."""

    response: ExerciseResponse
    answers: list[Answer]
    skipped: list[Skipped]
    next: Planned | None
    finished: Logged | None
