"""Migration 0016: patients get a name and a date of birth (issue #19), and invitations
hold them until accepted.

The database is built at schema 0014 with a clinic, its clinician, a patient who joined
then and an invitation still open, upgraded by opening it as any lumbar would, and read
back on SQLite and on PostgreSQL: the patient reads as "name not given" (None), the open
invitation still makes an account (without a name), and a new one carries both.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy import text

from lumbar.store.accounts import digest
from lumbar.store.database import LOCAL_PERSON, Store
from lumbar.store.migrate import alembic_config
from lumbar.usecases.accounts import Accounts, now_utc
from tests.databases import Databases

CHEAP = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
OPEN_CODE = "an-invitation-made-before-names"


def _old_database(url: str) -> None:
    from alembic import command

    store = Store(url)
    now = now_utc()
    rows: list[tuple[str, dict[str, Any]]] = [
        ("INSERT INTO clinics (id, name) VALUES (1, 'North')", {}),
        (
            "INSERT INTO users (id, email, role, clinic_id, active, created_at)"
            " VALUES (1, 'pt@north.example', 'clinician', 1, true, :now)",
            {"now": now},
        ),
        (
            "INSERT INTO users (id, email, role, clinic_id, clinician_id, active, created_at)"
            " VALUES (2, 'ann@example.org', 'patient', 1, 1, true, :now)",
            {"now": now},
        ),
        (
            "INSERT INTO one_time_tokens (token_hash, purpose, clinician_id, created_at,"
            " expires_at) VALUES (:hash, 'invite', 1, :now, :until)",
            {"hash": digest(OPEN_CODE), "now": now, "until": now + timedelta(days=14)},
        ),
    ]
    try:
        with store.engine.begin() as connection:
            command.upgrade(alembic_config(connection), "0014")
            for sql, values in rows:
                connection.execute(text(sql), values)
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT setval(pg_get_serial_sequence('users', 'id'), 2)"))
                connection.execute(
                    text("SELECT setval(pg_get_serial_sequence('clinics', 'id'), 1)")
                )
    finally:
        store.dispose()


def test_patients_from_before_have_no_name_and_open_invitations_still_work(
    databases: Databases,
) -> None:
    url = databases.new()
    _old_database(url)
    store = Store(url)
    try:
        assert store.read(LOCAL_PERSON) is None  # opened (and migrated) as lumbar would
        accounts = Accounts(store, CHEAP)
        ann = accounts.account(2)
        assert ann is not None and ann.email == "ann@example.org"
        assert (ann.name, ann.birth_date) == (None, None)
        now = datetime.now().replace(microsecond=0)
        joined = accounts.accept_invite(OPEN_CODE, "bo@example.org", "a long password", now)
        assert (joined.name, joined.birth_date, joined.clinician_id) == (None, None, 1)
        clinician = accounts.account(1)
        assert clinician is not None
        code = accounts.invite(clinician, now, name="Cy Lund", born="1970-03-04")
        cy = accounts.accept_invite(code, "cy@example.org", "a long password", now)
        read = accounts.account(cy.id)
        assert read is not None and (read.name, read.birth_date) == ("Cy Lund", date(1970, 3, 4))
    finally:
        store.dispose()
