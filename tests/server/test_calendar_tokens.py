"""Calendar addresses on a clinic's server (issue #19, finding 9), on SQLite and PostgreSQL:
stored as their token's SHA-256, and revoked when their owner's account is disabled.

A calendar app holds the address without signing in, so disabling a patient used to leave
their plan readable by whoever had it; and the database held the token in plain text, so a
copy of it (a backup) opened every calendar.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from alembic import command
from sqlalchemy import select, text

from lumbar.store.database import Store
from lumbar.store.migrate import alembic_config
from lumbar.store.tables import reminders
from lumbar.usecases.accounts import now_utc
from tests.databases import Databases
from tests.server.conftest import Clinic, email

ADDRESS = re.compile(
    r'<code class="address">https://clinic\.example(/calendar/([^"<]+)\.ics)</code>'
)


def _new_address(client: Any) -> tuple[str, str]:
    """The path of a new calendar address, and its token."""
    response = client.post("/settings/calendar-link")
    assert response.status_code == 200, response.text
    found = ADDRESS.search(response.text)
    assert found is not None, response.text[-2000:]
    return found.group(1), found.group(2)


def _stored(clinic: Clinic) -> list[Any]:
    with clinic.store.engine.connect() as connection:
        return list(connection.execute(select(reminders.c.calendar_token)).scalars())


def test_the_token_is_stored_only_as_its_sha256(clinic: Clinic, ann: Any) -> None:
    path, token = _new_address(ann)
    assert _stored(clinic) == [hashlib.sha256(token.encode()).hexdigest()]
    assert clinic.client().get(path).status_code == 200
    # The stored digest is not itself an address.
    assert clinic.client().get(f"/calendar/{_stored(clinic)[0]}.ics").status_code == 404


def test_disabling_the_owner_revokes_the_address_for_good(clinic: Clinic, ann: Any) -> None:
    path, _ = _new_address(ann)
    anonymous = clinic.client()
    assert anonymous.get(path).status_code == 200
    admin = clinic.client("north_admin")
    patient = clinic.people["ann"]
    response = admin.post(f"/admin/accounts/{patient.id}/active", data={"active": "0"})
    assert response.status_code == 303

    gone = anonymous.get(path)
    assert gone.status_code == 404
    assert "BEGIN:VCALENDAR" not in gone.text
    assert _stored(clinic) == [None]
    # Enabled again, the old address stays dead: she makes a new one.
    admin.post(f"/admin/accounts/{patient.id}/active", data={"active": "1"})
    assert anonymous.get(path).status_code == 404


def test_a_disabled_account_s_address_is_refused_even_if_still_stored(
    clinic: Clinic, ann: Any
) -> None:
    """Disabled by a path that left the token in place (an older server): still refused."""
    path, _ = _new_address(ann)
    with clinic.store.engine.begin() as connection:
        connection.execute(
            text("UPDATE users SET active = false WHERE id = :id"), {"id": clinic.people["ann"].id}
        )
    assert clinic.client().get(path).status_code == 404


def test_the_cli_disable_revokes_it_too(clinic: Clinic, ann: Any) -> None:
    path, _ = _new_address(ann)
    clinic.accounts.set_active(email("ann"), False)
    assert clinic.client().get(path).status_code == 404
    assert _stored(clinic) == [None]


def test_migration_0017_hashes_the_tokens_and_drops_disabled_ones(databases: Databases) -> None:
    url = databases.new()
    store = Store(url)
    try:
        with store.engine.begin() as connection:
            command.upgrade(alembic_config(connection), "0014")
            now = now_utc()
            for user, active, token in ((7, True, "kept-token"), (8, False, "disabled-token")):
                connection.execute(
                    text(
                        "INSERT INTO users (id, email, role, active, created_at) "
                        "VALUES (:id, :email, 'patient', :active, :now)"
                    ),
                    {"id": user, "email": f"p{user}@example.org", "active": active, "now": now},
                )
                connection.execute(
                    text(
                        "INSERT INTO people (id, start_date, age, training_days) "
                        "VALUES (:id, '2026-11-02', 40, 'mon,wed,fri')"
                    ),
                    {"id": user},
                )
                connection.execute(
                    text(
                        "INSERT INTO reminders (person_id, session_time, work_days, "
                        "work_start, work_end, break_minutes, calendar_token) VALUES "
                        "(:id, '18:00', 'mon', '09:00', '17:00', 60, :token)"
                    ),
                    {"id": user, "token": token},
                )
        store.migrate()
        with store.engine.connect() as connection:
            stored = dict(
                connection.execute(select(reminders.c.person_id, reminders.c.calendar_token)).all()
            )
        assert stored == {7: hashlib.sha256(b"kept-token").hexdigest(), 8: None}
        with store.transaction() as tx:
            assert tx.person_with_token("kept-token", account=True) == 7
            assert tx.person_with_token("disabled-token") is None
            assert tx.person_with_token(stored[7]) is None
    finally:
        store.dispose()
