"""Text that does not read as written, and imports larger than the forms allow (issue #19,
finding 9), on SQLite and PostgreSQL.

A message with U+202E (right-to-left override) showed the clinician something else than
what was typed; zero-width characters make two texts look alike. They are refused in every
free text someone else reads (problem notes, PSFS activities, skip notes, and messages in
tests/server/test_odd_inputs.py) by one checker, `errors.refuse_hidden_characters`, with a
message that says which character, and nothing is written. An import used to take a
300,000-character PSFS activity (the intake takes 200) and 5,000 problem reports at once:
it now holds the forms' limits.
"""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import ANSWERS, MONDAY, exported, plan

HIDDEN = ["\u202e", "\u202a", "\u2066", "\u2069", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
"""The bidi overrides and isolates, and the zero-width characters."""
READABLE = "כאב בגב — ألم الظهر — 腰痛 🙂"
"""Right-to-left scripts, CJK and an emoji: text, accepted as it is."""


def _refused(response: Any, char: str) -> str:
    assert response.status_code == 422, response.text
    message: str = response.json()["message"]
    assert f"U+{ord(char):04X}" in message
    assert "invisible character" in message
    return message


def _problems(client: TestClient) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = client.get("/api/v1/problems").json()
    return found


@pytest.mark.parametrize("char", HIDDEN)
def test_a_problem_note_with_a_hidden_character_is_refused(started: TestClient, char: str) -> None:
    response = started.post("/api/v1/problems", json={"kind": "other", "note": f"knee{char} ok"})
    message = _refused(response, char)
    assert message.startswith("note: ")
    assert _problems(started) == []


def test_readable_text_in_any_script_is_kept(started: TestClient) -> None:
    response = started.post("/api/v1/problems", json={"kind": "other", "note": READABLE})
    assert response.status_code == 201, response.text
    assert [p["note"] for p in _problems(started)] == [READABLE]


def test_a_psfs_activity_with_an_override_starts_nothing(client: TestClient) -> None:
    answers = copy.deepcopy(ANSWERS)
    answers["psfs"][0]["activity"] = "Walking\u202e 01 minutes"
    response = client.post("/api/v1/program", json=answers)
    _refused(response, "\u202e")
    assert exported(client) is None


def test_a_skip_note_with_a_zero_width_character_is_refused(started: TestClient) -> None:
    exercises = plan(started, MONDAY)["exercises"]
    body = {
        "date": MONDAY.isoformat(),
        "exercises": [{"id": e["id"], "pain": "none"} for e in exercises[1:]],
        "skipped": [{"id": exercises[0]["id"], "reason": "other", "note": "tired\u200bnow"}],
    }
    response = started.post("/api/v1/sessions", json=body)
    _refused(response, "\u200b")
    document = exported(started)
    assert document is not None
    assert [e for e in document["events"] if e["type"] == "session"] == []


# Imports hold the forms' limits.


@pytest.fixture
def document(started: TestClient) -> dict[str, Any]:
    found = exported(started)
    assert found is not None
    return found


def _problem(day: Any, note: str = "slipped") -> dict[str, Any]:
    return {"date": day.isoformat(), "kind": "other", "note": note}


def test_an_import_with_a_300000_character_activity_is_refused(
    document: dict[str, Any], fresh: TestClient
) -> None:
    document["profile"]["psfs_activities"][0] = "a" * 300_000
    response = fresh.post("/api/v1/import", json=document)
    assert response.status_code == 422
    assert response.json()["message"] == (
        "body: profile.psfs_activities.0: keep an activity to 200 characters, as the intake "
        "does (it has 300000)"
    )
    assert exported(fresh) is None


def test_an_activity_as_long_as_the_intake_takes_imports(
    document: dict[str, Any], fresh: TestClient
) -> None:
    document["profile"]["psfs_activities"][0] = "a" * 200
    assert fresh.post("/api/v1/import", json=document).status_code == 201


def test_an_import_with_5000_problem_reports_is_refused(
    document: dict[str, Any], fresh: TestClient
) -> None:
    document["problems"] = [_problem(MONDAY + timedelta(days=i % 3)) for i in range(5000)]
    response = fresh.post("/api/v1/import", json=document)
    assert response.status_code == 422
    assert "at most 1000 problem reports (this one has 5000)" in response.json()["message"]
    assert exported(fresh) is None


def test_an_import_with_eleven_problem_reports_on_one_day_is_refused(
    document: dict[str, Any], fresh: TestClient
) -> None:
    document["problems"] = [_problem(MONDAY) for _ in range(11)]
    response = fresh.post("/api/v1/import", json=document)
    assert response.status_code == 422
    assert "11 problem reports on 2026-11-02" in response.json()["message"]
    assert exported(fresh) is None


def test_an_import_with_a_session_of_31_exercises_is_refused(
    document: dict[str, Any], fresh: TestClient
) -> None:
    document["events"].append(
        {
            "type": "session",
            "date": MONDAY.isoformat(),
            "exercises": [{"id": "cat-cow", "pain": "none"}] * 31,
        }
    )
    response = fresh.post("/api/v1/import", json=document)
    assert response.status_code == 422
    assert "a session lists at most 30 exercises" in response.json()["message"]
    assert exported(fresh) is None


@pytest.mark.parametrize(
    ("where", "change"),
    [
        ("problems.0.note", lambda d: d.__setitem__("problems", [_problem(MONDAY, "ok\u202e")])),
        (
            "profile.psfs_activities.0",
            lambda d: d["profile"]["psfs_activities"].__setitem__(0, "walk\u200d"),
        ),
        (
            "events.1.skipped.0.note",
            lambda d: d["events"].append(
                {
                    "type": "session",
                    "date": MONDAY.isoformat(),
                    "exercises": [{"id": "cat-cow", "pain": "none"}],
                    "skipped": [{"id": "bird-dog", "reason": "other", "note": "busy\u2066"}],
                }
            ),
        ),
    ],
)
def test_an_import_with_hidden_characters_imports_nothing(
    document: dict[str, Any], fresh: TestClient, where: str, change: Any
) -> None:
    change(document)
    response = fresh.post("/api/v1/import", json=document)
    assert response.status_code == 422
    assert response.json()["message"].startswith(f"body: {where}: it holds an invisible")
    assert exported(fresh) is None
