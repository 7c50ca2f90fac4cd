"""Correcting a mistake through the API (issue #15), in local mode, on SQLite and PostgreSQL:
`GET /api/v1/records` lists every record with its id, `PATCH` corrects one, `DELETE` deletes
it (it stays, marked) and `POST .../undo` takes the last edit or delete back.

The program follows the corrected history: a session's pain corrected gives the plan a
clean history gives, a check-in's pain corrected is the pain the status reports. A
correction the rules refuse (a day after today, a danger sign taken away, the intake
deleted, a field the record does not have) answers 422 and writes nothing; an id that names
no record answers 404.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from lumbar.formats.records import record_json
from lumbar.store.database import Store
from lumbar.store.tables import metadata
from lumbar.usecases import recorded
from lumbar.usecases.person import Person
from tests.web.conftest import (
    FRIDAY,
    MONDAY,
    WEDNESDAY,
    checkins,
    live_until,
    log_session,
    plan,
    start_program,
)


def listed(client: TestClient) -> list[dict[str, Any]]:
    response = client.get("/api/v1/records")
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["records"]
    return found


def one(client: TestClient, type_: str, *, intake: bool = False) -> dict[str, Any]:
    """The last record of a type (the intake, or a check-in that is not the intake)."""
    found = [r for r in listed(client) if r["type"] == type_ and r["intake"] is intake]
    assert found, f"no {type_} record"
    return found[-1]


def status(client: TestClient) -> dict[str, Any]:
    response = client.get("/api/v1/status")
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def rows(store: Store) -> dict[str, list[str]]:
    """Every row of every table (a refused correction must leave each as it was)."""
    with store.engine.connect() as connection:
        return {
            table.name: sorted(repr(tuple(row)) for row in connection.execute(select(table)))
            for table in metadata.sorted_tables
        }


def checkin(client: TestClient, **answers: Any) -> dict[str, Any]:
    """A check-in through the API on the app's today; its record."""
    response = client.post("/api/v1/checkins", json=answers)
    assert response.status_code == 201, response.text
    return one(client, "checkin")


@pytest.fixture
def history(started: TestClient) -> TestClient:
    """Monday's session with sharp pain in the glute bridge; on Wednesday a check-in (pain
    5) and a problem report. Today is Wednesday."""
    log_session(started, MONDAY, {"glute-bridge": "sharp"})
    live_until(started, WEDNESDAY)
    checkin(started, pain=5)
    response = started.post("/api/v1/problems", json={"kind": "other", "note": "a stiff neck"})
    assert response.status_code == 201, response.text
    return started


# The list.


def test_the_list_holds_every_record_with_its_id_as_the_command_line_prints_it(
    history: TestClient, app: FastAPI
) -> None:
    found = listed(history)

    assert [(r["type"], r["date"], r["intake"]) for r in found] == [
        ("checkin", MONDAY.isoformat(), True),
        ("session", MONDAY.isoformat(), False),
        ("checkin", WEDNESDAY.isoformat(), False),
        ("problem", WEDNESDAY.isoformat(), False),
    ]
    assert [r["id"][0] for r in found] == ["c", "s", "c", "p"]
    assert all(r["corrected_on"] is None and r["deleted_on"] is None for r in found)
    person = Person(app.state.store, app.state.content)
    assert found == [record_json(r) for r in recorded.records(person)]


def test_no_records_before_the_program_starts(client: TestClient) -> None:
    response = client.get("/api/v1/records")

    assert response.status_code == 409
    assert response.json()["message"] == "no program yet: start one first"


# Edits, deletes and undos.


def test_a_checkins_pain_corrected_is_the_pain_the_status_reports_and_undone_again(
    history: TestClient,
) -> None:
    wanted = one(history, "checkin")
    assert status(history)["improvement"]["latest_pain"] == 5

    edited = history.patch(f"/api/v1/records/{wanted['id']}", json={"pain": 3})

    assert edited.status_code == 200, edited.text
    body = edited.json()
    assert (body["id"], body["pain"], body["corrected_on"], body["undo"]) == (
        wanted["id"],
        3,
        WEDNESDAY.isoformat(),
        "edit",
    )
    assert one(history, "checkin") == body
    assert [c["pain"] for c in checkins(history)] == [6, 3]
    assert status(history)["improvement"]["latest_pain"] == 3

    undone = history.post(f"/api/v1/records/{wanted['id']}/undo")

    assert undone.status_code == 200, undone.text
    assert undone.json() == wanted
    assert [c["pain"] for c in checkins(history)] == [6, 5]
    assert status(history)["improvement"]["latest_pain"] == 5


