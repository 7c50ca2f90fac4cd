"""Signing in and out, the session cookie, CSRF, throttling, reset links and invitations.

Against the real app in accounts mode, on SQLite and on PostgreSQL. A refusal writes
nothing (apart from counting a failed sign-in, which is the point of the count).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Table, func, select

from lumbar.domain.access import Role
from lumbar.errors import UserError
from lumbar.store.tables import events, people, users
from lumbar.usecases import messages
from lumbar.usecases.accounts import now_utc
from lumbar.usecases.joining import INVITE_LIFETIME
from lumbar.usecases.reset_links import RESET_LIFETIME
from lumbar.web.guard import SESSION_COOKIE
from tests.server.conftest import BASE_URL, PASSWORD, Clinic, email, start


def count(clinic: Clinic, table: Table) -> int:
    with clinic.store.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


def sign_in(clinic: Clinic, name: str, password: str = PASSWORD) -> tuple[int, dict[str, str]]:
    client = clinic.client()
    response = client.post("/api/v1/sign-in", json={"email": email(name), "password": password})
    return response.status_code, response.json()


def test_the_session_cookie_is_http_only_same_site_and_secure(clinic: Clinic) -> None:
    client = clinic.client()
    response = client.post("/api/v1/sign-in", json={"email": email("ann"), "password": PASSWORD})
    assert response.status_code == 200
    cookie = response.headers["set-cookie"].lower()
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    for flag in ("httponly", "samesite=lax", "secure", "path=/"):
        assert flag in cookie
    assert response.json()["role"] == "patient"


def test_a_wrong_password_and_an_unknown_address_get_the_same_answer(clinic: Clinic) -> None:
    wrong = sign_in(clinic, "ann", "not the password")
    unknown = sign_in(clinic, "nobody-here")
    assert wrong[0] == unknown[0] == 401
    assert (
        wrong[1]["message"]
        == unknown[1]["message"]
        == ("that email and password do not match an account")
    )


def test_signing_out_ends_the_session_on_the_server(clinic: Clinic) -> None:
    client = clinic.client("ann")
    token = client.cookies[SESSION_COOKIE]
    assert client.get("/api/v1/me").status_code == 200
    assert client.post("/api/v1/sign-out").status_code == 204
    # The old cookie, sent again by hand, no longer signs anyone in.
    replay = clinic.client()
    replay.cookies.set(SESSION_COOKIE, token, domain="clinic.example")
    assert replay.get("/api/v1/me").status_code == 401


def test_pages_send_the_anonymous_to_sign_in_and_back(clinic: Clinic) -> None:
    client = clinic.client()
    response = client.get("/progress")
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in?next=/progress"
    page = client.post(
        "/sign-in", data={"email": email("ann"), "password": PASSWORD, "next": "/progress"}
    )
    assert page.status_code == 303
    assert page.headers["location"] == "/progress"


def test_sign_in_never_sends_anyone_to_another_site(clinic: Clinic) -> None:
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        response = clinic.client().post(
            "/sign-in", data={"email": email("north_pt"), "password": PASSWORD, "next": target}
        )
        assert response.headers["location"] == "/clinic", target


def test_a_write_without_the_csrf_token_is_refused_and_writes_nothing(clinic: Clinic) -> None:
    client = clinic.client("ann")
    token = client.headers.pop("X-CSRF-Token")
    before = count(clinic, people)
    response = client.post("/api/v1/program", json={"age": 42})
    assert response.status_code == 403
    assert "out of date" in response.json()["message"]
    for wrong in (b"x" * 43, "\u00e9t\u00e9".encode("latin-1")):  # non-ASCII bytes too
        headers = {b"X-CSRF-Token": wrong}
        assert client.post("/api/v1/program", json={}, headers=headers).status_code == 403
    form = client.post("/problem", data={"kind": "fall", "csrf_token": "\u00e9t\u00e9"})
    assert form.status_code == 403
    assert count(clinic, people) == before
    # The same token in a form field is accepted (plain forms, without scripts).
    form = client.post("/problem", data={"kind": "fall", "note": "", "csrf_token": token})
    assert form.status_code in (200, 303, 409)  # no program yet: refused by the use case
    assert form.status_code != 403


def test_a_write_from_another_site_is_refused_even_with_the_token(clinic: Clinic) -> None:
    client = clinic.client("ann")
    response = client.post(
        "/api/v1/problems",
        json={"kind": "fall"},
        headers={"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
    )
    assert response.status_code == 403


def test_a_patient_records_their_program_under_their_own_account(clinic: Clinic) -> None:
    ann = clinic.client("ann")
    bob = clinic.client("bob")
    start(ann)
    assert bob.get("/api/v1/today").status_code == 409  # Bob has not started
    with clinic.store.engine.connect() as connection:
        owners = connection.execute(select(events.c.person_id).distinct()).scalars().all()
    assert owners == [clinic.people["ann"].id]


def test_a_reset_link_sets_a_new_password_once(clinic: Clinic) -> None:
    token = clinic.accounts.reset_link(email("ann"), now_utc())
    signed_in = clinic.client("ann")
    client = clinic.client()
    response = client.post(f"/reset/{token}", data={"password": "a brand new password"})
    assert response.status_code == 200
    assert "new password is set" in response.text
    assert sign_in(clinic, "ann")[0] == 401
    assert sign_in(clinic, "ann", "a brand new password")[0] == 200
    # Every earlier sign-in ended; the link does not work twice.
    assert signed_in.get("/api/v1/me").status_code == 401
    again = client.post(f"/reset/{token}", data={"password": "yet another password"})
    assert again.status_code == 422
    assert "not valid" in again.text


def test_a_reset_link_expires_and_a_short_password_is_refused(clinic: Clinic) -> None:
    now = now_utc()
    old = clinic.accounts.reset_link(email("ann"), now - RESET_LIFETIME - timedelta(minutes=1))
    with pytest.raises(UserError, match="not valid"):
        clinic.accounts.reset_password(old, "a brand new password", now)
    fresh = clinic.accounts.reset_link(email("ann"), now)
    with pytest.raises(UserError, match="at least 10 characters"):
        clinic.accounts.reset_password(fresh, "short", now)
    # The refused attempt did not use the link up.
    clinic.accounts.reset_password(fresh, "a brand new password", now)


NEWCOMER = {"name": "Nell Patel", "born": "1979-11-30"}


def test_an_invitation_makes_a_patient_of_that_clinician_once(clinic: Clinic) -> None:
    now = now_utc()
    code = clinic.accounts.invite(clinic.people["north_pt"], now, **NEWCOMER)
    client = clinic.client()
    assert "Join your clinic" in client.get(f"/join/{code}").text
    response = client.post(
        f"/join/{code}", data={"email": "new.patient@example.org", "password": "patient password"}
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/start"
    me = client.get("/api/v1/me").json()
    assert me["role"] == "patient"
    made = clinic.accounts.account(me["id"])
    assert made is not None and made.clinician_id == clinic.people["north_pt"].id
    again = clinic.client().post(
        f"/join/{code}", data={"email": "another@example.org", "password": "patient password"}
    )
    assert again.status_code == 422
    assert "not valid" in again.text
    expired = clinic.accounts.invite(clinic.people["north_pt"], now - INVITE_LIFETIME, **NEWCOMER)
    with pytest.raises(UserError, match="not valid"):
        clinic.accounts.accept_invite(expired, "late@example.org", "patient password", now)


def test_bad_accounts_are_refused_and_nothing_is_written(clinic: Clinic) -> None:
    before = count(clinic, users)
    now = now_utc()
    refusals: list[tuple[Callable[[], object], str]] = [
        (
            lambda: clinic.accounts.create_user("not-an-email", PASSWORD, "admin", now, clinic="N"),
            "not an email address",
        ),
        (
            lambda: clinic.accounts.create_user("x@example.org", "short", "admin", now, clinic="N"),
            "at least 10 characters",
        ),
        (
            lambda: clinic.accounts.create_user(
                email("ann"), PASSWORD, "patient", now, clinician_email=email("north_pt")
            ),
            "already an account",
        ),
        (
            lambda: clinic.accounts.create_user("y@example.org", PASSWORD, "doctor", now),
            "not a role",
        ),
        (
            lambda: clinic.accounts.create_user("z@example.org", PASSWORD, "patient", now),
            "needs a clinician",
        ),
        (
            lambda: clinic.accounts.create_user(
                "z@example.org", PASSWORD, "patient", now, clinician_email=email("ann")
            ),
            "not a clinician",
        ),
        (
            lambda: clinic.accounts.create_user("w@example.org", PASSWORD, "clinician", now),
            "belongs to a clinic",
        ),
    ]
    for attempt, message in refusals:
        with pytest.raises(UserError, match=message):
            attempt()
    assert count(clinic, users) == before


def test_a_disabled_account_is_signed_out_and_cannot_sign_in(clinic: Clinic) -> None:
    client = clinic.client("bob")
    clinic.accounts.set_active(email("bob"), False)
    assert client.get("/api/v1/me").status_code == 401
    assert sign_in(clinic, "bob")[0] == 401
    clinic.accounts.set_active(email("bob"), True)
    assert sign_in(clinic, "bob")[0] == 200


def test_roles_land_on_their_own_start_page(clinic: Clinic) -> None:
    for name, home in (("north_pt", "/clinic"), ("north_admin", "/admin")):
        client = clinic.client(name)
        response = client.get("/")
        assert response.status_code == 303
        assert response.headers["location"] == home, name
        assert clinic.people[name].role in Role
    # A patient's start page is shown at `/` itself (issue #18): here, the intake.
    response = clinic.client("ann").get("/")
    assert response.status_code == 200
    assert 'action="/start/about"' in response.text


def test_another_host_name_is_refused_when_the_clinic_names_its_hosts(clinic: Clinic) -> None:
    from fastapi.testclient import TestClient

    from lumbar.web.app import create_app

    app = create_app(
        clinic.store,
        accounts=clinic.accounts,
        clock=clinic.clock,
        allowed_hosts=("clinic.example",),
    )
    with TestClient(app, base_url=BASE_URL) as named:
        assert named.get("/sign-in").status_code == 200
    with TestClient(app, base_url="https://rebound.example") as other:
        assert other.get("/sign-in").status_code == 400


def test_control_characters_are_refused_as_input_not_as_a_broken_database(
    clinic: Clinic, ann: Any
) -> None:
    """PostgreSQL cannot store a NUL: typed text with one is refused (422, or the sign-in's
    own 401) before it reaches the database, on both databases alike."""
    assert sign_in(clinic, "ann\x00")[0] == 401
    anonymous = clinic.client()
    forgot = anonymous.post("/forgot", data={"email": "ann\x00@example.org"})
    assert forgot.status_code in (200, 409)
    refused = ann.post("/api/v1/messages", json={"body": "hello\x00"})
    assert refused.status_code == 422
    assert "control character" in refused.json()["message"]
    clinician = clinic.client("north_pt")
    prescribed = clinician.put(
        f"/api/v1/clinic/patients/{clinic.people['ann'].id}/prescription",
        json={"notes": "walk\x1b[2J"},
    )
    assert prescribed.status_code == 422
    assert "control character" in prescribed.json()["message"]
    assert messages.thread(clinic.accounts, clinic.people["ann"]) == []


def test_looking_up_a_sign_in_waits_for_no_writer(clinic: Clinic) -> None:
    """Every request of a clinic's server looks its sign-in up: on SQLite that is a plain
    read of the WAL snapshot, outside the writers' queue. A writer holds its transaction
    open until the look-up has answered; were the look-up queued behind it, neither would
    finish (the join's timeout turns that into a failure rather than a hang)."""
    import threading

    new = clinic.accounts.sign_in(email("ann"), PASSWORD, now_utc())
    holding = threading.Event()
    looked_up = threading.Event()
    in_time: list[bool] = []

    def writer() -> None:
        with clinic.store.transaction() as tx:
            tx.problems(clinic.people["ann"].id)  # inside the write transaction
            holding.set()
            in_time.append(looked_up.wait(timeout=20))

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert holding.wait(timeout=20)
        found = clinic.accounts.session(new.token, now_utc())
        looked_up.set()
    finally:
        looked_up.set()
        thread.join(timeout=30)
    assert found is not None and found.account.email == email("ann")
    assert in_time == [True], "the look-up waited for the writer to finish"


def test_a_password_longer_than_any_is_refused_without_hashing_or_counting(
    clinic: Clinic,
) -> None:
    from lumbar.store.tables import login_failures

    before = count(clinic, login_failures)
    response = clinic.client().post(
        "/sign-in", data={"email": email("ann"), "password": "x" * 500_000}
    )
    assert response.status_code == 401
    assert "do not match an account" in response.text
    assert count(clinic, login_failures) == before


def test_every_response_forbids_framing_sniffing_and_cross_site_referrers(
    clinic: Clinic,
) -> None:
    anonymous, ann = clinic.client(), clinic.client("ann")
    responses = [
        anonymous.get("/sign-in"),
        anonymous.get("/api/v1/exercises"),
        anonymous.get("/static/lumbar.css"),
        ann.get("/api/v1/me"),
        ann.get("/progress"),
    ]
    for response in responses:
        where = response.request.url.path
        assert response.headers["x-frame-options"] == "DENY", where
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"], where
        assert response.headers["x-content-type-options"] == "nosniff", where
        assert response.headers["referrer-policy"] == "same-origin", where


def test_a_clinic_servers_pages_are_not_stored_and_its_static_files_are(clinic: Clinic) -> None:
    """Issue #18: health data from a server leaves no copy in the device's cache; the
    static files, named by their content, are kept a year."""
    from lumbar.web.assets import static_url

    anonymous, ann = clinic.client(), clinic.client("ann")
    for response in (ann.get("/"), ann.get("/progress"), ann.get("/api/v1/me")):
        assert response.headers["cache-control"] == "no-store", response.request.url.path
    assert anonymous.get("/").status_code in (303, 307)  # signed out: off to sign in
    hashed = anonymous.get(static_url("lumbar.css"))
    assert hashed.headers["cache-control"] == "public, max-age=31536000, immutable"


FORM_LIMIT = 5 * 1024 * 1024
"""The largest form body the server reads to find its CSRF token (guard.MAX_FORM_BYTES,
written out: the test holds the server to the documented 5 MiB, whatever the code says)."""


def import_form(token: str, document: bytes, size: int) -> tuple[bytes, dict[str, str]]:
    """The settings page's import form, as a browser posts it without scripts (the token in
    a form field), with the export file padded with spaces to make the body `size` bytes."""
    boundary = "lumbar-test-boundary"
    head = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="csrf_token"\r\n\r\n'
        f"{token}\r\n"
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="file"; filename="export.json"\r\n'
        "Content-Type: application/json\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    padding = size - len(head) - len(document) - len(tail)
    assert padding >= 0
    body = head + document + b" " * padding + tail
    assert len(body) == size
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def test_a_form_is_read_for_its_token_up_to_five_mebibytes_and_no_further(
    clinic: Clinic, ann: Any
) -> None:
    """An export file that fills the form to the limit is imported; one byte more and the
    token is not read at all, so the form is refused as out of date and writes nothing."""
    document = ann.get("/api/v1/export").content
    bob = clinic.client("bob")
    token = bob.headers.pop("X-CSRF-Token")

    body, headers = import_form(token, document, FORM_LIMIT + 1)
    over = bob.post("/settings/import", content=body, headers=headers)
    assert over.status_code == 403
    assert "out of date" in over.json()["message"]
    assert bob.get("/api/v1/today").status_code == 409  # nothing imported

    body, headers = import_form(token, document, FORM_LIMIT)
    at_limit = bob.post("/settings/import", content=body, headers=headers)
    assert at_limit.status_code == 303, at_limit.text[:300]
    assert at_limit.headers["location"] == "/today"
    assert bob.get("/api/v1/today").status_code == 200


def test_a_sign_in_that_cannot_be_looked_up_is_answered_503_until_the_database_is_back(
    clinic: Clinic,
) -> None:
    """Every request with a session cookie looks it up in the database first: when that
    fails, the request is told to try again (not a crash, and not the database's own words),
    and it works again when the database does. The sign-ins' table is taken away under the
    running server, by hand, on SQLite and on PostgreSQL alike."""
    ann = clinic.client("ann")
    with clinic.store.engine.begin() as connection:
        connection.exec_driver_sql("ALTER TABLE auth_sessions RENAME TO auth_sessions_away")
    try:
        api = ann.get("/api/v1/me")
        page = ann.get("/progress")
    finally:
        with clinic.store.engine.begin() as connection:
            connection.exec_driver_sql("ALTER TABLE auth_sessions_away RENAME TO auth_sessions")
    for response in (api, page):
        assert response.status_code == 503
        message = response.json()["message"]
        assert message.startswith("the server cannot reach its database right now")
        assert "auth_sessions" not in message
    assert ann.get("/api/v1/me").status_code == 200
