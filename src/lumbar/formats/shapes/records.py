"""A record with its id and what became of it (`lumbar records --json`, `GET
/api/v1/records`, a correction's answer): the shape of `record_json` in formats/records.py.
One shape for the four kinds; the keys of the other kinds are left out."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from lumbar.domain.model import Pain, ProblemKind
from lumbar.domain.skips import SkipReason
from lumbar.formats.shapes.base import Shape
from lumbar.formats.shapes.camera import Camera


class Done(Shape):
    id: str
    pain: Pain
    version: str | None = None
    comment: str | None = Field(
        default=None, description="The patient's own words on the exercise, when any."
    )
    camera: Camera | None = Field(
        default=None, description="The camera's summary of the exercise, when it was used."
    )


class Skip(Shape):
    id: str
    reason: SkipReason
    note: str | None = None


class Record(Shape):
    id: str = Field(description="s12 a session, c13 a check-in, cl14 a clearance, p3 a problem.")
    type: Literal["session", "checkin", "clearance", "problem"]
    date: dt.date
    exercises: list[Done] | None = Field(default=None, description="A session's.")
    skipped: list[Skip] | None = Field(default=None, description="A session's, when any.")
    alerts: list[str] | None = Field(default=None, description="A clearance's.")
    by: str | None = Field(default=None, description="A clearance's.")
    confirmed: bool | None = Field(default=None, description="A clearance's.")
    pain: int | None = Field(default=None, description="A check-in's.")
    psfs: list[int] | None = Field(default=None, description="A check-in's.")
    symptoms: list[str] | None = Field(default=None, description="A check-in's.")
    screened: bool | None = Field(default=None, description="A check-in's.")
    follow_up: bool | None = Field(default=None, description="A check-in's.")
    kind: ProblemKind | None = Field(default=None, description="A problem report's.")
    note: str | None = Field(default=None, description="A problem report's.")
    intake: bool
    by_clinician: bool
    corrected_on: dt.date | None
    deleted_on: dt.date | None
    undo: Literal["edit", "delete"] | None


class Records(Shape):
    records: list[Record]
