"""The camera's summary in Chromium (issue #21): a patient's session recorded with the
camera's summaries of two exercises (as the player's page sends them); the patient reads
them in words under the session on Progress, and their clinician on the patient's page.
Each page passes axe-core in the light and dark schemes and is photographed
(`camera-records-*`)."""

from __future__ import annotations

from typing import Any

from lumbar.usecases.accounts import now_utc
from tests.browser.conftest import PHONE, visit
from tests.browser.test_clinic import PASSWORD, LiveClinic, api, live_clinic, sign_in
from tests.camera_samples import BRIDGE, REST

__all__ = ["live_clinic"]  # the fixture, shared with the clinic's journey


def test_the_patient_and_their_clinician_read_what_the_camera_counted(
    live_clinic: LiveClinic, browser: Any
) -> None:
    url = live_clinic.url
    ann = live_clinic.accounts.create_user(
        "ann@example.org", PASSWORD, "patient", now_utc(), clinician_email="pt@north.example"
    )
    patient_context = browser.new_context(viewport=PHONE, device_scale_factor=2)
    clinician_context = browser.new_context(viewport=PHONE, device_scale_factor=2)
    try:
        patient = patient_context.new_page()
        patient.set_default_timeout(10_000)
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
        seen = {"glute-bridge": {**BRIDGE, "seconds": 80}, "childs-pose": REST}
        done = [
            {
                "id": e["id"],
                "pain": "none",
                **({"camera": seen[e["id"]]} if e["id"] in seen else {}),
            }
            for e in plan["exercises"]
        ]
        api(patient, url, "POST", "/api/v1/sessions", {"exercises": done})

        patient.goto(f"{url}/progress")
        counted = patient.locator("ul.camera-counted").first
        assert counted.inner_text().splitlines() == [
            "Glute bridge: 8 reps; hips stayed low on 2; the camera lost you for part of it",
            "Child's pose: Held 30 s",
        ]
        counted.scroll_into_view_if_needed()
        visit(patient, "camera-records-progress")

        clinician = clinician_context.new_page()
        clinician.set_default_timeout(10_000)
        sign_in(clinician, url, "pt@north.example")
        clinician.goto(f"{url}/clinic/patients/{ann.id}")
        sessions = clinician.get_by_role("table").filter(has_text="Exercises and pain")
        row = sessions.get_by_role("row").nth(1).inner_text()
        assert (
            "Glute bridge: none (the camera counted: 8 reps; hips stayed low on 2; the camera "
            "lost them for part of it)" in row
        ), row
        sessions.scroll_into_view_if_needed()
        visit(clinician, "camera-records-patient")
    finally:
        clinician_context.close()
        patient_context.close()
