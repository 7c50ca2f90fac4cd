"""The JSON API, `/api/v1`, against a real database: what each route answers, and what it wrote.

A refused request answers 422 (or 409 when the program's state refuses it) with a `message`,
and the database holds exactly what it held before.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from lumbar.content.load import Content
from lumbar.domain.model import Pain
from lumbar.store.database import Store
from lumbar.usecases import sessions as session_cases
from lumbar.usecases.person import Person
from tests.builders import ACTIVITIES, START
from tests.web.conftest import (
    ANSWERS,
    FRIDAY,
    MONDAY,
    PHASE_1,
    TUESDAY,
    WEDNESDAY,
    Clock,
    checkins,
    events,
    exported,
    live_until,
    log_session,
    plan,
    sessions,
    start_program,
)

# Starting the program.


def test_starting_answers_201_with_todays_plan_and_records_the_intake(client: TestClient) -> None:
    response = client.post("/api/v1/program", json=ANSWERS)

    assert response.status_code == 201
    body = response.json()
    assert body["date"] == "2026-11-02"
    assert body["kind"] == "session"
    assert body["phase"] == 1
    assert [e["id"] for e in body["exercises"]] == list(PHASE_1)
    document = exported(client)
    assert document is not None
    assert document["profile"] == {
        "start": "2026-11-02",
        "age": 42,
        "pain_weeks": 10,
        "days": ["mon", "wed", "fri"],
        "psfs_activities": list(ACTIVITIES),
        "unit": "kg",  # the answers say none: the server's default (issue #17)
        "equipment": {"weights": [], "band": False},
    }
    assert document["events"] == [
        {
            "type": "checkin",
            "date": "2026-11-02",
            "pain": 6,
            "psfs": [4, 5, 3],
            "symptoms": [],
            "screened": True,
            "follow_up": False,
        }
    ]


def test_the_start_day_can_be_given_in_the_body(client: TestClient, clock: Clock) -> None:
    clock.today = FRIDAY

    body = start_program(client, date="2026-11-04")

    assert body["date"] == "2026-11-04"
    document = exported(client)
    assert document is not None
    assert document["profile"]["start"] == "2026-11-04"


def test_an_emergency_red_flag_answers_409_with_its_alert_and_starts_nothing(
    client: TestClient, services: Person
) -> None:
    response = client.post("/api/v1/program", json={**ANSWERS, "red_flags": ["saddle_numbness"]})

    assert response.status_code == 409
    body = response.json()
    assert body["alerts"] == [
        {"level": "emergency", "code": "saddle_numbness", "rule": "screening.emergency_at_intake"}
    ]
    assert "emergency" in body["message"]
    assert not services.has_program()
    assert exported(client) is None
    assert client.get("/api/v1/today").status_code == 409


def test_an_urgent_red_flag_starts_the_program_paused(client: TestClient) -> None:
    body = start_program(client, red_flags=["fever"])

    assert body["kind"] == "blocked"
    assert body["exercises"] == []
    assert [(a["level"], a["code"]) for a in body["alerts"]] == [("urgent", "fever")]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"pain": None}, "pain"),
        ({"age": "forty"}, "age"),
        ({"age": 150}, "age"),
        ({"pain": 11}, "pain"),
        ({"psfs": []}, "psfs"),
        ({"psfs": [{"activity": "walk", "score": 12}]}, "psfs.0.score"),
        ({"red_flags": ["dizzy"]}, "red_flags"),
        ({"days": ["mon", "funday", "fri"]}, "days"),
        ({"nickname": "Sam"}, "nickname"),
    ],
    ids=[
        "pain-missing",
        "age-not-a-number",
        "age-too-high",
        "pain-above-10",
        "no-activities",
        "activity-score-above-10",
        "unknown-red-flag",
        "unknown-day",
        "unknown-field",
    ],
)
def test_an_invalid_intake_answers_422_naming_the_field_and_writes_nothing(
    client: TestClient, change: dict[str, Any], field: str
) -> None:
    answers = {**ANSWERS, **change}
    answers = {key: value for key, value in answers.items() if value is not None}

    response = client.post("/api/v1/program", json=answers)

    assert response.status_code == 422
    body = response.json()
    assert body["message"].startswith(f"{field}: "), body["message"]
    assert body["problems"][0] == body["message"]
    assert exported(client) is None


def test_a_body_that_is_not_json_answers_422(client: TestClient) -> None:
    response = client.post(
        "/api/v1/program", content=b"{age: 42", headers={"content-type": "application/json"}
    )

    assert response.status_code == 422
    assert response.json()["message"]
    assert exported(client) is None


def test_an_intake_under_18_is_refused_and_writes_nothing(client: TestClient) -> None:
    response = client.post("/api/v1/program", json={**ANSWERS, "age": 15})

    assert response.status_code == 422
    assert "18" in response.json()["message"]
    assert exported(client) is None


def test_consecutive_training_days_at_the_intake_are_refused(client: TestClient) -> None:
    response = client.post("/api/v1/program", json={**ANSWERS, "days": ["mon", "tue", "thu"]})

    assert response.status_code == 422
    assert "consecutive" in response.json()["message"]
    assert exported(client) is None


def test_a_second_start_is_refused_and_keeps_the_first_program(started: TestClient) -> None:
    live_until(started, WEDNESDAY)
    before = exported(started)

    response = started.post("/api/v1/program", json={**ANSWERS, "age": 60, "date": "2026-11-04"})

    assert response.status_code == 422
    assert "already started on 2026-11-02" in response.json()["message"]
    assert exported(started) == before


# Reading the plan, the status and the progress.


@pytest.mark.parametrize("path", ["/api/v1/today", "/api/v1/status", "/api/v1/progress"])
def test_reads_before_a_program_answer_409(client: TestClient, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 409
    assert "no program yet" in response.json()["message"]


def test_export_before_a_program_answers_409(client: TestClient) -> None:
    assert client.get("/api/v1/export").status_code == 409


def test_today_is_the_clocks_day_unless_a_date_is_given(started: TestClient, clock: Clock) -> None:
    log_session(started, MONDAY)
    clock.today = TUESDAY

    rest = started.get("/api/v1/today").json()
    wednesday = started.get("/api/v1/today", params={"date": "2026-11-04"}).json()

    assert (rest["date"], rest["kind"], rest["exercises"]) == ("2026-11-03", "rest", [])
    assert rest["next_session"] == "2026-11-04"
    assert (wednesday["date"], wednesday["kind"]) == ("2026-11-04", "session")
    assert [e["id"] for e in wednesday["exercises"]] == list(PHASE_1)


def test_status_counts_the_sessions_and_keeps_the_phase_history(
    started: TestClient, clock: Clock
) -> None:
    log_session(started, MONDAY)
    clock.today = WEDNESDAY

    today = started.get("/api/v1/status").json()
    monday = started.get("/api/v1/status", params={"date": "2026-11-02"}).json()

    assert today["date"] == "2026-11-04"
    assert today["phase"] == 1
    assert today["sessions_in_phase"] == 1
    assert today["today"] == "session"
    assert today["improvement"]["baseline_pain"] == 6
    assert today["phase_history"][0]["to_phase"] == 1
    assert monday["date"] == "2026-11-02"
    assert monday["today"] == "session"


def test_progress_holds_the_scores_and_the_calendar(started: TestClient, clock: Clock) -> None:
    log_session(started, MONDAY)
    clock.today = WEDNESDAY
    checkin = started.post("/api/v1/checkins", json={"date": "2026-11-04", "pain": 4})
    assert checkin.status_code == 201

    today = started.get("/api/v1/progress").json()
    monday = started.get("/api/v1/progress", params={"date": "2026-11-02"}).json()

    assert [p["value"] for p in today["pain"]] == [6, 4]
    assert today["psfs"][0] == {"date": "2026-11-02", "value": 4.0}
    calendar = {d["date"]: d["day"] for d in today["calendar"]}
    assert calendar["2026-11-02"] == "done"
    assert calendar["2026-11-03"] == "rest"
    assert today["status"]["date"] == "2026-11-04"
    assert monday["status"]["date"] == "2026-11-02"
    assert [p["value"] for p in monday["pain"]] == [6]


@pytest.mark.parametrize("path", ["/api/v1/today", "/api/v1/status", "/api/v1/progress"])
def test_a_date_before_the_start_is_refused(started: TestClient, path: str) -> None:
    response = started.get(path, params={"date": "2026-11-01"})

    assert response.status_code == 422
    assert "2026-11-01 is before the program started (2026-11-02)" in response.json()["message"]


@pytest.mark.parametrize("path", ["/api/v1/today", "/api/v1/status", "/api/v1/progress"])
def test_a_date_that_is_not_a_date_is_refused_naming_it(started: TestClient, path: str) -> None:
    response = started.get(path, params={"date": "next tuesday"})

    assert response.status_code == 422
    assert response.json()["message"].startswith("date: ")


def test_a_date_outside_the_calendar_is_refused(started: TestClient) -> None:
    response = started.get("/api/v1/today", params={"date": "3000-01-01"})

    assert response.status_code == 422
    assert response.json()["message"].startswith("date: 3000-01-01 is outside")


# Recording sessions.


def test_recording_a_session_answers_201_with_what_each_pain_means(started: TestClient) -> None:
    body = log_session(started, MONDAY, {"cat-cow": "ache", "dead-bug": "sharp"})

    assert body["date"] == "2026-11-02"
    responses = {r["exercise"]: r["rule"] for r in body["responses"]}
    assert list(responses) == list(PHASE_1)
    assert responses["cat-cow"] == "pain.continue"
    assert responses["dead-bug"] == "pain.stop_exercise"
    assert all(r["message"] for r in body["responses"])
    assert body["plan"]["completed"] is True
    recorded = sessions(started)
    assert len(recorded) == 1
    pains = {e["id"]: e["pain"] for e in recorded[0]["exercises"]}
    assert pains["cat-cow"] == "ache"
    assert pains["dead-bug"] == "sharp"
    assert pains["glute-bridge"] == "none"


@pytest.mark.parametrize("key", [None, "a-phone-retry-1"], ids=["plain", "idempotent"])
def test_a_session_recorded_at_once_keeps_the_comment_on_each_exercise(
    started: TestClient, key: str | None
) -> None:
    """The whole session in one request keeps the comments as the answer-by-answer route
    does (`POST /api/v1/sessions` dropped them before the field existed)."""
    live_until(started, MONDAY)
    exercises = [{"id": e["id"], "pain": "none"} for e in plan(started, MONDAY)["exercises"]]
    exercises[0]["comment"] = "Tight on the left"
    headers = {} if key is None else {"Idempotency-Key": key}
    body = {"date": MONDAY.isoformat(), "exercises": exercises}

    response = started.post("/api/v1/sessions", json=body, headers=headers)

    assert response.status_code == 201, response.text
    done = sessions(started)[0]["exercises"]
    assert done[0] == {"id": exercises[0]["id"], "pain": "none", "comment": "Tight on the left"}
    assert all("comment" not in e for e in done[1:])


def test_a_session_with_a_comment_too_long_is_refused_and_writes_nothing(
    started: TestClient,
) -> None:
    live_until(started, MONDAY)
    exercises = [{"id": e["id"], "pain": "none"} for e in plan(started, MONDAY)["exercises"]]
    exercises[0]["comment"] = "x" * 281
    before = exported(started)

    response = started.post(
        "/api/v1/sessions", json={"date": MONDAY.isoformat(), "exercises": exercises}
    )

    assert response.status_code == 422
    assert "280" in response.json()["message"]
    assert exported(started) == before


def test_a_sharp_pain_reduces_the_range_at_the_next_session(started: TestClient) -> None:
    log_session(started, MONDAY, {"dead-bug": "sharp"})

    wednesday = {e["id"]: e for e in plan(started, WEDNESDAY)["exercises"]}

    assert wednesday["dead-bug"]["range"] == "reduced"
    assert wednesday["cat-cow"]["range"] == "full"


@pytest.mark.parametrize(
    ("on", "exercises", "reason"),
    [
        ("2026-11-03", [{"id": "cat-cow", "pain": "none"}], "no session is planned on 2026-11-03"),
        ("2026-11-04", [{"id": "jumping-jacks", "pain": "none"}], "jumping-jacks is not in the"),
        ("2026-11-04", [{"id": "cat-cow", "pain": "ouch"}], "exercises.0.pain: "),
        ("2026-11-04", [{"id": "cat-cow", "pain": 3}], "exercises.0.pain: "),
        ("2026-11-04", [], "exercises: "),
        (
            "2026-11-04",
            [{"id": "cat-cow", "pain": "none"}, {"id": "cat-cow", "pain": "ache"}],
            "cat-cow is given twice",
        ),
        (
            "2026-11-04",
            [{"id": "cat-cow", "pain": "radiating"}, {"id": "dead-bug", "pain": "none"}],
            "ends the session",
        ),
        ("2026-11-01", [{"id": "cat-cow", "pain": "none"}], "before the program started"),
        (
            "2026-11-06",
            [{"id": "cat-cow", "pain": "none"}],
            "2026-11-06 is after today (2026-11-04): only a day that has come can be recorded",
        ),
    ],
    ids=[
        "rest-day",
        "unknown-exercise",
        "unknown-pain",
        "pain-as-number",
        "no-exercises",
        "exercise-twice",
        "after-radiating-pain",
        "before-the-start",
        "ahead-of-the-clock",
    ],
)
def test_a_refused_session_answers_422_and_writes_nothing(
    started: TestClient, on: str, exercises: list[dict[str, Any]], reason: str
) -> None:
    log_session(started, MONDAY)
    live_until(started, WEDNESDAY)
    before = exported(started)

    response = started.post("/api/v1/sessions", json={"date": on, "exercises": exercises})

    assert response.status_code == 422
    assert reason in response.json()["message"]
    assert exported(started) == before


def test_a_session_before_a_program_answers_409(client: TestClient) -> None:
    response = client.post(
        "/api/v1/sessions", json={"exercises": [{"id": "cat-cow", "pain": "none"}]}
    )

    assert response.status_code == 409
    assert exported(client) is None


def test_a_session_on_a_day_already_done_is_refused(started: TestClient) -> None:
    log_session(started, MONDAY)
    before = exported(started)

    response = started.post(
        "/api/v1/sessions",
        json={"date": "2026-11-02", "exercises": [{"id": "cat-cow", "pain": "none"}]},
    )

    assert response.status_code == 422
    assert "already recorded" in response.json()["message"]
    assert exported(started) == before


# The guided session, one answer at a time.


def post_answer(client: TestClient, exercise: str, pain: str, **extra: Any) -> Any:
    return client.post(
        "/api/v1/session/answers", json={"exercise": exercise, "pain": pain, **extra}
    )


def test_answers_are_kept_one_at_a_time_and_the_last_records_the_session(
    started: TestClient,
) -> None:
    first = post_answer(started, "diaphragmatic-breathing", "none")

    assert first.status_code == 201
    body = first.json()
    assert body["response"]["rule"] == "pain.continue"
    assert body["answers"] == [{"id": "diaphragmatic-breathing", "pain": "none"}]
    assert body["next"]["id"] == "cat-cow"
    assert body["finished"] is None
    assert sessions(started) == []

    for exercise in PHASE_1[1:-1]:
        middle = post_answer(started, exercise, "ache" if exercise == "dead-bug" else "none")
        assert middle.status_code == 201
        assert middle.json()["finished"] is None
    last = post_answer(started, PHASE_1[-1], "none").json()

    assert last["next"] is None
    assert last["finished"]["plan"]["completed"] is True
    assert len(last["finished"]["responses"]) == len(PHASE_1)
    recorded = sessions(started)
    assert len(recorded) == 1
    assert [e["id"] for e in recorded[0]["exercises"]] == list(PHASE_1)
    assert {e["id"]: e["pain"] for e in recorded[0]["exercises"]}["dead-bug"] == "ache"


def test_pain_down_the_leg_finishes_the_session_at_once(started: TestClient) -> None:
    post_answer(started, "diaphragmatic-breathing", "none")

    response = post_answer(started, "cat-cow", "radiating")

    assert response.status_code == 201
    body = response.json()
    assert body["response"]["rule"] == "pain.stop_session"
    assert body["next"] is None
    assert body["finished"] is not None
    assert sessions(started) == [
        {
            "type": "session",
            "date": "2026-11-02",
            "exercises": [
                {"id": "diaphragmatic-breathing", "pain": "none"},
                {"id": "cat-cow", "pain": "radiating"},
            ],
        }
    ]
    assert plan(started)["completed"] is True


@pytest.mark.parametrize(
    ("exercise", "pain", "reason"),
    [
        ("squat", "none", "squat is not in the plan"),
        ("diaphragmatic-breathing", "none", "diaphragmatic-breathing is given twice"),
        ("cat-cow", "numb", "pain: "),
    ],
    ids=["not-in-the-plan", "answered-twice", "unknown-pain"],
)
def test_a_refused_answer_answers_422_and_keeps_the_answers_so_far(
    started: TestClient, exercise: str, pain: str, reason: str
) -> None:
    post_answer(started, "diaphragmatic-breathing", "none")

    response = post_answer(started, exercise, pain)

    assert response.status_code == 422
    assert reason in response.json()["message"]
    following = post_answer(started, "cat-cow", "none").json()
    assert following["answers"] == [
        {"id": "diaphragmatic-breathing", "pain": "none"},
        {"id": "cat-cow", "pain": "none"},
    ]


def test_an_answer_on_a_rest_day_is_refused(started: TestClient, clock: Clock) -> None:
    log_session(started, MONDAY)
    before = exported(started)
    clock.today = TUESDAY

    response = post_answer(started, "cat-cow", "none")

    assert response.status_code == 422
    assert "no session is planned on 2026-11-03" in response.json()["message"]
    assert exported(started) == before


# Check-ins.


def test_a_checkin_answers_201_with_the_status_and_is_recorded(
    started: TestClient, clock: Clock
) -> None:
    clock.today = WEDNESDAY

    response = started.post("/api/v1/checkins", json={"pain": 4, "psfs": [5, 6, 4]})

    assert response.status_code == 201
    body = response.json()
    assert body["date"] == "2026-11-04"
    assert body["improvement"]["latest_pain"] == 4
    assert body["improvement"]["latest_psfs"] == 5.0
    assert checkins(started)[-1] == {
        "type": "checkin",
        "date": "2026-11-04",
        "pain": 4,
        "psfs": [5, 6, 4],
        "symptoms": [],
        "screened": False,
        "follow_up": False,
    }


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"pain": 4, "psfs": [5, 6]}, "psfs"),
        ({"psfs": [5, 6, 4, 7]}, "psfs"),
        ({"pain": 11}, "pain: "),
        ({"pain": "4"}, "pain: "),
        ({"psfs": [5, 6, 40]}, "psfs.2: "),
        ({"symptoms": ["dizzy"]}, "unknown symptom code 'dizzy'"),
        ({}, "nothing to record"),
        ({"mood": "fine"}, "mood: "),
    ],
    ids=[
        "too-few-scores",
        "too-many-scores",
        "pain-above-10",
        "pain-as-text",
        "score-above-10",
        "unknown-symptom",
        "nothing",
        "unknown-field",
    ],
)
def test_a_refused_checkin_answers_422_and_writes_nothing(
    started: TestClient, body: dict[str, Any], reason: str
) -> None:
    before = exported(started)

    response = started.post("/api/v1/checkins", json=body)

    assert response.status_code == 422
    assert reason in response.json()["message"]
    assert exported(started) == before


def test_the_wrong_number_of_scores_is_explained(started: TestClient) -> None:
    response = started.post("/api/v1/checkins", json={"psfs": [5, 6]})

    message = response.json()["message"]
    assert "expected 3 scores" in message
    assert "got 2" in message


def test_an_emergency_symptom_pauses_the_program_until_a_clinician_clears_it(
    started: TestClient,
) -> None:
    paused = started.post("/api/v1/checkins", json={"symptoms": ["bladder_bowel"]})

    assert paused.status_code == 201
    assert [(a["level"], a["code"]) for a in paused.json()["alerts"]] == [
        ("emergency", "bladder_bowel")
    ]
    assert plan(started)["kind"] == "blocked"

    before = exported(started)
    in_a_checkin = started.post("/api/v1/checkins", json={"cleared_by_clinician": True})

    assert in_a_checkin.status_code == 422
    assert "cleared_by_clinician: " in in_a_checkin.json()["message"]
    assert exported(started) == before
    assert plan(started)["kind"] == "blocked"

    cleared = started.post("/api/v1/clearances", json={"alerts": ["bladder_bowel"], "by": "Dr Rao"})

    assert cleared.status_code == 201
    assert [(a["level"], a["code"], a["rule"]) for a in cleared.json()["alerts"]] == [
        ("info", "bladder_bowel_cleared", "screening.cleared_reported")
    ]
    assert plan(started)["kind"] == "session"
    assert [c["symptoms"] for c in checkins(started)] == [[], ["bladder_bowel"]]
    assert events(started)[-1] == {
        "type": "clearance",
        "date": "2026-11-02",
        "alerts": ["bladder_bowel"],
        "by": "Dr Rao",
        "confirmed": False,
    }


def test_a_checkin_before_a_program_answers_409(client: TestClient) -> None:
    response = client.post("/api/v1/checkins", json={"pain": 4})

    assert response.status_code == 409
    assert exported(client) is None


# Training days.


def test_the_training_days_can_be_changed(started: TestClient) -> None:
    response = started.put("/api/v1/settings/days", json={"days": ["tue", "thu", "sat"]})

    assert response.status_code == 200
    assert response.json() == {"days": "tue,thu,sat"}
    document = exported(started)
    assert document is not None
    assert document["profile"]["days"] == ["tue", "thu", "sat"]
    assert plan(started, TUESDAY)["kind"] == "session"


def test_every_other_day_can_be_chosen(started: TestClient) -> None:
    response = started.put("/api/v1/settings/days", json={"days": "every-other-day"})

    assert response.status_code == 200
    assert response.json() == {"days": "every-other-day"}
    document = exported(started)
    assert document is not None
    assert document["profile"]["days"] == "every-other-day"


@pytest.mark.parametrize(
    ("days", "reason"),
    [
        (["mon", "tue", "thu"], "consecutive"),
        (["sun", "wed", "fri", "mon"], "consecutive"),
        (["mon", "thu"], "3"),
        (["mon", "wed", "someday"], "days: unknown day 'someday'"),
    ],
    ids=["monday-tuesday", "sunday-monday", "two-days", "unknown-day"],
)
def test_refused_training_days_answer_422_and_keep_the_old_ones(
    started: TestClient, days: list[str], reason: str
) -> None:
    before = exported(started)

    response = started.put("/api/v1/settings/days", json={"days": days})

    assert response.status_code == 422
    assert reason in response.json()["message"]
    assert exported(started) == before


def test_training_days_before_a_program_answer_409(client: TestClient) -> None:
    response = client.put("/api/v1/settings/days", json={"days": ["mon", "wed", "fri"]})

    assert response.status_code == 409


# Export and import.


def live_a_week(client: TestClient, clock: Clock) -> None:
    """Monday's session with a sharp pain, a check-in, Wednesday's session, part of Friday's."""
    log_session(client, MONDAY, {"dead-bug": "sharp"})
    clock.today = WEDNESDAY
    assert client.post("/api/v1/checkins", json={"pain": 5, "psfs": [5, 5, 4]}).status_code == 201
    log_session(client, WEDNESDAY)
    clock.today = FRIDAY
    assert post_answer(client, "diaphragmatic-breathing", "none").status_code == 201
    assert post_answer(client, "cat-cow", "radiating").status_code == 201


