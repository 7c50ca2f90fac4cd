"""Writing history inside one transaction; the caller's context manager commits or rolls back.

The statements are built once, here, and executed with parameters: building a SQLAlchemy
statement costs about 40 µs a time, executing a built one about 10 µs, and a session is
written with half a dozen of them while the database's write lock is held.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import Integer, bindparam, delete, func, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import BindParameter

from lumbar.domain.loads import Equipment, Unit
from lumbar.domain.model import (
    CheckIn,
    Clearance,
    Event,
    History,
    Profile,
    SessionLog,
    TrainingDays,
)
from lumbar.store.beside import BesideHistory
from lumbar.store.cache import HistoryCache
from lumbar.store.corrections import CorrectingHistory
from lumbar.store.drafts import SessionRows
from lumbar.store.history import Stored, equipment_rows, read_revised, read_stored
from lumbar.store.quick_read import QuickRead
from lumbar.store.tables import (
    checkin_psfs,
    checkin_symptoms,
    checkins,
    clearance_codes,
    clearances,
    earlier_training_days,
    equipment,
    events,
    exercise_alternatives,
    people,
    psfs_activities,
    session_exercises,
    session_skips,
)
from lumbar.store.touched import touch

_PERSON: BindParameter[int] = bindparam("person", type_=Integer)
_ID: BindParameter[int] = bindparam("record_id", type_=Integer)
COUNT_PEOPLE = select(func.count()).select_from(people)
REVISION = select(people.c.revision).where(people.c.id == _PERSON).with_for_update()
"""Read with a row lock where the database has them (PostgreSQL), so two transactions that
check the same person's history queue; SQLite's BEGIN IMMEDIATE already serialises them."""
QUICK_REVISION = QuickRead(select(people.c.revision).where(people.c.id == _PERSON))
"""The revision as a read asks it (`Store.revision`: is an answer kept in memory still
current?): no lock, no transaction, one round trip (store/quick_read.py)."""
RAISE_REVISION = (
    update(people)
    .where(people.c.id == _PERSON)
    .values(revision=people.c.revision + 1)
    .returning(people.c.revision)
)
SET_DAYS = update(people).where(people.c.id == _PERSON).values(training_days=bindparam("days"))
ADD_PERSON = insert(people)
ADD_EARLIER_DAYS = insert(earlier_training_days)
ADD_ALTERNATIVE = insert(exercise_alternatives)
DROP_ALTERNATIVE = delete(exercise_alternatives).where(
    exercise_alternatives.c.person_id == _PERSON,
    exercise_alternatives.c.exercise_id == bindparam("exercise"),
)
ADD_ACTIVITIES = insert(psfs_activities)
ADD_EQUIPMENT = insert(equipment)
DROP_EQUIPMENT = delete(equipment).where(equipment.c.person_id == _PERSON)
SET_UNIT = update(people).where(people.c.id == _PERSON).values(unit=bindparam("unit"))
ADD_EVENT = insert(events).returning(events.c.id)
ADD_CHECKIN = insert(checkins)
ADD_PSFS = insert(checkin_psfs)
ADD_SYMPTOMS = insert(checkin_symptoms)
ADD_CLEARANCE = insert(clearances)
ADD_CLEARED_CODES = insert(clearance_codes)
CHILD_TABLES = (
    session_exercises,
    session_skips,
    checkins,
    checkin_psfs,
    checkin_symptoms,
    clearances,
    clearance_codes,
)
MOVE_EVENT = (
    update(events)
    .where(events.c.person_id == _PERSON, events.c.id == _ID)
    .values(on_date=bindparam("on"))
)
MARK_EVENT = (
    update(events)
    .where(events.c.person_id == _PERSON, events.c.id == _ID)
    .values(deleted_on=bindparam("deleted"))
)


class Transaction(BesideHistory, CorrectingHistory, SessionRows):
    """The writes a use case can make; nothing here commits (the Store's transaction does).

    Every write of a person's history raises their revision. The transaction keeps each
    history it read, as its own writes change it (`views`), so that the store can cache
    them, under their new revision, once the transaction has committed.
    """

    def __init__(self, connection: Connection, cache: HistoryCache | None = None) -> None:
        self.connection = connection
        self.cache = cache
        self.views: dict[int, tuple[int, History]] = {}

    def history(self, person: int) -> History | None:
        """Read inside the transaction, so a check and the write that follows it agree."""
        view = self.views.get(person)
        if view is not None:
            return view[1]
        revision = self.revision(person)
        if revision is None:
            return None
        history = None if self.cache is None else self.cache.get(person, revision)
        if history is None:
            found = read_revised(fetch_with(self.connection), person)
            if found is None:
                return None
            revision, history = found
        self.views[person] = (revision, history)
        return history

    def stored(self, person: int) -> tuple[Profile, list[Stored]] | None:
        """The profile and every event, deleted ones included, with their ids."""
        found = read_stored(fetch_with(self.connection), person)
        return None if found is None else (found[1], found[2])

    def revision(self, person: int) -> int | None:
        found = self.connection.execute(REVISION, {"person": person}).scalar_one_or_none()
        return None if found is None else int(found)

    def is_empty(self) -> bool:
        return self.connection.execute(COUNT_PEOPLE).scalar_one() == 0

    def remove_person(self, person: int) -> int:
        """Delete a person and everything recorded of them (their rows cascade), for an
        import that replaces them; their revision: the new record's starts above it
        (`add_person`), so a history cached of the old one is never taken for the new."""
        revision = self.revision(person) or 0
        self.connection.execute(delete(people).where(people.c.id == person))
        touch(self.connection, person)
        self.views.pop(person, None)
        return revision

    def add_person(self, person: int, profile: Profile, *, revision: int = 0) -> None:
        self.connection.execute(
            ADD_PERSON,
            {
                "id": person,
                "start_date": profile.start,
                "age": profile.age,
                "pain_weeks": profile.pain_weeks,
                "training_days": profile.training_days.label,
                "revision": revision,
                "unit": profile.unit.value,
            },
        )
        if not profile.equipment.nothing:
            self.connection.execute(ADD_EQUIPMENT, equipment_rows(person, profile.equipment))
        if profile.earlier_days:
            self.connection.execute(
                ADD_EARLIER_DAYS,
                [
                    {"person_id": person, "until_date": until, "training_days": days.label}
                    for until, days in profile.earlier_days
                ],
            )
        if profile.alternatives:
            self.connection.execute(
                ADD_ALTERNATIVE,
                [
                    {"person_id": person, "exercise_id": exercise_id, "alternative": chosen}
                    for exercise_id, chosen in profile.alternatives
                ],
            )
        if profile.psfs_activities:
            self.connection.execute(
                ADD_ACTIVITIES,
                [
                    {"person_id": person, "position": position, "activity": activity}
                    for position, activity in enumerate(profile.psfs_activities)
                ],
            )
        self.views[person] = (0, History(profile, ()))
        touch(self.connection, person)

    def add_checkin(self, person: int, checkin: CheckIn) -> int:
        event_id = self._add_event(person, checkin.on, "checkin")
        stored = self._write_checkin(event_id, checkin)
        self._changed(person, lambda history: _with(history, stored))
        return event_id

    def add_clearance(self, person: int, clearance: Clearance) -> int:
        """A clearance: a record of its own, after everything recorded before it."""
        event_id = self._add_event(person, clearance.on, "clearance")
        stored = self._write_clearance(event_id, clearance)
        self._changed(person, lambda history: _with(history, stored))
        return event_id

    def add_session(self, person: int, session: SessionLog) -> int:
        event_id = self._add_event(person, session.on, "session")
        self._write_session(event_id, session)
        self._changed(person, lambda history: _with(history, session))
        return event_id

    def _write_checkin(self, event_id: int, checkin: CheckIn) -> CheckIn:
        """Write a check-in's rows; it returns the check-in as a read gives it back (the
        symptoms sorted, once each), so that the cached history equals a fresh read."""
        stored = replace(checkin, symptoms=tuple(sorted(set(checkin.symptoms))))
        self.connection.execute(
            ADD_CHECKIN,
            {
                "event_id": event_id,
                "pain": checkin.pain,
                "screened": checkin.screened,
                "follow_up": checkin.follow_up,
            },
        )
        if checkin.psfs:
            self.connection.execute(
                ADD_PSFS,
                [
                    {"event_id": event_id, "position": position, "score": score}
                    for position, score in enumerate(checkin.psfs)
                ],
            )
        if stored.symptoms:
            self.connection.execute(
                ADD_SYMPTOMS, [{"event_id": event_id, "code": code} for code in stored.symptoms]
            )
        return stored

    def _write_clearance(self, event_id: int, clearance: Clearance) -> Clearance:
        """Write a clearance's rows; it returns it as a read gives it back (codes sorted)."""
        stored = replace(clearance, codes=tuple(sorted(set(clearance.codes))))
        self.connection.execute(
            ADD_CLEARANCE,
            {"event_id": event_id, "cleared_by": clearance.by, "confirmed": clearance.confirmed},
        )
        self.connection.execute(
            ADD_CLEARED_CODES,
            [{"event_id": event_id, "code": code} for code in stored.codes],
        )
        return stored

    def set_training_days(self, person: int, days: TrainingDays, *, on: date) -> None:
        """The person's own days from `on`; the days before keep the choice of their time."""
        history = self.history(person)
        assert history is not None  # pragma: no mutate (the use case read it)
        profile = history.profile
        earlier = self._earlier_with(person, profile, on=on, days=profile.training_days)
        changed = replace(profile, training_days=days, earlier_days=earlier)
        self._changed(person, lambda history: History(changed, history.events))
        self.connection.execute(SET_DAYS, {"person": person, "days": days.label})

    def set_alternative(self, person: int, exercise_id: str, alternative: str | None) -> None:
        """Teach the exercise in this alternative from now on (None: as it is)."""
        self.connection.execute(DROP_ALTERNATIVE, {"person": person, "exercise": exercise_id})
        if alternative is not None:
            self.connection.execute(
                ADD_ALTERNATIVE,
                {"person_id": person, "exercise_id": exercise_id, "alternative": alternative},
            )

        def change(history: History) -> History:
            chosen = dict(history.profile.alternatives)
            chosen.pop(exercise_id, None)
            if alternative is not None:
                chosen[exercise_id] = alternative
            profile = replace(history.profile, alternatives=tuple(sorted(chosen.items())))
            return History(profile, history.events)

        self._changed(person, change)

    def set_equipment(self, person: int, owned: Equipment, unit: Unit) -> None:
        """What the person has to lift, and the unit they read weights in, from now on."""
        self.connection.execute(DROP_EQUIPMENT, {"person": person})
        if not owned.nothing:
            self.connection.execute(ADD_EQUIPMENT, equipment_rows(person, owned))
        self.connection.execute(SET_UNIT, {"person": person, "unit": unit.value})

        def change(history: History) -> History:
            profile = replace(history.profile, equipment=owned, unit=unit)
            return History(profile, history.events)

        self._changed(person, change)

    def keep_earlier_days(self, person: int, *, on: date, days: TrainingDays) -> None:
        """Record that `days` were in force before `on` (the days change on `on`, as a
        clinician's prescription changes them)."""
        history = self.history(person)
        if history is None:
            return
        profile = history.profile
        earlier = self._earlier_with(person, profile, on=on, days=days)
        if earlier is not profile.earlier_days:
            changed = replace(profile, earlier_days=earlier)
            self._changed(person, lambda history: History(changed, history.events))

    def _earlier_with(
        self, person: int, profile: Profile, *, on: date, days: TrainingDays
    ) -> tuple[tuple[date, TrainingDays], ...]:
        """The days in force before each change, with `days` until `on` added (and stored).
        A second change on the same day keeps the days in force before that day; a change
        on the first day of the program replaces the days from the start."""
        earlier = profile.earlier_days
        if on <= profile.start or any(until >= on for until, _ in earlier):
            return earlier
        self.connection.execute(
            ADD_EARLIER_DAYS,
            {"person_id": person, "until_date": on, "training_days": days.label},
        )
        return (*earlier, (on, days))

    def _add_event(self, person: int, on: date, kind: str) -> int:
        result = self.connection.execute(
            ADD_EVENT, {"person_id": person, "on_date": on, "kind": kind}
        )
        return int(result.scalar_one())

    def replace_event(self, person: int, event_id: int, event: Event) -> None:
        """Write `event` in the place of the one recorded as `event_id` (of the same kind)."""
        self.connection.execute(
            MOVE_EVENT, {"person": person, "record_id": event_id, "on": event.on}
        )
        for table in CHILD_TABLES:
            self.connection.execute(delete(table).where(table.c.event_id == event_id))
        if isinstance(event, SessionLog):
            self._write_session(event_id, event)
        elif isinstance(event, Clearance):
            self._write_clearance(event_id, event)
        else:
            self._write_checkin(event_id, event)
        self._reread(person)

    def mark_event_deleted(self, person: int, event_id: int, on: date | None) -> None:
        """Delete the event on `on` (it stays, marked), or bring it back (None)."""
        self.connection.execute(
            MARK_EVENT, {"person": person, "record_id": event_id, "deleted": on}
        )
        self._reread(person)

    def _reread(self, person: int) -> None:
        """Raise the person's revision after a correction: the history is read again."""
        self.connection.execute(RAISE_REVISION, {"person": person})
        self.views.pop(person, None)
        touch(self.connection, person)

    def _changed(self, person: int, change: Callable[[History], History]) -> None:
        """Raise the person's revision, and apply the same change to the history held."""
        revision = self.connection.execute(RAISE_REVISION, {"person": person}).scalar_one()
        touch(self.connection, person)
        view = self.views.get(person)
        if view is None:
            return
        self.views[person] = (int(revision), change(view[1]))


def _with(history: History, event: CheckIn | Clearance | SessionLog) -> History:
    return History.of(history.profile, [*history.events, event])


def fetch_with(connection: Connection) -> Any:
    """A `history.Fetch` over a SQLAlchemy connection: the same SQL as the sqlite3 read path."""

    def fetch(sql: str, params: dict[str, Any]) -> Iterable[Sequence[Any]]:
        return connection.execute(_statement(sql), params).all()

    return fetch


@functools.cache
def _statement(sql: str) -> Any:
    """The `text()` of one of history.py's statements, built once (they are constants)."""
    from sqlalchemy import text

    return text(sql)
