"""The export document: all of a person's data as one versioned JSON object, and back.

Only what the person recorded is in it (the engine's conclusions are derived again on
import), so an export is small, stable, and carries no clock: the same data always exports
to the same bytes. It holds the records as they read now, corrected (issue #15): an edited
record says what it says now and the day of its latest edit (`corrected_on`), and a
deleted one is still there, with the day it was deleted (`deleted_on`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from lumbar.domain.corrections import Record
from lumbar.domain.loads import Equipment, Unit, Weight, WeightKind
from lumbar.domain.model import (
    SKIP_NOTE_MAX,
    WEEKDAY_NAMES,
    CheckIn,
    Clearance,
    Event,
    Exercise,
    ExerciseResult,
    History,
    Level,
    Pain,
    ProblemKind,
    ProblemReport,
    Profile,
    SessionLog,
    Skip,
    SkipReason,
    TrainingDays,
)
from lumbar.domain.reminders import Reminders
from lumbar.domain.schedule import FIRST_DAY, LAST_DAY, training_days_from_choice
from lumbar.domain.screening import MIN_AGE, RED_FLAGS, known_symptoms
from lumbar.errors import UserError
from lumbar.formats.validation import first_problem, plain_kind

FORMAT = "lumbar-export"
VERSION = 7
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
importer's locale. Older documents still import: a check-in marked `cleared_by_clinician`
(versions 1 and 2) becomes a clearance as the database's migration 0007 makes one."""

MARKS_SINCE = 5
"""The first version whose records may carry `corrected_on` and `deleted_on`."""

LEGACY_BY = "a clinician"
"""Who cleared, for a clearance from an older export (it did not say)."""
LEGACY_ALERTS = (
    "over_50_new_episode",
    "radiating_twice",
    "phase1_bad_pain",
    "persistent_pain",
    "not_improving",
    "worse",
    "flare",
    "flare_persists",
    "review_missed",
)
"""The alerts the engine raised when a check-in could carry a clearance (before issue #14):
such a clearance cleared them all. The same list as migration 0007's."""


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


class ExerciseDoc(_Doc):
    id: str
    pain: Pain
    version: str | None = Field(default=None, max_length=60)
    """Version 6: the alternative done instead, for that session only (a swap)."""


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


def _days_document(days: TrainingDays) -> list[str] | str:
    return days.label if days.every_other_day else days.label.split(",")


def to_document(
    history: History,
    *,
    problems: list[ProblemReport] | tuple[ProblemReport, ...] = (),
    reminders: Reminders | None = None,
    exported_at: str | None = None,
    records: Sequence[Record] | None = None,
) -> dict[str, Any]:
    """The export of `history`, its problem reports and reminders. With `records` (every
    record, deleted ones included, as `usecases.recorded.records` lists them, read with
    `history`), the events and the problem reports are the records', each marked with what
    became of it; `problems` is then not given."""
    profile = history.profile
    days = profile.training_days
    document: dict[str, Any] = {"format": FORMAT, "version": VERSION}
    if exported_at is not None:
        document["exported_at"] = exported_at
    document["profile"] = {
        "start": profile.start.isoformat(),
        "age": profile.age,
        "pain_weeks": profile.pain_weeks,
        "days": _days_document(days),
        "psfs_activities": list(profile.psfs_activities),
    }
    if profile.alternatives:
        document["profile"]["alternatives"] = dict(profile.alternatives)
    document["profile"]["unit"] = profile.unit.value
    document["profile"]["equipment"] = {
        "weights": [
            {"kind": w.kind.value, "amount": w.amount, "unit": w.unit.value}
            for w in profile.equipment.weights
        ],
        "band": profile.equipment.band,
    }
    if profile.earlier_days:
        document["profile"]["earlier_days"] = [
            {"until": until.isoformat(), "days": _days_document(chosen)}
            for until, chosen in profile.earlier_days
        ]
    if records is None:
        document["events"] = [event_document(event) for event in history.events]
        document["problems"] = [problem_document(r) for r in problems]
    else:
        document["events"], document["problems"] = _marked_documents(history, records, problems)
    if reminders is not None:
        document["reminders"] = {
            "session_time": reminders.session_time.strftime("%H:%M"),
            "work_days": [WEEKDAY_NAMES[d] for d in sorted(reminders.work_days)],
            "work_start": reminders.work_start.strftime("%H:%M"),
            "work_end": reminders.work_end.strftime("%H:%M"),
            "break_minutes": reminders.break_minutes,
        }
    return document


