"""Reading an export back (`from_document`): the document checked against its shape
(formats/archive_docs.py), then every record against the calendar, the catalogue and the
records before it, each refusal naming where in the file it is and what to do.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from datetime import date

from pydantic import (
    ValidationError,
)

from lumbar.domain.loads import Equipment, Unit, Weight
from lumbar.domain.model import (
    WEEKDAY_NAMES,
    CheckIn,
    Clearance,
    Event,
    Exercise,
    ExerciseResult,
    History,
    Level,
    ProblemReport,
    Profile,
    SessionLog,
    Skip,
    TrainingDays,
)
from lumbar.domain.outcomes import PSFS_ACTIVITY_MAX
from lumbar.domain.reminders import Reminders
from lumbar.domain.schedule import FIRST_DAY, LAST_DAY, training_days_from_choice
from lumbar.domain.scores import Score, ScoreRefused, check_score
from lumbar.domain.screening import RED_FLAGS, known_symptoms
from lumbar.errors import UserError, refuse_hidden_characters
from lumbar.formats.archive_docs import (
    FORMAT,
    MARKS_SINCE,
    UNMARKED,
    VERSION,
    CheckinDoc,
    ClearanceDoc,
    ExportDoc,
    Imported,
    Marks,
    ProblemDoc,
    SessionDoc,
    camera_of,
)
from lumbar.formats.validation import first_problem, plain_kind

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


CHOOSE_EXPORT = "choose the .json file that lumbar's export made"
"""What to do about a file that is not an export."""

EVENTS_LIMIT = 10_000
"""The most records an export may hold: a session every day and a weekly check-in for over
twenty years. The forms write one at a time; an import must not write without end."""
PROBLEMS_LIMIT = 1000
PROBLEMS_A_DAY = 10
"""The most problem reports an export may hold, and on any one day (issue #19: one request
held 5,000)."""
EXERCISES_LIMIT = 30
"""The most exercises done, and skipped, one session may list: as many as a session sent to
the API may (web/bodies.py, SessionIn)."""


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
    _refuse_oversized(document, source)
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
    scores = _scores(document, source)
    return Imported(history, standing, reminders, tuple(events), tuple(problems), scores)


def _scores(document: ExportDoc, source: str) -> tuple[Score, ...]:
    """Version 8's outcome scores, each of a measure lumbar knows, in its range."""
    from lumbar.content.scores import measures

    found = []
    for index, doc in enumerate(document.scores):
        where = f"{source}: scores.{index}"
        measure = measures().get(doc.measure)
        if measure is None:
            raise UserError(f"{where}: {doc.measure!r} is not a measure lumbar knows")
        if doc.date > LAST_DAY:
            raise UserError(f"{where}: {doc.date} is outside the program's dates")
        try:
            check_score(measure, doc.total, doc.subscale)
        except ScoreRefused as refusal:
            raise UserError(f"{where}: {refusal}") from None
        found.append(Score(doc.date, doc.measure, doc.total, doc.subscale))
    return tuple(found)


def _refuse_oversized(document: ExportDoc, source: str) -> None:
    """The limits the forms hold, held by an import too (issue #19): an activity as long as
    the intake takes, and no more records than a person could have written."""
    for index, activity in enumerate(document.profile.psfs_activities):
        if len(activity) > PSFS_ACTIVITY_MAX:
            raise UserError(
                f"{source}: profile.psfs_activities.{index}: keep an activity to "
                f"{PSFS_ACTIVITY_MAX} characters, as the intake does (it has {len(activity)})"
            )
    if len(document.events) > EVENTS_LIMIT:
        raise UserError(
            f"{source}: events: an export holds at most {EVENTS_LIMIT} records (this one has "
            f"{len(document.events)}): {CHOOSE_EXPORT}"
        )
    if len(document.scores) > PROBLEMS_LIMIT:
        raise UserError(
            f"{source}: scores: an export holds at most {PROBLEMS_LIMIT} outcome scores "
            f"(this one has {len(document.scores)}): {CHOOSE_EXPORT}"
        )
    if len(document.problems) > PROBLEMS_LIMIT:
        raise UserError(
            f"{source}: problems: an export holds at most {PROBLEMS_LIMIT} problem reports "
            f"(this one has {len(document.problems)}): {CHOOSE_EXPORT}"
        )
    a_day = Counter(doc.date for doc in document.problems)
    crowded = next((day for day, count in sorted(a_day.items()) if count > PROBLEMS_A_DAY), None)
    if crowded is not None:
        raise UserError(
            f"{source}: problems: {a_day[crowded]} problem reports on {crowded}; an export "
            f"holds at most {PROBLEMS_A_DAY} on one day: {CHOOSE_EXPORT}"
        )
    for index, doc in enumerate(document.events):
        if isinstance(doc, SessionDoc) and EXERCISES_LIMIT < max(
            len(doc.exercises), len(doc.skipped)
        ):
            raise UserError(
                f"{source}: events.{index}: a session lists at most {EXERCISES_LIMIT} "
                f"exercises done and {EXERCISES_LIMIT} skipped: {CHOOSE_EXPORT}"
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
    for e in doc.exercises:
        if e.comment is not None:
            refuse_hidden_characters(e.comment, where=f"{where}: {e.id}: comment: ")
    results = tuple(
        ExerciseResult(e.id, e.pain, e.version, e.comment, camera_of(e.camera))
        for e in doc.exercises
    )
    skips = tuple(Skip(k.id, k.reason, k.note) for k in doc.skipped)
    return SessionLog(doc.date, results, skips)
