"""Migration 0007: a check-in's clearance becomes a record of its own (issue #14).

The database is built at schema 0006 with the rows lumbar wrote then, upgraded by opening
it as any lumbar would, and read back: each old clearance is a `Clearance` where the old
rules applied it, so the plan says what it said before, and nothing else moved. On SQLite
the events table is rebuilt (its `kind` check widens): every row that refers to an event
must survive it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import text

from lumbar.domain.model import CheckIn, Clearance, ExerciseResult, Kind, Pain, SessionLog
from lumbar.domain.plan import plan_day
from lumbar.store.database import LOCAL_PERSON, Store
from lumbar.store.migrate import alembic_config
from tests import builders as b
from tests.databases import Databases

ENGINE_ALERTS = (
    "flare",
    "flare_persists",
    "not_improving",
    "over_50_new_episode",
    "persistent_pain",
    "phase1_bad_pain",
    "radiating_twice",
    "review_missed",
    "worse",
)


def _insert(connection: Any, sql: str, **values: Any) -> None:
    connection.execute(text(sql), values)


def _event(
    connection: Any, id: int, on: date, kind: str, *, pain: int | None = None, cleared: bool = False
) -> None:
    _insert(
        connection,
        "INSERT INTO events (id, person_id, on_date, kind) VALUES (:id, 1, :on, :kind)",
        id=id,
        on=on,
        kind=kind,
    )
    if kind == "checkin":
        _insert(
            connection,
            "INSERT INTO checkins (event_id, pain, cleared_by_clinician) VALUES (:e, :p, :c)",
            e=id,
            p=pain,
            c=cleared,
        )


def _symptom(connection: Any, event: int, code: str) -> None:
    _insert(
        connection, "INSERT INTO checkin_symptoms (event_id, code) VALUES (:e, :c)", e=event, c=code
    )


def _old_database(url: str) -> None:
    """A database at schema 0006 holding what lumbar wrote before clearances had records."""
    from alembic import command

    store = Store(url)
    try:
        with store.engine.begin() as connection:
            command.upgrade(alembic_config(connection), "0006")
            _insert(
                connection,
                "INSERT INTO people (id, start_date, age, pain_weeks, training_days, revision)"
                " VALUES (1, :start, 42, 20, 'mon,wed,fri', 3)",
                start=b.day(0),
            )
            _insert(
                connection,
                "INSERT INTO psfs_activities (person_id, position, activity) VALUES (1, 0, 'walk')",
            )
            # The intake reported a fever and both legs, and said a clinician had cleared it.
            _event(connection, 1, b.day(0), "checkin", pain=6, cleared=True)
            _insert(
                connection, "INSERT INTO checkin_psfs (event_id, position, score) VALUES (1, 0, 4)"
            )
            _symptom(connection, 1, "fever")
            _symptom(connection, 1, "both_legs")
            # A session, then pain at night.
            _event(connection, 2, b.day(2), "session")
            _insert(
                connection,
                "INSERT INTO session_exercises (event_id, position, exercise_id, pain)"
                " VALUES (2, 0, 'cat-cow', 'ache')",
            )
            _event(connection, 3, b.day(3), "checkin")
            _symptom(connection, 3, "night_pain")
            # A clearance that came with a weekly pain and a new one-leg numbness.
            _event(connection, 4, b.day(4), "checkin", pain=5, cleared=True)
            _symptom(connection, 4, "leg_numbness")
            # A clearance alone.
            _event(connection, 5, b.day(7), "checkin", cleared=True)
            if connection.dialect.name == "postgresql":
                # The rows took their ids by hand: the sequence goes on after them, as it
                # would have had lumbar written them.
                _insert(
                    connection,
                    "SELECT setval(pg_get_serial_sequence('events', 'id'), 5)",
                )
    finally:
        store.dispose()


def test_old_clearances_become_records_of_their_own_where_the_old_rules_applied_them(
    databases: Databases,
) -> None:
    url = databases.new()
    _old_database(url)
    store = Store(url)
    try:
        history = store.read(LOCAL_PERSON)
        with store.engine.connect() as connection:
            kinds = connection.execute(text("SELECT kind FROM events ORDER BY id")).scalars().all()
    finally:
        store.dispose()
    assert history is not None
    everything_before = tuple(sorted({"fever", "both_legs", "night_pain", *ENGINE_ALERTS}))
    assert history.events == (
        CheckIn(b.day(0), 6, (4,), ("both_legs", "fever")),
        # The intake's clearance was of what it reported, but the emergency.
        Clearance(b.day(0), ("fever",), "a clinician"),
        SessionLog(b.day(2), (ExerciseResult("cat-cow", Pain.ACHE),)),
        CheckIn(b.day(3), symptoms=("night_pain",)),
        # A later clearance came before the symptoms of its own record.
        Clearance(b.day(4), everything_before, "a clinician"),
        CheckIn(b.day(4), 5, None, ("leg_numbness",)),
        Clearance(
            b.day(7),
            tuple(sorted({*everything_before, "leg_numbness"})),
            "a clinician",
        ),
    )
    # The old event rows kept their ids (and what refers to them); two rows were added.
    assert kinds == [
        "checkin",
        "session",
        "checkin",
        "clearance",
        "clearance",
        "clearance",
        "checkin",
    ]


def test_after_the_migration_the_plan_says_what_the_old_rules_said(databases: Databases) -> None:
    url = databases.new()
    _old_database(url)
    store = Store(url)
    try:
        history = store.read(LOCAL_PERSON)
    finally:
        store.dispose()
    assert history is not None
    program = b.program()
    # Both legs (an emergency at the intake) stood until the first later clearance...
    paused = plan_day(b.day(3), history, program)
    assert paused.kind is Kind.BLOCKED
    assert {a.code for a in paused.alerts} >= {"both_legs", "night_pain"}
    # ... which cleared it and the night pain; the numbness of the same record stood.
    after = plan_day(b.day(4), history, program)
    codes = {a.code for a in after.alerts}
    assert "leg_numbness" in codes and not {"both_legs", "night_pain", "fever"} & codes
    assert {"both_legs_cleared", "night_pain_cleared", "fever_cleared"} <= codes
    assert "leg_numbness" not in {a.code for a in plan_day(b.day(7), history, program).alerts}
