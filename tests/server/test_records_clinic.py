"""Correcting a mistake on a clinic's server (issue #15), on SQLite and PostgreSQL.

Each record is corrected by whoever made it: the patient their own answers, through
`/api/v1/records`; their clinician the clearances they recorded, through
`/api/v1/clinic/patients/{id}/records` or the patient's page. A patient's edit and delete
are written to the audit log, and so is the clinician's; the clinician sees what the
patient corrected ("corrected on", "deleted on") beside each record. Nobody corrects what
someone else recorded, and another clinician's patient is not found at all.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from lumbar.domain.access import AuditEntry
from lumbar.usecases import audit
from tests.builders import START
from tests.server.conftest import Clinic, email, start
from tests.server.test_matrix import clinical_rows
from tests.web.conftest import text

TODAY = "Mon 2 Nov 2026"
"""The clock's day (START), as the pages write it."""


def audit_since(clinic: Clinic, seen: int) -> list[AuditEntry]:
    return audit.entries(clinic.accounts)[seen:]


def listed(client: TestClient, path: str = "/api/v1/records") -> list[dict[str, Any]]:
    response = client.get(path)
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["records"]
    return found


def newest(client: TestClient, type_: str, path: str = "/api/v1/records") -> dict[str, Any]:
    found = [r for r in listed(client, path) if r["type"] == type_ and not r["intake"]]
    assert found, f"no {type_} record"
    return found[-1]


def codes(client: TestClient) -> set[str]:
    response = client.get("/api/v1/today")
    assert response.status_code == 200, response.text
    return {a["code"] for a in response.json()["alerts"]}


def checked_in(client: TestClient, **answers: Any) -> dict[str, Any]:
    response = client.post("/api/v1/checkins", json=answers)
    assert response.status_code == 201, response.text
    return newest(client, "checkin")


def cleared(clinic: Clinic, ann: TestClient) -> dict[str, Any]:
    """Ann reports a fever and asks to be cleared; her clinician clears her. The clearance
    (recorded by the clinician), as Ann's records list it."""
    checked_in(ann, pain=5, symptoms=["fever"])
    assert ann.post("/api/v1/clearances", json={"alerts": ["fever"], "by": "Dr Rao"}).is_success
    pt = clinic.client("north_pt")
    response = pt.post(f"{clinic_api(clinic)}/clearances", json={"alerts": ["fever"]})
    assert response.status_code == 201, response.text
    assert "fever" not in codes(ann)
    clearance = newest(ann, "clearance")
    assert clearance["by_clinician"] is True
    return clearance


def clinic_api(clinic: Clinic, name: str = "ann") -> str:
    return f"/api/v1/clinic/patients/{clinic.people[name].id}"


def row_of(page: Any, record_id: str) -> str:
    """The words of one record's row on the clinician's patient page."""
    found = re.search(rf'<tr id="record-{record_id}".*?</tr>', page.text, flags=re.S)
    assert found is not None, f"no row for {record_id}"
    return found.group(0)


# The patient's own corrections.


def test_a_patients_edit_delete_and_undo_are_each_in_the_audit_log(
    clinic: Clinic, ann: TestClient
) -> None:
    record = checked_in(ann, pain=5)
    path = f"/api/v1/records/{record['id']}"
    me = clinic.people["ann"]

    for method, url, action in (
        ("PATCH", path, "edit"),
        ("DELETE", path, "delete"),
        ("POST", f"{path}/undo", "undo delete"),
    ):
        seen = len(audit.entries(clinic.accounts))
        response = ann.request(method, url, json={"pain": 3} if method == "PATCH" else None)
        assert response.status_code == 200, response.text
        [entry] = audit_since(clinic, seen)
        assert (entry.actor_id, entry.actor_role, entry.action, entry.patient_id) == (
            me.id,
            "patient",
            "write",
            me.id,
        )
        assert entry.target == f"records/{record['id']}: {action}"


def test_a_patients_refused_correction_writes_nothing_not_even_an_audit_entry(
    clinic: Clinic, ann: TestClient
) -> None:
    record = checked_in(ann, pain=5)
    before = clinical_rows(clinic)
    seen = len(audit.entries(clinic.accounts))

    response = ann.patch(f"/api/v1/records/{record['id']}", json={"date": "2026-11-03"})

    assert response.status_code == 422, response.text
    assert clinical_rows(clinic) == before
    assert audit_since(clinic, seen) == []


