"""The real web app in-process: a TestClient over a fresh SQLite file, and a clock the test sets.

Every test gets its own database file and its own clock, which starts on Monday 2 November
2026 (`tests.builders.START`). Nothing is mocked: the pages and the API run the real use cases
against the real store, and the tests read back what was written through the export.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx2
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from lumbar.store.database import Store
from lumbar.usecases.person import Person
from lumbar.web.app import create_app
from tests.builders import ACTIVITIES, START
from tests.databases import Databases

BASE_URL = "http://127.0.0.1"
LOOPBACK = ("127.0.0.1", 50000)
"""The test client's own address: this computer (web/guard.py refuses other devices)."""

ANSWERS: dict[str, Any] = {
    "understood": True,
    "age": 42,
    "pain": 6,
    "pain_weeks": 10,
    "days": ["mon", "wed", "fri"],
    "psfs": [
        {"activity": ACTIVITIES[0], "score": 4},
        {"activity": ACTIVITIES[1], "score": 5},
        {"activity": ACTIVITIES[2], "score": 3},
    ],
}
"""Valid intake answers for `POST /api/v1/program`."""

START_FORM: dict[str, Any] = {
    "understood": "1",
    "age": "42",
    "pain_weeks": "10",
    "pain": "6",
    "days": ["mon", "wed", "fri"],
    "activity_1": ACTIVITIES[0],
    "score_1": "4",
    "activity_2": ACTIVITIES[1],
    "score_2": "5",
    "activity_3": ACTIVITIES[2],
    "score_3": "3",
}
"""The same answers as the `/start` form posts them."""

INTAKE_STEPS = ("about", "signs", "days", "activities", "equipment")
"""The intake's pages, in order (web/intake.py)."""


def intake_step(client: TestClient, slug: str, form: dict[str, Any] = START_FORM) -> Any:
    """The intake's page `slug`, once the steps before it are sent with `form`'s answers
    (each step takes its own fields from the whole form)."""
    for step in INTAKE_STEPS[: INTAKE_STEPS.index(slug)]:
        sent = client.post(f"/start/{step}", data=form)
        assert sent.status_code == 303, sent.text
    return client.get(f"/start/{slug}")


PHASE_1 = (
    "diaphragmatic-breathing",
    "cat-cow",
    "glute-bridge",
    "dead-bug",
    "hip-flexor-stretch",
    "piriformis-stretch",
    "childs-pose",
)
"""The exercises of a phase 1 session, in order."""

MONDAY = START
TUESDAY = START + timedelta(days=1)
WEDNESDAY = START + timedelta(days=2)
FRIDAY = START + timedelta(days=4)

HTMX = {"HX-Request": "true"}


@dataclass
class Clock:
    """The app's idea of today; a test moves it with `clock.today = ...`."""

    today: date = START

    def __call__(self) -> date:
        return self.today


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    """The app's database: every web test runs on SQLite and on PostgreSQL."""
    opened = Store(database_url)
    yield opened
    opened.dispose()


@pytest.fixture
def app(store: Store, clock: Clock) -> FastAPI:
    return create_app(store, clock=clock)


@pytest.fixture
def services(app: FastAPI) -> Person:
    """The app's own use cases (on its store and content), to read what the database holds."""
    return Person(app.state.store, app.state.content)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """Redirects are not followed, so a test sees each 303 and where it points."""
    with TestClient(app, base_url=BASE_URL, follow_redirects=False, client=LOOPBACK) as opened:
        yield opened


@pytest.fixture
def started(client: TestClient) -> TestClient:
    """A program started through the API on Monday 2 November 2026 (mon, wed, fri)."""
    start_program(client)
    return client


@pytest.fixture
def fresh(databases: Databases, clock: Clock) -> Iterator[TestClient]:
    """A second app on its own empty database, sharing the test's clock."""
    other = Store(databases.new())
    with TestClient(
        create_app(other, clock=clock), base_url=BASE_URL, follow_redirects=False, client=LOOPBACK
    ) as opened:
        yield opened
    other.dispose()


# Helpers.


