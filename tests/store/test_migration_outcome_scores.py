"""Migration 0023: outcome scores (issue #20). A database from before it keeps its people,
gains an empty `outcome_scores` that takes a score through the use case, and down and up
again leaves the same tables, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import inspect, text

from lumbar.content.load import default_content
from lumbar.store.database import Store
from lumbar.store.migrate import alembic_config
from lumbar.usecases import scores
from lumbar.usecases.person import Person
from tests import builders as b
from tests.databases import Databases


def test_a_database_from_before_takes_scores(databases: Databases) -> None:
    from alembic import command

    url = databases.new()
    store = Store(url)
    try:
        with store.engine.begin() as connection:
            command.upgrade(alembic_config(connection), "0018")
            connection.execute(
                text(
                    "INSERT INTO people (id, start_date, age, training_days)"
                    " VALUES (1, :start, 42, 'mon,wed,fri')"
                ),
                {"start": b.START},
            )
            assert "outcome_scores" not in inspect(connection).get_table_names()
            command.upgrade(alembic_config(connection), "head")
            assert connection.execute(text("SELECT count(*) FROM outcome_scores")).scalar() == 0
        with store.engine.begin() as connection:
            before = sorted(inspect(connection).get_table_names())
            command.downgrade(alembic_config(connection), "0018")
            assert "outcome_scores" not in inspect(connection).get_table_names()
            command.upgrade(alembic_config(connection), "head")
            assert sorted(inspect(connection).get_table_names()) == before
        person = Person(store, default_content(), 1, today=b.day(3))
        score = scores.entered("rmdq", b.day(2).isoformat(), "11")
        scores.record(person, score, datetime(2026, 11, 4, 9, 0))
        assert scores.kept(person) == [score]
    finally:
        store.dispose()