def test_an_export_imports_into_an_empty_database_unchanged(
    started: TestClient, fresh: TestClient, clock: Clock
) -> None:
    live_a_week(started, clock)
    document = exported(started)
    assert document is not None

    response = fresh.post("/api/v1/import", json=document)

    assert response.status_code == 201
    assert response.json() == {"events": len(document["events"]), "start": "2026-11-02"}
    assert exported(fresh) == document
    assert fresh.get("/api/v1/status").json() == started.get("/api/v1/status").json()


def test_the_export_holds_a_weeks_events_in_the_order_they_happened(
    started: TestClient, clock: Clock
) -> None:
    live_a_week(started, clock)

    recorded = [(e["date"], e["type"]) for e in events(started)]

    assert recorded == [
        ("2026-11-02", "checkin"),
        ("2026-11-02", "session"),
        ("2026-11-04", "checkin"),
        ("2026-11-04", "session"),
        ("2026-11-06", "session"),
    ]
    assert [len(s["exercises"]) for s in sessions(started)] == [len(PHASE_1), len(PHASE_1), 2]


def test_an_import_into_a_database_that_holds_a_program_is_refused(
    started: TestClient, fresh: TestClient
) -> None:
    start_program(fresh, age=60, days="every-other-day")
    before = exported(fresh)
    document = exported(started)

    response = fresh.post("/api/v1/import", json=document)

    assert response.status_code == 422
    message = response.json()["message"]
    assert message.startswith("this database already holds a program (since Mon 2 Nov 2026: 1")
    assert "export it first (GET /api/v1/export)" in message
    assert exported(fresh) == before


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"format": "something-else"}, "not a lumbar export"),
        ({"version": 99}, "body is from a newer lumbar (format 99); this lumbar reads up to 8"),
        ({"events": []}, "changed or damaged (at events: "),
    ],
    ids=["wrong-format", "newer-version", "no-events"],
)
def test_an_invalid_export_is_refused_and_writes_nothing(
    started: TestClient, fresh: TestClient, change: dict[str, Any], reason: str
) -> None:
    document = {**(exported(started) or {}), **change}

    response = fresh.post("/api/v1/import", json=document)

    assert response.status_code == 422
    assert reason in response.json()["message"]
    assert exported(fresh) is None


