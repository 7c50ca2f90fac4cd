"""Issue #15, item 1, in the web app and the API: nothing is recorded for a day after the
server's today; planning and reading such a day stay allowed. (The pages record for the
server's today only: they take no date.)"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import ANSWERS, MONDAY, exported, log_session, plan

AHEAD = "2026-11-04"
SAID = "2026-11-04 is after today (2026-11-02): only a day that has come can be recorded"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        (
            "post",
            "/api/v1/sessions",
            {"date": AHEAD, "exercises": [{"id": "cat-cow", "pain": "none"}]},
        ),
        ("post", "/api/v1/checkins", {"date": AHEAD, "pain": 3}),
        ("post", "/api/v1/checkins", {"date": AHEAD, "symptoms": ["fever"]}),
        ("post", "/api/v1/problems", {"date": AHEAD, "kind": "other", "note": "stiff"}),
        ("post", "/api/v1/clearances", {"date": AHEAD, "by": "Dr Rao"}),
    ],
    ids=["session", "check-in", "symptom", "problem", "clearance"],
)
def test_every_api_write_dated_after_today_answers_422_and_writes_nothing(
    started: TestClient, method: str, path: str, body: dict[str, Any]
) -> None:
    before = exported(started)
    response = getattr(started, method)(path, json=body)
    assert response.status_code == 422, response.text
    assert SAID in response.json()["message"]
    assert exported(started) == before


def test_a_start_dated_ahead_is_refused_and_a_day_ahead_can_be_planned(
    client: TestClient,
) -> None:
    response = client.post("/api/v1/program", json={**ANSWERS, "date": AHEAD})
    assert response.status_code == 422 and SAID in response.json()["message"]
    assert exported(client) is None
    assert client.post("/api/v1/program", json=ANSWERS).status_code == 201
    ahead = plan(client, MONDAY.replace(day=4))
    assert ahead["kind"] == "session" and ahead["date"] == AHEAD


def test_an_import_holding_a_day_ahead_is_refused(started: TestClient, fresh: TestClient) -> None:
    log_session(started, MONDAY)
    document = exported(started)
    assert document is not None
    document["events"][-1]["date"] = AHEAD
    response = fresh.post("/api/v1/import", json=document)
    assert response.status_code == 422
    assert f"events.1: {SAID}" in response.json()["message"]
    assert exported(fresh) is None
