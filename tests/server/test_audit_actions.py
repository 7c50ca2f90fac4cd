"""The audit log tells a clinician's reads of a patient's record from their changes to it,
as the clinic's admin reads it through the API, on SQLite and on PostgreSQL.

Everything goes through HTTP: the clinician works on their patient's record, and the admin
downloads the audit log.
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.server.conftest import Clinic

NOTES_ONLY: dict[str, Any] = {"notes": "Walk for twenty minutes on the days between."}
"""A prescription that changes nothing but the notes (the default program otherwise)."""


def audit(clinic: Clinic) -> list[dict[str, Any]]:
    """The North Clinic's audit log, as its admin reads it through the API."""
    response = clinic.client("north_admin").get("/api/v1/admin/audit")
    assert response.status_code == 200, response.text
    entries: list[dict[str, Any]] = response.json()
    return entries


def entries_after(clinic: Clinic, seen: int) -> list[tuple[Any, ...]]:
    """(actor, role, action, patient, target) of each entry after the first `seen`."""
    return [
        (e["actor"], e["role"], e["action"], e["patient"], e["target"])
        for e in audit(clinic)[seen:]
    ]


def test_a_clinicians_get_of_a_patient_route_is_audited_as_a_read(
    clinic: Clinic, ann: TestClient
) -> None:
    pt = clinic.client("north_pt")
    me, patient = clinic.people["north_pt"].id, clinic.people["ann"].id
    paths = [
        f"/api/v1/clinic/patients/{patient}/prescription",
        f"/api/v1/clinic/patients/{patient}/messages",
        f"/clinic/patients/{patient}/prescription",
    ]
    for path in paths:
        seen = len(audit(clinic))

        response = pt.get(path)

        assert response.status_code == 200, (path, response.text[:300])
        assert entries_after(clinic, seen) == [(me, "clinician", "read", patient, f"GET {path}")], (
            path
        )


def test_a_clinicians_put_of_a_prescription_is_audited_as_a_write(
    clinic: Clinic, ann: TestClient
) -> None:
    pt = clinic.client("north_pt")
    me, patient = clinic.people["north_pt"].id, clinic.people["ann"].id
    path = f"/api/v1/clinic/patients/{patient}/prescription"
    seen = len(audit(clinic))

    response = pt.put(path, json=NOTES_ONLY)

    assert response.status_code == 200, response.text
    assert response.json()["notes"] == NOTES_ONLY["notes"]
    assert entries_after(clinic, seen) == [(me, "clinician", "write", patient, f"PUT {path}")]


def test_a_clinicians_post_of_a_message_is_audited_as_a_write_by_api_and_by_form(
    clinic: Clinic, ann: TestClient
) -> None:
    pt = clinic.client("north_pt")
    me, patient = clinic.people["north_pt"].id, clinic.people["ann"].id
    api = f"/api/v1/clinic/patients/{patient}/messages"
    form = f"/clinic/patients/{patient}/messages"
    seen = len(audit(clinic))

    by_api = pt.post(api, json={"body": "How did the bridges go?"})
    by_form = pt.post(form, data={"body": "Keep your ribs down."})

    assert (by_api.status_code, by_form.status_code) == (201, 303)
    assert entries_after(clinic, seen) == [
        (me, "clinician", "write", patient, f"POST {api}"),
        (me, "clinician", "write", patient, f"POST {form}"),
    ]
    # The patient reads both; her own reads are not clinician accesses and are not audited.
    seen = len(audit(clinic))
    thread = ann.get("/api/v1/messages").json()
    assert [m["body"] for m in thread] == ["How did the bridges go?", "Keep your ribs down."]
    assert entries_after(clinic, seen) == []
