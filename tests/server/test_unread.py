"""Unread markers (issue #20): what a patient sends is new on their clinician's dashboard
and page until the clinician opens the page; a patient sees when their message was read.
On SQLite and on PostgreSQL, through the real app."""

from __future__ import annotations

from datetime import datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from lumbar.store import notifications as kept
from lumbar.store import unread as unread_rows
from lumbar.store.notification_tables import problem_reads
from lumbar.store.notifications import Unread
from lumbar.store.tables import messages
from lumbar.usecases import notifications
from tests.server.conftest import Clinic, start
from tests.web.conftest import text


def unread(clinic: Clinic, *names: str) -> dict[int, Unread]:
    with clinic.store.reading() as connection:
        return kept.unread_counts(connection, [clinic.people[n].id for n in names])


def read_marks(clinic: Clinic) -> tuple[int, int]:
    """How many messages and problem reports are marked read, in the database."""
    with clinic.store.reading() as connection:
        read = connection.execute(
            select(func.count()).select_from(messages).where(messages.c.read_at.is_not(None))
        ).scalar_one()
        reports = connection.execute(select(func.count()).select_from(problem_reads)).scalar_one()
    return read, reports


def send_and_report(ann: TestClient) -> None:
    assert ann.post("/api/v1/messages", json={"body": "My back is stiff."}).status_code == 201
    assert ann.post("/messages", data={"body": "And sore."}).status_code == 303
    reported = ann.post("/api/v1/problems", json={"kind": "other", "note": "Tripped on a rug."})
    assert reported.status_code == 201, reported.text


def test_what_a_patient_sends_is_new_on_the_dashboard_until_their_page_is_opened(
    clinic: Clinic, ann: TestClient
) -> None:
    pt = clinic.client("north_pt")
    patient = clinic.people["ann"]
    send_and_report(ann)

    assert unread(clinic, "ann", "bob") == {patient.id: Unread(messages=2, problems=1)}
    dashboard = text(pt.get("/clinic"))
    assert "2 new messages, 1 new problem report" in dashboard
    assert "New since you last looked: 2 messages and 1 problem report, from 1 patient" in (
        dashboard
    )

    opened = pt.get(f"/clinic/patients/{patient.id}")
    assert opened.status_code == 200
    page = text(opened)
    assert "New since you last looked: 2 messages and 1 problem report" in page
    assert page.count("UTC New") == 2  # the two messages
    assert "Tripped on a rug. New" in page

    assert unread(clinic, "ann") == {}
    assert "new message" not in text(pt.get("/clinic"))
    assert "New since you last looked" not in text(pt.get(f"/clinic/patients/{patient.id}"))


def test_a_head_request_marks_nothing_read(clinic: Clinic, ann: TestClient) -> None:
    """HEAD is safe: a link checker or a prefetch of the patient's page, the thread or its
    API reads nothing for the clinician or the patient, and is as long as the GET after it."""
    pt = clinic.client("north_pt")
    patient = clinic.people["ann"]
    send_and_report(ann)
    assert pt.post(f"/clinic/patients/{patient.id}/messages", data={"body": "Try heat."})
    before = read_marks(clinic)
    plain = {"accept-encoding": "identity"}

    head = pt.head(f"/clinic/patients/{patient.id}", headers=plain)
    assert pt.head(f"/api/v1/clinic/patients/{patient.id}/messages").status_code == 200
    assert ann.head("/messages").status_code == 200
    assert ann.head("/api/v1/messages").status_code == 200

    assert read_marks(clinic) == before
    assert unread(clinic, "ann") == {patient.id: Unread(messages=2, problems=1)}
    get = pt.get(f"/clinic/patients/{patient.id}", headers=plain)
    assert "New since you last looked" in text(get)
    assert head.headers["content-length"] == get.headers["content-length"]
    assert unread(clinic, "ann") == {}


def test_a_patient_sees_when_their_message_was_read(clinic: Clinic, ann: TestClient) -> None:
    pt = clinic.client("north_pt")
    patient = clinic.people["ann"]
    ann.post("/api/v1/messages", json={"body": "Is swimming fine?"})
    assert "Not read yet" in text(ann.get("/messages"))
    assert ann.get("/api/v1/messages").json()[0]["read_at"] is None

    pt.get(f"/clinic/patients/{patient.id}")

    read_at = datetime.fromisoformat(ann.get("/api/v1/messages").json()[0]["read_at"])
    assert f"Read on {read_at.day} {read_at.strftime('%b')}" in text(ann.get("/messages"))