def _marked_documents(
    history: History,
    records: Sequence[Record],
    problems: list[ProblemReport] | tuple[ProblemReport, ...],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The events and the problem reports of the records, in their order, each marked."""
    if problems:
        raise ValueError("give the problem reports as records, not both")
    live = [r.content for r in records if r.kind != "problem" and r.deleted_on is None]
    if live != list(history.events):
        raise ValueError("the records are not those of the history (read them together)")
    events, reports = [], []
    for record in records:
        content = record.content
        if isinstance(content, ProblemReport):
            reports.append(_with_marks(problem_document(content), record))
        else:
            events.append(_with_marks(event_document(content), record))
    return events, reports


def _with_marks(document: dict[str, Any], record: Record) -> dict[str, Any]:
    """A record's document, with what became of it (nothing added when nothing did)."""
    if record.corrected_on is not None:
        document["corrected_on"] = record.corrected_on.isoformat()
    if record.deleted_on is not None:
        document["deleted_on"] = record.deleted_on.isoformat()
    return document


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _result_document(result: ExerciseResult) -> dict[str, Any]:
    done: dict[str, Any] = {"id": result.exercise_id, "pain": result.pain.value}
    if result.version is not None:
        done["version"] = result.version
    return done


def _skip_document(skip: Skip) -> dict[str, Any]:
    skipped: dict[str, Any] = {"id": skip.exercise_id, "reason": skip.reason.value}
    if skip.note:
        skipped["note"] = skip.note
    return skipped


def event_document(event: Event) -> dict[str, Any]:
    if isinstance(event, SessionLog):
        return {
            "type": "session",
            "date": event.on.isoformat(),
            "exercises": [_result_document(r) for r in event.results],
            **({"skipped": [_skip_document(k) for k in event.skipped]} if event.skipped else {}),
        }
    if isinstance(event, Clearance):
        return {
            "type": "clearance",
            "date": event.on.isoformat(),
            "alerts": sorted(event.codes),
            "by": event.by,
            "confirmed": event.confirmed,
        }
    return {
        "type": "checkin",
        "date": event.on.isoformat(),
        "pain": event.pain,
        "psfs": None if event.psfs is None else list(event.psfs),
        "symptoms": sorted(event.symptoms),
        "screened": event.screened,
        "follow_up": event.follow_up,
    }


def problem_document(report: ProblemReport) -> dict[str, Any]:
    return {"date": report.on.isoformat(), "kind": report.kind.value, "note": report.note}


def record_from_document(document: Mapping[str, Any]) -> Event | ProblemReport:
    """A record back from its document (`event_document`, `problem_document`), as kept
    beside a correction: it was checked when it was written."""
    kind = document.get("type")
    if kind is None:
        problem = ProblemDoc.model_validate(document)
        return ProblemReport(problem.date, problem.kind, problem.note)
    if kind == "session":
        session = SessionDoc.model_validate(document)
        return SessionLog(
            session.date, tuple(ExerciseResult(e.id, e.pain) for e in session.exercises)
        )
    if kind == "clearance":
        clearance = ClearanceDoc.model_validate(document)
        return Clearance(clearance.date, tuple(clearance.alerts), clearance.by, clearance.confirmed)
    checkin = CheckinDoc.model_validate(document)
    psfs = None if checkin.psfs is None else tuple(checkin.psfs)
    return CheckIn(
        checkin.date,
        checkin.pain,
        psfs,
        tuple(checkin.symptoms),
        checkin.screened,
        checkin.follow_up,
    )


def _legacy_clearance(checkin: CheckIn, before: list[Event]) -> list[Event]:
    """An older export's check-in that carried a clearance, as two records (as migration
    0007 turns the same rows): an intake's clearance followed it and named what it
    reported, but an emergency; a later one came first and named everything that could
    stand (every sign reported before, every alert the engine raises)."""
    if not before:
        codes = tuple(c for c in checkin.symptoms if RED_FLAGS[c] is not Level.EMERGENCY)
        if not codes:
            return [checkin]
        return [checkin, Clearance(checkin.on, codes, LEGACY_BY)]
    earlier = {c for e in before if isinstance(e, CheckIn) for c in e.symptoms}
    clearance = Clearance(checkin.on, tuple(sorted({*earlier, *LEGACY_ALERTS})), LEGACY_BY)
    if checkin.pain is None and checkin.psfs is None and not checkin.symptoms:
        return [clearance]
    return [clearance, checkin]


CHOOSE_EXPORT = "choose the .json file that lumbar's export made"
"""What to do about a file that is not an export."""


def from_document(
    text: str, *, source: str, catalogue: Mapping[str, Exercise], unit: Unit = Unit.KG
) -> Imported:
    """Parse and check an export; raises UserError with the first problem found."""
    if not text.strip():
        raise UserError(f"{source} is empty: {CHOOSE_EXPORT}")
    try:
        raw = json.loads(text)
    except json.JSONDecodeError:
        raw = None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise UserError(f"{source} is not a lumbar export: {CHOOSE_EXPORT}")
    version = raw.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise UserError(
            f"{source} is a lumbar export without a format version lumbar knows: "
            "export it again from the lumbar that made it"
        )
    if version > VERSION:
        raise UserError(
            f"{source} is from a newer lumbar (format {version}); this lumbar reads up to "
            f"{VERSION}: update lumbar, then import it again"
        )
    try:
        document = ExportDoc.model_validate_json(text)
    except ValidationError as error:
        raise UserError(
            f"{source} is a lumbar export that has been changed or damaged (at "
            f"{first_problem(error).where}: {plain_kind(error)}): export it again from the "
            "lumbar that made it"
        ) from error
    history, events = _history(document, version, source=source, catalogue=catalogue, unit=unit)
    problems: list[tuple[ProblemReport, Marks]] = []
    for index, doc in enumerate(document.problems):
        where = f"{source}: problems.{index}"
        if not history.profile.start <= doc.date <= LAST_DAY:
            raise UserError(f"{where}: {doc.date} is outside the program's dates")
        problems.append((ProblemReport(doc.date, doc.kind, doc.note), _marks(doc, version, where)))
    reminders = None
    if document.reminders is not None:
        r = document.reminders
        reminders = Reminders(
            session_time=r.session_time.replace(second=0, microsecond=0),
            work_days=frozenset(WEEKDAY_NAMES.index(d) for d in r.work_days),
            work_start=r.work_start.replace(second=0, microsecond=0),
            work_end=r.work_end.replace(second=0, microsecond=0),
            break_minutes=r.break_minutes,
        )
        wrong = reminders.problems()
        if wrong:
            raise UserError(f"{source}: reminders.{wrong[0]}")
    standing = tuple(report for report, marks in problems if marks.deleted_on is None)
    return Imported(history, standing, reminders, tuple(events), tuple(problems))


def _marks(
    doc: SessionDoc | CheckinDoc | ClearanceDoc | ProblemDoc, version: int, where: str
) -> Marks:
    """What became of a record, checked: only version 5 on says it, and no record was
    corrected or deleted before the day it says it happened."""
    if doc.corrected_on is None and doc.deleted_on is None:
        return UNMARKED
    for name, day in (("corrected_on", doc.corrected_on), ("deleted_on", doc.deleted_on)):
        if day is None:
            continue
        if version < MARKS_SINCE:
            raise UserError(
                f"{where}: {name}: a version {version} document has no corrections "
                f"(they came with version {MARKS_SINCE})"
            )
        if not doc.date <= day <= LAST_DAY:
            raise UserError(
                f"{where}: {name}: {day} is before the record's day ({doc.date}): a record is "
                "corrected or deleted on the day it happened or later"
                if day < doc.date
                else f"{where}: {name}: {day} is outside the calendar"
            )
    return Marks(doc.corrected_on, doc.deleted_on)


def _history(
    document: ExportDoc,
    version: int,
    *,
    source: str,
    catalogue: Mapping[str, Exercise],
    unit: Unit,
) -> tuple[History, list[tuple[Event, Marks]]]:
    """The history that stands, and every event of the document with its marks."""
    p = document.profile
    try:
        days = training_days_from_choice(p.days)
    except ValueError as error:
        raise UserError(f"{source}: profile.days: {error}") from error
    earlier: list[tuple[date, TrainingDays]] = []
    for index, change in enumerate(p.earlier_days):
        where = f"{source}: profile.earlier_days.{index}"
        try:
            chosen = training_days_from_choice(change.days)
        except ValueError as error:
            raise UserError(f"{where}.days: {error}") from error
        after = earlier[-1][0] if earlier else p.start
        if change.until <= after:
            raise UserError(
                f"{where}.until: {change.until} must come after {after} (changes in date order,"
                " after the start)"
            )
        earlier.append((change.until, chosen))
    for exercise_id, alternative in p.alternatives.items():
        where = f"{source}: profile.alternatives.{exercise_id}"
        exercise = catalogue.get(exercise_id)
        if exercise is None:
            raise UserError(f"{where}: unknown exercise {exercise_id!r}")
        if exercise.alternative(alternative) is None:
            names = ", ".join(a.id for a in exercise.alternatives)
            raise UserError(f"{where}: no alternative {alternative!r} (the ids are {names})")
    weights = []
    for index, weight in enumerate(p.equipment.weights):
        try:
            weights.append(Weight(weight.kind, weight.amount, weight.unit))
        except ValueError as error:
            raise UserError(f"{source}: profile.equipment.weights.{index}: {error}") from error
    profile = Profile(
        p.start,
        p.age,
        p.pain_weeks,
        days,
        tuple(p.psfs_activities),
        tuple(earlier),
        tuple(sorted(p.alternatives.items())),
        equipment=Equipment(tuple(weights), p.equipment.band),
        unit=unit if p.unit is None else p.unit,
    )
    activities = len(profile.psfs_activities)
    events: list[tuple[Event, Marks]] = []
    previous = profile.start
    if not FIRST_DAY <= profile.start <= LAST_DAY:
        raise UserError(f"{source}: profile.start: {profile.start} is outside the calendar")
    for index, doc in enumerate(document.events):
        where = f"{source}: events.{index}"
        if doc.date > LAST_DAY:
            raise UserError(f"{where}: {doc.date} is outside the calendar")
        if doc.date < previous:
            raise UserError(
                f"{where}: events must be in date order ({doc.date} comes after {previous})"
            )
        previous = doc.date
        marks = _marks(doc, version, where)
        if isinstance(doc, SessionDoc):
            events.append((_session(doc, catalogue, where), marks))
            continue
        if isinstance(doc, ClearanceDoc):
            if "\n" in doc.by or "\r" in doc.by:
                raise UserError(f"{where}: by: give the name on one line")
            cleared = Clearance(doc.date, tuple(dict.fromkeys(doc.alerts)), doc.by, doc.confirmed)
            events.append((cleared, marks))
            continue
        if doc.psfs is not None and (
            len(doc.psfs) != activities or any(not 0 <= s <= 10 for s in doc.psfs)
        ):
            raise UserError(
                f"{where}: psfs: expected {activities} scores from 0 to 10 (got {doc.psfs})"
            )
        try:
            symptoms = known_symptoms(doc.symptoms)
        except ValueError as error:
            raise UserError(f"{where}: symptoms: {error}") from error
        psfs = None if doc.psfs is None else tuple(doc.psfs)
        checkin = CheckIn(doc.date, doc.pain, psfs, symptoms, doc.screened, doc.follow_up)
        if doc.cleared_by_clinician:
            if version >= MARKS_SINCE:
                raise UserError(
                    f"{where}: cleared_by_clinician: versions 1 and 2 only (a clearance is an "
                    'event of its own, "type": "clearance")'
                )
            before = [event for event, _ in events]
            events.extend((event, UNMARKED) for event in _legacy_clearance(checkin, before))
        else:
            events.append((checkin, marks))
    first, marks = events[0]
    if (
        not isinstance(first, CheckIn)
        or first.on != profile.start
        or first.pain is None
        or first.psfs is None
    ):
        raise UserError(
            f"{source}: events.0: the first event must be the intake check-in on the start "
            "date, with pain and PSFS scores"
        )
    if marks.deleted_on is not None:
        raise UserError(
            f"{source}: events.0: deleted_on: the intake check-in cannot be deleted (the "
            "program begins with it, and every review compares against it)"
        )
    standing = tuple(event for event, marks in events if marks.deleted_on is None)
    return History(profile, standing), events


def _session(doc: SessionDoc, catalogue: Mapping[str, Exercise], where: str) -> SessionLog:
    """A session of the document, its exercises and skips checked against the catalogue."""
    ids = [e.id for e in doc.exercises] + [k.id for k in doc.skipped]
    unknown = [exercise_id for exercise_id in ids if exercise_id not in catalogue]
    if unknown:
        raise UserError(f"{where}: unknown exercise {unknown[0]!r}")
    for e in doc.exercises:
        if e.version is not None and catalogue[e.id].alternative(e.version) is None:
            raise UserError(f"{where}: {e.id} has no alternative {e.version!r}")
    results = tuple(ExerciseResult(e.id, e.pain, e.version) for e in doc.exercises)
    skips = tuple(Skip(k.id, k.reason, k.note) for k in doc.skipped)
    return SessionLog(doc.date, results, skips)
