"""One's own account on a clinic's server (issue #19, finding 10): changing the password
while signed in, staff sessions that end when left idle, and two-step sign-in (TOTP) for
staff, on SQLite and on PostgreSQL.

Each attack is tried and must fail with nothing written: a stolen session cannot change the
password without the current one, a password alone opens no staff account that has two-step
sign-in, a code works once, wrong codes are throttled, and a clinic that requires two-step
sign-in lets its staff do nothing else until they have set it up.
"""

from __future__ import annotations

import re
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pyotp
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from lumbar.cli.serve_environment import secret_sealer, staff_idle_limit
from lumbar.errors import UserError
from lumbar.store.accounts import digest
from lumbar.store.tables import audit_log, auth_sessions, recovery_codes, users
from lumbar.usecases import two_factor
from lumbar.usecases.accounts import now_utc
from tests.server.conftest import PASSWORD, Clinic, email
from tests.server.test_admin import lumbar

NEW_PASSWORD = "a completely new passphrase"


def password_hash(clinic: Clinic, name: str) -> str:
    with clinic.store.engine.connect() as connection:
        found = connection.execute(
            select(users.c.password_hash).where(users.c.id == clinic.people[name].id)
        ).scalar_one()
    assert isinstance(found, str)
    return found


def audit_targets(clinic: Clinic) -> list[str]:
    with clinic.store.engine.connect() as connection:
        return [row.target for row in connection.execute(select(audit_log.c.target))]


def sign_in(clinic: Clinic, name: str, password: str = PASSWORD) -> tuple[TestClient, Any]:
    client = clinic.client()
    response = client.post("/api/v1/sign-in", json={"email": email(name), "password": password})
    return client, response


# Changing one's password.


