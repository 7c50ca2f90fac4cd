"""A physical therapist's working day on the clinic server, in one browser (issue #20, "Done
when": a PT can run their day from the dashboard with the features above).

Each feature of issue #20 has its own browser test; this one walks a PT's day through all of
them, by clicking from the dashboard (only the sign-in page's address is typed), so that a break
between them (a missing link, a page that leads nowhere) shows: two-step sign-in, the
dashboard's pages, search and concern filter, an unread message opened and answered, a
program saved as a template and another patient started from it with a note on one
exercise (which that patient, in a second browser, reads in the player and on the handout),
an invitation by email (through a real SMTP server on loopback) and one by QR code, the
pending list and a revocation, an ODI score, the monitoring timer and its CSV report, the
summary PDF and the FHIR Bundle, and a handover to a colleague.

The clinic is seeded through the use cases (60 patients: two pages of the dashboard). Every
page on the way breaks no rule of the Content-Security-Policy, and each passes axe-core in
the light and the dark scheme (once: the dashboard's second page, the patient's page with
the timer running and the dashboard after the handover are the same pages again, left out
to keep the journey under a minute); three are photographed into
test-artifacts/screenshots/ (`day-*`).
"""

from __future__ import annotations

import csv
import io
import json
import re
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pyotp
import pytest
from aiosmtpd.controller import Controller
from argon2 import PasswordHasher

from lumbar.content.load import default_content
from lumbar.domain.model import Pain
from lumbar.formats.intake import IntakeAnswers
from lumbar.formats.rtm import COLUMNS
from lumbar.store.database import Store, sqlite_url
from lumbar.usecases import messages, program, sessions, two_factor
from lumbar.usecases.accounts import Accounts, now_utc
from lumbar.usecases.mail import Mailer
from lumbar.usecases.person import Person
from tests.browser.conftest import (
    ARTIFACTS,
    DESKTOP,
    PHONE,
    Clock,
    _free_port,
    check_accessibility,
    watch_policy,
)
from tests.browser.test_clinic import PASSWORD
from tests.server.test_mail import Inbox
from tests.web.conftest import ANSWERS

TODAY = date(2026, 11, 2)
"""The server's day: a Monday, a training day of the seeded programs."""
PT, COLLEAGUE = "pt@north.example", "pt2@north.example"
STARTED = ("Ann Lee", "Bob Hart", "Cara Moss")
"""The patients whose program has started: Ann wrote a message, Bob is started from a
template, Cara had sharp pain in her session."""
NAMES = (*STARTED, *(f"Patient {n:02d}" for n in range(57)))
NOTE = "Keep the range small on the left"
MESSAGE = "Can I garden this weekend?"


def email_of(name: str) -> str:
    return name.lower().replace(" ", ".") + "@example.org"


@dataclass
class Day:
    url: str
    inbox: Inbox
    secret: str
    """The PT's authenticator secret (two-step sign-in is on)."""
    first_exercise: str
    """The name of Bob's first exercise today."""


def seed(accounts: Accounts) -> tuple[str, str]:
    """The clinic through its use cases: the PT (with two-step sign-in) and a colleague, 60
    patients who joined by invitation, three of them started, Ann's message waiting."""
    now = now_utc()
    pt = accounts.create_user(PT, PASSWORD, "clinician", now, clinic="North")
    accounts.create_user(COLLEAGUE, PASSWORD, "clinician", now, clinic="North")
    enrolment = two_factor.begin(accounts, pt, now)
    two_factor.confirm(accounts, pt, pyotp.TOTP(enrolment.secret).at(now), now)
    content = default_content()
    answers = IntakeAnswers.model_validate_json(json.dumps(ANSWERS))
    patients = {}
    for name in NAMES:
        code = accounts.invite(pt, now, name=name, born="1961-02-03")
        patients[name] = accounts.accept_invite(code, email_of(name), PASSWORD, now)
    first = ""
    for name in STARTED:
        person = Person(accounts.store, content, patients[name].id, clinic=True, today=TODAY)
        plan = program.start(person, answers, TODAY, now=now)
        if name == "Bob Hart":
            first = content.catalogue[plan.exercises[0].exercise_id].name
        if name == "Cara Moss":
            pains = [
                (e.exercise_id, Pain.SHARP if i == 0 else Pain.NONE)
                for i, e in enumerate(plan.exercises)
            ]
            sessions.log(person, TODAY, pains)
    ann = patients["Ann Lee"]
    messages.send(accounts, ann, ann, MESSAGE, now)
    return enrolment.secret, first


