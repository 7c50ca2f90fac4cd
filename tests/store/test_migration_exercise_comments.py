"""Migration 0025: the patient's comment per exercise (issue #20). A database from before it
keeps its sessions, each answer without a comment; a session answered after it keeps its
comment through the session in progress into the session recorded; and down and up again
leaves the same columns, on SQLite and on PostgreSQL."""

from __future__ import annotations

from sqlalchemy import inspect, text

from lumbar.content.load import default_content
from lumbar.domain.model import Pain, SessionLog
from lumbar.formats.intake import IntakeAnswers
from lumbar.store.database import Store
from lumbar.store.migrate import alembic_config
from lumbar.usecases import program, sessions
from lumbar.usecases.person import Person
from tests import builders as b
from tests.databases import Databases
from tests.web.conftest import ANSWERS


def columns(connection: object, table: str) -> list[str]:
    return [c["name"] for c in inspect(connection).get_columns(table)]


def test_answers_from_before_have_no_comment_and_new_ones_keep_theirs(
    databases: Databases,
) -> None:
    from alembic import command

    url = databases.new()
    store = Store(url)
    try:
        with store.engine.begin() as connection:
            command.upgrade(alembic_config(connection), "0024")
            assert "comment" not in columns(connection, "session_exercises")
            assert "comment" not in columns(connection, "session_drafts")
        with store.engine.begin() as connection:
            # The schema of 0024 is not the code's: write the old session by hand.
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
                    " VALUES (1, 0, 'cat-cow', 'ache')"
                )
            )
            command.upgrade(alembic_config(connection), "head")
            old = connection.execute(text("SELECT comment FROM session_exercises")).all()
            assert [tuple(row) for row in old] == [(None,)]
        with store.engine.begin() as connection:
            before = {t: columns(connection, t) for t in ("session_exercises", "session_drafts")}
            command.downgrade(alembic_config(connection), "0024")
            assert "comment" not in columns(connection, "session_exercises")
            assert "comment" not in columns(connection, "session_drafts")
            command.upgrade(alembic_config(connection), "head")
            after = {t: columns(connection, t) for t in ("session_exercises", "session_drafts")}
            assert after == before
            assert "comment" in after["session_exercises"] and "comment" in after["session_drafts"]
    finally:
        store.dispose()


def test_a_comment_is_kept_in_the_draft_and_in_the_session_recorded(
    databases: Databases,
) -> None:
    store = Store(databases.new())
    try:
        person = Person(store, default_content(), 1, today=b.day(0))
        plan = program.start(person, IntakeAnswers.model_validate(ANSWERS), b.START)
        first, *rest = [e.exercise_id for e in plan.exercises]
        sessions.answer(person, b.START, first, Pain.ACHE, comment=" tight\non the left ")
        progress = sessions.in_progress(person, b.START)
        assert [r.comment for r in progress.answers] == ["tight on the left"]
        for exercise in rest:
            sessions.answer(person, b.START, exercise, Pain.NONE)
        [session] = [e for e in person.history().events if isinstance(e, SessionLog)]
        assert [r.comment for r in session.results] == ["tight on the left"] + [None] * len(rest)
    finally:
        store.dispose()
