"""Reset links by email, through a real SMTP server on loopback (aiosmtpd)."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from fastapi.testclient import TestClient

from lumbar.errors import UserError
from lumbar.usecases import audit
from lumbar.usecases.mail import Mailer
from lumbar.web.app import create_app
from tests.server.conftest import BASE_URL, PASSWORD, Clinic, email


class Inbox:
    """An SMTP handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    handler = Inbox()
    with socket.socket() as probe:  # a free port (the controller checks it by connecting)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


@pytest.fixture
def mailing(clinic: Clinic, inbox: tuple[Inbox, int]) -> Iterator[tuple[TestClient, Inbox]]:
    handler, port = inbox
    mailer = Mailer.from_environment(
        {"LUMBAR_SMTP_URL": f"smtp://127.0.0.1:{port}", "LUMBAR_MAIL_FROM": "lumbar@clinic.example"}
    )
    app = create_app(
        clinic.store,
        accounts=clinic.accounts,
        clock=clinic.clock,
        allowed_hosts=None,
        mailer=mailer,
        public_url=BASE_URL,
    )
    with TestClient(app, base_url=BASE_URL, follow_redirects=False) as client:
        yield client, handler


def _link(message: Message) -> str:
    body = message.get_payload(decode=True)
    assert isinstance(body, bytes)
    found = re.search(r"https://clinic\.example(/reset/\S+)", body.decode())
    assert found is not None, body
    return found[1]


def test_a_forgotten_password_is_reset_by_an_emailed_link(
    mailing: tuple[TestClient, Inbox],
) -> None:
    client, inbox = mailing
    response = client.post("/forgot", data={"email": email("ann")})
    assert response.status_code == 200
    assert "on its way" in response.text
    assert len(inbox.messages) == 1
    message = inbox.messages[0]
    assert message["To"] == email("ann")
    assert message["From"] == "lumbar@clinic.example"
    path = _link(message)
    assert client.post(path, data={"password": "a new long password"}).status_code == 200
    signed = client.post(
        "/api/v1/sign-in", json={"email": email("ann"), "password": "a new long password"}
    )
    assert signed.status_code == 200


def test_the_answer_does_not_tell_who_has_an_account(mailing: tuple[TestClient, Inbox]) -> None:
    client, inbox = mailing
    known = client.post("/forgot", data={"email": email("ann")})
    unknown = client.post("/forgot", data={"email": "stranger@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert "on its way" in unknown.text
    assert [m["To"] for m in inbox.messages] == [email("ann")]


def test_an_admins_reset_link_goes_to_the_person_by_email(
    clinic: Clinic, mailing: tuple[TestClient, Inbox]
) -> None:
    client, inbox = mailing
    signed = client.post(
        "/api/v1/sign-in", json={"email": email("north_admin"), "password": "correct horse battery"}
    )
    client.headers["X-CSRF-Token"] = signed.json()["csrf_token"]
    response = client.post(f"/admin/accounts/{clinic.people['bob'].id}/reset-link")
    assert response.status_code == 200
    assert f"emailed to {email('bob')}" in response.text
    assert "/reset/" not in response.text  # the admin does not see the link
    assert [m["To"] for m in inbox.messages] == [email("bob")]


def test_an_admins_reset_of_a_clinician_is_mailed_to_them_and_audited(
    clinic: Clinic, mailing: tuple[TestClient, Inbox]
) -> None:
    """Issue #19: the admin's page showed a clinician's reset link, with which the admin
    could sign in as the clinician and read their patients' records. The link now goes to
    the clinician's own address only, and the admin's action is in the audit log."""
    client, inbox = mailing
    signed = client.post(
        "/api/v1/sign-in", json={"email": email("north_admin"), "password": PASSWORD}
    )
    client.headers["X-CSRF-Token"] = signed.json()["csrf_token"]
    target = clinic.people["north_pt2"]

    response = client.post(f"/admin/accounts/{target.id}/reset-link")

    assert response.status_code == 200
    assert f"emailed to {email('north_pt2')}" in response.text
    assert "/reset/" not in response.text
    assert [m["To"] for m in inbox.messages] == [email("north_pt2")]
    entry = audit.entries(clinic.accounts)[-1]
    assert (entry.actor_id, entry.actor_role, entry.action, entry.patient_id, entry.target) == (
        clinic.people["north_admin"].id, "admin", "write", None,
        f"reset link for account {target.id}",
    )  # fmt: skip
    path = _link(inbox.messages[0])
    assert client.post(path, data={"password": "a new long password"}).status_code == 200
    credentials = {"email": email("north_pt2"), "password": "a new long password"}
    again = client.post("/api/v1/sign-in", json=credentials)
    assert again.status_code == 200


def test_without_a_mail_server_the_page_says_to_ask_the_clinic(clinic: Clinic) -> None:
    client = clinic.client()
    assert "Ask your clinic" in client.get("/forgot").text
    assert client.post("/forgot", data={"email": email("ann")}).status_code == 409


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"LUMBAR_SMTP_URL": "http://mail:25", "LUMBAR_MAIL_FROM": "a@b.c"}, "is not smtp"),
        ({"LUMBAR_SMTP_URL": "smtp://mail:25"}, "LUMBAR_MAIL_FROM"),
    ],
)
def test_a_malformed_mail_setting_is_refused(settings: dict[str, str], message: str) -> None:
    with pytest.raises(UserError, match=message):
        Mailer.from_environment(settings)
    assert Mailer.from_environment({}) is None


def test_an_emailed_link_points_at_the_server_whatever_host_the_request_names(
    mailing: tuple[TestClient, Inbox],
) -> None:
    """The Host header is the sender's to choose: a link built from it would send the
    person's reset token to the sender's site."""
    client, inbox = mailing
    response = client.post(
        "/forgot", data={"email": email("ann")}, headers={"Host": "evil.example"}
    )
    assert response.status_code == 200
    assert _link(inbox.messages[0]).startswith("/reset/")  # under https://clinic.example


def test_a_server_that_emails_links_must_know_its_address(clinic: Clinic) -> None:
    mailer = Mailer.from_environment(
        {"LUMBAR_SMTP_URL": "smtp://127.0.0.1:1", "LUMBAR_MAIL_FROM": "lumbar@clinic.example"}
    )
    with pytest.raises(ValueError, match="must know its address"):
        create_app(clinic.store, accounts=clinic.accounts, allowed_hosts=None, mailer=mailer)


def test_a_mail_server_that_fails_gets_the_same_answer_as_an_unknown_address(
    clinic: Clinic,
) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    mailer = Mailer.from_environment(
        {"LUMBAR_SMTP_URL": f"smtp://127.0.0.1:{port}", "LUMBAR_MAIL_FROM": "lumbar@x.example"}
    )
    app = create_app(
        clinic.store, accounts=clinic.accounts, clock=clinic.clock, allowed_hosts=None,
        mailer=mailer, public_url=BASE_URL,
    )  # fmt: skip
    with TestClient(app, base_url=BASE_URL, follow_redirects=False) as client:
        known = client.post("/forgot", data={"email": email("ann")})
        unknown = client.post("/forgot", data={"email": "stranger@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert known.text.replace(email("ann"), "") == unknown.text.replace("stranger@example.org", "")