def test_an_import_with_a_session_the_rules_refuse_writes_nothing(
    started: TestClient, fresh: TestClient
) -> None:
    log_session(started, MONDAY)
    document = exported(started)
    assert document is not None
    document["events"].append(
        {"type": "session", "date": "2026-11-03", "exercises": [{"id": "cat-cow", "pain": "none"}]}
    )

    response = fresh.post("/api/v1/import", json=document)

    assert response.status_code == 422
    assert "events.2" in response.json()["message"]
    assert exported(fresh) is None


# The catalogue and the topics (no program needed).


def test_the_exercise_catalogue_lists_every_exercise(client: TestClient, content: Content) -> None:
    response = client.get("/api/v1/exercises")

    assert response.status_code == 200
    listed = response.json()
    assert [e["id"] for e in listed] == list(content.catalogue)
    assert set(PHASE_1) <= {e["id"] for e in listed}
    assert all(e["name"] and e["steps"] for e in listed)


def test_one_exercise(client: TestClient) -> None:
    response = client.get("/api/v1/exercises/cat-cow")

    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["name"], body["category"]) == ("cat-cow", "Cat-cow", "mobility")
    assert body["phases"] == [1, 2, 3]  # phase 3 opens with it, as a warm-up
    assert body["steps"]
    assert body["reduced_range"]


