"""What a request the access rules turn away is told, on a clinic's server (accounts mode),
on SQLite and on PostgreSQL.

`test_matrix.py` holds every route to "refused, and nothing leaks"; these tests hold the
refusals to their words: the status, the message, the page's title, and the API schema that
documents them. Everything goes through HTTP, as a browser or an API client sends it.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.server.conftest import Clinic

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
"""Digits of another script: Python's int() reads them, an address's id must not."""


def audit_entries(clinic: Clinic) -> int:
    """How many entries the North Clinic's audit log holds, as its admin reads it."""
    response = clinic.client("north_admin").get("/api/v1/admin/audit")
    assert response.status_code == 200, response.text
    return len(response.json())


def title(response: Any) -> str:
    found = re.search(r"<h1>(.*?)</h1>", response.text, flags=re.S)
    assert found is not None, response.text[:300]
    return found.group(1).strip()


def test_a_clinician_lists_their_own_patients(clinic: Clinic, ann: TestClient) -> None:
    """A clinician's route without a patient in its address needs no patient id."""
    pt = clinic.client("north_pt")

    listed = pt.get("/api/v1/clinic/patients")
    page = pt.get("/clinic")

    assert listed.status_code == 200, listed.text
    emails = {patient["email"] for patient in listed.json()}
    assert emails == {"ann@example.org", "bob@example.org"}
    assert page.status_code == 200, page.text[:300]
    assert "ann@example.org" in page.text


@pytest.mark.parametrize(
    ("who", "method", "path", "kind"),
    [
        ("ann", "GET", "/api/v1/clinic/patients", "clinician"),
        ("north_pt", "GET", "/api/v1/messages", "patient"),
        ("north_admin", "GET", "/api/v1/today", "patient"),
        ("north_pt", "GET", "/api/v1/admin/accounts", "admin"),
        ("north_pt", "POST", "/api/v1/clearances", "patient"),
        ("ann", "POST", "/api/v1/clinic/patients/{ann}/clearances", "clinician"),
        ("north_admin", "POST", "/api/v1/clinic/patients/{ann}/acknowledgements", "clinician"),
    ],
)
def test_another_kind_of_account_is_told_whose_route_it_is(
    clinic: Clinic, who: str, method: str, path: str, kind: str
) -> None:
    url = path.replace("{ann}", str(clinic.people["ann"].id))

    response = clinic.client(who).request(method, url, json={})

    assert response.status_code == 403
    assert response.json() == {"message": f"this page is for a {kind}'s account"}


@pytest.mark.parametrize("patient_id", ["abc", "12a", "-1", "1.0", "%20"])
def test_a_patient_id_that_is_not_a_number_is_not_found(
    clinic: Clinic, ann: TestClient, patient_id: str
) -> None:
    pt = clinic.client("north_pt")
    seen = audit_entries(clinic)

    api = pt.get(f"/api/v1/clinic/patients/{patient_id}")
    page = pt.get(f"/clinic/patients/{patient_id}")

    assert api.status_code == 404
    assert api.json() == {"message": "no such patient among yours"}
    assert page.status_code == 404
    assert audit_entries(clinic) == seen


def test_a_patient_id_in_another_scripts_digits_is_not_found_and_not_logged(
    clinic: Clinic, ann: TestClient
) -> None:
    """Ann's own id, in Arabic-Indic digits: int() would read it as hers, so the access
    would be logged, and then the route's own validation would refuse it."""
    pt = clinic.client("north_pt")
    ann_id = clinic.people["ann"].id
    seen = audit_entries(clinic)

    for path in (f"/api/v1/clinic/patients/{ann_id}", f"/clinic/patients/{ann_id}"):
        other_digits = path.translate(ARABIC_INDIC)
        response = pt.get(other_digits)
        assert response.status_code == 404, (other_digits, response.text[:300])
    assert audit_entries(clinic) == seen
    # Her id in ASCII digits is found (and that read is logged).
    assert pt.get(f"/api/v1/clinic/patients/{ann_id}").status_code == 200
    assert audit_entries(clinic) == seen + 1


