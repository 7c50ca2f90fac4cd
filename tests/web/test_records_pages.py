"""The person's records on the web (issue #15): the list on Progress and `/records`, the edit
form of each kind of record, Delete, Undo, and the Undo offered right after a new record is
saved (a check-in, a clearance, a problem report, a session).

What was written is read back through the export and the app's own use case (the records
with their ids, `recorded.records`); a refused correction must leave the database as it
was.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from lumbar.content.load import Content
from lumbar.domain.corrections import Record
from lumbar.usecases import recorded
from lumbar.usecases.person import Person
from tests.server.conftest import Clinic, ann, clinic  # noqa: F401 (fixtures)
from tests.web.conftest import (
    FRIDAY,
    MONDAY,
    PHASE_1,
    WEDNESDAY,
    answer,
    assert_errors_beside_fields,
    checked,
    checkins,
    events,
    exported,
    form_error,
    live_until,
    log_session,
    plan,
    selected,
    text,
)


def live(client: TestClient, kind: str) -> list[dict[str, Any]]:
    """The events of this kind the program reads (the export keeps deleted ones, marked)."""
    return [e for e in events(client) if e["type"] == kind and not e.get("deleted_on")]


def live_problems(client: TestClient) -> list[dict[str, Any]]:
    document = exported(client)
    assert document is not None
    return [p for p in document["problems"] if not p.get("deleted_on")]


def records(services: Person) -> list[Record]:
    return recorded.records(services)


def record_of(services: Person, kind: str, *, intake: bool = False) -> Record:
    """The newest record of this kind (the intake, when asked for)."""
    found = [r for r in records(services) if r.kind == kind and r.intake is intake]
    assert found, f"no {kind} among {records(services)}"
    return found[-1]


def actions(response: Any) -> list[str]:
    """Where the page's forms post."""
    return re.findall(r'<form[^>]*action="([^"]*)"', response.text)


def wednesday_checkin(client: TestClient, **data: Any) -> None:
    """A check-in through the page on Wednesday 4 November (pain 4 unless `data` says)."""
    live_until(client, WEDNESDAY)
    response = client.post("/check-in", data=data or {"pain": "4"})
    assert response.status_code == 303, form_error(response)


# The list.


def test_progress_lists_each_record_with_edit_and_delete(
    started: TestClient, services: Person
) -> None:
    log_session(started, MONDAY, {"cat-cow": "sharp"})
    wednesday_checkin(started)
    started.post("/problem", data={"kind": "other", "note": "knee sore on the stairs"})
    intake = record_of(services, "checkin", intake=True)
    session = record_of(services, "session")
    checkin = record_of(services, "checkin")
    problem = record_of(services, "problem")

    response = started.get("/progress")

    assert response.status_code == 200
    page = text(response)
    listed = page[page.index("Your records") :]
    assert "Wed 4 Nov 2026 · Check-in Pain 4/10" in listed
    assert "7 exercises, sharp pain in Cat-cow" in listed
    assert "Something else: knee sore on the stairs" in listed
    assert "Mon 2 Nov 2026 · Check-in Intake; pain 6/10; activities 4, 5, 3" in listed
    # The newest first.
    assert listed.index("knee sore") < listed.index("Pain 4/10") < listed.index("7 exercises")
    assert "Edit the check-in of Wed 4 Nov 2026" in listed
    assert "Delete the session of Mon 2 Nov 2026" in listed
    assert f'href="/records/{checkin.id}"' in response.text
    for record in (session, checkin, problem):
        assert f"/records/{record.id}/delete" in actions(response)
    # The intake can be corrected, not deleted.
    assert f'href="/records/{intake.id}"' in response.text
    assert f"/records/{intake.id}/delete" not in actions(response)
    assert "it can be corrected, not deleted" in listed
    assert 'href="/records"' in response.text


def test_progress_lists_the_newest_and_the_records_page_them_all(started: TestClient) -> None:
    for day in (MONDAY, WEDNESDAY, FRIDAY):
        log_session(started, day)
    started.post("/check-in", data={"pain": "3"})
    started.post("/problem", data={"kind": "other", "note": "knee"})
    started.post("/problem", data={"kind": "other", "note": "hip"})

    progress = text(started.get("/progress"))
    full = started.get("/records")

    assert "All your records (7)" in progress
    assert progress.count("· Session") == 3 and "Intake;" not in progress
    assert full.status_code == 200
    assert text(full).count("· Session") == 3 and text(full).count("· Check-in") == 2
    assert "Intake; pain 6/10" in text(full)


