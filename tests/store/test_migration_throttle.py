"""Migration 0015: the throttles' counts keep the client address and their kind (issue #19).

A database at 0014 holding a failed sign-in is upgraded by opening it as any lumbar would:
the row stays, as a failed sign-in from no known address; a kind that is none of the four
is refused by the database; and the migration goes down again, keeping the row.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from lumbar.store.database import HEAD, LOCAL_PERSON, Store
from lumbar.store.migrate import alembic_config, current_revision
from tests.databases import Databases

AT = datetime(2026, 11, 2, 9, 0)


def test_a_failed_sign_in_counted_before_keeps_through_the_migration_up_and_down(
    databases: Databases,
) -> None:
    from alembic import command

    url = databases.new()
    store = Store(url)
    try:
        with store.engine.begin() as connection:
            command.upgrade(alembic_config(connection), "0014")
            connection.execute(
                text("INSERT INTO login_failures (email, at) VALUES ('ann@example.org', :at)"),
                {"at": AT},
            )
    finally:
        store.dispose()

    store = Store(url)
    try:
        assert store.read(LOCAL_PERSON) is None  # opened: migrated to the newest schema
        with store.engine.connect() as connection:
            assert current_revision(connection) == HEAD
            rows = connection.execute(text("SELECT email, client, kind FROM login_failures")).all()
        assert [tuple(r) for r in rows] == [("ann@example.org", "", "sign-in")]
        with pytest.raises(IntegrityError), store.engine.begin() as connection:
            connection.execute(
                text("INSERT INTO login_failures (email, at, kind) VALUES ('', :at, 'other')"),
                {"at": AT},
            )
        with store.engine.begin() as connection:
            command.downgrade(alembic_config(connection), "0014")
        with store.engine.connect() as connection:
            kept = connection.execute(text("SELECT email FROM login_failures")).scalars().all()
        assert kept == ["ann@example.org"]
    finally:
        store.dispose()
