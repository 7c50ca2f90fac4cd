"""Handover and records for the chart in Chromium (issue #20): a clinician times the work
on a patient with the page's timer, downloads the remote-monitoring report, and hands the
patient over to a colleague; the patient sees who their physical therapist is now. Every
page passes axe-core, light and dark, and is photographed (`clinic-handover-*`)."""

from __future__ import annotations

import re
from typing import Any

from lumbar.usecases.accounts import now_utc
from tests.browser.conftest import ARTIFACTS, PHONE, visit
from tests.browser.test_clinic import PASSWORD, LiveClinic, api, live_clinic, sign_in

__all__ = ["live_clinic"]  # the fixture, used here by name


def test_a_clinician_times_reports_and_hands_a_patient_over(
    live_clinic: LiveClinic, browser: Any
) -> None:
    url, accounts = live_clinic.url, live_clinic.accounts
    now = now_utc()
    accounts.create_user("pt2@north.example", PASSWORD, "clinician", now, clinic="North")
    accounts.create_user(
        "ann@example.org", PASSWORD, "patient", now, clinician_email="pt@north.example"
    )
    clinician_context = browser.new_context(viewport=PHONE, device_scale_factor=2)
    patient_context = browser.new_context(viewport=PHONE, device_scale_factor=2)
    try:
        clinician = clinician_context.new_page()
        patient = patient_context.new_page()
        for page in (clinician, patient):
            page.set_default_timeout(10_000)
        sign_in(patient, url, "ann@example.org")
        answers = {
            "understood": True,
            "age": 42,
            "pain_weeks": 10,
            "pain": 6,
            "days": ["mon", "wed", "fri"],
            "psfs": [{"activity": "lift my child", "score": 3}],
        }
        plan = api(patient, url, "POST", "/api/v1/program", answers)
        done = [{"id": e["id"], "pain": "none"} for e in plan["exercises"]]
        api(patient, url, "POST", "/api/v1/sessions", {"date": plan["date"], "exercises": done})

        # The clinician starts the timer on the patient's page, and stops it.
        sign_in(clinician, url, "pt@north.example")
        clinician.get_by_role("link", name="ann@example.org").click()
        clinician.wait_for_load_state("networkidle")
        clinician.get_by_role("button", name="Start the monitoring timer").click()
        clinician.wait_for_load_state("networkidle")
        assert "Timer running since" in clinician.content()
        visit(clinician, "clinic-handover-timer")
        clinician.get_by_role("button", name="Stop the timer and log the time").click()
        clinician.wait_for_load_state("networkidle")

        # The monitoring page holds the minute; the report downloads as a PDF.
        clinician.get_by_role("link", name=re.compile("^Remote monitoring")).click()
        clinician.wait_for_load_state("networkidle")
        logged = clinician.get_by_role("listitem").filter(has_text="1 minute,")
        assert "pt@north.example" in logged.inner_text()
        visit(clinician, "clinic-handover-monitoring")
        with clinician.expect_download() as download:
            clinician.get_by_role("link", name="Download the report (PDF)").click()
        saved = ARTIFACTS / "clinic-monitoring-report.pdf"
        download.value.save_as(str(saved))
        assert saved.read_bytes().startswith(b"%PDF")

        # The clinician hands the patient over to a colleague.
        clinician.get_by_role("link", name="ann@example.org").click()
        clinician.get_by_role("link", name="Hand over to another clinician").click()
        clinician.wait_for_load_state("networkidle")
        assert clinician.get_by_label(re.compile("ann@example.org")).is_checked()
        clinician.get_by_label("Hand them over to").select_option(label="pt2@north.example")
        visit(clinician, "clinic-handover-form")
        clinician.get_by_role("button", name="Hand over the ticked patients").click()
        clinician.wait_for_load_state("networkidle")
        assert "1 patient was handed over" in clinician.content()
        assert clinician.get_by_role("link", name="ann@example.org").count() == 0

        # The patient is told who their physical therapist is now.
        patient.goto(f"{url}/today")
        notice = patient.get_by_role("status").filter(has_text="physical therapist is now")
        assert "pt2@north.example" in notice.inner_text()
        visit(patient, "clinic-handover-today")
        patient.goto(f"{url}/messages")
        assert "(pt2@north.example)" in patient.content()
    finally:
        clinician_context.close()
        patient_context.close()