def test_the_clinician_sees_what_the_patient_corrected_and_deleted(
    clinic: Clinic, ann: TestClient
) -> None:
    edited = checked_in(ann, pain=5)
    assert ann.patch(f"/api/v1/records/{edited['id']}", json={"pain": 3}).status_code == 200
    report = ann.post("/api/v1/problems", json={"kind": "other", "note": "a sore knee"})
    assert report.status_code == 201, report.text
    deleted = newest(ann, "problem")
    assert ann.delete(f"/api/v1/records/{deleted['id']}").status_code == 200
    pt = clinic.client("north_pt")

    seen = listed(pt, f"{clinic_api(clinic)}/records")
    page = pt.get(f"/clinic/patients/{clinic.people['ann'].id}")

    assert seen == listed(ann)
    by_id = {r["id"]: r for r in seen}
    assert (by_id[edited["id"]]["pain"], by_id[edited["id"]]["corrected_on"]) == (
        3,
        START.isoformat(),
    )
    assert by_id[deleted["id"]]["deleted_on"] == START.isoformat()
    assert page.status_code == 200, page.text[:300]
    assert f"corrected on {TODAY}" in text_of(row_of(page, edited["id"]))
    assert "pain 3/10" in text_of(row_of(page, edited["id"]))
    assert f"deleted on {TODAY}" in text_of(row_of(page, deleted["id"]))
    # The patient's own records carry no button of the clinician's.
    assert "<form" not in row_of(page, edited["id"])
    assert "<form" not in row_of(page, deleted["id"])


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# What nobody but its maker corrects.


def test_a_clinician_cannot_correct_the_patients_own_answers(
    clinic: Clinic, ann: TestClient
) -> None:
    record = checked_in(ann, pain=5)
    pt = clinic.client("north_pt")
    url = f"{clinic_api(clinic)}/records/{record['id']}"
    before = clinical_rows(clinic)

    for response in (
        pt.patch(url, json={"pain": 2}),
        pt.delete(url),
        pt.post(f"{url}/undo"),
    ):
        assert response.status_code == 404, response.text
        assert response.json()["message"] == (
            f"{record['id']} is the patient's own record: only they can change what they answered"
        )
    form = pt.post(f"/clinic/patients/{clinic.people['ann'].id}/records/{record['id']}/delete")
    assert form.status_code == 422
    assert "only they can change what they answered" in text(form)

    assert clinical_rows(clinic) == before
    assert newest(ann, "checkin") == record


def test_a_patient_cannot_delete_the_clearance_their_clinician_recorded(
    clinic: Clinic, ann: TestClient
) -> None:
    clearance = cleared(clinic, ann)
    url = f"/api/v1/records/{clearance['id']}"
    before = clinical_rows(clinic)

    for response in (ann.delete(url), ann.patch(url, json={"by": "Dr Who"})):
        assert response.status_code == 404, response.text
        assert response.json()["message"] == (
            f"{clearance['id']} is a clearance your clinician recorded: "
            "only a clinician corrects it"
        )

    assert clinical_rows(clinic) == before
    assert "fever" not in codes(ann)


def test_a_clinician_deletes_their_own_clearance_audited_and_the_alerts_come_back(
    clinic: Clinic, ann: TestClient
) -> None:
    clearance = cleared(clinic, ann)
    pt = clinic.client("north_pt")
    me, patient = clinic.people["north_pt"], clinic.people["ann"]
    url = f"{clinic_api(clinic)}/records/{clearance['id']}"
    page = pt.get(f"/clinic/patients/{patient.id}")
    assert "Delete this clearance" in row_of(page, clearance["id"])
    assert page.text.count("Delete this clearance") == 1
    seen = len(audit.entries(clinic.accounts))

    edited = pt.patch(url, json={"by": "Dr Rao, physiotherapist"})
    undone = pt.post(f"{url}/undo")
    deleted = pt.delete(url)

    assert edited.status_code == 200, edited.text
    assert edited.json()["by"] == "Dr Rao, physiotherapist"
    assert undone.status_code == 200, undone.text
    assert undone.json() == clearance
    assert deleted.status_code == 200, deleted.text
    assert (deleted.json()["deleted_on"], deleted.json()["undo"]) == (START.isoformat(), "delete")
    entries = audit_since(clinic, seen)
    assert [(e.actor_id, e.action, e.patient_id, e.target) for e in entries] == [
        (me.id, "write", patient.id, f"PATCH {url}"),
        (me.id, "write", patient.id, f"POST {url}/undo"),
        (me.id, "write", patient.id, f"DELETE {url}"),
    ]
    assert "fever" in codes(ann)
    page = pt.get(f"/clinic/patients/{patient.id}")
    assert f"deleted on {TODAY}" in text_of(row_of(page, clearance["id"]))
    assert "Delete this clearance" not in page.text
    # The alerts stand again, on the page's safety form, until the clinician clears them.
    assert 'name="alerts" value="fever"' in page.text
    again = pt.post(f"{clinic_api(clinic)}/clearances", json={"alerts": ["fever"]})
    assert again.status_code == 201, again.text
    assert "fever" not in codes(ann)


