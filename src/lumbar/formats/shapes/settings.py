"""The person's settings and what they keep beside their program: training days,
reminders, equipment, problem reports, an import's summary, a clearance asked of a
clinician, and the export (the shapes of formats/views.py and of the API's small answers)."""

from __future__ import annotations

import datetime as dt

from pydantic import ConfigDict

from lumbar.domain.loads import Unit, WeightKind
from lumbar.domain.model import ProblemKind
from lumbar.formats.shapes.base import Shape


class Days(Shape):
    """The training days as people write them ("mon,wed,fri", "every other day")."""

    days: str


class Reminders(Shape):
    session_time: str
    work_days: list[str]
    work_start: str
    work_end: str
    break_minutes: int


class Weight(Shape):
    kind: WeightKind
    amount: float
    unit: Unit


class Equipment(Shape):
    """What the person has to lift, and the unit weights are shown in."""

    unit: Unit
    weights: list[Weight]
    band: bool
    nothing: bool


class Problem(Shape):
    """A problem report (the adverse-event log)."""

    date: dt.date
    kind: ProblemKind
    note: str


class Imported(Shape):
    """What an import loaded."""

    events: int
    start: dt.date


class ClearanceRequested(Shape):
    """A clearance asked of the clinician (a clinic's server): the alerts named, and what
    happens next."""

    requested: list[str]
    text: str


class Export(Shape):
    """Everything recorded, as one versioned document (docs/handouts.md describes its
    keys; `lumbar import` and `POST /api/v1/import` read it back)."""

    model_config = ConfigDict(extra="allow")

    format: str
    version: int