def on_this_computer(app: Any) -> Any:
    """The app as this computer's own browser reaches it, for a client that cannot name its
    address (schemathesis): the request's peer is 127.0.0.1, as it is for `lumbar serve`."""

    async def loopback(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            scope = {**scope, "client": LOOPBACK}
        await app(scope, receive, send)

    return loopback


def start_program(client: TestClient, **changes: Any) -> dict[str, Any]:
    """Start the program through the API with valid answers (and any changes); the plan."""
    response = client.post("/api/v1/program", json={**ANSWERS, **changes})
    assert response.status_code == 201, response.text
    plan: dict[str, Any] = response.json()
    return plan


def exported(client: TestClient) -> dict[str, Any] | None:
    """Everything the database holds (the export document), or None when it holds nothing."""
    response = client.get("/api/v1/export")
    if response.status_code == 409:
        return None
    assert response.status_code == 200, response.text
    document: dict[str, Any] = response.json()
    return document


def events(client: TestClient) -> list[dict[str, Any]]:
    document = exported(client)
    assert document is not None, "no program was started"
    found: list[dict[str, Any]] = document["events"]
    return found


def sessions(client: TestClient) -> list[dict[str, Any]]:
    return [e for e in events(client) if e["type"] == "session"]


def checkins(client: TestClient) -> list[dict[str, Any]]:
    return [e for e in events(client) if e["type"] == "checkin"]


def plan(client: TestClient, on: date | None = None) -> dict[str, Any]:
    params = {} if on is None else {"date": on.isoformat()}
    response = client.get("/api/v1/today", params=params)
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def live_until(client: TestClient, on: date) -> None:
    """Move the app's clock on to `on` (never back): a record is written on its own day."""
    clock = client.app.state.clock  # type: ignore[attr-defined]
    if isinstance(clock, Clock) and clock.today < on:
        clock.today = on


def log_session(
    client: TestClient, on: date, pains: dict[str, str] | None = None
) -> dict[str, Any]:
    """Record the whole session of `on` through the API, on that day (the app's clock moves
    on to it): no pain after any exercise, unless `pains` ({exercise id: pain}) says
    otherwise."""
    live_until(client, on)
    pains = pains or {}
    exercises = [
        {"id": e["id"], "pain": pains.get(e["id"], "none")} for e in plan(client, on)["exercises"]
    ]
    response = client.post(
        "/api/v1/sessions", json={"date": on.isoformat(), "exercises": exercises}
    )
    assert response.status_code == 201, response.text
    logged: dict[str, Any] = response.json()
    return logged


def answer(client: TestClient, exercise: str, pain: str, *, htmx: bool = False) -> httpx2.Response:
    """Press one of the player's four pain buttons."""
    return client.post(
        "/session/answer",
        data={"exercise": exercise, "pain": pain},
        headers=HTMX if htmx else None,
    )


def text(response: httpx2.Response) -> str:
    """What a person reads on the page: the HTML without tags, entities decoded, one line."""
    body = re.sub(r"<(script|style|template)\b.*?</\1>", " ", response.text, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def _words(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def form_error(response: httpx2.Response) -> str:
    """What a page says above a refused form: its error summary's problems (one line, each
    after the other), or a page's one message."""
    summary = error_summary(response)
    if summary:
        return " ".join(message for _, message in summary)
    found = re.search(r'role="alert"[^>]*>.*?<p>(.*?)</p>', response.text, flags=re.S)
    assert found is not None, f"no form error on the page: {text(response)[:300]}"
    return _words(found.group(1))


def error_summary(response: httpx2.Response) -> list[tuple[str, str]]:
    """The error summary's links: (the id each goes to, its words); none without one."""
    found = re.search(
        r'<div class="error-summary" role="alert"[^>]*>(.*?)</div>', response.text, flags=re.S
    )
    if found is None:
        return []
    assert "There is a problem" in found.group(1)
    links = re.findall(r'<a href="#([^"]+)">(.*?)</a>', found.group(1), flags=re.S)
    return [(anchor, _words(words)) for anchor, words in links]


def field_errors(response: httpx2.Response) -> dict[str, str]:
    """The message beside each field: {field: words} (from the message's id, `<field>-error`)."""
    found = re.findall(
        r'<p class="field-error" id="([^"]+)-error">(.*?)</p>', response.text, flags=re.S
    )
    return {field: _words(words).removeprefix("Error: ") for field, words in found}


VALIDATOR_TEXT = ("input should", "value is not", "field required", "validation error")
"""pydantic's own words, which no page shows."""


def assert_errors_beside_fields(response: httpx2.Response) -> dict[str, str]:
    """The GOV.UK pattern holds: every problem in the summary links to an element that is on
    the page, each is said beside its field (the field described by it and marked invalid),
    and no validator text shows. The problems, {field: words}."""
    summary = error_summary(response)
    assert summary, f"no error summary: {text(response)[:300]}"
    beside = field_errors(response)
    assert len(beside) == len(summary)
    for anchor, words in summary:
        assert re.search(rf'\sid="{re.escape(anchor)}"', response.text), anchor
        assert words in beside.values()
    for field in beside:
        described = re.findall(r"<(?:input|select|textarea)\b[^>]*>", response.text)
        assert any(f"{field}-error" in tag and 'aria-invalid="true"' in tag for tag in described), (
            field
        )
    lowered = response.text.lower()
    for said in VALIDATOR_TEXT:
        assert said not in lowered
    return beside


def is_partial(response: httpx2.Response) -> bool:
    """An htmx fragment: no document around it."""
    return "<html" not in response.text and "<body" not in response.text


def checked(response: httpx2.Response, name: str, value: str) -> bool:
    """Whether the checkbox or radio `name=value` is ticked on the page."""
    pattern = rf'<input[^>]*name="{name}" value="{re.escape(value)}"[^>]*\schecked'
    return re.search(pattern, response.text) is not None


def ticked(response: httpx2.Response, name: str) -> list[str]:
    """The values of the ticked checkboxes called `name`, in the page's order."""
    inputs = re.findall(rf'<input[^>]*name="{name}" value="[^"]*"[^>]*>', response.text)
    return [re.findall(r'value="([^"]*)"', tag)[0] for tag in inputs if " checked" in tag]


def field_value(response: httpx2.Response, name: str) -> str | None:
    """The value an `<input name=...>` shows."""
    found = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', response.text)
    return None if found is None else html.unescape(found.group(1))


def selected(response: httpx2.Response, name: str) -> str | None:
    """The chosen option of a `<select name=...>`."""
    block = re.search(rf'<select[^>]*name="{name}".*?</select>', response.text, flags=re.S)
    assert block is not None, f"no select {name!r}"
    found = re.search(r'<option value="([^"]*)" selected>', block.group(0))
    return None if found is None else found.group(1)