def test_the_pages_send_a_new_person_to_the_start(client: TestClient) -> None:
    for path in ("/records", "/records/c1"):
        response = client.get(path)
        assert response.status_code == 303 and response.headers["location"] == "/start"


def test_a_record_that_is_not_there_is_not_found(started: TestClient) -> None:
    for path in ("/records/c999", "/records/x1", "/records/C1"):
        assert started.get(path).status_code == 404
    assert started.post("/records/c999/delete").status_code == 404
    assert started.post("/records/s999", data={"pain-cat-cow": "none"}).status_code == 404


# Editing.


def test_editing_a_checkins_pain_changes_it_and_progress_follows(
    started: TestClient, services: Person
) -> None:
    wednesday_checkin(started)
    checkin = record_of(services, "checkin")
    form = started.get(f"/records/{checkin.id}")
    assert form.status_code == 200
    assert checked(form, "pain", "4")
    assert selected(form, "date") == "2026-11-04"
    assert "4 now" in text(started.get("/progress"))

    response = started.post(f"/records/{checkin.id}", data={"date": "2026-11-04", "pain": "2"})

    assert response.status_code == 200, form_error(response)
    assert "Corrected the check-in of Wed 4 Nov 2026: pain 2/10" in text(response)
    assert f"/records/{checkin.id}/undo" in actions(response)
    assert checkins(started)[-1]["pain"] == 2
    progress = text(started.get("/progress"))
    assert "6 at the start, 2 now" in progress
    assert "Corrected on Wed 4 Nov 2026." in progress


def test_a_symptom_added_by_an_edit_pauses_the_plan(started: TestClient, services: Person) -> None:
    wednesday_checkin(started)
    checkin = record_of(services, "checkin")

    response = started.post(
        f"/records/{checkin.id}", data={"date": "2026-11-04", "pain": "4", "symptoms": "fever"}
    )

    assert response.status_code == 200, form_error(response)
    assert checkins(started)[-1]["symptoms"] == ["fever"]
    assert plan(started)["kind"] == "blocked"


def test_editing_a_sessions_pain_changes_the_next_plan(
    started: TestClient, services: Person
) -> None:
    log_session(started, MONDAY)
    live_until(started, WEDNESDAY)
    before = _bridge(started)
    session = record_of(services, "session")
    form = started.get(f"/records/{session.id}")
    assert all(checked(form, f"pain-{exercise}", "none") for exercise in PHASE_1)
    assert "How did Cat-cow feel?" in text(form)

    response = started.post(
        f"/records/{session.id}", data={"date": "2026-11-02", "pain-glute-bridge": "sharp"}
    )

    assert response.status_code == 200, form_error(response)
    assert "Corrected the session of Mon 2 Nov 2026: 7 exercises, sharp pain in Glute bridge" in (
        text(response)
    )
    logged = live(started, "session")[-1]
    assert {"id": "glute-bridge", "pain": "sharp"} in logged["exercises"]
    assert {"id": "cat-cow", "pain": "none"} in logged["exercises"]
    assert _bridge(started) != before


def _bridge(client: TestClient) -> dict[str, Any]:
    """The glute bridge in today's plan."""
    found: dict[str, Any] = next(e for e in plan(client)["exercises"] if e["id"] == "glute-bridge")
    return found


def test_editing_a_problem_report(started: TestClient, services: Person) -> None:
    started.post("/problem", data={"kind": "other", "note": "knee"})
    problem = record_of(services, "problem")
    form = started.get(f"/records/{problem.id}")
    assert checked(form, "kind", "other") and "knee</textarea>" in form.text

    response = started.post(
        f"/records/{problem.id}", data={"date": "2026-11-02", "kind": "fall", "note": "on ice"}
    )

    assert response.status_code == 200, form_error(response)
    document = exported(started)
    assert document is not None
    assert document["problems"][-1]["kind"] == "fall"
    assert document["problems"][-1]["note"] == "on ice"


