"""Where the person stands (`lumbar status --json`, `GET /api/v1/status`, a check-in's and
a clearance's answer) and their progress over time (`GET /api/v1/progress`): the shapes
of `status_json` and `progress_json` in formats/views.py."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from lumbar.domain.model import Kind
from lumbar.domain.moments import Moment
from lumbar.domain.progress import Day
from lumbar.formats.shapes.base import Shape
from lumbar.formats.shapes.plan import Alert


class Said(Shape):
    """A rule's decision as the person reads it."""

    rule: str
    message: str


class Review(Shape):
    """The review of the program's effect, when one is due."""

    date: dt.date | None
    rule: str
    message: str


class Improvement(Shape):
    """Pain and activities against the baseline, and adherence."""

    baseline_pain: int
    latest_pain: int | None
    pain_change_pct: float | None
    baseline_psfs: float
    latest_psfs: float | None
    psfs_change: float | None
    adherence_pct: float | None
    planned_sessions: int
    completed_sessions: int
    review: Review | None


class PhaseChange(Shape):
    date: dt.date
    from_phase: int | None = Field(description="Null for the phase the program started in.")
    to_phase: int
    rule: str
    why: str


class Milestone(Shape):
    key: str
    moment: Moment
    date: dt.date
    title: str
    rule: str
    message: str


class Week(Shape):
    """This week's sessions against the week's goal."""

    done: int
    goal: int
    decisions: list[Said]


class Status(Shape):
    """Phase, sessions, the next session, the alerts that stand and the improvement."""

    date: dt.date
    phase: int
    phase_name: str
    phase_started: dt.date
    day_in_phase: int
    sessions_in_phase: int
    sessions_this_week: int
    next_session: dt.date | None
    today: Kind
    completed_on: dt.date | None
    alerts: list[Alert]
    improvement: Improvement
    phase_history: list[PhaseChange]
    milestones: list[Milestone]
    week: Week | None


class Point(Shape):
    """One reading: pain (0 to 10) or the activities' mean score (0 to 10)."""

    date: dt.date
    value: float


class CalendarDay(Shape):
    """One day of the adherence calendar."""

    date: dt.date
    day: Day


class Progress(Shape):
    status: Status
    pain: list[Point]
    pain_target: float
    psfs: list[Point]
    calendar: list[CalendarDay]