def test_another_clinicians_patient_is_not_found(clinic: Clinic, ann: TestClient) -> None:
    pt2 = clinic.client("north_pt2")

    response = pt2.get(f"/api/v1/clinic/patients/{clinic.people['ann'].id}")

    assert response.status_code == 404
    assert "message" in response.json()


def test_another_clinician_cannot_clear_or_acknowledge_a_patients_alert(
    clinic: Clinic, ann: TestClient
) -> None:
    """Only the patient's own clinician clears: a colleague of the same clinic is told the
    patient is not theirs, and the alert stands."""
    assert ann.post("/api/v1/checkins", json={"symptoms": ["fever"]}).status_code == 201
    ann_id = clinic.people["ann"].id
    since = ann.get("/api/v1/today").json()["alerts"][0]["since"]

    for who in ("north_pt2", "south_pt"):
        other = clinic.client(who)
        cleared = other.post(f"/api/v1/clinic/patients/{ann_id}/clearances", json={})
        seen = other.post(
            f"/api/v1/clinic/patients/{ann_id}/acknowledgements",
            json={"code": "fever", "since": since},
        )
        page = other.post(f"/clinic/patients/{ann_id}/clearances", data={"alerts": "fever"})
        assert (cleared.status_code, seen.status_code, page.status_code) == (404, 404, 404), who
        assert cleared.json() == {"message": "no such patient among yours"}

    today = ann.get("/api/v1/today").json()
    assert today["kind"] == "blocked"
    assert [(a["level"], a["code"]) for a in today["alerts"]] == [("urgent", "fever")]


def test_a_refused_page_says_why_in_its_title(clinic: Clinic, ann: TestClient) -> None:
    anonymous = clinic.client()
    unsigned = anonymous.post("/messages", data={"body": "hello"})
    assert unsigned.status_code == 401
    assert title(unsigned) == "Please sign in"
    assert "sign in first" in unsigned.text

    wrong_kind = clinic.client("ann").get("/clinic")
    assert wrong_kind.status_code == 403
    assert title(wrong_kind) == "Not for this account"
    assert "for a clinician&#39;s account" in wrong_kind.text

    not_theirs = clinic.client("north_pt2").get(f"/clinic/patients/{clinic.people['ann'].id}")
    assert not_theirs.status_code == 404
    assert title(not_theirs) == "Not found"


def test_the_api_schema_documents_the_refusals_a_wrong_account_gets(
    clinic: Clinic, ann: TestClient
) -> None:
    """Each refusal below is answered as the schema of its operation says: its status is
    documented there, with the refusal's shape (a message)."""
    schema = clinic.client().get("/api/v1/openapi.json").json()
    ann_id = clinic.people["ann"].id
    refusals = [
        (None, "/api/v1/clinic/patients", "/api/v1/clinic/patients", 401),
        ("ann", "/api/v1/clinic/patients", "/api/v1/clinic/patients", 403),
        ("north_pt", "/api/v1/admin/audit", "/api/v1/admin/audit", 403),
        ("north_admin", "/api/v1/messages", "/api/v1/messages", 403),
        (
            "north_pt2",
            f"/api/v1/clinic/patients/{ann_id}/prescription",
            "/api/v1/clinic/patients/{patient_id}/prescription",
            404,
        ),
        (
            "south_pt",
            f"/api/v1/clinic/patients/{ann_id}",
            "/api/v1/clinic/patients/{patient_id}",
            404,
        ),
    ]
    for who, url, template, status in refusals:
        response = clinic.client(who).get(url)
        assert response.status_code == status, (who, url, response.text)
        assert set(response.json()) == {"message"}
        documented = schema["paths"][template]["get"]["responses"]
        assert str(status) in documented, (template, status, sorted(documented))
        shape = documented[str(status)]["content"]["application/json"]["schema"]
        assert shape == {"$ref": "#/components/schemas/Refusal"}, (template, status)
    not_found = schema["paths"]["/api/v1/clinic/patients/{patient_id}"]["get"]["responses"]
    assert "another clinician's patient" in not_found["404"]["description"]
