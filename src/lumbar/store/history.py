"""Reading a person's history: plain SQL that any DB-API connection can run.

The statements use `:name` parameters, which both the standard library's sqlite3 and
SQLAlchemy's `text()` understand, so the fast SQLite path and the SQLAlchemy path share
them. This module imports no SQLAlchemy.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any

from lumbar.domain.loads import Equipment, Unit, Weight, WeightKind
from lumbar.domain.model import (
    CheckIn,
    Clearance,
    Event,
    ExerciseResult,
    History,
    Pain,
    Profile,
    SessionLog,
    Skip,
    SkipReason,
    TrainingDays,
)
from lumbar.domain.schedule import training_days_from_names
from lumbar.store.camera import camera_from_text

Fetch = Callable[[str, dict[str, Any]], Iterable[Sequence[Any]]]
"""Runs one SELECT with named parameters and returns its rows."""

PROFILE = (
    "SELECT start_date, age, pain_weeks, training_days, revision, unit FROM people"
    " WHERE id = :person"
)
EQUIPMENT = "SELECT kind, amount, unit FROM equipment WHERE person_id = :person ORDER BY position"
REVISION = "SELECT revision FROM people WHERE id = :person"
EARLIER_DAYS = (
    "SELECT until_date, training_days FROM earlier_training_days"
    " WHERE person_id = :person ORDER BY until_date"
)
ALTERNATIVES = (
    "SELECT exercise_id, alternative FROM exercise_alternatives"
    " WHERE person_id = :person ORDER BY exercise_id"
)
ACTIVITIES = "SELECT activity FROM psfs_activities WHERE person_id = :person ORDER BY position"
EVENTS = (
    "SELECT id, on_date, kind, deleted_on FROM events WHERE person_id = :person"
    " ORDER BY on_date, id"
)
EXERCISES = (
    "SELECT s.event_id, s.exercise_id, s.pain, s.version, s.comment, s.camera"
    " FROM session_exercises s"
    " JOIN events e ON e.id = s.event_id WHERE e.person_id = :person"
    " ORDER BY s.event_id, s.position"
)
SKIPS = (
    "SELECT k.event_id, k.exercise_id, k.reason, k.note FROM session_skips k"
    " JOIN events e ON e.id = k.event_id WHERE e.person_id = :person"
    " ORDER BY k.event_id, k.position"
)
CHECKINS = (
    "SELECT c.event_id, c.pain, c.screened, c.follow_up FROM checkins c"
    " JOIN events e ON e.id = c.event_id WHERE e.person_id = :person"
)
CLEARANCES = (
    "SELECT c.event_id, c.cleared_by, c.confirmed FROM clearances c"
    " JOIN events e ON e.id = c.event_id WHERE e.person_id = :person"
)
CLEARED_CODES = (
    "SELECT k.event_id, k.code FROM clearance_codes k"
    " JOIN events e ON e.id = k.event_id WHERE e.person_id = :person"
    " ORDER BY k.event_id, k.code"
)
PSFS = (
    "SELECT p.event_id, p.score FROM checkin_psfs p"
    " JOIN events e ON e.id = p.event_id WHERE e.person_id = :person"
    " ORDER BY p.event_id, p.position"
)
SYMPTOMS = (
    "SELECT y.event_id, y.code FROM checkin_symptoms y"
    " JOIN events e ON e.id = y.event_id WHERE e.person_id = :person"
    " ORDER BY y.event_id, y.code"
)
SCHEMA_VERSION = "SELECT version_num FROM alembic_version"


Stored = tuple[int, Event, date | None]
"""One recorded event as stored: its id, the event, and the day it was deleted (or None)."""


def read_revised(fetch: Fetch, person: int) -> tuple[int, History] | None:
    """The person's revision and whole history (read them in one transaction to agree).

    A deleted record is not part of the history: the rules read past it."""
    found = read_stored(fetch, person)
    if found is None:
        return None
    revision, profile, stored = found
    return revision, History(profile, tuple(e for _, e, deleted in stored if deleted is None))


def read_stored(fetch: Fetch, person: int) -> tuple[int, Profile, list[Stored]] | None:
    """The person's revision, profile and every event recorded, deleted ones included,
    in the history's order (date, then the order they were recorded in)."""
    params = {"person": person}
    profile_rows = list(fetch(PROFILE, params))
    if not profile_rows:
        return None
    start, age, pain_weeks, days, revision, unit = profile_rows[0]
    activities = tuple(row[0] for row in fetch(ACTIVITIES, params))
    profile = Profile(
        start=as_date(start),
        age=age,
        pain_weeks=pain_weeks,
        training_days=parse_days(days),
        psfs_activities=activities,
        earlier_days=tuple(
            (as_date(until), parse_days(chosen)) for until, chosen in fetch(EARLIER_DAYS, params)
        ),
        alternatives=tuple((row[0], row[1]) for row in fetch(ALTERNATIVES, params)),
        equipment=equipment_from(fetch(EQUIPMENT, params)),
        unit=Unit(unit),
    )
    results: dict[int, list[ExerciseResult]] = defaultdict(list)
    for event_id, exercise_id, pain, version, comment, camera in fetch(EXERCISES, params):
        results[event_id].append(
            ExerciseResult(exercise_id, Pain(pain), version, comment, camera_from_text(camera))
        )
    skipped: dict[int, list[Skip]] = defaultdict(list)
    for event_id, exercise_id, reason, note in fetch(SKIPS, params):
        skipped[event_id].append(Skip(exercise_id, SkipReason(reason), note))
    checkins = {row[0]: (row[1], bool(row[2]), bool(row[3])) for row in fetch(CHECKINS, params)}
    psfs: dict[int, list[int]] = defaultdict(list)
    for event_id, score in fetch(PSFS, params):
        psfs[event_id].append(score)
    symptoms: dict[int, list[str]] = defaultdict(list)
    for event_id, code in fetch(SYMPTOMS, params):
        symptoms[event_id].append(code)
    stored: list[Stored] = []
    rows = list(fetch(EVENTS, params))
    clearances: dict[int, tuple[str, bool]] = {}
    cleared: dict[int, list[str]] = defaultdict(list)
    if any(row[2] == "clearance" for row in rows):
        clearances = {row[0]: (row[1], bool(row[2])) for row in fetch(CLEARANCES, params)}
        for event_id, code in fetch(CLEARED_CODES, params):
            cleared[event_id].append(code)
    for event_id, on_date, kind, deleted_on in rows:
        on = as_date(on_date)
        event: Event
        if kind == "session":
            event = SessionLog(
                on, tuple(results.get(event_id, ())), tuple(skipped.get(event_id, ()))
            )
        elif kind == "clearance":
            by, confirmed = clearances[event_id]
            event = Clearance(on, tuple(cleared.get(event_id, ())), by, confirmed)
        else:
            pain, screened, follow_up = checkins[event_id]
            scores = psfs.get(event_id)
            event = CheckIn(
                on,
                pain=pain,
                psfs=tuple(scores) if scores else None,
                symptoms=tuple(symptoms.get(event_id, ())),
                screened=screened,
                follow_up=follow_up,
            )
        stored.append((event_id, event, None if deleted_on is None else as_date(deleted_on)))
    return int(revision), profile, stored


def equipment_from(rows: Iterable[Sequence[Any]]) -> Equipment:
    """The equipment rows (kind, amount, unit) as the person's equipment."""
    weights, band = [], False
    for kind, amount, unit in rows:
        if kind == "band":
            band = True
        else:
            weights.append(Weight(WeightKind(kind), float(amount), Unit(unit)))
    return Equipment(tuple(weights), band)


def equipment_rows(person: int, equipment: Equipment) -> list[dict[str, Any]]:
    """The rows that store `equipment` (the inverse of `equipment_from`)."""
    items: list[tuple[str, float | None, str | None]] = [
        (w.kind.value, w.amount, w.unit.value) for w in equipment.weights
    ]
    if equipment.band:
        items.append(("band", None, None))
    return [
        {"person_id": person, "position": n, "kind": kind, "amount": amount, "unit": unit}
        for n, (kind, amount, unit) in enumerate(items)
    ]


def as_date(value: date | str) -> date:
    """SQLite hands dates back as ISO text; other databases as dates."""
    return value if isinstance(value, date) else date.fromisoformat(value)


def parse_days(stored: str) -> TrainingDays:
    return training_days_from_names(stored.split(","))
