"""The camera's summary of an exercise on a clinic's server (issue #21), on SQLite and
PostgreSQL: the patient's player sends it with the pain answer; their clinician reads it in
words on the patient's page and as data in the clinic's records API; a clinician of another
clinic, or another clinician of the same clinic, finds neither, and nothing is written."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from tests.camera_samples import BRIDGE
from tests.server.conftest import Clinic, start
from tests.server.test_matrix import clinical_rows
from tests.web.conftest import text

SEEN = {**BRIDGE, "seconds": 80}
"""8 reps, the hips low on 2, the camera on for 80 s and following the body for 41."""


def seen(clinic: Clinic) -> TestClient:
    """Ann does her first session in the player, the camera on for the glute bridge."""
    ann = clinic.client("ann")
    plan = start(ann)
    for e in plan["exercises"]:
        data = {"exercise": e["id"], "pain": "none"}
        if e["id"] == "glute-bridge":
            data["camera"] = json.dumps(SEEN)
        response = ann.post("/session/answer", data=data)
        assert response.status_code == 200, response.text
    return ann


def test_the_clinician_reads_the_summary_on_the_patients_page_and_in_the_api(
    clinic: Clinic,
) -> None:
    seen(clinic)
    pt = clinic.client("north_pt")
    patient = clinic.people["ann"].id

    page = pt.get(f"/clinic/patients/{patient}")
    assert page.status_code == 200
    assert (
        "Glute bridge: none (the camera counted: 8 reps; hips stayed low on 2; "
        "the camera lost them for part of it)" in text(page)
    )

    records = pt.get(f"/api/v1/clinic/patients/{patient}/records")
    assert records.status_code == 200, records.text
    [session] = [r for r in records.json()["records"] if r["type"] == "session"]
    cameras = {e["id"]: e.get("camera") for e in session["exercises"]}
    assert cameras.pop("glute-bridge") == SEEN
    assert set(cameras.values()) == {None}


@pytest.mark.parametrize("who", ["north_pt2", "south_pt"])
def test_another_clinician_finds_neither_the_page_nor_the_summary(clinic: Clinic, who: str) -> None:
    seen(clinic)
    other = clinic.client(who)
    patient = clinic.people["ann"].id
    before = clinical_rows(clinic)
    for response in (
        other.get(f"/clinic/patients/{patient}"),
        other.get(f"/api/v1/clinic/patients/{patient}/records"),
    ):
        assert response.status_code == 404, response.text
        assert "hips stayed low" not in response.text and "hips-low" not in response.text
    assert clinical_rows(clinic) == before


def test_a_refused_summary_in_accounts_mode_writes_nothing(clinic: Clinic) -> None:
    ann = clinic.client("ann")
    plan = start(ann)
    before = clinical_rows(clinic)
    exercise = plan["exercises"][0]["id"]
    refused = ann.post(
        "/session/answer",
        data={"exercise": exercise, "pain": "none", "camera": json.dumps(BRIDGE)},
    )
    assert refused.status_code == 422
    assert "the camera does not follow" in text(refused)
    assert clinical_rows(clinic) == before