def test_a_password_is_changed_only_with_the_current_one_and_ends_other_sessions(
    clinic: Clinic,
) -> None:
    here = clinic.client("north_pt")
    elsewhere = clinic.client("north_pt")
    before = password_hash(clinic, "north_pt")

    wrong = here.post(
        "/api/v1/me/password",
        json={"current_password": "not my password", "new_password": NEW_PASSWORD},
    )

    assert wrong.status_code == 403
    assert password_hash(clinic, "north_pt") == before
    assert elsewhere.get("/api/v1/me").status_code == 200
    assert "password changed" not in " ".join(audit_targets(clinic))

    right = here.post(
        "/api/v1/me/password", json={"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    )

    assert right.status_code == 200, right.text
    assert password_hash(clinic, "north_pt") != before
    # This browser goes on with a renewed session (new cookie, new CSRF token) ...
    here.headers["X-CSRF-Token"] = right.json()["csrf_token"]
    assert here.get("/api/v1/me").json()["email"] == email("north_pt")
    invited = here.post("/clinic/invite", data={"name": "Gil Moss", "birth_date": "1961-02-03"})
    assert invited.status_code in (200, 303)
    # ... and every other one is signed out.
    assert elsewhere.get("/api/v1/me").status_code == 401
    assert sign_in(clinic, "north_pt")[1].status_code == 401
    assert sign_in(clinic, "north_pt", NEW_PASSWORD)[1].status_code == 200
    assert f"password changed for account {clinic.people['north_pt'].id}" in audit_targets(clinic)


def test_a_new_password_is_checked_like_any_and_a_bad_one_writes_nothing(
    clinic: Clinic,
) -> None:
    ann = clinic.client("ann")
    before = password_hash(clinic, "ann")
    for new in ("short", "x" * 201, PASSWORD):
        response = ann.post(
            "/api/v1/me/password", json={"current_password": PASSWORD, "new_password": new}
        )
        assert response.status_code == 422, (new, response.text)
    assert password_hash(clinic, "ann") == before
    assert ann.get("/api/v1/me").status_code == 200


def test_wrong_current_passwords_are_throttled_like_sign_in(clinic: Clinic) -> None:
    """A stolen session guesses the password: after five wrong ones even the right one is
    refused for a while, as at sign-in."""
    thief = clinic.client("ann")
    before = password_hash(clinic, "ann")
    answers = [
        thief.post(
            "/api/v1/me/password",
            json={"current_password": f"guess number {n}", "new_password": NEW_PASSWORD},
        ).status_code
        for n in range(5)
    ]
    last = thief.post(
        "/api/v1/me/password", json={"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    )
    assert answers == [403] * 5
    assert last.status_code == 429
    assert password_hash(clinic, "ann") == before


def test_the_account_page_changes_the_password_with_its_csrf_token(clinic: Clinic) -> None:
    bob = clinic.client("bob")
    del bob.headers["X-CSRF-Token"]  # a plain form, as a browser sends it
    page = bob.get("/account")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert page.status_code == 200 and token is not None
    form = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}

    forged = bob.post("/account/password", data=form)
    assert forged.status_code == 403
    assert sign_in(clinic, "bob")[1].status_code == 200

    done = bob.post("/account/password", data={**form, "csrf_token": token.group(1)})
    assert done.status_code == 200
    assert "Your new password is set" in done.text
    assert "lumbar_session" in done.headers.get("set-cookie", "")
    renewed = re.search(r'name="csrf_token" value="([^"]+)"', done.text)
    assert renewed is not None and renewed.group(1) != token.group(1)
    assert sign_in(clinic, "bob", NEW_PASSWORD)[1].status_code == 200


# Idle sessions.


def _age_sessions(clinic: Clinic, name: str, minutes: int) -> None:
    """As if the account's sessions had made no request for `minutes`."""
    at = now_utc() - timedelta(minutes=minutes)
    with clinic.store.transaction() as tx:
        tx.connection.execute(
            update(auth_sessions)
            .where(auth_sessions.c.user_id == clinic.people[name].id)
            .values(created_at=at, last_seen_at=at)
        )


def test_a_staff_session_ends_after_thirty_idle_minutes_a_patients_does_not(
    clinic: Clinic,
) -> None:
    clinician = clinic.client("north_pt")
    admin = clinic.client("north_admin")
    ann = clinic.client("ann")
    fresh = clinic.client("north_pt2")
    for name in ("north_pt", "north_admin", "ann"):
        _age_sessions(clinic, name, 31)
    _age_sessions(clinic, "north_pt2", 29)

    assert clinician.get("/api/v1/clinic/patients").status_code == 401
    assert clinician.get("/clinic").headers["location"].startswith("/sign-in")
    assert admin.get("/api/v1/admin/accounts").status_code == 401
    assert ann.get("/api/v1/me").status_code == 200
    assert fresh.get("/api/v1/clinic/patients").status_code == 200


def test_the_last_request_is_written_at_most_once_a_minute(clinic: Clinic) -> None:
    client, response = sign_in(clinic, "north_pt")
    token = client.cookies["lumbar_session"]
    start = now_utc()

    def last_seen() -> Any:
        with clinic.store.engine.connect() as connection:
            return connection.execute(
                select(auth_sessions.c.last_seen_at).where(
                    auth_sessions.c.token_hash == digest(token)
                )
            ).scalar_one()

    first = last_seen()
    assert clinic.accounts.session(token, start + timedelta(seconds=30)) is not None
    assert last_seen() == first
    later = start + timedelta(minutes=20)
    assert clinic.accounts.session(token, later) is not None
    assert last_seen() == later
    # Kept alive by use: 20 + 25 minutes after sign-in, still signed in; 31 idle, not.
    assert clinic.accounts.session(token, later + timedelta(minutes=25)) is not None
    assert clinic.accounts.session(token, later + timedelta(minutes=56)) is None


def test_the_staff_idle_limit_is_configurable_and_bad_values_are_refused() -> None:
    assert staff_idle_limit({}) == timedelta(minutes=30)
    assert staff_idle_limit({"LUMBAR_STAFF_IDLE_MINUTES": "10"}) == timedelta(minutes=10)
    for bad in ("0", "-5", "ten", "721"):
        with pytest.raises(UserError, match="LUMBAR_STAFF_IDLE_MINUTES"):
            staff_idle_limit({"LUMBAR_STAFF_IDLE_MINUTES": bad})


# Two-step sign-in.


def next_code(secret: str) -> str:
    """A code the server has not seen: the next time step's (accepted, for clocks a little
    apart). The current one was just used to confirm the enrolment, and is used up."""
    return pyotp.TOTP(secret).at(time.time() + 30)


def enrol(clinic: Clinic, client: TestClient) -> tuple[str, list[str]]:
    """Set up two-step sign-in through the pages: the secret and the recovery codes."""
    begun = client.post("/account/two-factor")
    assert begun.status_code == 200, begun.text
    assert "<svg" in begun.text
    found = re.search(r'Key: <code class="link">([A-Z2-7]+)</code>', begun.text)
    assert found is not None
    secret = found.group(1)
    confirmed = client.post("/account/two-factor/confirm", data={"code": pyotp.TOTP(secret).now()})
    assert confirmed.status_code == 200, confirmed.text
    codes = re.findall(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>", confirmed.text)
    assert len(codes) == 10
    return secret, codes


def test_with_two_step_sign_in_a_password_alone_opens_nothing(clinic: Clinic) -> None:
    secret, _ = enrol(clinic, clinic.client("north_pt"))
    client, response = sign_in(clinic, "north_pt")

    assert response.status_code == 202
    assert "csrf_token" not in response.text
    assert client.get("/api/v1/me").status_code == 401
    assert client.get("/api/v1/clinic/patients").status_code == 401
    assert client.get("/clinic").status_code == 303
    assert client.post("/api/v1/clinic/invitations", json={}).status_code in (401, 403)
    taken = client.post(
        "/api/v1/me/password", json={"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    )
    assert taken.status_code == 401

    wrong = client.post("/api/v1/sign-in/code", json={"code": "000000"})
    assert wrong.status_code == 401
    right = client.post("/api/v1/sign-in/code", json={"code": next_code(secret)})
    assert right.status_code == 200, right.text
    assert client.get("/api/v1/clinic/patients").status_code == 200


def test_the_secret_is_not_in_the_database_and_recovery_codes_are_hashed(
    clinic: Clinic,
) -> None:
    secret, codes = enrol(clinic, clinic.client("north_admin"))
    with clinic.store.engine.connect() as connection:
        dump = " ".join(
            repr(tuple(row))
            for table in (users, recovery_codes)
            for row in connection.execute(select(table))
        )
    assert secret not in dump
    assert all(code not in dump and code.replace("-", "") not in dump for code in codes)


def test_a_code_works_once_and_a_recovery_code_once(clinic: Clinic) -> None:
    secret, codes = enrol(clinic, clinic.client("north_pt"))
    confirmed_with = pyotp.TOTP(secret).now()
    client, _ = sign_in(clinic, "north_pt")
    assert client.post("/api/v1/sign-in/code", json={"code": confirmed_with}).status_code == 401
    code = next_code(secret)
    assert client.post("/api/v1/sign-in/code", json={"code": code}).status_code == 200
    again, _ = sign_in(clinic, "north_pt")
    replay = again.post("/api/v1/sign-in/code", json={"code": code})
    assert replay.status_code == 401
    assert again.get("/api/v1/me").status_code == 401

    recovery, _ = sign_in(clinic, "north_pt")
    used = recovery.post("/api/v1/sign-in/code", json={"code": codes[0].upper()})
    assert used.status_code == 200
    reused, _ = sign_in(clinic, "north_pt")
    assert reused.post("/api/v1/sign-in/code", json={"code": codes[0]}).status_code == 401


def test_wrong_codes_are_throttled_with_the_passwords(clinic: Clinic) -> None:
    secret, _ = enrol(clinic, clinic.client("north_pt"))
    client, response = sign_in(clinic, "north_pt")
    assert response.status_code == 202
    answers = [
        client.post("/api/v1/sign-in/code", json={"code": f"{n:06d}"}).status_code
        for n in range(1, 5)
    ]
    last = client.post("/api/v1/sign-in/code", json={"code": next_code(secret)})
    assert answers == [401] * 4
    assert last.status_code == 429
    assert client.get("/api/v1/me").status_code == 401
    # Signing in again does not clear the count: a thief with the password gets no more.
    again, response = sign_in(clinic, "north_pt")
    assert response.status_code == 429


def test_a_pending_sign_in_expires_after_five_minutes(clinic: Clinic) -> None:
    secret, _ = enrol(clinic, clinic.client("north_pt"))
    client, _ = sign_in(clinic, "north_pt")
    token = client.cookies["lumbar_session"]
    later = now_utc() + timedelta(minutes=6)
    with pytest.raises(two_factor.CodeRefused, match="expired"):
        two_factor.finish(clinic.accounts, token, pyotp.TOTP(secret).at(later), later)


def test_the_sign_in_pages_ask_for_the_code_after_the_password(clinic: Clinic) -> None:
    secret, _ = enrol(clinic, clinic.client("north_pt"))
    browser = clinic.client()
    response = browser.post(
        "/sign-in", data={"email": email("north_pt"), "password": PASSWORD, "next": "/clinic"}
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in/code?next=/clinic"
    assert 'autocomplete="one-time-code"' in browser.get("/sign-in/code").text
    wrong = browser.post("/sign-in/code", data={"code": "123456", "next": "/clinic"})
    assert wrong.status_code == 401 and "not right" in wrong.text
    right = browser.post("/sign-in/code", data={"code": next_code(secret), "next": "/clinic"})
    assert right.status_code == 303 and right.headers["location"] == "/clinic"
    assert browser.get("/clinic").status_code == 200


def test_a_clinic_that_requires_it_lets_staff_do_nothing_else_until_set_up(
    clinic: Clinic,
) -> None:
    admin = clinic.client("north_admin")
    assert admin.post("/admin/two-factor", data={"required": "1"}).status_code == 303
    assert "two-step sign-in required for the clinic" in audit_targets(clinic)
    entries = len(audit_targets(clinic))
    clinician = clinic.client("north_pt")
    ann_id = clinic.people["ann"].id

    assert clinician.get("/clinic").headers["location"] == "/account/two-factor"
    assert clinician.get(f"/api/v1/clinic/patients/{ann_id}/export").status_code == 403
    assert clinician.get("/api/v1/clinic/patients").status_code == 403
    assert admin.get("/api/v1/admin/audit").status_code == 403
    assert len(audit_targets(clinic)) == entries  # no read of a record was let through
    # Other clinics' staff and every patient go on as before.
    assert clinic.client("south_pt").get("/api/v1/clinic/patients").status_code == 200
    assert clinic.client("ann").get("/api/v1/me").status_code == 200

    enrol(clinic, clinician)
    assert clinician.get("/api/v1/clinic/patients").status_code == 200


def test_lumbar_admin_resets_two_step_sign_in_on_the_server(clinic: Clinic) -> None:
    enrolled = clinic.client("north_pt")
    enrol(clinic, enrolled)

    refused = lumbar(clinic, "admin", "reset-two-factor", email("ann"))
    assert refused.code != 0

    done = lumbar(clinic, "admin", "reset-two-factor", email("north_pt"), "--json")
    assert done.code == 0, done.stderr
    assert enrolled.get("/api/v1/me").status_code == 401
    client, response = sign_in(clinic, "north_pt")
    assert response.status_code == 200
    with clinic.store.engine.connect() as connection:
        assert connection.execute(select(recovery_codes)).all() == []


def test_the_secrets_key_is_kept_outside_the_database(tmp_path: Path) -> None:
    """On SQLite a key file beside the database (0600), the same at every start; a given
    key that is not a key is refused; on PostgreSQL without a key nothing can be set up."""
    database = tmp_path / "lumbar.db"
    first = secret_sealer({}, database)
    key_file = tmp_path / "lumbar.db.key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    sealed = first.seal("JBSWY3DPEHPK3PXP")
    assert "JBSWY3DPEHPK3PXP" not in sealed
    assert secret_sealer({}, database).open(sealed) == "JBSWY3DPEHPK3PXP"
    with pytest.raises(UserError, match="LUMBAR_SECRET_KEY"):
        secret_sealer({"LUMBAR_SECRET_KEY": "not a key"}, database)
    without = secret_sealer({}, None)
    with pytest.raises(UserError, match="LUMBAR_SECRET_KEY"):
        without.seal("JBSWY3DPEHPK3PXP")
    assert without.open(sealed) is None


def test_without_a_key_staff_cannot_set_up_two_step_sign_in_and_nothing_is_written(
    clinic: Clinic,
) -> None:
    clinic.accounts.sealer = secret_sealer({}, None)
    response = clinic.client("north_pt").post("/account/two-factor")
    assert response.status_code == 409
    assert "LUMBAR_SECRET_KEY" in response.text
    with clinic.store.engine.connect() as connection:
        assert connection.execute(select(users.c.totp_secret)).scalars().all() == [None] * 9


def test_a_wrong_code_does_not_turn_two_step_sign_in_on_and_writes_no_codes(
    clinic: Clinic,
) -> None:
    client = clinic.client("north_pt")
    begun = client.post("/account/two-factor")
    found = re.search(r'Key: <code class="link">([A-Z2-7]+)</code>', begun.text)
    assert found is not None
    right = pyotp.TOTP(found.group(1)).now()
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    refused = client.post("/account/two-factor/confirm", data={"code": wrong})
    assert refused.status_code == 422
    assert "not right" in refused.text
    assert not two_factor.enrolled(clinic.accounts, clinic.people["north_pt"].id)
    with clinic.store.engine.connect() as connection:
        assert connection.execute(select(recovery_codes)).all() == []
    assert sign_in(clinic, "north_pt")[1].status_code == 200  # no second step yet
    assert client.post("/account/two-factor/confirm", data={"code": right}).status_code == 200
    again = client.post("/account/two-factor")
    assert again.status_code == 409 and "already set up" in again.text


def test_a_shorter_idle_limit_is_kept(clinic: Clinic) -> None:
    client, _ = sign_in(clinic, "north_admin")
    token = client.cookies["lumbar_session"]
    clinic.accounts.staff_idle = timedelta(minutes=5)
    now = now_utc()
    assert clinic.accounts.session(token, now + timedelta(minutes=4)) is not None
    assert clinic.accounts.session(token, now + timedelta(minutes=9, seconds=30)) is None
