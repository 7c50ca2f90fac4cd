"""The export document's shape (issue #15's corrections and issue #17's skips and equipment
included): the pydantic models an import checks a document against, its format version,
and what an import gives back. formats/archive.py writes documents; formats/archive_import.py
reads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from lumbar.domain.camera import REPS_MAX, SECONDS_MAX, CameraSummary, camera_summary
from lumbar.domain.loads import Unit, WeightKind
from lumbar.domain.model import (
    COMMENT_MAX,
    SKIP_NOTE_MAX,
    WEEKDAY_NAMES,
    Event,
    History,
    Pain,
    ProblemKind,
    ProblemReport,
    SkipReason,
)
from lumbar.domain.reminders import Reminders
from lumbar.domain.scores import Score
from lumbar.domain.screening import MIN_AGE

FORMAT = "lumbar-export"
VERSION = 8
"""The export format's version; an import refuses a document from a newer version.
Version 2 added the problem reports and the reminder settings; version 3 the clearance as
an event of its own (`"type": "clearance"`, naming the alerts it clears and who cleared)
and a check-in's `screened`; version 4 the profile's `alternatives` (each exercise done on
a chair or standing instead, by the alternative's id); version 5 the corrections (issue
#15): an event or a problem report may say `corrected_on` (the day of its latest edit that
stands) and `deleted_on` (a deleted record, still listed in its place), and a record with
neither reads as in version 4; version 6 a session's `skipped` exercises (each with its
`reason` and, for "other", its `note`) and an exercise's `version` (the alternative done
instead for that session: a swap), both absent when there are none, so a session may list
no exercise done when every one was skipped (issue #17); version 7 the profile's `unit`
("kg" or "lb") and `equipment` (issue #17: each weight with its kind, amount and unit, and
a resistance band), which a document before it imports as nothing, in the unit of the
importer's locale; version 8 the outcome scores a clinician entered (issue #20: `scores`,
each with its `date`, `measure`, `total` and, for STarT Back, `subscale`), absent when there
are none, and an exercise's `comment` (the person's own words on it, up to 280 characters),
absent when there is none, and an exercise's `camera` (issue #21: the camera's summary of it,
`reps` or `held_seconds`, `faults` by check id, `tracked_seconds`), absent when the camera
was not used. Older documents still import: a check-in marked `cleared_by_clinician`
(versions 1 and 2) becomes a clearance as the database's migration 0007 makes one."""

MARKS_SINCE = 5
"""The first version whose records may carry `corrected_on` and `deleted_on`."""


@dataclass(frozen=True, slots=True)
class Marks:
    """What became of a record (version 5): the day of its latest edit that stands, and the
    day it was deleted."""

    corrected_on: date | None = None
    deleted_on: date | None = None


UNMARKED = Marks()


@dataclass(frozen=True, slots=True)
class Imported:
    """Everything an export holds: the history, the problem reports, the reminders.

    `history` and `problems` are the records that stand (the rules read them); `events` and
    `every_problem` are every record in the document's order, deleted ones included, each
    with its marks (a document before version 5: the same records, unmarked)."""

    history: History
    problems: tuple[ProblemReport, ...] = ()
    reminders: Reminders | None = None
    events: tuple[tuple[Event, Marks], ...] = ()
    every_problem: tuple[tuple[ProblemReport, Marks], ...] = ()
    scores: tuple[Score, ...] = ()
    """Version 8: the outcome scores a clinician entered (issue #20)."""


