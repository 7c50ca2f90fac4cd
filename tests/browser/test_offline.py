"""Issue #16 in Chromium at phone size: a session finished without the network.

Once the session page has loaded, the network can go (`set_offline`) or the server can stop
in the middle of the session: the player goes on by itself, the page says the answers are
kept on the phone, and when the connection is back they are sent, each with its
Idempotency-Key, so that exactly one session is recorded with every answer. Offline, a
sharp pain ends the session on the phone (docs/rules.md). The service worker serves the
last session page it saw, dated, when the server is gone.

The server is uvicorn on 127.0.0.1 (a secure context for Chromium, so the service worker
runs), on a port kept across a restart, over one SQLite file.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from lumbar.content.load import default_content
from lumbar.store.database import Store, sqlite_url
from lumbar.usecases import records
from lumbar.usecases.person import Person
from tests.browser.conftest import (
    ARTIFACTS,
    PHONE,
    Clock,
    LiveApp,
    _free_port,
    answer,
    check_accessibility,
    exercise_title,
    start_by_api,
)
from tests.web.conftest import PHASE_1

OFFLINE = (
    "You're offline. Your answers are kept on this phone and will be sent when the "
    "connection is back."
)


@dataclass
class Restartable:
    """The app on a fixed port that a test can stop and start again (a new app and store
    on the same database file, as a restarted `lumbar serve`)."""

    path: Path
    port: int
    clock: Clock = field(default_factory=lambda: Clock(date(2026, 11, 2)))
    store: Store | None = None
    server: Any = None
    thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        import uvicorn

        from lumbar.web.app import create_app

        self.store = Store(sqlite_url(self.path))
        app = create_app(self.store, clock=self.clock)
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                pytest.fail("the test server did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        if self.server is not None and self.thread is not None:
            self.server.should_exit = True
            self.thread.join(timeout=10)
            assert not self.thread.is_alive(), "the test server did not stop"
        if self.store is not None:
            self.store.dispose()
        self.server = self.thread = self.store = None


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Restartable]:
    running = Restartable(tmp_path / "lumbar.db", _free_port())
    running.start()
    yield running
    running.stop()


def recorded_sessions(path: Path) -> list[list[tuple[str, str]]]:
    """Every session the database holds, each as (exercise, pain) in order (the export)."""
    return [[(e["id"], e["pain"]) for e in done] for done in _exercises(path)]


def recorded_comments(path: Path) -> list[dict[str, str]]:
    """The patients' comments of every session (issue #20), by exercise."""
    return [{e["id"]: e["comment"] for e in done if "comment" in e} for done in _exercises(path)]


def _exercises(path: Path) -> list[list[dict[str, Any]]]:
    store = Store(sqlite_url(path))
    try:
        document = records.export(Person(store, default_content()))
    finally:
        store.dispose()
    return [event["exercises"] for event in document["events"] if event["type"] == "session"]


def with_service_worker(page: Any, url: str) -> None:
    """Open Today, let the service worker take over, and open the session: the worker has
    now kept the session page."""
    page.goto(f"{url}/today")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.goto(f"{url}/session")


def next_exercise(page: Any, pain: str) -> None:
    """Answer and wait until the player shows something else."""
    before = exercise_title(page)
    answer(page, pain)
    page.wait_for_function(
        "before => document.querySelector('#player h1').textContent !== before", arg=before
    )


def outbox_line(page: Any) -> str:
    line: str = page.locator("[data-outbox]").inner_text()
    return line