@pytest.fixture
def day(tmp_path: Path) -> Iterator[Day]:
    """Accounts mode served by uvicorn on 127.0.0.1 with a mail server (aiosmtpd) that keeps
    what it receives, and the seeded clinic."""
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
    secret, first = seed(accounts)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    mailer = Mailer.from_environment(
        {"LUMBAR_SMTP_URL": f"smtp://127.0.0.1:{smtp_port}", "LUMBAR_MAIL_FROM": "l@north.example"}
    )
    app = create_app(
        store,
        accounts=accounts,
        clock=Clock(TODAY),
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
    yield Day(url, inbox, secret, first)
    server.should_exit = True
    thread.join(timeout=10)
    controller.stop()
    store.dispose()


def look(page: Any, name: str, *, photograph: bool = False) -> None:
    """axe-core on the page in the light and the dark scheme (and, for three pages of the
    day, a screenshot of each)."""
    page.wait_for_load_state()
    check_accessibility(page, name)
    if photograph:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    page.emulate_media(color_scheme="dark")
    page.wait_for_timeout(200)  # let the colour transitions (120 ms) finish
    try:
        check_accessibility(page, f"{name} (dark)")
    finally:
        page.emulate_media(color_scheme="light")


def click(page: Any, role: str, name: str | re.Pattern[str], **options: Any) -> None:
    page.get_by_role(role, name=name, **options).click()
    page.wait_for_load_state()


def names_shown(page: Any) -> list[str]:
    return [n.strip() for n in page.locator("table.patients tbody th a").all_inner_texts()]


def row_of(page: Any, name: str) -> Any:
    return page.locator("table.patients tbody tr", has=page.get_by_role("link", name=name))


def show(page: Any, search: str = "", concern: str = "Any reason, or none") -> None:
    """Search the dashboard by name and filter it by concern."""
    page.get_by_label("Find a patient").fill(search)
    page.get_by_label("Needs attention for").select_option(label=concern)
    click(page, "button", "Show")


def downloaded(page: Any, link: str, where: Path) -> bytes:
    with page.expect_download() as download:
        page.get_by_role("link", name=link).click()
    download.value.save_as(str(where))
    return where.read_bytes()


def pdf_words(path: Path) -> str:
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(text.stdout.split())


def test_a_physical_therapist_runs_their_day_from_the_dashboard(
    day: Day, browser: Any, tmp_path: Path
) -> None:
    url = day.url
    pt_context = browser.new_context(viewport=DESKTOP)
    bob_context = browser.new_context(viewport=PHONE, device_scale_factor=2, has_touch=True)
    violations = watch_policy(pt_context) + watch_policy(bob_context)
    try:
        pt, bob = pt_context.new_page(), bob_context.new_page()
        for page in (pt, bob):
            page.set_default_timeout(10_000)

        # Two-step sign-in: the password, then the code from the app.
        pt.goto(f"{url}/sign-in")
        look(pt, "day-sign-in")
        pt.get_by_label("Email").fill(PT)
        pt.get_by_label("Password").fill(PASSWORD)
        click(pt, "button", "Sign in")
        assert pt.url == f"{url}/sign-in/code"
        look(pt, "day-sign-in-code")
        pt.get_by_label("Code").fill(pyotp.TOTP(day.secret).at(time.time() + 30))
        click(pt, "button", "Sign in")
        assert pt.url == f"{url}/clinic"

        # The dashboard: two pages, gravest first. Ann's message is said at the top of the
        # first page, though she is on the second; her row there is marked.
        assert pt.get_by_text("1 to 50 of 60 patients").is_visible()
        assert names_shown(pt)[0] == "Cara Moss"
        assert "Ann Lee" not in names_shown(pt)
        assert "Bad pain in sessions" in row_of(pt, "Cara Moss").inner_text()
        notice = pt.locator("#unread-total")
        said = " ".join(notice.inner_text().split())
        assert "1 message, from 1 patient. Not on this page: Ann Lee." in said
        look(pt, "day-dashboard", photograph=True)
        pages = pt.get_by_role("navigation", name="Pages of patients")
        pages.get_by_role("link", name="Page 2").click()
        pt.wait_for_load_state()
        assert pt.get_by_text("51 to 60 of 60 patients").is_visible()
        assert "1 new message" in row_of(pt, "Ann Lee").inner_text()
        assert "They are marked below" in notice.inner_text()
        second = names_shown(pt)
        pages.get_by_role("link", name="Page 1").click()
        pt.wait_for_load_state()
        assert pt.get_by_text("1 to 50 of 60 patients").is_visible()
        assert not set(second) & set(names_shown(pt))

        # A search by name, a filter by concern.
        show(pt, search="patient 1")
        assert names_shown(pt) == [f"Patient {n}" for n in range(10, 20)]
        show(pt, concern="Bad pain in sessions")
        assert names_shown(pt) == ["Cara Moss"]
        look(pt, "day-dashboard-filtered")

        # The notice leads to Ann; opening her page reads her message, and the PT answers.
        notice.get_by_role("link", name="Ann Lee").click()
        pt.wait_for_load_state()
        assert "New since you last looked: 1 message" in pt.locator("#unread").inner_text()
        pt.get_by_label("Message to Ann Lee").fill("Yes, in short spells, and tell me how it went.")
        click(pt, "button", "Send")
        assert pt.locator(".thread", has_text="tell me how it went").is_visible()
        look(pt, "day-patient", photograph=True)
        click(pt, "link", "Your patients")
        assert pt.locator("#unread-total").count() == 0
        show(pt, search="Ann")
        assert "new message" not in row_of(pt, "Ann Lee").inner_text()

        # Ann's program saved as a template; Bob started from it, with a note on one exercise.
        click(pt, "link", "Ann Lee")
        click(pt, "link", "Prescribe a program")
        pt.get_by_label("Template name").fill("Early phase, as Ann")
        click(pt, "button", "Save as a template")
        assert pt.get_by_text("The template is saved").is_visible()
        look(pt, "day-templates")
        click(pt, "link", "Your patients")
        show(pt, search="Bob")
        click(pt, "link", "Bob Hart")
        click(pt, "link", "Prescribe a program")
        pt.get_by_text("Start from a template or another patient’s program").click()
        pt.get_by_label("Your clinic’s templates").select_option(label="Early phase, as Ann")
        click(pt, "button", "Show it in the form")
        assert "The form shows the template “Early phase, as Ann”" in pt.content()
        notes = pt.locator("details.exercise-notes")
        notes.get_by_text("Notes on single exercises").click()
        notes.get_by_label(day.first_exercise, exact=True).fill(NOTE)
        look(pt, "day-prescription")
        click(pt, "button", "Save the prescription")
        assert pt.get_by_text("The prescription is saved").is_visible()

        # Bob, on his phone, reads the note in the player and on the handout.
        bob.goto(f"{url}/sign-in")
        bob.get_by_label("Email").fill(email_of("Bob Hart"))
        bob.get_by_label("Password").fill(PASSWORD)
        click(bob, "button", "Sign in")
        look(bob, "day-today")
        click(bob, "link", "Start the session")
        said = bob.locator(".exercise-note").inner_text()
        assert said == f"From your physical therapist: {NOTE}"
        look(bob, "day-player-note", photograph=True)
        click(bob, "link", "Print and share")
        look(bob, "day-share")
        handout = downloaded(bob, "Handout (A4 PDF)", tmp_path / "handout.pdf")
        assert handout.startswith(b"%PDF")
        assert NOTE in pdf_words(tmp_path / "handout.pdf")

        # Two invitations: one by email, one by QR code; the pending list; one revoked.
        click(pt, "link", "Your patients")
        pt.get_by_text("Invite a new patient").click()
        pt.get_by_label("Name", exact=True).fill("Dan Ford")
        pt.get_by_label("Date of birth").fill("1958-07-14")
        pt.get_by_label("Email address").fill("dan@example.org")
        click(pt, "button", "Send the invitation by email")
        assert "sent by email to dan@example.org" in pt.locator("main").inner_text()
        look(pt, "day-invited-by-email")
        [mail] = day.inbox.messages
        assert mail["To"] == "dan@example.org"
        payload = mail.get_payload(decode=True)
        assert isinstance(payload, bytes)
        body = payload.decode()
        assert re.search(rf"{re.escape(url)}/join/\S+", body)
        for private in ("Dan", "Ford", "1958", "July", "pain", "back"):
            assert private not in body + mail["Subject"], private
        click(pt, "link", "Back to your patients")
        pt.get_by_text("Invite a new patient").click()
        pt.get_by_label("Name", exact=True).fill("Eve Grant")
        pt.get_by_label("Date of birth").fill("1990-01-30")
        click(pt, "button", "Make an invitation link")
        assert pt.locator(".invite-qr svg").is_visible()
        assert re.fullmatch(rf"{re.escape(url)}/join/\S+", pt.locator("code.link").inner_text())
        look(pt, "day-invited-by-qr")
        click(pt, "link", "Back to your patients")
        pending = pt.locator("#invitations tbody tr")
        listed = pending.all_inner_texts()
        assert len(listed) == 2 and "Eve Grant" in listed[0] and "Dan Ford" in listed[1]
        assert "dan@example.org" in listed[1] and "no email address" in listed[0]
        click(pt, "button", "Revoke the invitation for Dan Ford")
        assert pending.count() == 1 and "Eve Grant" in pending.inner_text()
        look(pt, "day-pending")

        # Ann's ODI, the monitoring timer, the report as CSV.
        show(pt, search="Ann")
        click(pt, "link", "Ann Lee")
        pt.get_by_label("Measure", exact=True).select_option(label="ODI (0 to 100%)")
        pt.get_by_label("Total", exact=True).fill("44")
        click(pt, "button", "Save the score")
        assert "Latest: ODI 44%" in pt.locator("#scores").inner_text()
        click(pt, "button", "Start the monitoring timer")
        assert pt.get_by_text("Timer running since").is_visible()
        click(pt, "button", "Stop the timer and log the time")
        click(pt, "link", re.compile("^Remote monitoring"))
        look(pt, "day-monitoring")
        report = downloaded(pt, "Download it as CSV", tmp_path / "monitoring.csv")
        rows = list(csv.reader(io.StringIO(report.decode("utf-8"))))
        assert tuple(rows[0]) == COLUMNS
        logged = rows[rows.index(["date", "minutes", "clinician", "note"]) + 1 :]
        assert [row[1:3] for row in logged] == [["1", PT]], rows

        # The summary PDF and the FHIR Bundle, from Ann's page.
        click(pt, "link", "Ann Lee")
        summary = downloaded(pt, "Summary (PDF)", tmp_path / "summary.pdf")
        assert summary.startswith(b"%PDF") and "Ann Lee" in pdf_words(tmp_path / "summary.pdf")
        bundle = json.loads(downloaded(pt, "FHIR Bundle (JSON)", tmp_path / "bundle.json"))
        assert bundle["resourceType"] == "Bundle"
        scores = [
            e["resource"]["valueQuantity"]["value"]
            for e in bundle["entry"]
            if {"system": "urn:lumbar:outcome-measure", "code": "odi"}.items()
            <= e["resource"].get("code", {}).get("coding", [{}])[0].items()
        ]
        assert scores == [44], bundle

        # Ann handed over to a colleague: she leaves the PT's list.
        click(pt, "link", "Hand over to another clinician")
        assert pt.get_by_label(re.compile("Ann Lee")).is_checked()
        pt.get_by_label("Hand them over to").select_option(label=COLLEAGUE)
        look(pt, "day-handover")
        click(pt, "button", "Hand over the ticked patients")
        assert "1 patient was handed over" in pt.content()
        assert pt.get_by_role("link", name="Ann Lee").count() == 0
        assert pt.get_by_text("of 59 patients").is_visible()
    finally:
        pt_context.close()
        bob_context.close()
    assert violations == [], "Content-Security-Policy violations:\n" + "\n".join(violations)