class _Doc(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _MarkedDoc(_Doc):
    corrected_on: date | None = None
    """Version 5: the day of the record's latest edit that stands."""
    deleted_on: date | None = None
    """Version 5: the day the record was deleted (it stays, marked)."""


class EarlierDaysDoc(_Doc):
    until: date
    """The day of the change: `days` were in force before it."""
    days: list[str] | str


class WeightDoc(_Doc):
    kind: WeightKind
    amount: float = Field(gt=0, allow_inf_nan=False)
    unit: Unit


class EquipmentDoc(_Doc):
    weights: list[WeightDoc] = Field(default=[], max_length=40)
    band: bool = False


class ProfileDoc(_Doc):
    start: date
    age: int = Field(ge=MIN_AGE, le=120)
    pain_weeks: int | None = Field(default=None, ge=0, le=5200)
    days: list[str] | str
    psfs_activities: list[str] = Field(min_length=1, max_length=5)
    earlier_days: list[EarlierDaysDoc] = Field(default=[], max_length=1000)
    """The days chosen before each change, oldest first (absent from older exports)."""
    alternatives: dict[str, str] = Field(default={}, max_length=100)
    """Exercise id to the id of the alternative done instead (absent before version 4)."""
    unit: Unit | None = None
    """The unit the person reads weights in (absent before version 7)."""
    equipment: EquipmentDoc = EquipmentDoc()
    """What the person has to lift (absent before version 6: nothing)."""


class CameraDoc(_Doc):
    """Version 8 (issue #21): the camera's summary of an exercise (domain/camera.py), its
    counts checked as the player's are (usecases/camera_records.py). Its check ids are not
    checked against today's camera specs: a check renamed since must not make an export
    unreadable (its words then say "another form check")."""

    reps: int | None = Field(ge=0, le=REPS_MAX, strict=True)
    held_seconds: int | None = Field(ge=0, le=SECONDS_MAX, strict=True)
    faults: dict[
        Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,59}$")],
        Annotated[int, Field(ge=1, le=REPS_MAX, strict=True)],
    ] = Field(max_length=20)
    tracked_seconds: int = Field(ge=0, le=SECONDS_MAX, strict=True)
    seconds: int | None = Field(default=None, ge=0, le=SECONDS_MAX, strict=True)

    @model_validator(mode="after")
    def _counts_a_person_could_make(self) -> CameraDoc:
        if (self.reps is None) == (self.held_seconds is None):
            raise ValueError("a camera summary gives either reps or held_seconds")
        if self.reps is not None and any(n > self.reps for n in self.faults.values()):
            raise ValueError("a check failed on more repetitions than were counted")
        if self.seconds is not None and self.tracked_seconds > self.seconds:
            raise ValueError("tracked_seconds is more than seconds")
        return self


def camera_of(doc: CameraDoc | None) -> CameraSummary | None:
    """The summary a document's `camera` holds, or None."""
    if doc is None:
        return None
    return camera_summary(doc.reps, doc.held_seconds, doc.faults, doc.tracked_seconds, doc.seconds)


class ExerciseDoc(_Doc):
    id: str
    pain: Pain
    version: str | None = Field(default=None, max_length=60)
    """Version 6: the alternative done instead, for that session only (a swap)."""
    comment: str | None = Field(default=None, min_length=1, max_length=COMMENT_MAX)
    """Version 8 (issue #20): the person's own words on the exercise, for their clinician."""
    camera: CameraDoc | None = None
    """Version 8 (issue #21): what the camera counted of the exercise, when it was used."""


class SkipDoc(_Doc):
    """Version 6: an exercise of the session skipped, and why."""

    id: str
    reason: SkipReason
    note: str = Field(default="", max_length=SKIP_NOTE_MAX)


class SessionDoc(_MarkedDoc):
    type: Literal["session"]
    date: date
    exercises: list[ExerciseDoc] = []
    skipped: list[SkipDoc] = []

    @model_validator(mode="after")
    def _something_done_or_skipped(self) -> SessionDoc:
        if not self.exercises and not self.skipped:
            raise ValueError("a session lists at least one exercise, done or skipped")
        return self


class CheckinDoc(_MarkedDoc):
    type: Literal["checkin"]
    date: date
    pain: int | None = Field(default=None, ge=0, le=10)
    psfs: list[int] | None = None
    symptoms: list[str] = []
    screened: bool = False
    follow_up: bool = False
    cleared_by_clinician: bool = False
    """Versions 1 and 2 only: a clearance carried by the check-in."""


class ClearanceDoc(_MarkedDoc):
    type: Literal["clearance"]
    date: date
    alerts: list[str] = Field(min_length=1, max_length=100)
    by: str = Field(min_length=1, max_length=200)
    confirmed: bool = False


class ProblemDoc(_MarkedDoc):
    date: date
    kind: ProblemKind
    note: str = Field(default="", max_length=1000)


class ScoreDoc(_Doc):
    """Version 8: one outcome score (its measure and range are checked on import)."""

    date: date
    measure: str = Field(max_length=20)
    total: int = Field(strict=True)
    subscale: int | None = Field(default=None, strict=True)


class RemindersDoc(_Doc):
    session_time: time
    work_days: list[str]
    work_start: time
    work_end: time
    break_minutes: int = Field(ge=0, le=240)

    @field_validator("work_days")
    @classmethod
    def _weekdays(cls, names: list[str]) -> list[str]:
        unknown = [name for name in names if name not in WEEKDAY_NAMES]
        if unknown:
            raise ValueError(f"{unknown[0]!r} is not a day: use {', '.join(WEEKDAY_NAMES)}")
        return names


class ExportDoc(_Doc):
    format: Literal["lumbar-export"]
    version: int
    exported_at: str | None = None
    profile: ProfileDoc
    events: list[Annotated[SessionDoc | CheckinDoc | ClearanceDoc, Field(discriminator="type")]] = (
        Field(min_length=1)
    )
    problems: list[ProblemDoc] = []
    reminders: RemindersDoc | None = None
    scores: list[ScoreDoc] = []