def photo(page: Any, name: str) -> None:
    """axe-core and a screenshot at phone size, light and dark."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(PHONE)
    check_accessibility(page, name)
    page.screenshot(path=str(ARTIFACTS / f"{name}-phone.png"), full_page=True)
    page.emulate_media(color_scheme="dark")
    page.wait_for_timeout(300)
    try:
        check_accessibility(page, f"{name} (dark)")
        page.screenshot(path=str(ARTIFACTS / f"{name}-phone-dark.png"), full_page=True)
    finally:
        page.emulate_media(color_scheme="light")


def test_a_session_finished_offline_is_recorded_once_with_every_answer(
    phone: Any, server: Restartable
) -> None:
    start_by_api(phone, LiveApp(server.url, server.clock, server.store))  # type: ignore[arg-type]
    phone.goto(f"{server.url}/session")
    pains = ["No pain", "Dull ache", "No pain", "Dull ache", "No pain", "No pain", "Dull ache"]
    next_exercise(phone, pains[0])  # online: the server's answer

    phone.context.set_offline(True)
    for n, pain in enumerate(pains[1:], start=2):
        assert exercise_title(phone) != "Session done", n
        if n == 3:  # a comment written offline goes with its answer (issue #20)
            phone.locator("#player textarea[name=comment]").fill("Stiff, offline")
        next_exercise(phone, pain)
        if n == 3:
            assert outbox_line(phone) == OFFLINE
            photo(phone, "offline-exercise")
    assert exercise_title(phone) == "Session done"
    assert outbox_line(phone) == OFFLINE
    assert recorded_sessions(server.path) == []  # nothing reached the server

    phone.context.set_offline(False)
    phone.locator("[data-outbox]", has_text="All sent.").wait_for()
    phone.locator("#player h1", has_text="Session saved").wait_for()  # the server's answer

    words = {"No pain": "none", "Dull ache": "ache"}
    expected = [(e, words[p]) for e, p in zip(PHASE_1, pains, strict=True)]
    assert recorded_sessions(server.path) == [expected]
    assert recorded_comments(server.path) == [{PHASE_1[2]: "Stiff, offline"}]
    assert phone.evaluate("localStorage.getItem('lumbar-outbox')") == "[]"


def test_a_session_goes_on_while_the_server_is_stopped_and_a_reload_keeps_it(
    phone: Any, server: Restartable
) -> None:
    start_by_api(phone, LiveApp(server.url, server.clock, server.store))  # type: ignore[arg-type]
    with_service_worker(phone, server.url)
    next_exercise(phone, "No pain")  # online

    server.stop()
    next_exercise(phone, "Dull ache")  # the post fails: kept, and the player goes on
    assert outbox_line(phone) == OFFLINE
    third = exercise_title(phone)

    phone.reload()  # the server is gone: the service worker's copy, dated, caught up
    banner = phone.locator(".saved-banner")
    assert re.match(r"Saved on \w+day,? \d+ \w+ 2\d{3}.*: you're offline", banner.inner_text())
    assert exercise_title(phone) == third
    photo(phone, "offline-saved-page")

    for pain in ["No pain", "Dull ache", "No pain", "No pain"]:
        next_exercise(phone, pain)
    server.start()
    next_exercise(phone, "No pain")  # the last: a new answer sends what waits, in order

    phone.locator("[data-outbox]", has_text="All sent.").wait_for()
    phone.locator("#player h1", has_text="Session saved").wait_for()
    pains = ["none", "ache", "none", "ache", "none", "none", "none"]
    assert recorded_sessions(server.path) == [list(zip(PHASE_1, pains, strict=True))]


def test_a_sharp_pain_offline_ends_the_session_on_the_phone(
    phone: Any, server: Restartable
) -> None:
    start_by_api(phone, LiveApp(server.url, server.clock, server.store))  # type: ignore[arg-type]
    phone.goto(f"{server.url}/session")
    next_exercise(phone, "No pain")

    phone.context.set_offline(True)
    phone.get_by_role("button", name="Stop: sharp pain").click()

    phone.locator("#player h1", has_text="Session stopped").wait_for()
    assert phone.locator("#player .pain-grid").count() == 0  # no exercise to go on with
    assert "reconnect" not in exercise_title(phone)
    assert "to see what to do next" in phone.locator("#player").inner_text()
    assert outbox_line(phone) == OFFLINE
    photo(phone, "offline-stopped")

    phone.context.set_offline(False)
    phone.locator("[data-outbox]", has_text="All sent.").wait_for()
    phone.locator("#player h1", has_text="Session saved").wait_for()
    assert "What changes next time" in phone.locator("#player").inner_text()
    assert recorded_sessions(server.path) == [[(PHASE_1[0], "none"), (PHASE_1[1], "sharp")]]