def test_a_sessions_pain_corrected_gives_the_plan_a_clean_session_gives(
    history: TestClient, fresh: TestClient
) -> None:
    start_program(fresh, date=MONDAY.isoformat())
    log_session(fresh, MONDAY)
    assert fresh.post("/api/v1/checkins", json={"pain": 5}).status_code == 201
    assert (
        fresh.post("/api/v1/problems", json={"kind": "other", "note": "a stiff neck"}).status_code
        == 201
    )
    clean = plan(fresh, FRIDAY)
    hurt = plan(history, FRIDAY)
    assert hurt != clean, "sharp pain on Monday should change Friday's plan"
    session = one(history, "session")

    edited = history.patch(
        f"/api/v1/records/{session['id']}",
        json={"exercises": [{"id": "glute-bridge", "pain": "none"}]},
    )

    assert edited.status_code == 200, edited.text
    assert {e["pain"] for e in edited.json()["exercises"]} == {"none"}
    assert [e["id"] for e in edited.json()["exercises"]] == [e["id"] for e in session["exercises"]]
    assert plan(history, FRIDAY) == clean
    assert history.post(f"/api/v1/records/{session['id']}/undo").status_code == 200
    assert plan(history, FRIDAY) == hurt


def test_a_deleted_record_stays_marked_the_program_reads_past_it_and_undo_brings_it_back(
    history: TestClient,
) -> None:
    wanted = one(history, "checkin")
    report = one(history, "problem")

    deleted = history.delete(f"/api/v1/records/{wanted['id']}")
    gone = history.delete(f"/api/v1/records/{report['id']}")

    assert deleted.status_code == 200, deleted.text
    assert (deleted.json()["deleted_on"], deleted.json()["undo"]) == (
        WEDNESDAY.isoformat(),
        "delete",
    )
    assert gone.status_code == 200, gone.text
    assert [r["id"] for r in listed(history) if r["deleted_on"]] == [wanted["id"], report["id"]]
    assert status(history)["improvement"]["latest_pain"] is None
    assert history.get("/api/v1/problems").json() == []

    assert history.post(f"/api/v1/records/{wanted['id']}/undo").json() == wanted
    assert history.post(f"/api/v1/records/{report['id']}/undo").json() == report
    assert listed(history)[-2:] == [wanted, report]
    assert status(history)["improvement"]["latest_pain"] == 5


def test_a_problem_reports_note_and_a_date_are_corrected(history: TestClient) -> None:
    report = one(history, "problem")

    edited = history.patch(
        f"/api/v1/records/{report['id']}",
        json={"note": "a stiff neck, not the back", "date": MONDAY.isoformat()},
    )

    assert edited.status_code == 200, edited.text
    assert (edited.json()["note"], edited.json()["date"]) == (
        "a stiff neck, not the back",
        MONDAY.isoformat(),
    )
    assert history.get("/api/v1/problems").json()[0]["note"] == "a stiff neck, not the back"


def test_an_id_is_read_whatever_its_case_and_spaces(history: TestClient) -> None:
    wanted = one(history, "checkin")

    edited = history.patch(f"/api/v1/records/{wanted['id'].upper()}%20", json={"pain": 4})

    assert edited.status_code == 200, edited.text
    assert edited.json()["id"] == wanted["id"]


# Refusals: 422 (or 404 for no such record), and nothing written.


