"""Programs a clinician reuses (issue #20): a clinic's templates, a program copied from
another patient, and notes on single exercises, through the real app on SQLite and on
PostgreSQL.

Whatever path a program takes (saved as a template, started from one, copied), it is the
prescription's one check that lets it through: a template the safety rules refuse can be
neither saved nor applied, even one written into the database by hand. A template belongs
to its clinic and a program is copied only from the clinician's own patients: anyone else's
is not found, and nothing is written.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import insert

from lumbar.store.template_tables import program_templates
from lumbar.usecases import audit, caseload, handouts
from lumbar.usecases.accounts import now_utc
from tests.server.conftest import Clinic, start
from tests.server.test_clinic import PRESCRIBED, THURSDAY, new_patient, prescription_form
from tests.server.test_matrix import clinical_rows
from tests.web.conftest import text

TEMPLATES = "/api/v1/clinic/templates"
SCRIPT_NOTE = "Keep the range small on the left <script>alert(1)</script>"
NOTED: dict[str, Any] = {
    **PRESCRIBED,
    "exercise_notes": {"glute-bridge": SCRIPT_NOTE, "dead-bug": SCRIPT_NOTE},
}
"""The clinic's prescription of two exercises, each with a note that holds markup."""

LOADED_FLEXION: dict[str, Any] = {
    "phases": {
        "1": [{"exercise": "cat-cow", "steps": [{"sets": 2, "reps": 6, "rest": 30, "load": 5}]}]
    }
}
FLEXION_REASON = "Cat-cow bends the spine, so it is never done with a weight."
TOO_HEAVY: dict[str, Any] = {
    "phases": {
        "3": [{"exercise": "squat", "steps": [{"sets": 3, "reps": 8, "rest": 60, "load": 30}]}]
    }
}
HEAVY_REASON = "Squat asks for 30 lb: this program keeps loads at 25 lb or less."


def prescription_path(clinic: Clinic, name: str) -> str:
    return f"/api/v1/clinic/patients/{clinic.people[name].id}/prescription"


def saved(pt: TestClient, name: str, document: dict[str, Any]) -> dict[str, Any]:
    response = pt.post(TEMPLATES, json={"name": name, "document": document})
    assert response.status_code == 201, response.text
    found: dict[str, Any] = response.json()
    return found


def crafted(clinic: Clinic, name: str, document: dict[str, Any], clinic_of: str) -> int:
    """A template written straight into the database, past every check."""
    clinic_id = clinic.people[clinic_of].clinic_id
    with clinic.store.engine.begin() as connection:
        result = connection.execute(
            insert(program_templates).values(
                clinic_id=clinic_id, name=name, program=json.dumps(document), updated_at=now_utc()
            )
        )
        key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


# Templates through the API.


def test_a_template_is_saved_listed_renamed_applied_and_deleted(
    clinic: Clinic, ann: TestClient
) -> None:
    pt, colleague = clinic.client("north_pt"), clinic.client("north_pt2")
    made = saved(pt, "  Early  bridging ", NOTED)
    assert made["name"] == "Early bridging"
    assert made["document"]["exercise_notes"]["dead-bug"] == SCRIPT_NOTE
    # The whole clinic sees it; another clinic does not.
    assert [t["name"] for t in colleague.get(TEMPLATES).json()] == ["Early bridging"]
    assert clinic.client("south_pt").get(TEMPLATES).json() == []

    renamed = pt.patch(f"{TEMPLATES}/{made['id']}", json={"name": "Bridging, week 1"})
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["name"] == "Bridging, week 1"

    applied = pt.post(
        prescription_path(clinic, "ann") + "/template", json={"template_id": made["id"]}
    )
    assert applied.status_code == 200, applied.text
    stored = pt.get(prescription_path(clinic, "ann")).json()
    assert [e["exercise"] for e in stored["phases"]["1"]] == ["glute-bridge", "dead-bug"]
    assert stored["exercise_notes"]["glute-bridge"] == SCRIPT_NOTE

    assert pt.delete(f"{TEMPLATES}/{made['id']}").status_code == 204
    assert pt.get(TEMPLATES).json() == []
    # The patient started from it keeps their program.
    assert pt.get(prescription_path(clinic, "ann")).json() == stored