def test_the_clinician_deletes_their_clearance_from_the_patients_page(
    clinic: Clinic, ann: TestClient
) -> None:
    clearance = cleared(clinic, ann)
    pt = clinic.client("north_pt")
    patient = clinic.people["ann"]
    action = f"/clinic/patients/{patient.id}/records/{clearance['id']}/delete"
    page = pt.get(f"/clinic/patients/{patient.id}")
    assert f'action="{action}"' in row_of(page, clearance["id"])
    assert 'name="csrf_token"' in row_of(page, clearance["id"])
    seen = len(audit.entries(clinic.accounts))

    response = pt.post(action)

    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"/clinic/patients/{patient.id}#records"
    [entry] = audit_since(clinic, seen)
    assert (entry.action, entry.patient_id, entry.target) == ("write", patient.id, f"POST {action}")
    assert "fever" in codes(ann)
    assert newest(ann, "clearance")["deleted_on"] == START.isoformat()


def test_a_refused_delete_from_the_page_is_said_there_and_writes_nothing(
    clinic: Clinic, ann: TestClient
) -> None:
    pt = clinic.client("north_pt")
    patient = clinic.people["ann"]
    before = clinical_rows(clinic)

    response = pt.post(f"/clinic/patients/{patient.id}/records/cl999999/delete")

    assert response.status_code == 422
    assert "No record cl999999" in text(response)
    assert clinical_rows(clinic) == before


# Whose records are reachable.


@pytest.mark.parametrize("who", ["north_pt2", "south_pt"])
def test_another_clinicians_patient_is_not_found(clinic: Clinic, ann: TestClient, who: str) -> None:
    clearance = cleared(clinic, ann)
    other = clinic.client(who)
    patient = clinic.people["ann"]
    url = f"{clinic_api(clinic)}/records/{clearance['id']}"
    before = clinical_rows(clinic)

    for response in (
        other.get(f"{clinic_api(clinic)}/records"),
        other.patch(url, json={"by": "Dr Who"}),
        other.delete(url),
        other.post(f"{url}/undo"),
        other.post(f"/clinic/patients/{patient.id}/records/{clearance['id']}/delete"),
    ):
        assert response.status_code == 404, response.text
        assert "fever" not in response.text and "Dr Rao" not in response.text

    assert clinical_rows(clinic) == before
    # Nor is one of their own patients reachable by Ann's clinician.
    assert clinic.client("north_pt").get(f"{clinic_api(clinic, 'cy')}/records").status_code == 404


def test_a_patient_reaches_only_their_own_records(clinic: Clinic, ann: TestClient) -> None:
    record = checked_in(ann, pain=5)
    dee = clinic.client("dee")
    start(dee)
    before = clinical_rows(clinic)

    for response in (
        dee.patch(f"/api/v1/records/{record['id']}", json={"pain": 1}),
        dee.delete(f"/api/v1/records/{record['id']}"),
        dee.post(f"/api/v1/records/{record['id']}/undo"),
    ):
        assert response.status_code == 404, response.text
    assert record["id"] not in {r["id"] for r in listed(dee)}
    assert clinical_rows(clinic) == before
    # And a clinician has no records of their own to reach there.
    assert clinic.client("north_pt").get("/api/v1/records").status_code == 403


def test_a_patient_who_has_not_started_has_no_records_yet(clinic: Clinic, ann: TestClient) -> None:
    pt = clinic.client("north_pt")

    response = pt.get(f"{clinic_api(clinic, 'bob')}/records")
    page = pt.get(f"/clinic/patients/{clinic.people['bob'].id}")

    assert response.status_code == 409, response.text
    assert page.status_code == 200 and 'id="records"' not in page.text


def test_the_records_follow_the_clock_of_the_server(clinic: Clinic, ann: TestClient) -> None:
    """A correction is dated by the server's clock, and so is the mark the clinician sees."""
    record = checked_in(ann, pain=5)
    clinic.clock.today = START + timedelta(days=2)

    assert ann.patch(f"/api/v1/records/{record['id']}", json={"pain": 4}).status_code == 200

    seen = {r["id"]: r for r in listed(clinic.client("north_pt"), f"{clinic_api(clinic)}/records")}
    assert seen[record["id"]]["corrected_on"] == clinic.clock.today.isoformat()
    assert email("ann") not in str(seen)
