"""The patient's comment per exercise in Chromium (issue #20): the patient answers how an
exercise felt with a comment written under the pain question, the player goes on, and the
clinician reads the comment on the patient's page beside that exercise's pain answer,
shown as text. Each page passes axe-core in the light and dark schemes and is photographed
(`clinic-comment-*`)."""

from __future__ import annotations

from typing import Any

from lumbar.usecases.accounts import now_utc
from tests.browser.conftest import PHONE, answer_and_wait, exercise_title, visit
from tests.browser.test_clinic import PASSWORD, LiveClinic, api, live_clinic, sign_in

__all__ = ["live_clinic"]  # the fixture, shared with the clinic's journey

SAID = "Tight on the left <b>side</b>"


def test_the_patient_comments_on_an_exercise_and_the_clinician_reads_it(
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
        api(patient, url, "POST", "/api/v1/program", answers)

        patient.goto(f"{url}/session")
        first = exercise_title(patient)
        box = patient.get_by_label("A comment on it, for your physical therapist (optional)")
        box.fill(SAID)
        box.press("Enter")  # a new line in the box, never a pain answer nobody chose
        assert exercise_title(patient) == first
        box.fill(SAID)
        box.scroll_into_view_if_needed()
        visit(patient, "clinic-comment-player")
        answer_and_wait(patient, "Dull ache")
        assert exercise_title(patient) != first
        # The next exercise's box starts empty: no comment is carried over.
        assert (
            patient.get_by_label(
                "A comment on it, for your physical therapist (optional)"
            ).input_value()
            == ""
        )

        clinician = clinician_context.new_page()
        clinician.set_default_timeout(10_000)
        sign_in(clinician, url, "pt@north.example")
        # Answered, not yet recorded: the session is recorded once its last answer is in.
        while patient.locator(".pain-grid").count():
            answer_and_wait(patient, "No pain")
        clinician.goto(f"{url}/clinic/patients/{ann.id}")
        sessions = clinician.get_by_role("table").filter(has_text="Exercises and pain")
        row = sessions.get_by_role("row").nth(1).inner_text()
        assert f"{first}: ache {SAID}" in row.replace("“", "").replace("”", ""), row
        assert clinician.locator("q.exercise-comment b").count() == 0  # shown as text
        sessions.scroll_into_view_if_needed()
        visit(clinician, "clinic-comment-patient")
    finally:
        clinician_context.close()
        patient_context.close()
