"""The patient's comment per exercise on a clinic's server (issue #20), on SQLite and
PostgreSQL: the patient writes it under the pain question in the player; their clinician
reads it on the patient's page (escaped: it is the patient's text) and in the session
record of the clinic's records API; a clinician of another clinic, or another clinician of
the same clinic, finds neither, and nothing is written."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.server.conftest import Clinic, start
from tests.server.test_matrix import clinical_rows
from tests.web.conftest import text

SAID = "<script>alert(1)</script> Left side tight & a bit sore"
"""The patient's comment: markup that must be shown as text, never run."""


def commented(clinic: Clinic) -> TestClient:
    """Ann does her first session in the player, with a comment on the first exercise."""
    ann = clinic.client("ann")
    plan = start(ann)
    exercises = [e["id"] for e in plan["exercises"]]
    for position, exercise in enumerate(exercises):
        data = {"exercise": exercise, "pain": "ache" if position == 0 else "none"}
        if position == 0:
            data["comment"] = SAID
        response = ann.post("/session/answer", data=data)
        assert response.status_code == 200, response.text
    return ann


def test_the_clinician_reads_the_comment_on_the_patients_page_and_in_the_api(
    clinic: Clinic,
) -> None:
    commented(clinic)
    pt = clinic.client("north_pt")
    patient = clinic.people["ann"].id

    page = pt.get(f"/clinic/patients/{patient}")
    assert page.status_code == 200
    assert f"Diaphragmatic breathing: ache {SAID}" in text(page)
    assert "<script>alert(1)" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Left side tight &amp; a bit sore" in page.text

    records = pt.get(f"/api/v1/clinic/patients/{patient}/records")
    assert records.status_code == 200, records.text
    [session] = [r for r in records.json()["records"] if r["type"] == "session"]
    first = session["exercises"][0]
    assert first == {"id": "diaphragmatic-breathing", "pain": "ache", "comment": SAID}
    assert all("comment" not in e for e in session["exercises"][1:])


@pytest.mark.parametrize("who", ["north_pt2", "south_pt"])
def test_another_clinician_finds_neither_the_page_nor_the_comment(clinic: Clinic, who: str) -> None:
    commented(clinic)
    other = clinic.client(who)
    patient = clinic.people["ann"].id
    before = clinical_rows(clinic)
    for response in (
        other.get(f"/clinic/patients/{patient}"),
        other.get(f"/api/v1/clinic/patients/{patient}/records"),
    ):
        assert response.status_code == 404, response.text
        assert "Left side tight" not in response.text
    assert clinical_rows(clinic) == before


def test_a_refused_comment_in_accounts_mode_writes_nothing(clinic: Clinic) -> None:
    ann = clinic.client("ann")
    plan = start(ann)
    before = clinical_rows(clinic)
    exercise = plan["exercises"][0]["id"]
    refused = ann.post(
        "/session/answer", data={"exercise": exercise, "pain": "none", "comment": "z" * 300}
    )
    assert refused.status_code == 422
    assert "keep the comment to 280 characters (it has 300)" in text(refused)
    assert clinical_rows(clinic) == before
