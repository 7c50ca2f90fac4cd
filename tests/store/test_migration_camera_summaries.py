"""Migration 0027: the camera's summary of an exercise (issue #21). A database from before it
keeps its sessions, each answer without a summary; a session answered after it keeps its
summary through the session in progress into the session recorded, and one logged at once
(the API's session post) keeps its own; down and up again leaves the same columns, on
SQLite and on PostgreSQL."""

from __future__ import annotations

from sqlalchemy import inspect, text

from lumbar.content.load import default_content
from lumbar.domain.camera import camera_summary
from lumbar.domain.model import Pain, SessionLog
from lumbar.formats.intake import IntakeAnswers
from lumbar.store.database import Store
from lumbar.store.migrate import alembic_config
from lumbar.usecases import corrections, program, recorded, sessions
from lumbar.usecases.person import Person
from tests import builders as b
from tests.camera_samples import BRIDGE, REST
from tests.databases import Databases
from tests.web.conftest import ANSWERS

TABLES = ("session_exercises", "session_drafts")


def columns(connection: object, table: str) -> list[str]:
    return [c["name"] for c in inspect(connection).get_columns(table)]


def test_answers_from_before_have_no_summary_and_down_and_up_again_is_the_same(
    databases: Databases,
) -> None:
    from alembic import command

    store = Store(databases.new())
    try:
        with store.engine.begin() as connection:
            command.upgrade(alembic_config(connection), "0026")
            assert all("camera" not in columns(connection, t) for t in TABLES)
            connection.execute(
                text(
                    "INSERT INTO people (id, start_date, age, training_days)"
                    " VALUES (1, :start, 42, 'mon,wed,fri')"
                ),
                {"start": b.START},
            )
            connection.execute(
                text(
                    "INSERT INTO events (id, person_id, on_date, kind)"
                    " VALUES (1, 1, :on, 'session')"
                ),
                {"on": b.START},
            )
            connection.execute(
                text(
                    "INSERT INTO session_exercises (event_id, position, exercise_id, pain)"
                    " VALUES (1, 0, 'glute-bridge', 'ache')"
                )
            )
            command.upgrade(alembic_config(connection), "head")
            old = connection.execute(text("SELECT camera FROM session_exercises")).all()
            assert [tuple(row) for row in old] == [(None,)]
        with store.engine.begin() as connection:
            before = {t: columns(connection, t) for t in TABLES}
            command.downgrade(alembic_config(connection), "0026")
            assert all("camera" not in columns(connection, t) for t in TABLES)
            command.upgrade(alembic_config(connection), "head")
            after = {t: columns(connection, t) for t in TABLES}
            assert after == before
            assert all("camera" in after[t] for t in TABLES)
    finally:
        store.dispose()


def test_a_summary_is_kept_in_the_draft_and_in_the_session_recorded(
    databases: Databases,
) -> None:
    store = Store(databases.new())
    try:
        person = Person(store, default_content(), 1, today=b.day(0))
        plan = program.start(person, IntakeAnswers.model_validate(ANSWERS), b.START)
        ids = [e.exercise_id for e in plan.exercises]
        for exercise in ids:
            camera = {"glute-bridge": BRIDGE, "childs-pose": REST}.get(exercise)
            sessions.answer(person, b.START, exercise, Pain.NONE, camera=camera)
            if exercise == "glute-bridge":
                progress = sessions.in_progress(person, b.START)
                assert progress.answers[-1].camera == camera_summary(8, None, {"hips-low": 2}, 41)
        [session] = [e for e in person.history().events if isinstance(e, SessionLog)]
        kept = {r.exercise_id: r.camera for r in session.results}
        assert kept.pop("glute-bridge") == camera_summary(8, None, {"hips-low": 2}, 41)
        assert kept.pop("childs-pose") == camera_summary(None, 30, {}, 30)
        assert set(kept.values()) == {None}
    finally:
        store.dispose()


def test_a_session_logged_at_once_keeps_its_summaries(databases: Databases) -> None:
    store = Store(databases.new())
    try:
        person = Person(store, default_content(), 1, today=b.day(0))
        plan = program.start(person, IntakeAnswers.model_validate(ANSWERS), b.START)
        entries = [(e.exercise_id, Pain.NONE) for e in plan.exercises]
        sessions.log(person, b.START, entries, cameras={"glute-bridge": BRIDGE})
        [session] = [e for e in person.history().events if isinstance(e, SessionLog)]
        assert [r.camera for r in session.results if r.camera] == [
            camera_summary(8, None, {"hips-low": 2}, 41)
        ]
        # A correction of the pain answers keeps what the camera counted, as it keeps a
        # comment: it is the exercise's, whatever the pain is corrected to.
        [record] = [r for r in recorded.records(person) if r.kind == "session"]
        corrections.edit(
            person, record.id, corrections.Change(exercises=[("glute-bridge", Pain.ACHE)])
        )
        [session] = [e for e in person.history().events if isinstance(e, SessionLog)]
        bridge = next(r for r in session.results if r.exercise_id == "glute-bridge")
        assert (bridge.pain, bridge.camera) == (
            Pain.ACHE,
            camera_summary(8, None, {"hips-low": 2}, 41),
        )
    finally:
        store.dispose()
