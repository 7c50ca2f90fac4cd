"""Invitations that travel (issue #20) in Chromium: a clinician invites a patient by email
(a real SMTP server on loopback receives it), sees the invitation pending, sends it again,
makes one shown on screen with its QR code, and revokes one. Every page passes axe-core in
light and dark, breaks no Content-Security-Policy rule, and is photographed into
test-artifacts/screenshots/ (`invitations-*`)."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from argon2 import PasswordHasher

from lumbar.store.database import Store, sqlite_url
from lumbar.usecases.accounts import Accounts, now_utc
from lumbar.usecases.mail import Mailer
from tests.browser.conftest import PHONE, Clock, _free_port, visit, watch_policy
from tests.browser.test_clinic import PASSWORD, sign_in
from tests.server.test_mail import Inbox


@pytest.fixture
def mailing_clinic(tmp_path: Path) -> Iterator[tuple[str, Inbox]]:
    """Accounts mode served by uvicorn on 127.0.0.1, with a clinician of North Clinic and a
    mail server (aiosmtpd) that keeps what it receives."""
    import uvicorn

    from lumbar.web.app import create_app

    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        smtp_port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    store = Store(sqlite_url(tmp_path / "clinic.db"))
    accounts = Accounts(store, PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    accounts.create_user("pt@north.example", PASSWORD, "clinician", now_utc(), clinic="North")
    accounts.create_user("admin@north.example", PASSWORD, "admin", now_utc(), clinic="North")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    mailer = Mailer.from_environment(
        {"LUMBAR_SMTP_URL": f"smtp://127.0.0.1:{smtp_port}", "LUMBAR_MAIL_FROM": "l@north.example"}
    )
    app = create_app(
        store,
        accounts=accounts,
        clock=Clock(date(2026, 11, 2)),
        allowed_hosts=("127.0.0.1",),
        secure_cookies=False,
        mailer=mailer,
        public_url=url,
    )
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the clinic server did not start")
        time.sleep(0.02)
    yield url, inbox
    server.should_exit = True
    thread.join(timeout=10)
    controller.stop()
    store.dispose()


def invite(page: Any, name: str, email: str, button: str) -> None:
    page.get_by_text("Invite a new patient").click()
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Date of birth").fill("1961-02-03")
    page.get_by_label("Email address").fill(email)
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state("networkidle")


def test_a_clinician_invites_by_email_resends_revokes_and_shows_a_qr_code(
    mailing_clinic: tuple[str, Inbox], browser: Any
) -> None:
    url, inbox = mailing_clinic
    context = browser.new_context(viewport=PHONE, device_scale_factor=2)
    violations = watch_policy(context)
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        sign_in(page, url, "pt@north.example")

        invite(page, "Ann Lee", "ann@example.org", "Send the invitation by email")
        visit(page, "invitations-mailed")
        assert "sent by email to ann@example.org" in page.locator("main").inner_text()
        assert page.locator("code.link").count() == 0  # mailed, not shown
        [first] = inbox.messages
        assert first["To"] == "ann@example.org"

        page.get_by_role("link", name="Back to your patients").click()
        row = page.locator("#invitations tbody tr")
        assert row.count() == 1
        assert "Ann Lee" in row.inner_text() and "ann@example.org" in row.inner_text()
        visit(page, "invitations-pending")

        page.get_by_role("button", name="Resend the invitation for Ann Lee").click()
        page.wait_for_load_state("networkidle")
        assert "A new link for Ann Lee" in page.locator("h1").inner_text()
        assert len(inbox.messages) == 2
        links = [re.search(r"/join/\S+", str(m.get_payload())) for m in inbox.messages]
        assert all(links) and links[0] != links[1]

        page.goto(f"{url}/clinic")
        invite(page, "Bo Dahl", "", "Make an invitation link")
        visit(page, "invitations-qr")
        code = page.locator(".invite-qr svg")
        assert code.is_visible()
        assert code.bounding_box()["width"] >= 150  # large enough for a phone to read
        assert re.fullmatch(rf"{re.escape(url)}/join/\S+", page.locator("code.link").inner_text())
        assert len(inbox.messages) == 2

        page.goto(f"{url}/clinic")
        assert page.locator("#invitations tbody tr").count() == 2
        page.get_by_role("button", name="Revoke the invitation for Ann Lee").click()
        page.wait_for_load_state("networkidle")
        rows = page.locator("#invitations tbody tr")
        assert rows.count() == 1 and "Bo Dahl" in rows.inner_text()
        visit(page, "invitations-after-revoke")

        # The clinic's admin sees the clinic's pending invitations, and who made each.
        admin = context.browser.new_context(viewport=PHONE, device_scale_factor=2)
        admin_violations = watch_policy(admin)
        try:
            admin_page = admin.new_page()
            sign_in(admin_page, url, "admin@north.example")
            admin_page.get_by_role("link", name="Pending invitations of your clinic").click()
            admin_page.wait_for_load_state("networkidle")
            listed = admin_page.locator("#invitations tbody tr").inner_text()
            assert "Bo Dahl" in listed and "invited by pt@north.example" in listed
            visit(admin_page, "invitations-admin")
        finally:
            admin.close()
        violations += admin_violations
    finally:
        context.close()
    assert violations == [], "Content-Security-Policy violations:\n" + "\n".join(violations)
