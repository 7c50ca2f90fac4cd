"""The API's refusals of requests that are not what the schema says: a body that is not
JSON, an address or a method the API does not have, a value pydantic would have bent to fit,
text with a control character in it. Each is a 4xx whose `message` says what to change, and
nothing is written.

Schemathesis (tests/web/test_schemathesis.py) and the probes it led to found each of these;
the tests here pin them down one by one, on SQLite and PostgreSQL. Before: a body that was
not UTF-8 answered 400 `{"detail": ...}`; a method the address does not take answered 405
without a message, and with half its methods in `Allow`; a broken JSON body was named
"1: jSON decode error (got {})"; `"break_minutes": false` was 0 minutes; and a NUL in a PSFS
activity, a problem's note or an import answered 503 "cannot use the database" on
PostgreSQL (SQLite stored it).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.web.conftest import ANSWERS, exported

JSON = {"Content-Type": "application/json"}


def _problems(client: TestClient) -> list[dict[str, Any]]:
    response = client.get("/api/v1/problems")
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found


# Bodies that are not a JSON object.


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"kind": "fall"', "body: not valid JSON (line 1, column 16: Expecting ',' delimiter)"),
        (
            b'{\n  "kind" "fall"\n}',
            "body: not valid JSON (line 2, column 10: Expecting ':' delimiter)",
        ),
        (b'{"kind": "\xff"}', "body: not valid JSON (it is not UTF-8 text)"),
        (b'["fall"]', 'body: expected a JSON object (got ["fall"])'),
        (b"null", "body: expected a JSON object (got null)"),
    ],
)
def test_a_body_that_is_not_a_json_object_is_422_with_where_it_goes_wrong(
    started: TestClient, body: bytes, message: str
) -> None:
    response = started.post("/api/v1/problems", content=body, headers=JSON)

    assert response.status_code == 422
    assert response.json()["message"] == message
    assert _problems(started) == []


def test_json_sent_as_text_is_422_asking_for_the_json_content_type(started: TestClient) -> None:
    response = started.post(
        "/api/v1/problems",
        content=json.dumps({"kind": "fall"}),
        headers={"Content-Type": "text/plain"},
    )

    assert response.status_code == 422
    assert response.json()["message"] == (
        "body: expected a JSON object, sent as Content-Type: application/json"
    )
    assert _problems(started) == []


# Addresses and methods the API does not have.


def test_a_method_the_address_does_not_take_is_405_naming_every_method_it_takes(
    started: TestClient,
) -> None:
    response = started.delete("/api/v1/problems")

    assert response.status_code == 405
    # Starlette named only the methods of the first route with this path (GET).
    assert response.headers["Allow"] == "GET, POST"
    assert response.json() == {
        "message": "DELETE is not allowed on /api/v1/problems: use GET, POST"
    }
    assert _problems(started) == []


def test_an_address_the_api_does_not_have_is_404_with_a_message(client: TestClient) -> None:
    response = client.get("/api/v1/no-such-thing")

    assert response.status_code == 404
    assert response.json() == {"message": "no such address: /api/v1/no-such-thing"}


# Values the schema types strictly.


@pytest.mark.parametrize("minutes", [False, "30", 30.5])
def test_break_minutes_must_be_a_json_integer(started: TestClient, minutes: Any) -> None:
    before = started.get("/api/v1/settings/reminders").json()

    response = started.put("/api/v1/settings/reminders", json={"break_minutes": minutes})

    assert response.status_code == 422
    assert response.json()["message"].startswith("break_minutes: input should be a valid integer")
    assert started.get("/api/v1/settings/reminders").json() == before


# Text a person typed: no control characters (PostgreSQL cannot store a NUL at all).


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x7f"])
def test_an_activity_with_a_control_character_starts_nothing(client: TestClient, char: str) -> None:
    psfs = [dict(item) for item in ANSWERS["psfs"]]
    psfs[1]["activity"] = f"Lifting{char}the shopping"

    response = client.post("/api/v1/program", json={**ANSWERS, "psfs": psfs})

    assert response.status_code == 422
    assert response.json() == {
        "message": f"psfs: activity 2: {char!r} is a control character, not text: leave it out"
    }
    assert exported(client) is None


@pytest.mark.parametrize("note", ["fell\x00 on the stairs", "\x1b[2Jfell"])
def test_a_note_with_a_control_character_is_refused(started: TestClient, note: str) -> None:
    response = started.post("/api/v1/problems", json={"kind": "fall", "note": note})

    assert response.status_code == 422
    assert response.json()["message"].startswith("note: ")
    assert "is a control character, not text" in response.json()["message"]
    assert _problems(started) == []


def test_a_note_keeps_its_line_breaks_and_tabs(started: TestClient) -> None:
    note = "Fell on the stairs.\nKnee:\tscraped"

    response = started.post(
        "/api/v1/problems", json={"kind": "fall", "note": note, "hurt_back": False}
    )

    assert response.status_code == 201
    assert [p["note"] for p in _problems(started)] == [note]


def test_an_export_with_a_control_character_imports_nothing(
    started: TestClient, fresh: TestClient
) -> None:
    document = exported(started)
    assert document is not None
    document["profile"]["psfs_activities"][0] = "Sitting\x00"

    response = fresh.post("/api/v1/import", json=document)

    assert response.status_code == 422
    assert response.json()["message"] == (
        "body: profile.psfs_activities.0: '\\x00' is a control character, not text: leave it out"
    )
    assert exported(fresh) is None


# What the schema says of refusals.


def test_the_schema_documents_every_refusal_with_its_shape(app: FastAPI) -> None:
    """Each operation names the refusals it may answer, with the body they carry, so a client
    can rely on `message` (schemathesis holds the answers to these shapes)."""
    document = app.openapi()
    operations = [
        (path, method, operation)
        for path, methods in document["paths"].items()
        if path.startswith("/api/v1/")
        for method, operation in methods.items()
    ]
    assert operations
    for path, method, operation in operations:
        responses = operation["responses"]
        for code, model in (("409", "Conflict"), ("422", "Invalid"), ("503", "Refusal")):
            schema = responses[code]["content"]["application/json"]["schema"]
            assert schema == {"$ref": f"#/components/schemas/{model}"}, (method, path, code)
    for path in ("/api/v1/exercises/{exercise_id}", "/api/v1/topics/{topic_id}"):
        refusal = document["paths"][path]["get"]["responses"]["404"]
        assert refusal["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/Refusal"
        }
    refusal = document["components"]["schemas"]["Refusal"]
    assert refusal["required"] == ["message"]
    assert refusal["properties"]["message"]["minLength"] == 1


def test_the_schema_names_the_three_kinds_of_problem(app: FastAPI) -> None:
    kind = app.openapi()["components"]["schemas"]["ProblemIn"]["properties"]["kind"]

    assert kind["enum"] == ["pain_after_session", "fall", "other"]
