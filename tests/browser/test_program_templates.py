"""Issue #20 in a real browser: a clinician saves a patient's program as a template,
starts a second patient from it (reviewed in the grid), adds a note on one exercise, and
that patient reads the note in the session player and on the printed handout. Every page
on the way through axe-core, light and dark, and photographed."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

from lumbar.usecases.accounts import now_utc
from tests.browser.conftest import PHONE, visit
from tests.browser.test_clinic import PASSWORD, LiveClinic, api, live_clinic, sign_in

__all__ = ["live_clinic"]  # the fixture, shared with the clinic's other journey

ANSWERS = {
    "understood": True,
    "age": 42,
    "pain_weeks": 10,
    "pain": 5,
    "days": ["mon", "wed", "fri"],
    "psfs": [{"activity": "lift my child", "score": 3}],
}
NOTE = "Keep the range small on the left <b>only</b>"


def test_a_template_reaches_a_second_patient_with_a_note_on_an_exercise(
    live_clinic: LiveClinic, browser: Any, tmp_path: Path
) -> None:
    url = live_clinic.url
    now = now_utc()
    ids = {}
    for name in ("ann", "bob"):
        made = live_clinic.accounts.create_user(
            f"{name}@example.org", PASSWORD, "patient", now, clinician_email="pt@north.example"
        )
        ids[name] = made.id
    contexts = [browser.new_context(viewport=PHONE, device_scale_factor=2) for _ in range(3)]
    try:
        clinician, ann, bob = (c.new_page() for c in contexts)
        for page in (clinician, ann, bob):
            page.set_default_timeout(10_000)
        sign_in(clinician, url, "pt@north.example")
        for page, name in ((ann, "ann"), (bob, "bob")):
            sign_in(page, url, f"{name}@example.org")
            api(page, url, "POST", "/api/v1/program", ANSWERS)

        # Ann's program, prescribed and saved as a template.
        clinician.goto(f"{url}/clinic/patients/{ids['ann']}/prescription")
        clinician.get_by_role("button", name="Save the prescription").click()
        clinician.wait_for_load_state("networkidle")
        clinician.goto(f"{url}/clinic/patients/{ids['ann']}/prescription")
        clinician.get_by_label("Template name").fill("Early phase, bridging")
        clinician.get_by_role("button", name="Save as a template").click()
        clinician.wait_for_load_state("networkidle")
        assert "The template is saved" in clinician.content()
        visit(clinician, "templates-list")

        # Bob starts from it: shown in the grid for review, then a note, then saved.
        clinician.goto(f"{url}/clinic/patients/{ids['bob']}/prescription")
        clinician.get_by_text("Start from a template or another patient’s program").click()
        clinician.get_by_label("Your clinic’s templates").select_option(
            label="Early phase, bridging"
        )
        clinician.get_by_role("button", name="Show it in the form").click()
        clinician.wait_for_load_state("networkidle")
        assert "The form shows the template “Early phase, bridging”" in clinician.content()
        first = bob.request.get(f"{url}/api/v1/today").json()["exercises"][0]
        clinician.get_by_text("Notes on single exercises").click()
        clinician.locator(f"#note-{first['id']}").fill(NOTE)
        visit(clinician, "templates-start-from")
        clinician.get_by_role("button", name="Save the prescription").click()
        clinician.wait_for_load_state("networkidle")
        assert "The prescription is saved" in clinician.content()

        # Bob reads the note with the exercise, as plain text, and on the handout.
        bob.goto(f"{url}/session")
        bob.wait_for_load_state("networkidle")
        note = bob.locator(".exercise-note")
        assert note.inner_text() == f"From your physical therapist: {NOTE}"
        assert bob.locator(".exercise-note b").count() == 0
        visit(bob, "templates-player-note")
        handout = bob.request.get(f"{url}/handout.pdf")
        assert handout.ok
        pdf = tmp_path / "handout.pdf"
        pdf.write_bytes(handout.body())
        words = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        )
        assert re.sub(r"\s+", " ", NOTE) in " ".join(words.stdout.split())
        # Ann, who has no note, sees none.
        ann.goto(f"{url}/session")
        ann.wait_for_load_state("networkidle")
        assert ann.locator(".exercise-note").count() == 0
    finally:
        for context in contexts:
            context.close()
