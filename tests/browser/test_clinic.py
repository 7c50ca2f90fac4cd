"""A clinic's server in Chromium: a clinician invites a patient, the patient joins and
trains, the clinician sees the concern, prescribes, and writes; the admin reads the log.

Every page passes axe-core (light and dark) and is photographed at phone and desktop width
into test-artifacts/screenshots/ (`clinic-*`).
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher

from lumbar.store.database import Store, sqlite_url
from lumbar.usecases.accounts import Accounts, now_utc
from tests.browser.conftest import PHONE, Clock, _free_port, visit

PASSWORD = "correct horse battery"


@dataclass
class LiveClinic:
    url: str
    accounts: Accounts


@pytest.fixture
def live_clinic(tmp_path: Path) -> Iterator[LiveClinic]:
    """Accounts mode served by uvicorn on 127.0.0.1 (plain HTTP, so cookies without
    Secure), with an admin and a clinician of one clinic."""
    import uvicorn

    from lumbar.web.app import create_app

    store = Store(sqlite_url(tmp_path / "clinic.db"))
    accounts = Accounts(store, PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    now = now_utc()
    accounts.create_user("admin@north.example", PASSWORD, "admin", now, clinic="North")
    accounts.create_user("pt@north.example", PASSWORD, "clinician", now, clinic="North")
    app = create_app(
        store,
        accounts=accounts,
        clock=Clock(date(2026, 11, 2)),
        allowed_hosts=("127.0.0.1",),
        secure_cookies=False,
    )
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the clinic server did not start")
        time.sleep(0.02)
    yield LiveClinic(f"http://127.0.0.1:{port}", accounts)
    server.should_exit = True
    thread.join(timeout=10)
    store.dispose()


def sign_in(page: Any, url: str, email: str) -> None:
    page.goto(f"{url}/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")


def api(page: Any, url: str, method: str, path: str, body: Any) -> Any:
    """A JSON API call from the signed-in page, with its CSRF token, as a script would."""
    token = page.request.get(f"{url}/api/v1/me").json()["csrf_token"]
    response = page.request.fetch(
        f"{url}{path}",
        method=method,
        data=json.dumps(body),
        headers={"content-type": "application/json", "x-csrf-token": token},
    )
    assert response.ok, response.text()
    return response.json()


def test_a_clinician_invites_monitors_and_prescribes(live_clinic: LiveClinic, browser: Any) -> None:
    url = live_clinic.url
    clinician_context = browser.new_context(viewport=PHONE, device_scale_factor=2)
    patient_context = browser.new_context(viewport=PHONE, device_scale_factor=2)
    try:
        clinician = clinician_context.new_page()
        patient = patient_context.new_page()
        for page in (clinician, patient):
            page.set_default_timeout(10_000)

        patient.goto(f"{url}/sign-in")
        visit(patient, "clinic-sign-in")
        sign_in(clinician, url, "pt@north.example")
        assert clinician.url == f"{url}/clinic"
        clinician.get_by_text("Invite a new patient").click()
        clinician.get_by_label("Name").fill("Ann Lee")
        clinician.get_by_label("Date of birth").fill("1961-02-03")
        visit(clinician, "clinic-invite")
        clinician.get_by_role("button", name="Make an invitation link").click()
        clinician.wait_for_load_state("networkidle")
        visit(clinician, "clinic-invited")
        assert clinician.url == f"{url}/clinic/invite"  # the code is in no address
        link = clinician.locator("code.link").inner_text().strip()
        assert re.fullmatch(rf"{re.escape(url)}/join/\S+", link), link

        # The patient joins with the link, starts, and reports sharp pain in a session.
        patient.goto(link)
        visit(patient, "clinic-join")
        patient.get_by_label("Email").fill("ann@example.org")
        patient.get_by_label("Choose a password").fill(PASSWORD)
        patient.get_by_role("button", name="Make my account").click()
        patient.wait_for_url(f"{url}/start/about")
        answers = {
            "understood": True,
            "age": 42,
            "pain_weeks": 10,
            "pain": 6,
            "days": ["mon", "wed", "fri"],
            "psfs": [{"activity": "lift my child", "score": 3}],
        }
        plan = api(patient, url, "POST", "/api/v1/program", answers)
        pains = [
            {"id": e["id"], "pain": "sharp" if i == 2 else "none"}
            for i, e in enumerate(plan["exercises"])
        ]
        api(patient, url, "POST", "/api/v1/sessions", {"date": plan["date"], "exercises": pains})

        # The clinician sees the concern, opens the record, and prescribes.
        clinician.goto(f"{url}/clinic")
        row = clinician.get_by_role("row", name=re.compile("Ann Lee"))
        assert "Bad pain in sessions" in row.inner_text()
        visit(clinician, "clinic-dashboard")
        clinician.get_by_role("link", name="Ann Lee").click()
        clinician.wait_for_load_state("networkidle")
        assert clinician.get_by_role("heading", name="Needs attention").is_visible()
        visit(clinician, "clinic-patient")
        clinician.get_by_role("link", name="Prescribe a program").click()
        visit(clinician, "clinic-prescription")
        clinician.get_by_label("Notes for the patient").fill("Short walks every day, too.")
        clinician.get_by_role("button", name="Save the prescription").click()
        clinician.wait_for_load_state("networkidle")
        assert "The prescription is saved" in clinician.content()
        clinician.get_by_label(re.compile("^Message to")).fill("How is the back today?")
        clinician.get_by_role("button", name="Send").click()
        clinician.wait_for_load_state("networkidle")

        # The patient reads the note and the message, and answers.
        patient.goto(f"{url}/today")
        assert "Short walks every day, too." in patient.content()
        patient.goto(f"{url}/messages")
        assert "How is the back today?" in patient.content()
        patient.get_by_label("Your message").fill("Better, thank you.")
        patient.get_by_role("button", name="Send").click()
        patient.wait_for_load_state("networkidle")
        assert "Better, thank you." in patient.content()
        visit(patient, "clinic-messages")
    finally:
        clinician_context.close()
        patient_context.close()


def test_the_admin_reads_the_accounts_and_the_audit_log(
    live_clinic: LiveClinic, browser: Any
) -> None:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2)
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        sign_in(page, live_clinic.url, "admin@north.example")
        assert page.url == f"{live_clinic.url}/admin"
        assert page.get_by_role("cell", name="pt@north.example").count() == 0  # a row header
        assert page.get_by_role("rowheader", name="pt@north.example").is_visible()
        visit(page, "clinic-admin")
        page.goto(f"{live_clinic.url}/forgot")
        visit(page, "clinic-forgot")
    finally:
        context.close()
