"""On a clinic's server only the patient's clinician clears (issue #14).

A patient's "a clinician has seen me" is a request their clinician sees; it changes nothing
in the program. The clinician clears from the patient's page or the API, with a record in
their own name; emergency and urgent alerts head the dashboard until they acknowledge them;
an emergency answered at an invited patient's intake is kept for them.
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.server.conftest import Clinic, email, start
from tests.server.test_clinic import new_patient


def _plan(client: TestClient) -> dict[str, Any]:
    response = client.get("/api/v1/today")
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def _codes(client: TestClient) -> set[str]:
    return {a["code"] for a in _plan(client)["alerts"]}


def _concerns(pt: TestClient) -> list[tuple[str, list[str]]]:
    response = pt.get("/api/v1/clinic/patients")
    assert response.status_code == 200, response.text
    return [(p["email"], [c["concern"] for c in p["concerns"]]) for p in response.json()]


def test_a_patient_cannot_clear_their_own_red_flag_and_the_request_reaches_the_clinician(
    clinic: Clinic,
) -> None:
    emma = new_patient(clinic, "emma")
    start(emma)
    assert emma.post("/api/v1/checkins", json={"symptoms": ["bladder_bowel"]}).status_code == 201
    # The old way of clearing is not a field any more: refused, nothing written.
    response = emma.post("/api/v1/checkins", json={"cleared_by_clinician": True})
    assert response.status_code == 422
    # "A clinician has seen me" is a request: nothing is cleared.
    response = emma.post("/api/v1/clearances", json={"by": "Dr Rao"})
    assert response.status_code == 202, response.text
    assert response.json()["requested"] == ["bladder_bowel"]
    form = emma.post("/clear", data={"alerts": ["bladder_bowel"], "by": "Dr Rao"})
    assert form.status_code == 200 and "Sent to your clinician" in form.text
    assert _plan(emma)["kind"] == "blocked"
    assert "bladder_bowel" in _codes(emma)
    status = emma.get("/api/v1/status").json()
    assert not any(a["code"].endswith("_cleared") for a in status["alerts"])

    pt = clinic.client("north_pt")
    concerns = dict(_concerns(pt))
    assert concerns[email("emma")][:2] == ["emergency", "clearance_requested"]
    patient_id = clinic.people["emma"].id
    page = pt.get(f"/clinic/patients/{patient_id}")
    assert "Asks to be cleared" in page.text and "Dr Rao" in page.text

    response = pt.post(
        f"/api/v1/clinic/patients/{patient_id}/clearances", json={"alerts": ["bladder_bowel"]}
    )
    assert response.status_code == 201, response.text
    assert _plan(emma)["kind"] != "blocked"
    notes = [a["message"] for a in _plan(emma)["alerts"] if a["code"] == "bladder_bowel_cleared"]
    assert notes and email("north_pt") in notes[0] and "cleared you" in notes[0]
    assert "clearance_requested" not in dict(_concerns(pt))[email("emma")]


def test_another_clinician_cannot_clear_or_acknowledge(clinic: Clinic) -> None:
    emma = new_patient(clinic, "emma")
    start(emma)
    emma.post("/api/v1/checkins", json={"symptoms": ["fever"]})
    patient_id = clinic.people["emma"].id
    colleague = clinic.client("north_pt2")
    for path, body in (
        ("clearances", {"alerts": ["fever"]}),
        ("acknowledgements", {"code": "fever", "since": "2026-11-02"}),
    ):
        response = colleague.post(f"/api/v1/clinic/patients/{patient_id}/{path}", json=body)
        assert response.status_code in (403, 404), path
    assert "fever" in _codes(emma)


def test_emergency_and_urgent_signs_head_the_dashboard_until_acknowledged(
    clinic: Clinic,
) -> None:
    emma = new_patient(clinic, "emma")
    start(emma)
    emma.post("/api/v1/checkins", json={"symptoms": ["chest_pain"]})
    rae = new_patient(clinic, "rae")
    plan = start(rae)
    exercises = [{"id": plan["exercises"][0]["id"], "pain": "sharp"}]
    assert rae.post("/api/v1/sessions", json={"exercises": exercises}).status_code == 201
    pt = clinic.client("north_pt")
    before = [name for name, _ in _concerns(pt)]
    assert before.index(email("emma")) < before.index(email("rae"))

    patient_id = clinic.people["emma"].id
    since = next(a["since"] for a in _plan(emma)["alerts"] if a["code"] == "chest_pain")
    wrong = pt.post(
        f"/api/v1/clinic/patients/{patient_id}/acknowledgements",
        json={"code": "fever", "since": since},
    )
    assert wrong.status_code == 422
    response = pt.post(
        f"/api/v1/clinic/patients/{patient_id}/acknowledgements",
        json={"code": "chest_pain", "since": since},
    )
    assert response.status_code == 201, response.text

    after = dict(_concerns(pt))
    assert after[email("emma")] == ["acknowledged"]
    order = [name for name, _ in _concerns(pt)]
    assert order.index(email("rae")) < order.index(email("emma"))
    # Acknowledged is not cleared: the program stays paused.
    assert _plan(emma)["kind"] == "blocked"


def test_an_emergency_at_an_invited_patients_intake_is_kept_for_the_clinician(
    clinic: Clinic,
) -> None:
    zoe = new_patient(clinic, "zoe")
    response = zoe.post(
        "/api/v1/program",
        json={**_answers(), "red_flags": ["saddle_numbness"], "seen_by": "my GP"},
    )
    assert response.status_code == 409, response.text
    assert zoe.get("/api/v1/today").status_code == 409  # no program started
    pt = clinic.client("north_pt")
    assert dict(_concerns(pt))[email("zoe")] == ["emergency", "not_started"]
    patient_id = clinic.people["zoe"].id
    page = pt.get(f"/clinic/patients/{patient_id}")
    assert "they may start" in page.text

    cleared = pt.post(f"/api/v1/clinic/patients/{patient_id}/clearances", json={})
    assert cleared.status_code == 201, cleared.text
    assert cleared.json() == {"status": None}

    plan = start(zoe, red_flags=["saddle_numbness"])
    codes = {a["code"] for a in plan["alerts"]}
    assert "saddle_numbness" not in codes and "saddle_numbness_cleared" in codes
    exported = zoe.get("/api/v1/export").json()["events"]
    assert exported[1] == {
        "type": "clearance",
        "date": plan["date"],
        "alerts": ["saddle_numbness"],
        "by": email("north_pt"),
        "confirmed": True,
    }


def test_nothing_a_patient_sends_clears_an_alert(clinic: Clinic) -> None:
    emma = new_patient(clinic, "emma")
    start(emma)
    emma.post("/api/v1/checkins", json={"symptoms": ["fever", "pregnancy"]})
    before = _codes(emma)
    attempts: list[tuple[str, str, dict[str, Any]]] = [
        ("json", "/api/v1/checkins", {"screened": True}),
        ("json", "/api/v1/checkins", {"pain": 2, "psfs": [8, 8, 8]}),
        ("json", "/api/v1/clearances", {"by": "Dr Rao", "alerts": ["fever", "pregnancy"]}),
        ("json", "/api/v1/problems", {"kind": "other", "note": "all good now"}),
        ("form", "/clear", {"alerts": ["fever"], "by": "Dr Rao"}),
        ("form", "/check-in", {"pain": "1"}),
        ("form", "/check-in", {"cleared": "1"}),
    ]
    for kind, path, body in attempts:
        if kind == "json":
            emma.post(path, json=body)
        else:
            emma.post(path, data=body)
        assert before <= _codes(emma), path
    assert _plan(emma)["kind"] == "blocked"


def _answers() -> dict[str, Any]:
    from tests.web.conftest import ANSWERS

    return dict(ANSWERS)


def test_an_emergency_on_the_intakes_signs_step_reaches_the_clinician_then_the_steps_go_on(
    clinic: Clinic,
) -> None:
    zoe = new_patient(clinic, "zoe")
    about = zoe.post("/start/about", data={"understood": "1", "age": "42", "pain_weeks": "3"})
    assert about.status_code == 303, about.text
    signs = {"red_flags": ["saddle_numbness"], "seen_by": "my GP"}
    refused = zoe.post("/start/signs", data=signs)
    assert refused.status_code == 200 and "Please get care now" in refused.text
    assert "Your clinician can see what you answered" in refused.text
    assert zoe.get("/start").headers["location"] == "/start/about"  # nothing kept
    pt = clinic.client("north_pt")
    assert dict(_concerns(pt))[email("zoe")] == ["emergency", "not_started"]
    # Another patient's steps are their own.
    other = new_patient(clinic, "rae")
    assert other.get("/start").headers["location"] == "/start/about"

    patient_id = clinic.people["zoe"].id
    cleared = pt.post(f"/api/v1/clinic/patients/{patient_id}/clearances", json={})
    assert cleared.status_code == 201, cleared.text
    zoe.post("/start/about", data={"understood": "1", "age": "42", "pain_weeks": "3"})
    goes_on = zoe.post("/start/signs", data=signs)
    assert (goes_on.status_code, goes_on.headers["location"]) == (303, "/start/days")
