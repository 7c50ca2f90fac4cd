"""Issue #14 in the web app, self-guided: "A clinician has seen me", the intake's safety
information, and the safety questions before a new phase's first session."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.builders import day
from tests.web.conftest import (
    START_FORM,
    Clock,
    assert_errors_beside_fields,
    error_summary,
    events,
    log_session,
    plan,
)


def _codes(client: TestClient) -> set[str]:
    return {a["code"] for a in plan(client)["alerts"]}


def test_a_clinician_has_seen_me_clears_what_is_ticked_and_keeps_who(
    started: TestClient,
) -> None:
    started.post("/api/v1/checkins", json={"symptoms": ["fever", "pregnancy"]})
    page = started.get("/clear")
    assert page.status_code == 200
    assert "A fever" in page.text and "Pregnancy" in page.text
    nothing = started.post("/clear", data={"by": "Dr Rao"})
    assert nothing.status_code == 422
    assert assert_errors_beside_fields(nothing) == {
        "alerts": "Tick what the clinician saw you about, at least one"
    }
    nobody = started.post("/clear", data={"alerts": ["fever"], "by": ""})
    assert nobody.status_code == 422
    assert list(assert_errors_beside_fields(nobody)) == ["by"]
    # Both at once, and a pasted page not sent back in full.
    pasted = "Dr " * 2000
    both = started.post("/clear", data={"by": pasted})
    assert assert_errors_beside_fields(both) == {
        "alerts": "Tick what the clinician saw you about, at least one",
        "by": "Keep the name to 200 characters at most",
    }
    assert [a for a, _ in error_summary(both)] == ["alerts-0", "by"]
    assert pasted.strip() not in both.text and "Dr " * 100 not in both.text
    assert [e["type"] for e in events(started)].count("clearance") == 0

    response = started.post("/clear", data={"alerts": ["fever"], "by": "Dr Rao"})
    assert response.status_code == 303 and response.headers["location"] == "/today"
    assert "fever" not in _codes(started) and "pregnancy" in _codes(started)
    today = started.get("/today").text
    assert "that Dr Rao saw you about a fever" in " ".join(today.split())


def test_the_api_clearance_names_what_stands(started: TestClient) -> None:
    started.post("/api/v1/checkins", json={"symptoms": ["chest_pain"]})
    wrong = started.post("/api/v1/clearances", json={"by": "ED", "alerts": ["fever"]})
    assert wrong.status_code == 422 and "chest_pain" in wrong.json()["message"]
    response = started.post("/api/v1/clearances", json={"by": "the emergency department"})
    assert response.status_code == 201, response.text
    assert plan(started)["kind"] == "session"
    assert events(started)[-1]["alerts"] == ["chest_pain"]


def test_the_start_page_shows_the_safety_information_and_needs_it_understood(
    client: TestClient,
) -> None:
    page = client.get("/start/about").text
    assert "Important safety information" in page
    assert "<li>chest pain;</li>" in page
    unread = {k: v for k, v in START_FORM.items() if k != "understood"}
    refused = client.post("/start", data=unread)
    assert refused.status_code == 422 and "understand" in refused.text
    no_weeks = {k: v for k, v in START_FORM.items() if k != "pain_weeks"}
    assert client.post("/start", data=no_weeks).status_code == 422
    assert client.get("/api/v1/today").status_code == 409


def test_an_emergency_at_the_start_says_how_to_carry_on(client: TestClient) -> None:
    form = {**START_FORM, "red_flags": ["sexual_dysfunction"]}
    page = client.post("/start", data=form)
    assert page.status_code == 200 and "Please get care now" in page.text
    assert "write who saw you" in page.text
    assert client.get("/api/v1/today").status_code == 409
    seen = client.post("/start", data={**form, "seen_by": "Dr Okafor"})
    assert seen.status_code == 303
    assert "sexual_dysfunction_cleared" in _codes(client)


def test_a_new_phase_asks_the_safety_questions_before_its_first_session(
    started: TestClient, clock: Clock
) -> None:
    for offset in (0, 2, 4):
        clock.today = day(offset)
        log_session(started, day(offset))
    clock.today = day(7)
    assert "phase_change_check" in _codes(started)
    response = started.get("/session")
    assert response.status_code == 303
    assert response.headers["location"] == "/check-in?focus=phase"
    questions = started.get("/check-in?focus=phase")
    assert "Before your next session" in questions.text
    saved = started.post("/check-in", data={"focus": "phase"})
    assert saved.status_code == 303 and saved.headers["location"] == "/session"
    assert "phase_change_check" not in _codes(started)
    assert started.get("/session").status_code == 200


def test_a_fall_through_the_api_asks_for_its_answers(started: TestClient) -> None:
    missing = started.post("/api/v1/problems", json={"kind": "fall", "note": "ice"})
    assert missing.status_code == 422 and "fall" in missing.json()["message"]
    response = started.post(
        "/api/v1/problems", json={"kind": "fall", "hurt_back": True, "major_injury": True}
    )
    assert response.status_code == 201, response.text
    assert plan(started)["kind"] == "blocked"
    assert "major_trauma" in _codes(started)
