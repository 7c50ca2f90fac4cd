"""Unread markers in Chromium (issue #20): a patient sends a message, their clinician sees
it marked new on the dashboard, opens the patient's page, and the patient sees it was read;
the clinician chooses their mail on the account page.

Every page passes axe-core (light and dark) and is photographed into
test-artifacts/screenshots/ (`notify-*`).
"""

from __future__ import annotations

import re
from typing import Any

from tests.browser.conftest import PHONE, visit
from tests.browser.test_clinic import PASSWORD, LiveClinic, api, sign_in
from tests.browser.test_clinic import live_clinic as live_clinic  # the fixture, shared


def test_a_message_is_new_to_the_clinician_until_read_and_the_patient_sees_it_read(
    live_clinic: LiveClinic, browser: Any
) -> None:
    url = live_clinic.url
    clinician_context = browser.new_context(viewport=PHONE, device_scale_factor=2)
    patient_context = browser.new_context(viewport=PHONE, device_scale_factor=2)
    try:
        clinician = clinician_context.new_page()
        patient = patient_context.new_page()
        for page in (clinician, patient):
            page.set_default_timeout(10_000)
        sign_in(clinician, url, "pt@north.example")
        invited = api(
            clinician,
            url,
            "POST",
            "/api/v1/clinic/invitations",
            {"name": "Ann Lee", "birth_date": "1961-02-03"},
        )
        patient.goto(invited["url"])
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
        api(patient, url, "POST", "/api/v1/program", answers)

        # The patient writes; the message waits, not read yet.
        patient.goto(f"{url}/messages")
        patient.get_by_label("Your message").fill("Can I garden this weekend?")
        patient.get_by_role("button", name="Send").click()
        patient.wait_for_load_state("networkidle")
        assert patient.get_by_text("Not read yet").is_visible()

        # The clinician sees it marked on the dashboard, per patient and in total.
        clinician.goto(f"{url}/clinic")
        row = clinician.get_by_role("row", name=re.compile("Ann Lee"))
        assert "1 new message" in row.inner_text()
        total = clinician.locator("#unread-total")
        assert "1 message, from 1 patient" in total.inner_text()
        visit(clinician, "notify-dashboard")

        # Opening the patient's page reads it, and says once what was new.
        clinician.get_by_role("link", name="Ann Lee").click()
        clinician.wait_for_load_state("networkidle")
        assert "New since you last looked: 1 message" in clinician.locator("#unread").inner_text()
        message = clinician.locator(".thread li", has_text="Can I garden this weekend?")
        assert message.locator(".tag", has_text="New").is_visible()
        visit(clinician, "notify-patient")
        clinician.goto(f"{url}/clinic")
        assert (
            "new message"
            not in clinician.get_by_role("row", name=re.compile("Ann Lee")).inner_text()
        )
        assert clinician.locator("#unread-total").count() == 0

        # The patient sees it was read.
        patient.reload()
        patient.wait_for_load_state("networkidle")
        read = patient.locator(".thread li.mine .read").inner_text()
        assert re.fullmatch(r"Read on \d{1,2} [A-Z][a-z]{2}", read), read
        visit(patient, "notify-messages-read")

        # The clinician turns the alert mail off on their account page.
        clinician.goto(f"{url}/account")
        clinician.get_by_label(re.compile("An alert at once")).uncheck()
        clinician.get_by_role("button", name="Save my choice").click()
        clinician.wait_for_load_state("networkidle")
        assert clinician.get_by_text("Your choice of mail is saved").is_visible()
        assert not clinician.get_by_label(re.compile("An alert at once")).is_checked()
        assert clinician.get_by_label(re.compile("A daily digest")).is_checked()
        visit(clinician, "notify-account")
    finally:
        clinician_context.close()
        patient_context.close()
