"""Schemathesis against the API's own OpenAPI schema: no 5xx, every refusal a 4xx with a
message, and nothing written by a refused request.

Schemathesis reads the schema the app publishes (`/api/v1/openapi.json`) and, for every
operation, sends the schema's examples, its boundary values (coverage) and generated bodies,
queries and path parameters, both valid and deliberately invalid ones. Each operation runs
on a new database (SQLite and PostgreSQL) in two states: before a program was started, and
after one was started on Monday 2 November 2026. The requests reach the real app in-process
over ASGI, with the `Host` the local-mode guard accepts.

Besides schemathesis's own checks (no server error; the status code, content type and body
documented; invalid input refused), two of ours: every answer of 400 or more carries a
message a person can read, and a refused request that could write (anything but GET) leaves
every table of the database as it was.

Schemathesis's `positive_data_acceptance` is left out on purpose: the program's rules refuse
requests the schema cannot describe (a session on a rest day, a date before the program
started, an exercise that is not in today's plan), with 422 as docs/architecture.md says.

The run is bounded for CI: at most 25 generated requests per operation and state, besides
the schema's examples and boundary values (about 2,000 requests on each database), and
derandomized, so that every run sends the same requests. About 45 s on SQLite and
PostgreSQL together on two cores:

    scripts/with-postgres .venv/bin/pytest -q tests/web/test_schemathesis.py -p no:cacheprovider
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis import Case, CheckContext, Response
from sqlalchemy import select

from lumbar.store.database import Store, sqlite_url
from lumbar.store.tables import metadata
from lumbar.web.app import create_app
from tests.web.conftest import BASE_URL, on_this_computer

Rows = dict[str, list[str]]
ApiCase = Case[Any]
"""One request schemathesis made up for an operation."""


def _published_schema() -> dict[str, Any]:
    """The OpenAPI document of the real app. It does not depend on what the database holds,
    so one app on a throwaway SQLite file serves to load it at collection time, and
    schemathesis makes one test per operation from it. (Its lazy loader,
    `schemathesis.pytest.from_fixture`, would build it from the `app` fixture instead, but
    4.32 fails on pytest 9.2, whose nodes no longer have `_nodeid`.)"""
    with tempfile.TemporaryDirectory() as folder:
        store = Store(sqlite_url(Path(folder) / "schema.db"))
        try:
            document: dict[str, Any] = create_app(store).openapi()
        finally:
            store.dispose()
    return document


CONFIG = schemathesis.Config.from_dict({"checks": {"positive_data_acceptance": {"enabled": False}}})

schema = schemathesis.openapi.from_dict(_published_schema(), config=CONFIG)

BOUNDED = settings(
    max_examples=25,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[
        # One database per operation, kept across its examples on purpose: each request
        # meets what the ones before it wrote (a started program, changed settings).
        HealthCheck.function_scoped_fixture,
        # The app is slow next to what hypothesis expects of a pure function (a write on
        # PostgreSQL takes milliseconds), and the schema's bodies are large to generate.
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
"""The same requests at every run: a failure found once is found again."""


def has_a_message(_ctx: CheckContext, response: Response, _case: ApiCase) -> bool | None:
    """A refusal says what is wrong: a JSON object whose `message` is a non-empty sentence.

    This holds for every status of 400 or more, documented or not (405 included)."""
    if response.status_code < 400:
        return None
    try:
        body = response.json()
    except ValueError:
        body = None
    assert isinstance(body, dict), f"a refusal without a JSON object: {response.text[:200]}"
    message = body.get("message")
    assert isinstance(message, str), f"a refusal without a message: {response.text[:200]}"
    assert any(c.isalpha() for c in message), f"a message with no words: {message!r}"
    return None


def rows(store: Store) -> Rows:
    """Every row of every table the store has, in an order that does not depend on the
    database (PostgreSQL returns rows in no fixed order)."""
    with store.engine.connect() as connection:
        return {
            table.name: sorted(repr(tuple(row)) for row in connection.execute(select(table)))
            for table in metadata.sorted_tables
        }


def send(case: ApiCase, app: FastAPI, store: Store) -> None:
    """Send one generated request and hold its answer to every check."""
    before = None if case.method.upper() == "GET" else rows(store)
    response = case.call_and_validate(
        base_url=BASE_URL, app=on_this_computer(app), additional_checks=[has_a_message]
    )
    if before is not None and 400 <= response.status_code < 500:
        assert rows(store) == before, (
            f"{case.method} {case.formatted_path} was refused ({response.status_code}) "
            f"but wrote to the database: {response.text[:200]}"
        )


@schema.parametrize()
@BOUNDED
def test_before_a_program_is_started(case: ApiCase, app: FastAPI, store: Store) -> None:
    """Most requests meet "no program yet" (409); a valid intake starts one."""
    send(case, app, store)


@schema.parametrize()
@BOUNDED
def test_after_a_program_was_started(
    case: ApiCase, app: FastAPI, store: Store, started: TestClient
) -> None:
    """`started` is here for what it did: a program started through the API, so that the
    requests reach the rules of a program in progress (days, dates, the session's plan)."""
    send(case, app, store)