def _refused_edits(history: TestClient) -> list[tuple[str, str, dict[str, Any] | None, str]]:
    intake = one(history, "checkin", intake=True)
    session = one(history, "session")
    report = one(history, "problem")
    later = one(history, "checkin")
    return [
        (
            "PATCH",
            later["id"],
            {"date": FRIDAY.isoformat()},
            f"date: {FRIDAY.isoformat()} is after today ({WEDNESDAY.isoformat()}): "
            "only a day that has come can be recorded",
        ),
        ("DELETE", intake["id"], None, "The first check-in, on Mon 2 Nov 2026, is where"),
        (
            "PATCH",
            session["id"],
            {"pain": 3},
            "pain: a session has no pain to change (what can change: date, exercises)",
        ),
        ("PATCH", report["id"], {"psfs": [5, 5, 5]}, "psfs: a problem report has no psfs"),
        ("PATCH", later["id"], {}, "nothing to change: give date, pain, psfs, symptoms"),
        ("PATCH", later["id"], {"pain": 5}, f"{later['id']} already says that"),
        ("PATCH", later["id"], {"pain": 11}, "pain: "),
        ("PATCH", later["id"], {"mood": "fine"}, "mood: "),
        ("PATCH", report["id"], {"kind": "bruise"}, "kind: choose what happened"),
        (
            "PATCH",
            session["id"],
            {"exercises": [{"id": "side-plank", "pain": "none"}]},
            "exercises: side-plank is not in the plan",
        ),
        ("POST", later["id"], None, f"{later['id']} has no edit or delete to undo"),
    ]


def test_a_refused_correction_is_422_with_a_message_and_writes_nothing(
    history: TestClient, store: Store
) -> None:
    problems = []
    for method, record_id, body, message in _refused_edits(history):
        before = rows(store)
        path = f"/api/v1/records/{record_id}" + ("/undo" if method == "POST" else "")

        response = history.request(method, path, json=body)

        said = f"{method} {record_id} {body}"
        if response.status_code != 422:
            problems.append(f"{said}: {response.status_code} {response.text[:200]}")
        elif not response.json()["message"].startswith(message):
            problems.append(f"{said}: {response.json()['message']!r}")
        if rows(store) != before:
            problems.append(f"{said} wrote to the database")
    assert problems == [], "\n".join(problems)


def test_a_correction_that_takes_away_a_danger_sign_is_refused(
    history: TestClient, store: Store
) -> None:
    fever = checkin(history, pain=4, symptoms=["fever"])
    assert "fever" in {a["code"] for a in plan(history)["alerts"]}
    before = rows(store)

    edited = history.patch(f"/api/v1/records/{fever['id']}", json={"symptoms": []})
    deleted = history.delete(f"/api/v1/records/{fever['id']}")

    for response in (edited, deleted):
        assert response.status_code == 422, response.text
        assert response.json()["message"].startswith("This change would take away a fever")
    assert rows(store) == before
    assert "fever" in {a["code"] for a in plan(history)["alerts"]}


def test_a_deleted_record_is_not_edited_nor_deleted_again(
    history: TestClient, store: Store
) -> None:
    wanted = one(history, "checkin")
    assert history.delete(f"/api/v1/records/{wanted['id']}").status_code == 200
    before = rows(store)

    for response in (
        history.patch(f"/api/v1/records/{wanted['id']}", json={"pain": 2}),
        history.delete(f"/api/v1/records/{wanted['id']}"),
    ):
        assert response.status_code == 422, response.text
        assert response.json()["message"] == (
            f"id: {wanted['id']} was deleted on {WEDNESDAY.isoformat()}: undo the delete first"
        )
    assert rows(store) == before


@pytest.mark.parametrize("record_id", ["c999999", "s0", "x1", "12", "cl"])
@pytest.mark.parametrize("method", ["PATCH", "DELETE", "POST"])
def test_an_id_that_names_no_record_is_404_and_writes_nothing(
    history: TestClient, store: Store, method: str, record_id: str
) -> None:
    before = rows(store)
    path = f"/api/v1/records/{record_id}" + ("/undo" if method == "POST" else "")

    response = history.request(method, path, json={"pain": 2} if method == "PATCH" else None)

    assert response.status_code == 404, response.text
    message = response.json()["message"]
    assert message.startswith("id: ") and record_id in message
    assert "no record" in message or "is not a record's id" in message
    assert rows(store) == before