def test_editing_who_cleared_a_clearance(started: TestClient, services: Person) -> None:
    started.post("/check-in", data={"symptoms": "fever"})
    started.post("/clear", data={"alerts": "fever", "by": "Dr Rao"})
    clearance = record_of(services, "clearance")
    form = started.get(f"/records/{clearance.id}")
    assert 'value="Dr Rao"' in form.text and 'name="date"' not in form.text

    response = started.post(f"/records/{clearance.id}", data={"by": "Dr Rao at the walk-in"})

    assert response.status_code == 200, form_error(response)
    assert [e["by"] for e in events(started) if e["type"] == "clearance"] == [
        "Dr Rao at the walk-in"
    ]


def test_the_intakes_day_is_not_on_its_form(started: TestClient, services: Person) -> None:
    intake = record_of(services, "checkin", intake=True)

    form = started.get(f"/records/{intake.id}")
    by_hand = started.post(f"/records/{intake.id}", data={"date": "2026-11-03", "pain": "5"})

    assert form.status_code == 200 and 'name="date"' not in form.text
    assert "its day stays" in text(form)
    assert by_hand.status_code == 422
    assert "The first check-in stays on the day the program began" in form_error(by_hand)


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (
            {"date": "2026-11-04", "pain": "4", "symptoms": []},
            "This change would take away a fever",
        ),
        ({"date": "2026-11-05", "pain": "4", "symptoms": "fever"}, "is after today"),
        ({"date": "2026-11-04", "pain": "11", "symptoms": "fever"}, "from 0 to 10"),
        ({"date": "4 Nov", "pain": "4", "symptoms": "fever"}, "Choose a day from the list"),
        ({"date": "2026-11-04", "score_0": "5", "symptoms": "fever"}, "or leave them all empty"),
        ({"date": "2026-11-04", "pain": "4", "symptoms": "fever"}, "already says that"),
    ],
)
def test_a_refused_edit_answers_422_with_the_message_and_changes_nothing(
    started: TestClient, services: Person, data: dict[str, Any], said: str
) -> None:
    wednesday_checkin(started, pain="4", symptoms="fever")
    checkin = record_of(services, "checkin")
    before = exported(started), records(services)

    response = started.post(f"/records/{checkin.id}", data=data)

    assert response.status_code == 422
    assert said in form_error(response)
    assert checkin.id not in form_error(response)  # the page names it in words
    assert any(said in words for words in assert_errors_beside_fields(response).values())
    assert (exported(started), records(services)) == before
    # The form comes back as it was filled in.
    assert 'action="/records/' + checkin.id + '"' in response.text


def test_a_refused_session_edit_keeps_the_answers(started: TestClient, services: Person) -> None:
    log_session(started, MONDAY)
    session = record_of(services, "session")
    before = exported(started)

    response = started.post(
        f"/records/{session.id}",
        data={"date": "2026-11-02", "pain-cat-cow": "sharp", "pain-dead-bug": "terrible"},
    )

    assert response.status_code == 422
    assert "Choose one of the four answers" in form_error(response)
    assert list(assert_errors_beside_fields(response)) == ["exercises"]
    assert checked(response, "pain-cat-cow", "sharp")
    assert exported(started) == before


# Delete and Undo.


def test_delete_and_undo_round_trip(started: TestClient, services: Person) -> None:
    wednesday_checkin(started, pain="2")
    checkin = record_of(services, "checkin")
    before = exported(started)

    deleted = started.post(f"/records/{checkin.id}/delete")

    assert deleted.status_code == 200, form_error(deleted)
    assert "Deleted the check-in of Wed 4 Nov 2026. The program reads past it." in text(deleted)
    assert "Undo deleting the check-in of Wed 4 Nov 2026" in text(deleted)
    assert [c["pain"] for c in live(started, "checkin")] == [6]
    listed = text(started.get("/progress"))
    assert "Wed 4 Nov 2026 · Check-in · Deleted" in listed
    assert "Deleted on Wed 4 Nov 2026. The program reads past it." in listed
    assert "6 at the start" in listed and "2 now" not in listed
    assert f"/records/{checkin.id}/delete" not in actions(started.get("/progress"))

    undone = started.post(f"/records/{checkin.id}/undo")

    assert undone.status_code == 200, form_error(undone)
    assert "Undone: the check-in of Wed 4 Nov 2026 is back" in text(undone)
    assert exported(started) == before
    assert "2 now" in text(started.get("/progress"))