def test_an_unknown_exercise_answers_404(client: TestClient) -> None:
    response = client.get("/api/v1/exercises/cartwheel")

    assert response.status_code == 404
    assert response.json() == {"message": "no exercise 'cartwheel'"}


def test_the_topics(client: TestClient, content: Content) -> None:
    listed = client.get("/api/v1/topics").json()
    one = client.get("/api/v1/topics/disclaimer")

    assert [t["id"] for t in listed] == list(content.topics)
    assert one.status_code == 200
    assert one.json()["title"] == content.topics["disclaimer"].title
    assert one.json()["body"] == content.topics["disclaimer"].body


def test_an_unknown_topic_answers_404(client: TestClient) -> None:
    response = client.get("/api/v1/topics/astrology")

    assert response.status_code == 404
    assert response.json() == {"message": "no topic 'astrology'"}


# The schema.


def test_the_openapi_document_lists_every_api_route_and_no_page(client: TestClient) -> None:
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    routes = {(path, method) for path, methods in paths.items() for method in methods}
    assert routes == {
        ("/api/v1/today", "get"),
        ("/api/v1/status", "get"),
        ("/api/v1/progress", "get"),
        ("/api/v1/program", "post"),
        ("/api/v1/sessions", "post"),
        ("/api/v1/session/answers", "post"),
        ("/api/v1/session/skips", "post"),
        ("/api/v1/checkins", "post"),
        ("/api/v1/clearances", "post"),
        ("/api/v1/settings/days", "put"),
        ("/api/v1/settings/equipment", "get"),
        ("/api/v1/settings/equipment", "put"),
        ("/api/v1/settings/alternatives", "get"),
        ("/api/v1/settings/alternatives/{exercise_id}", "put"),
        ("/api/v1/export", "get"),
        ("/api/v1/import", "post"),
        ("/api/v1/exercises", "get"),
        ("/api/v1/exercises/{exercise_id}", "get"),
        ("/api/v1/topics", "get"),
        ("/api/v1/topics/{topic_id}", "get"),
        ("/api/v1/problems", "get"),
        ("/api/v1/problems", "post"),
        ("/api/v1/settings/reminders", "get"),
        ("/api/v1/settings/reminders", "put"),
        ("/api/v1/calendar", "get"),
        ("/api/v1/records", "get"),
        ("/api/v1/records/{record_id}", "patch"),
        ("/api/v1/records/{record_id}", "delete"),
        ("/api/v1/records/{record_id}/undo", "post"),
    }
    assert all(op.get("summary") for methods in paths.values() for op in methods.values())