def test_the_clinicians_message_is_read_when_the_patient_opens_the_thread(
    clinic: Clinic, ann: TestClient
) -> None:
    pt = clinic.client("north_pt")
    patient = clinic.people["ann"]
    theirs = f"/api/v1/clinic/patients/{patient.id}/messages"
    pt.post(theirs, json={"body": "How did the bridge go?"})
    assert pt.get(theirs).json()[0]["read_at"] is None  # the clinician's own: not marked
    assert "Not read yet" in text(pt.get(f"/clinic/patients/{patient.id}"))

    first = text(ann.get("/messages"))
    assert "UTC New How did the bridge go?" in first
    assert "UTC New" not in text(ann.get("/messages"))  # said once

    assert pt.get(theirs).json()[0]["read_at"] is not None
    assert "Read on" in text(pt.get(f"/clinic/patients/{patient.id}"))
    # The clinician's messages do not count as the patient's unread ones.
    assert unread(clinic, "ann") == {}


def test_a_clinician_of_another_clinic_or_patient_is_refused_and_nothing_is_marked_read(
    clinic: Clinic, ann: TestClient
) -> None:
    patient = clinic.people["ann"]
    send_and_report(ann)
    for name in ("south_pt", "north_pt2"):
        other = clinic.client(name)
        assert other.get(f"/clinic/patients/{patient.id}").status_code == 404
        assert other.get(f"/api/v1/clinic/patients/{patient.id}/messages").status_code == 404
        assert "new message" not in text(other.get("/clinic"))
    admin = clinic.client("north_admin")
    assert admin.get(f"/clinic/patients/{patient.id}").status_code == 403
    assert read_marks(clinic) == (0, 0)
    assert unread(clinic, "ann") == {patient.id: Unread(messages=2, problems=1)}


def test_a_refused_message_on_the_patient_page_marks_nothing_read(
    clinic: Clinic, ann: TestClient
) -> None:
    """A refusal writes nothing, not even read marks: only opening the page reads."""
    pt = clinic.client("north_pt")
    patient = clinic.people["ann"]
    send_and_report(ann)
    refused = pt.post(f"/clinic/patients/{patient.id}/messages", data={"body": "  "})
    assert refused.status_code == 422
    assert read_marks(clinic) == (0, 0)
    assert unread(clinic, "ann") == {patient.id: Unread(messages=2, problems=1)}


def test_unread_counts_are_per_patient_and_skip_deleted_reports(
    clinic: Clinic, ann: TestClient
) -> None:
    cy = clinic.client("cy")
    start(cy)
    cy.post("/api/v1/messages", json={"body": "Hello"})
    send_and_report(ann)
    records = ann.get("/api/v1/records").json()["records"]
    problem = next(r for r in records if r["type"] == "problem")
    assert ann.delete(f"/api/v1/records/{problem['id']}").status_code == 200
    found = unread(clinic, "ann", "bob", "cy")
    assert found == {
        clinic.people["ann"].id: Unread(messages=2, problems=0),
        clinic.people["cy"].id: Unread(messages=1, problems=0),
    }
    with clinic.store.reading() as connection:
        assert kept.unread_counts(connection, []) == {}


def test_the_dashboard_names_who_has_something_new_when_they_are_not_on_the_page(
    clinic: Clinic, ann: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue #20, a PT's day: a message from a patient on page 2 (or left out by a search
    or a filter) is said on the page shown, with a link to the patient; another
    clinician's patients' are not counted."""
    pt = clinic.client("north_pt")
    patient, bob = clinic.people["ann"], clinic.people["bob"]
    send_and_report(ann)
    cy = clinic.client("cy")
    start(cy)
    assert cy.post("/api/v1/messages", json={"body": "Hello from Cy."}).status_code == 201
    with clinic.store.reading() as connection:  # as each patient's concern summary keeps it
        mine = unread_rows.waiting(connection, clinic.people["north_pt"].id)
        theirs = unread_rows.waiting(connection, clinic.people["north_pt2"].id)
    assert mine == {patient.id: (2, 1)}
    assert theirs == {clinic.people["cy"].id: (1, 0)}

    searched = pt.get("/clinic", params={"q": "bob"})
    said = text(searched)
    assert (
        "New since you last looked: 2 messages and 1 problem report, from 1 patient. "
        "Not on this page: ann@example.org . Opening a patient's page marks theirs read."
    ) in said
    assert "marked below" not in said
    assert f'<a href="/clinic/patients/{patient.id}">ann@example.org</a>' in searched.text
    everyone = text(pt.get("/clinic"))
    assert "They are marked below" in everyone and "Not on this page" not in everyone

    # Two patients away from the page: the first few named, the rest counted.
    bobs = clinic.client("bob")
    assert bobs.post("/api/v1/messages", json={"body": "Hi."}).status_code == 201
    monkeypatch.setattr(notifications, "NAMED_ELSEWHERE", 1)
    nobody = text(pt.get("/clinic", params={"q": "nobody at all"}))
    assert "from 2 patients. Not on this page: ann@example.org and 1 more." in nobody
    assert "No patients match." in nobody
    mixed = text(pt.get("/clinic", params={"q": "bob"}))
    assert "Those on this page are marked below. Not on this page: ann@example.org ." in mixed
    assert f"/clinic/patients/{bob.id}" in pt.get("/clinic", params={"q": "bob"}).text
    # Looking reads nothing: only opening a patient's page does.
    assert read_marks(clinic) == (0, 0)