def test_an_edit_is_undone(started: TestClient, services: Person) -> None:
    wednesday_checkin(started, pain="4")
    checkin = record_of(services, "checkin")
    before = exported(started)
    started.post(f"/records/{checkin.id}", data={"date": "2026-11-04", "pain": "1"})

    undone = started.post(f"/records/{checkin.id}/undo")

    assert undone.status_code == 200, form_error(undone)
    assert "says again what it said: pain 4/10" in text(undone)
    assert exported(started) == before
    again = started.post(f"/records/{checkin.id}/undo")
    assert again.status_code == 422 and "has no edit or delete to undo" in form_error(again)


def test_a_deleted_record_is_brought_back_from_the_list(
    started: TestClient, services: Person
) -> None:
    log_session(started, MONDAY)
    session = record_of(services, "session")
    started.post(f"/records/{session.id}/delete")

    page = started.get("/records")

    assert f"/records/{session.id}/undo" in actions(page)
    assert "Undo the delete of the session of Mon 2 Nov 2026" in text(page)
    assert f'href="/records/{session.id}"' not in page.text  # no Edit of a deleted record
    assert started.post(f"/records/{session.id}/undo").status_code == 200
    assert len(live(started, "session")) == 1


def test_the_intake_cannot_be_deleted(started: TestClient, services: Person) -> None:
    intake = record_of(services, "checkin", intake=True)
    before = exported(started)

    response = started.post(f"/records/{intake.id}/delete")

    assert response.status_code == 422
    assert "is where the program begins" in form_error(response)
    assert exported(started) == before


def test_a_reported_danger_sign_cannot_be_deleted(started: TestClient, services: Person) -> None:
    wednesday_checkin(started, symptoms="fever")
    checkin = record_of(services, "checkin")
    before = exported(started)

    response = started.post(f"/records/{checkin.id}/delete")

    assert response.status_code == 422
    assert "would take away" in form_error(response)
    assert exported(started) == before


# Undo right after a new record is saved.


def test_undo_after_a_new_checkin_deletes_it_and_offers_undo_again(
    started: TestClient, services: Person
) -> None:
    wednesday_checkin(started, pain="3")
    checkin = record_of(services, "checkin")

    today = started.get("/today")

    assert "Saved: the check-in of Wed 4 Nov 2026." in text(today)
    assert f"/records/{checkin.id}/delete" in actions(today)
    assert "Undo: delete the check-in of Wed 4 Nov 2026" in text(today).replace("Undo :", "Undo:")
    # Shown once: the next visit to Today has no Undo.
    assert f"/records/{checkin.id}/delete" not in actions(started.get("/today"))

    deleted = started.post(f"/records/{checkin.id}/delete")

    assert deleted.status_code == 200
    assert [c["pain"] for c in live(started, "checkin")] == [6]
    assert f"/records/{checkin.id}/undo" in actions(deleted)
    assert started.post(f"/records/{checkin.id}/undo").status_code == 200
    assert [c["pain"] for c in live(started, "checkin")] == [6, 3]


def test_no_undo_on_today_without_a_new_record(started: TestClient) -> None:
    assert "Saved:" not in text(started.get("/today"))
    started.cookies.set("lumbar_saved", "session")  # no session today
    assert "Saved:" not in text(started.get("/today"))
    started.cookies.set("lumbar_saved", "nonsense")
    assert started.get("/today").status_code == 200


def test_undo_after_a_clearance(started: TestClient, services: Person) -> None:
    started.post("/check-in", data={"symptoms": "fever"})
    started.post("/clear", data={"alerts": "fever", "by": "Dr Rao"})
    clearance = record_of(services, "clearance")

    today = started.get("/today")

    assert "Saved: the clearance of Mon 2 Nov 2026." in text(today)
    assert f"/records/{clearance.id}/delete" in actions(today)
    assert started.post(f"/records/{clearance.id}/delete").status_code == 200
    assert plan(started)["kind"] == "blocked"  # the fever stands again