def test_a_name_taken_in_the_clinic_or_a_blank_one_is_refused_and_nothing_is_written(
    clinic: Clinic,
) -> None:
    pt = clinic.client("north_pt")
    first = saved(pt, "Bridging", PRESCRIBED)
    other = saved(pt, "Walking", PRESCRIBED)
    before = clinical_rows(clinic)

    taken = pt.post(TEMPLATES, json={"name": "Bridging", "document": PRESCRIBED})
    blank = pt.post(TEMPLATES, json={"name": "   ", "document": PRESCRIBED})
    rename = pt.patch(f"{TEMPLATES}/{other['id']}", json={"name": "Bridging"})
    hidden = pt.patch(f"{TEMPLATES}/{first['id']}", json={"name": "Bridg\u202eing"})

    assert taken.status_code == 422
    assert "already has a template called 'Bridging'" in taken.json()["message"]
    assert blank.status_code == 422 and "name" in blank.json()["message"]
    assert rename.status_code == 422 and "already has" in rename.json()["message"]
    assert hidden.status_code == 422 and "cannot be seen" in hidden.json()["message"]
    assert clinical_rows(clinic) == before
    # Another clinic may use the same name: templates are per clinic.
    assert (
        clinic.client("south_pt")
        .post(TEMPLATES, json={"name": "Bridging", "document": {}})
        .status_code
        == 201
    )


def test_a_template_the_safety_rules_refuse_cannot_be_saved(clinic: Clinic) -> None:
    pt = clinic.client("north_pt")
    before = clinical_rows(clinic)
    for document, reason in ((LOADED_FLEXION, FLEXION_REASON), (TOO_HEAVY, HEAVY_REASON)):
        response = pt.post(TEMPLATES, json={"name": "Unsafe", "document": document})
        assert response.status_code == 422, response.text
        assert reason in response.json()["reasons"]
    assert clinical_rows(clinic) == before


def test_a_template_crafted_in_the_database_past_the_rules_is_never_applied(
    clinic: Clinic, ann: TestClient
) -> None:
    """Written by hand into the table: applying it is refused with the rule it breaks, the
    form does not show it, and nothing is written."""
    pt = clinic.client("north_pt")
    assert pt.put(prescription_path(clinic, "ann"), json=PRESCRIBED).status_code == 200
    flexion = crafted(clinic, "Loaded flexion", LOADED_FLEXION, "north_pt")
    heavy = crafted(clinic, "Too heavy", TOO_HEAVY, "north_pt")
    before = clinical_rows(clinic)
    path = prescription_path(clinic, "ann") + "/template"
    ann_id = clinic.people["ann"].id

    for template_id, reason in ((flexion, FLEXION_REASON), (heavy, HEAVY_REASON)):
        response = pt.post(path, json={"template_id": template_id})
        assert response.status_code == 422, response.text
        assert reason in response.json()["reasons"]
        page = pt.get(f"/clinic/patients/{ann_id}/prescription", params={"template": template_id})
        assert page.status_code == 200
        assert reason in text(page)
        assert "cannot be used" in text(page)
        # The grid still holds Ann's own program (cat-cow is not in it).
        form = prescription_form(pt, ann_id)
        assert "cat-cow" not in form["phase1"]
    assert clinical_rows(clinic) == before


def test_another_clinics_template_is_not_found_and_nothing_is_written(
    clinic: Clinic, ann: TestClient
) -> None:
    south = clinic.client("south_pt")
    theirs = saved(south, "South's bridging", PRESCRIBED)
    pt = clinic.client("north_pt")
    ann_id = clinic.people["ann"].id
    before = clinical_rows(clinic)

    answers = [
        pt.patch(f"{TEMPLATES}/{theirs['id']}", json={"name": "Ours now"}),
        pt.delete(f"{TEMPLATES}/{theirs['id']}"),
        pt.post(prescription_path(clinic, "ann") + "/template", json={"template_id": theirs["id"]}),
        pt.post(f"/clinic/templates/{theirs['id']}/rename", data={"name": "Ours now"}),
        pt.post(f"/clinic/templates/{theirs['id']}/delete"),
        pt.get(f"/clinic/patients/{ann_id}/prescription", params={"template": theirs["id"]}),
    ]

    # A number no template's id can be (ids are 32-bit on PostgreSQL): not found either.
    answers += [
        pt.patch(f"{TEMPLATES}/{2**40}", json={"name": "Ours now"}),
        pt.delete(f"{TEMPLATES}/{2**63}"),
        pt.post(prescription_path(clinic, "ann") + "/template", json={"template_id": 2**40}),
    ]

    assert [a.status_code for a in answers] == [404] * len(answers)
    assert all("South's bridging" not in a.text for a in answers)
    assert clinical_rows(clinic) == before
    assert [t["name"] for t in south.get(TEMPLATES).json()] == ["South's bridging"]


# Copying another patient's program.