def test_the_api_docs_page_is_served(client: TestClient) -> None:
    response = client.get("/api/docs")

    assert response.status_code == 200
    assert "/api/v1/openapi.json" in response.text


def test_today_follows_a_session_recorded_behind_the_apps_back(
    started: TestClient, store: Store, content: Content
) -> None:
    """The plan is answered from memory while nothing changes; a session recorded by
    another process (here another store on the same file, as `lumbar log` would) shows
    at the next request."""
    first = started.get("/api/v1/today").json()
    assert started.get("/api/v1/today").json() == first
    assert first["completed"] is False
    other = Store(store.url)
    try:
        entries = [(e["id"], Pain.NONE) for e in first["exercises"]]
        session_cases.log(Person(other, content), START, entries)
    finally:
        other.dispose()
    assert started.get("/api/v1/today").json()["completed"] is True


@pytest.mark.parametrize("days", [[], ""])
def test_empty_training_days_are_refused_not_replaced_by_the_default(
    started: TestClient, days: Any
) -> None:
    started.put("/api/v1/settings/days", json={"days": "tue,thu,sat"})
    response = started.put("/api/v1/settings/days", json={"days": days})
    assert response.status_code == 422
    document = exported(started)
    assert document is not None and document["profile"]["days"] == ["tue", "thu", "sat"]