def test_undo_after_a_problem_report(started: TestClient, services: Person) -> None:
    response = started.post("/problem", data={"kind": "other", "note": "knee"})
    problem = record_of(services, "problem")

    assert "Thank you: it is saved" in text(response)
    assert "If you saved it by mistake, Undo deletes it." in text(response)
    assert "Undo : delete the problem report of Mon 2 Nov 2026" in text(response)
    assert f"/records/{problem.id}/delete" in actions(response)
    assert started.post(f"/records/{problem.id}/delete").status_code == 200
    assert live_problems(started) == []


@pytest.mark.parametrize("htmx", [False, True])
def test_undo_after_a_session_in_the_player(
    started: TestClient, services: Person, htmx: bool
) -> None:
    for exercise in PHASE_1[:-1]:
        answer(started, exercise, "none")

    finished = answer(started, PHASE_1[-1], "none", htmx=htmx)

    session = record_of(services, "session")
    assert "Session saved" in text(finished)
    assert "Saved: the session of Mon 2 Nov 2026." in text(finished)
    assert f"/records/{session.id}/delete" in actions(finished)
    assert started.post(f"/records/{session.id}/delete").status_code == 200
    assert live(started, "session") == []


def test_undo_after_a_session_ended_early(started: TestClient, services: Person) -> None:
    answer(started, PHASE_1[0], "none")

    finished = started.post("/session/finish")

    assert f"/records/{record_of(services, 'session').id}/delete" in actions(finished)


def test_the_checkin_before_a_session_goes_on_to_it_without_undo(started: TestClient) -> None:
    response = started.post("/check-in", data={"focus": "phase"})

    assert response.headers["location"] == "/session"
    assert "lumbar_saved" not in response.headers.get("set-cookie", "")


# A clinic's server.


def test_a_patient_corrects_her_own_records_and_the_audit_log_says_so(
    clinic: Clinic,  # noqa: F811
    ann: TestClient,  # noqa: F811
) -> None:
    session = next(r for r in _records(ann) if "Session" in r)
    record_id = session.split()[0]

    response = ann.post(f"/records/{record_id}/delete")

    assert response.status_code == 200, form_error(response)
    assert "Deleted the session" in text(response)
    audit = clinic.client("north_admin").get("/api/v1/admin/audit").json()
    assert any(e["target"] == f"records/{record_id}: delete" for e in audit)
    assert ann.post(f"/records/{record_id}/undo").status_code == 200


def test_a_clinicians_clearance_has_neither_edit_nor_delete(
    clinic: Clinic,  # noqa: F811
    ann: TestClient,  # noqa: F811
    content: Content,
) -> None:
    assert ann.post("/api/v1/checkins", json={"symptoms": ["fever"]}).status_code == 201
    pt = clinic.client("north_pt")
    patient = clinic.people["ann"].id
    cleared = pt.post(f"/api/v1/clinic/patients/{patient}/clearances", json={"alerts": ["fever"]})
    assert cleared.status_code == 201, cleared.text
    clearance = next(r for r in _records(ann) if "Clearance" in r)
    record_id = clearance.split()[0]

    page = ann.get("/records")

    assert "Recorded by your clinician. Only your clinician can correct it." in text(page)
    assert f'href="/records/{record_id}"' not in page.text
    assert f"/records/{record_id}/delete" not in actions(page)
    for refused in (
        ann.get(f"/records/{record_id}"),
        ann.post(f"/records/{record_id}/delete"),
        ann.post(f"/records/{record_id}", data={"by": "someone else"}),
    ):
        assert refused.status_code == 404
    assert "Clearance" in " ".join(_records(ann))
    assert pt.get("/records").status_code == 403


def _records(client: TestClient) -> list[str]:
    """Each record of the signed-in patient's list as "ID KIND", read from the page."""
    page = client.get("/records")
    assert page.status_code == 200, page.text[:300]
    found = re.findall(
        r'<li id="record-([a-z]+[0-9]+)">\s*<p class="eyebrow">[^·]*· ([^<]*)<', page.text
    )
    return [f"{record_id} {kind}" for record_id, kind in found]
