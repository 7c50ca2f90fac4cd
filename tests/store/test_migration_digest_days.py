"""Migration 0026: the daily digest's day (issue #20). A clinic's database from before it
has no day recorded (every clinician is sent today's digest); a day claimed is claimed
once; down and up again leaves the same tables, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import inspect, text

from lumbar.store import notifications
from lumbar.store.database import Store
from lumbar.store.migrate import alembic_config
from tests.databases import Databases

MADE = datetime(2026, 12, 1, 9, 0)
DAY = date(2026, 12, 4)


def test_no_day_is_recorded_before_and_a_day_is_claimed_once(databases: Databases) -> None:
    from alembic import command

    url = databases.new()
    store = Store(url)
    try:
        with store.engine.begin() as connection:
            command.upgrade(alembic_config(connection), "0025")
            connection.execute(text("INSERT INTO clinics (id, name) VALUES (1, 'North')"))
            connection.execute(
                text(
                    "INSERT INTO users (id, email, role, clinic_id, active, created_at)"
                    " VALUES (1, 'pt@example.org', 'clinician', 1, true, :at)"
                ),
                {"at": MADE},
            )
            command.upgrade(alembic_config(connection), "head")
            assert notifications.digest_sent_on(connection, 1) is None
            assert notifications.claim_digest_day(connection, 1, DAY, None)
            assert notifications.digest_sent_on(connection, 1) == DAY
            assert not notifications.claim_digest_day(connection, 1, DAY, DAY)
            later = date(2026, 12, 5)
            assert not notifications.claim_digest_day(connection, 1, later, date(2026, 12, 3))
            assert notifications.claim_digest_day(connection, 1, later, DAY)
            notifications.release_digest_day(connection, 1, later, DAY)
            assert notifications.digest_sent_on(connection, 1) == DAY
        with store.engine.begin() as connection:
            before = sorted(inspect(connection).get_table_names())
            command.downgrade(alembic_config(connection), "0025")
            assert "digest_days" not in inspect(connection).get_table_names()
            assert connection.execute(text("SELECT count(*) FROM users")).scalar_one() == 1
            command.upgrade(alembic_config(connection), "head")
            assert sorted(inspect(connection).get_table_names()) == before
    finally:
        store.dispose()
