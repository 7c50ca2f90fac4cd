"""Migration 0018: staff sign-in (issue #19). A clinic's database from before it keeps its
accounts and sign-ins: a session made then counts as last used when it was made, is not
pending, no account has a second factor, and no clinic requires one. Down and up again
leaves the same tables, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import inspect, text

from lumbar.store.database import Store
from lumbar.store.migrate import alembic_config
from lumbar.usecases.accounts import Accounts
from tests.databases import Databases
from tests.server.conftest import CHEAP

MADE = datetime(2026, 12, 1, 9, 0)


def test_sessions_and_accounts_from_before_read_as_they_were(databases: Databases) -> None:
    from alembic import command

    url = databases.new()
    store = Store(url)
    try:
        with store.engine.begin() as connection:
            command.upgrade(alembic_config(connection), "0014")
            connection.execute(text("INSERT INTO clinics (id, name) VALUES (1, 'North')"))
            connection.execute(
                text(
                    "INSERT INTO users (id, email, role, clinic_id, active, created_at)"
                    " VALUES (1, 'pt@example.org', 'clinician', 1, true, :at)"
                ),
                {"at": MADE},
            )
            connection.execute(
                text(
                    "INSERT INTO auth_sessions (token_hash, user_id, csrf_token, created_at,"
                    " expires_at) VALUES (:hash, 1, 'csrf', :at, :until)"
                ),
                {"hash": "a" * 64, "at": MADE, "until": datetime(2026, 12, 1, 21, 0)},
            )
            command.upgrade(alembic_config(connection), "head")
            session = connection.execute(
                text("SELECT last_seen_at, pending FROM auth_sessions")
            ).one()
            user = connection.execute(
                text("SELECT totp_secret, totp_confirmed_at FROM users")
            ).one()
            clinic = connection.execute(text("SELECT require_two_factor FROM clinics")).one()
        assert session.last_seen_at is None and not session.pending
        assert tuple(user) == (None, None)
        assert not clinic.require_two_factor
        with store.engine.begin() as connection:
            before = sorted(inspect(connection).get_table_names())
            command.downgrade(alembic_config(connection), "0014")
            assert "recovery_codes" not in inspect(connection).get_table_names()
            command.upgrade(alembic_config(connection), "head")
            assert sorted(inspect(connection).get_table_names()) == before
        accounts = Accounts(store, CHEAP)
        assert [a.email for a in accounts.accounts()] == ["pt@example.org"]
    finally:
        store.dispose()