def test_a_program_is_copied_from_another_of_the_clinicians_patients(
    clinic: Clinic, ann: TestClient
) -> None:
    pt = clinic.client("north_pt")
    start(clinic.client("bob"))
    assert pt.put(prescription_path(clinic, "bob"), json=NOTED).status_code == 200
    bob_id = clinic.people["bob"].id

    copied = pt.post(prescription_path(clinic, "ann") + "/copy", json={"from_patient_id": bob_id})

    assert copied.status_code == 200, copied.text
    assert (
        pt.get(prescription_path(clinic, "ann")).json()
        == pt.get(prescription_path(clinic, "bob")).json()
    )
    # Reading Bob's program to copy it is in the audit log, in the clinician's name.
    read = [e for e in audit.entries(clinic.accounts) if e.patient_id == bob_id]
    assert any(
        e.target == f"prescription of patient {bob_id} (copied)"
        and e.actor_id == clinic.people["north_pt"].id
        and e.action == "read"
        for e in read
    )


def test_a_program_is_not_copied_from_anyone_elses_patient_and_nothing_is_written(
    clinic: Clinic, ann: TestClient
) -> None:
    """Cy is a patient of another clinician of the same clinic, Dee of another clinic:
    neither is the clinician's to read. A patient on the default program has nothing to
    copy."""
    north2, south = clinic.client("north_pt2"), clinic.client("south_pt")
    start(clinic.client("cy"))
    start(clinic.client("dee"))
    assert north2.put(prescription_path(clinic, "cy"), json=PRESCRIBED).status_code == 200
    assert south.put(prescription_path(clinic, "dee"), json=PRESCRIBED).status_code == 200
    pt = clinic.client("north_pt")
    ann_id = clinic.people["ann"].id
    before = clinical_rows(clinic)

    for name in ("cy", "dee"):
        other = clinic.people[name].id
        response = pt.post(
            prescription_path(clinic, "ann") + "/copy", json={"from_patient_id": other}
        )
        page = pt.get(f"/clinic/patients/{ann_id}/prescription", params={"copy": other})
        assert response.status_code == 404, response.text
        assert page.status_code == 404
    start(clinic.client("bob"))  # on the default program
    bob = pt.post(
        prescription_path(clinic, "ann") + "/copy",
        json={"from_patient_id": clinic.people["bob"].id},
    )
    assert bob.status_code == 422 and "default program" in bob.json()["message"]
    rows = clinical_rows(clinic)
    assert rows["prescriptions"] == before["prescriptions"]
    assert rows["program_templates"] == before["program_templates"]


# The pages.


def test_a_clinician_saves_starts_from_renames_and_deletes_templates_in_the_pages(
    clinic: Clinic, ann: TestClient
) -> None:
    pt = clinic.client("north_pt")
    ann_id = clinic.people["ann"].id
    assert pt.put(prescription_path(clinic, "ann"), json=NOTED).status_code == 200
    token = pt.headers["X-CSRF-Token"]

    response = pt.post(
        f"/clinic/patients/{ann_id}/templates", data={"name": "Bridging", "csrf_token": token}
    )
    assert response.status_code == 303, response.text
    listed = pt.get("/clinic/templates")
    assert "Bridging" in text(listed)
    made = pt.get(TEMPLATES).json()[0]
    assert made["document"] == pt.get(prescription_path(clinic, "ann")).json()

    # A second patient starts from it: the grid shows it, nothing is written yet.
    eve = new_patient(clinic, "eve")
    start(eve)
    eve_id = clinic.people["eve"].id
    page = pt.get(f"/clinic/patients/{eve_id}/prescription", params={"template": made["id"]})
    assert page.status_code == 200
    assert "The form shows the template “Bridging”" in text(page)
    assert pt.get(prescription_path(clinic, "eve")).json() is None
    assert 'value="Keep the range small on the left &lt;script&gt;' in page.text

    renamed = pt.post(
        f"/clinic/templates/{made['id']}/rename", data={"name": "Bridges", "csrf_token": token}
    )
    assert renamed.status_code == 303
    assert [t["name"] for t in pt.get(TEMPLATES).json()] == ["Bridges"]
    gone = pt.post(f"/clinic/templates/{made['id']}/delete", data={"csrf_token": token})
    assert gone.status_code == 303
    assert "Bridges" not in text(pt.get("/clinic/templates"))


def test_a_refused_save_from_the_page_says_why_and_writes_nothing(
    clinic: Clinic, ann: TestClient
) -> None:
    pt = clinic.client("north_pt")
    ann_id = clinic.people["ann"].id
    token = pt.headers["X-CSRF-Token"]
    saved(pt, "Bridging", PRESCRIBED)
    before = clinical_rows(clinic)

    taken = pt.post(
        f"/clinic/patients/{ann_id}/templates", data={"name": "Bridging", "csrf_token": token}
    )
    blank = pt.post(f"/clinic/patients/{ann_id}/templates", data={"name": "", "csrf_token": token})

    assert taken.status_code == 422
    assert "Your clinic already has a template called 'Bridging'" in text(taken)
    assert blank.status_code == 422 and "Give the template a name" in text(blank)
    assert clinical_rows(clinic) == before


