"""The API's OpenAPI document, as the software people already use reads it (issue #18):
valid OpenAPI 3.1, every operation named by hand, every answer with its schema and media
type, and a client generated from it (openapi-python-client) that gets typed answers from
a real server on this computer.

Both apps are read: local mode, and a clinic's server (accounts mode), which adds the
sign-in, the clinician's and the admin's operations.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx2
import pytest
from openapi_spec_validator import OpenAPIV31SpecValidator

from lumbar.store.database import Store, sqlite_url
from lumbar.usecases.accounts import Accounts
from lumbar.web.app import create_app
from tests.browser import conftest as browser
from tests.web.conftest import ANSWERS

live_app = browser.live_app
"""The app served by uvicorn on 127.0.0.1 (its clock on Monday 2 November 2026)."""

METHODS = ("get", "put", "post", "patch", "delete")
HAND_MADE = re.compile(r"^(get|put|post|patch|delete)[A-Z][A-Za-z]*$")
NOT_JSON = {
    ("get", "/api/v1/calendar"): "text/calendar",
    ("get", "/api/v1/export"): "application/fhir+json",
}
"""The answers that are not (only) JSON, and the media type each declares."""


def _documents() -> dict[str, dict[str, Any]]:
    """The OpenAPI documents of both modes (they do not depend on the data)."""
    with tempfile.TemporaryDirectory() as folder:
        store = Store(sqlite_url(Path(folder) / "schema.db"))
        try:
            return {
                "local": create_app(store).openapi(),
                "clinic": create_app(store, accounts=Accounts(store), allowed_hosts=None).openapi(),
            }
        finally:
            store.dispose()


DOCUMENTS = _documents()
MODES = list(DOCUMENTS)


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


@pytest.mark.parametrize("mode", MODES)
def test_the_schema_is_valid_openapi_3_1(mode: str) -> None:
    document = DOCUMENTS[mode]
    assert document["openapi"].startswith("3.1.")
    errors = [e.message for e in OpenAPIV31SpecValidator(document).iter_errors()]
    assert errors == []


@pytest.mark.parametrize("mode", MODES)
def test_every_operation_has_a_hand_made_id_of_its_own(mode: str) -> None:
    """`getToday`, not FastAPI's `today_api_v1_today_get`: a generated client's function
    names are these ids."""
    found = operations(DOCUMENTS[mode])
    ids = [operation.get("operationId", "") for _, _, operation in found]
    assert len(found) >= (29 if mode == "local" else 50)
    made_up = [i for i in ids if not HAND_MADE.match(i) or "_api_v1_" in i]
    assert made_up == []
    assert len(set(ids)) == len(ids)
    for method, _, operation in found:
        assert operation["operationId"].startswith(method), operation["operationId"]


@pytest.mark.parametrize("mode", MODES)
def test_every_answer_says_what_it_holds(mode: str) -> None:
    """Every success answer has a schema (a model, not `{}`), each media type declared;
    every refusal the JSON shape with a message."""
    document = DOCUMENTS[mode]
    for method, path, operation in operations(document):
        for status, answer in operation["responses"].items():
            if status == "204":
                assert "content" not in answer
                continue
            content = answer.get("content", {})
            assert content, f"{method} {path} {status}: no content type"
            for media_type, described in content.items():
                schema = described.get("schema", {})
                assert schema not in ({}, {"type": "object"}) or media_type != "application/json", (
                    f"{method} {path} {status} {media_type}: no schema"
                )
                if status.startswith(("4", "5")):
                    assert _refers(schema, document, "message"), (method, path, status)
        expected = NOT_JSON.get((method, path))
        if expected is not None:
            assert expected in operation["responses"]["200"]["content"]
    calendar = document["paths"]["/api/v1/calendar"]["get"]["responses"]["200"]["content"]
    assert list(calendar) == ["text/calendar"]


def _refers(schema: dict[str, Any], document: dict[str, Any], key: str) -> bool:
    """Whether the schema (a `$ref` to a component) has the property `key`."""
    name = schema.get("$ref", "").rsplit("/", 1)[-1]
    component = document["components"]["schemas"].get(name, schema)
    return key in component.get("properties", {})


# A client generated from the live app's schema, used against it.


@pytest.fixture
def generated(live_app: browser.LiveApp, tmp_path: Path) -> Iterator[ModuleType]:
    """A Python client made by openapi-python-client from `/api/v1/openapi.json` as the
    running server publishes it, written to a temporary folder and imported from there
    (it is not part of the repository). The generator fails on any warning: a schema it
    cannot fully turn into code fails the test."""
    published = httpx2.get(f"{live_app.url}/api/v1/openapi.json", timeout=10)
    assert published.status_code == 200
    schema = tmp_path / "openapi.json"
    schema.write_text(published.text)
    config = tmp_path / "generator.json"
    config.write_text(json.dumps({"post_hooks": []}))  # ruff is not the generator's to run
    package = f"lumbar_client_{uuid.uuid4().hex[:8]}"
    made = subprocess.run(
        [
            *(sys.executable, "-m", "openapi_python_client", "generate"),
            *("--path", str(schema), "--output-path", str(tmp_path / package)),
            *("--meta", "none", "--config", str(config), "--fail-on-warning"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert made.returncode == 0, made.stdout + made.stderr
    sys.path.insert(0, str(tmp_path))
    try:
        yield __import__(package)
    finally:
        sys.path.remove(str(tmp_path))
        for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
            del sys.modules[name]


def _import(generated: ModuleType, name: str) -> Any:
    return __import__(f"{generated.__name__}.{name}", fromlist=["*"])


def test_a_generated_client_gets_typed_answers_from_a_real_server(
    generated: ModuleType, live_app: browser.LiveApp
) -> None:
    with generated.Client(base_url=live_app.url, raise_on_unexpected_status=True) as client:
        _use_against_the_server(generated, client, live_app)


def _use_against_the_server(generated: ModuleType, client: Any, live_app: browser.LiveApp) -> None:
    """Start a program, read the day's plan, record its session twice with one key, and
    send a session that is refused."""
    api = _import(generated, "api.api")
    models = _import(generated, "models")
    for name in ("get_today", "post_program", "post_session"):
        __import__(f"{api.__name__}.{name}")

    started = api.post_program.sync_detailed(
        client=client, body=models.ProgramIn.from_dict(ANSWERS)
    )
    assert started.status_code == 201, started.content
    assert isinstance(started.parsed, models.Plan)

    plan = api.get_today.sync(client=client)
    assert isinstance(plan, models.Plan)
    assert plan.date == date(2026, 11, 2)
    assert plan.kind == models.Kind.SESSION
    assert plan.exercises and all(isinstance(e, models.Planned) for e in plan.exercises)
    assert isinstance(plan.exercises[0].sets, int)

    session = models.SessionIn.from_dict(
        {"date": "2026-11-02", "exercises": [{"id": e.id, "pain": "none"} for e in plan.exercises]}
    )
    first = api.post_session.sync_detailed(client=client, body=session, idempotency_key="k-1")
    assert first.status_code == 201, first.content
    logged = first.parsed
    assert isinstance(logged, models.Logged)
    assert logged.plan.completed
    assert "Idempotent-Replayed" not in first.headers
    again = api.post_session.sync_detailed(client=client, body=session, idempotency_key="k-1")
    assert again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.parsed == logged
    assert len(_sessions(live_app)) == 1  # recorded once

    other = models.SessionIn.from_dict(
        {"date": "2026-11-02", "exercises": [{"id": "squat", "pain": "none"}]}
    )
    refused = api.post_session.sync_detailed(client=client, body=other, idempotency_key="k-2")
    assert refused.status_code == 422
    assert isinstance(refused.parsed, models.Invalid)
    assert refused.parsed.message
    assert len(_sessions(live_app)) == 1  # nothing written


def _sessions(live_app: browser.LiveApp) -> list[dict[str, Any]]:
    exported = httpx2.get(f"{live_app.url}/api/v1/export", timeout=10).json()
    return [e for e in exported["events"] if e["type"] == "session"]
