"""Issue #17 in Chromium at phone size: a swap made without the network.

The session page has loaded; the network goes (`set_offline`). The person swaps Cat-cow
for its chair version: the page shows the seated version from what it carries (its
figure, steps and timer), the swap waits in the outbox with its own Idempotency-Key, in
order before the answer, and the session goes on to its end. When the connection is back,
the outbox is sent in order and the session record says Cat-cow was done as Seated
cat-cow. Photographed into test-artifacts/screenshots/offline-swap-*.png.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from lumbar.content.load import default_content
from lumbar.store.database import Store, sqlite_url
from lumbar.usecases import records
from lumbar.usecases.person import Person
from tests.browser.conftest import LiveApp, exercise_title, start_by_api
from tests.browser.test_offline import (
    OFFLINE,
    Restartable,
    next_exercise,
    outbox_line,
    photo,
    server,  # noqa: F401 (the fixture)
)
from tests.web.conftest import PHASE_1


def recorded(path: Path) -> list[list[dict[str, Any]]]:
    """Every session the database holds, each as its exercises (the export's)."""
    store = Store(sqlite_url(path))
    try:
        document = records.export(Person(store, default_content()))
    finally:
        store.dispose()
    return [event["exercises"] for event in document["events"] if event["type"] == "session"]


def test_a_swap_made_offline_is_shown_at_once_and_recorded_as_the_alternative_done(
    phone: Any,
    server: Restartable,  # noqa: F811 (the fixture)
) -> None:
    start_by_api(phone, LiveApp(server.url, server.clock, server.store))  # type: ignore[arg-type]
    phone.goto(f"{server.url}/session")
    next_exercise(phone, "No pain")  # online: the server's answer
    assert exercise_title(phone) == "Cat-cow"

    phone.context.set_offline(True)
    phone.locator("#player details.alternatives summary").click()
    phone.get_by_role("button", name="Swap for seated cat-cow, today only").click()

    # The seated version, from the page: its name, steps, figure and timer.
    phone.wait_for_function(
        "() => document.querySelector('#player h1').textContent === 'Seated cat-cow'"
    )
    player = phone.locator("#player")
    seated = default_content().catalogue["cat-cow"].alternative("chair")
    assert seated is not None
    assert "Instead of cat-cow, today only" in player.inner_text()
    assert player.locator("ol.steps li").first.inner_text() == seated.steps[0]
    assert player.locator(".player-figure svg.figure-poses").count() == 1  # its key poses
    assert "Seated cat-cow" in (player.locator(".runner").get_attribute("data-steps") or "")
    assert outbox_line(phone) == OFFLINE
    phone.evaluate("() => window.scrollTo(0, 0)")
    photo(phone, "offline-swap")
    player.locator("[data-start]").click()  # the timer runs (static/player.js took it)
    phone.wait_for_function(
        "() => document.querySelector('#player [data-stage]').textContent !== 'Ready when you are'"
    )
    assert player.locator(".runner").is_visible()

    next_exercise(phone, "Dull ache")
    assert exercise_title(phone) == "Glute bridge"
    for _ in PHASE_1[2:]:
        next_exercise(phone, "No pain")
    assert exercise_title(phone) == "Session done"
    assert recorded(server.path) == []  # nothing reached the server

    outbox = json.loads(phone.evaluate("localStorage.getItem('lumbar-outbox')"))
    assert [e["url"] for e in outbox] == ["/session/swap"] + ["/session/answer"] * 6
    assert outbox[0]["exercise"] == "cat-cow" and outbox[0]["version"] == "chair"
    assert ("version", "chair") in [tuple(f) for f in outbox[1]["fields"]]
    assert len({e["key"] for e in outbox}) == len(outbox)  # a key each

    phone.context.set_offline(False)
    phone.locator("[data-outbox]", has_text="All sent.").wait_for()
    phone.locator("#player h1", has_text="Session saved").wait_for()  # the server's answer

    [exercises] = recorded(server.path)
    assert exercises[1] == {"id": "cat-cow", "pain": "ache", "version": "chair"}
    assert [e["id"] for e in exercises] == list(PHASE_1)
    assert all("version" not in e for e in exercises if e["id"] != "cat-cow")
    phone.goto(f"{server.url}/records")
    assert "Cat-cow done as Seated cat-cow instead" in " ".join(
        phone.locator("main").inner_text().split()
    )