# Notes on single exercises.


def test_notes_on_exercises_reach_the_player_the_handout_and_the_library_escaped(
    clinic: Clinic, ann: TestClient, tmp_path: Path
) -> None:
    pt = clinic.client("north_pt")
    assert pt.put(prescription_path(clinic, "ann"), json=NOTED).status_code == 200
    clinic.clock.today = THURSDAY

    player = ann.get("/session")
    assert player.status_code == 200
    shown = re.search(r'data-exercise="([^"]+)"', player.text)
    assert shown is not None and shown.group(1) in NOTED["exercise_notes"]
    escaped = "Keep the range small on the left &lt;script&gt;alert(1)&lt;/script&gt;"
    assert escaped in player.text and "<script>alert(1)" not in player.text

    library = ann.get("/library/dead-bug")
    assert escaped in library.text and "<script>alert(1)" not in library.text
    # Nobody else reads Ann's note: another patient, or someone not signed in.
    assert "Keep the range small" not in clinic.client("bob").get("/library/dead-bug").text
    assert "Keep the range small" not in clinic.client().get("/library/dead-bug").text
    assert "Keep the range small" not in ann.get("/library/bird-dog").text

    record = caseload.patient_record(clinic.store, clinic.app.state.content, clinic.people["ann"])
    handout = handouts.handout_html(record, THURSDAY)
    assert escaped in handout and "<script>alert(1)" not in handout
    pdf = tmp_path / "handout.pdf"
    response = ann.get("/handout.pdf")
    assert response.status_code == 200
    pdf.write_bytes(response.content)
    words = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    assert "Keep the range small on the left" in " ".join(words.stdout.split())


def test_a_note_that_would_not_be_read_or_is_too_long_is_refused_and_nothing_is_written(
    clinic: Clinic, ann: TestClient
) -> None:
    pt = clinic.client("north_pt")
    path = prescription_path(clinic, "ann")
    assert pt.put(path, json=PRESCRIBED).status_code == 200
    before = clinical_rows(clinic)

    unheld = pt.put(path, json={**PRESCRIBED, "exercise_notes": {"foam-rolling": "Slowly."}})
    unknown = pt.put(path, json={**PRESCRIBED, "exercise_notes": {"sit-up": "Slowly."}})
    long = pt.put(path, json={**PRESCRIBED, "exercise_notes": {"dead-bug": "x" * 301}})
    hidden = pt.put(path, json={**PRESCRIBED, "exercise_notes": {"dead-bug": "left\u202eright"}})

    assert unheld.status_code == 422
    assert "The note on Foam rolling would not be read" in unheld.json()["reasons"][0]
    assert unknown.status_code == 422 and "'sit-up'" in unknown.json()["reasons"][0]
    assert long.status_code == 422 and "300" in long.json()["message"]
    assert hidden.status_code == 422 and "invisible character" in hidden.json()["message"]
    assert clinical_rows(clinic) == before


def test_the_form_sets_and_keeps_a_note_on_an_exercise(clinic: Clinic, ann: TestClient) -> None:
    pt = clinic.client("north_pt")
    ann_id = clinic.people["ann"].id
    assert pt.put(prescription_path(clinic, "ann"), json=PRESCRIBED).status_code == 200
    form = prescription_form(pt, ann_id)
    form["note-dead-bug"] = ["Keep the range small on the left"]

    response = pt.post(f"/clinic/patients/{ann_id}/prescription", data=form)

    assert response.status_code == 303, response.text
    stored = pt.get(prescription_path(clinic, "ann")).json()
    assert stored["exercise_notes"] == {"dead-bug": "Keep the range small on the left"}
    assert prescription_form(pt, ann_id)["note-dead-bug"] == ["Keep the range small on the left"]


def test_a_refused_note_in_the_form_says_why_keeps_what_was_typed_and_writes_nothing(
    clinic: Clinic, ann: TestClient
) -> None:
    pt = clinic.client("north_pt")
    ann_id = clinic.people["ann"].id
    assert pt.put(prescription_path(clinic, "ann"), json=PRESCRIBED).status_code == 200
    before = clinical_rows(clinic)
    form = prescription_form(pt, ann_id)
    form["note-foam-rolling"] = ["Gently <i>please</i>"]

    response = pt.post(f"/clinic/patients/{ann_id}/prescription", data=form)

    assert response.status_code == 422
    assert "The note on Foam rolling would not be read" in text(response)
    assert 'value="Gently &lt;i&gt;please&lt;/i&gt;"' in response.text
    assert clinical_rows(clinic) == before
