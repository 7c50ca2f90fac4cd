"""A swap made offline (issue #17): the session page carries each exercise still to do in its
alternatives, and the server takes the swap from the phone's outbox in order, each with its
own Idempotency-Key: the swap, then the answer for the exercise swapped. (The journey in
Chromium is tests/browser/test_offline_swap.py.) SQLite, then PostgreSQL."""

from __future__ import annotations

import html
import re

import httpx2
from fastapi.testclient import TestClient

from lumbar.content.load import default_content
from tests.web.conftest import (
    HTMX,
    MONDAY,
    PHASE_1,
    TUESDAY,
    Clock,
    answer,
    exported,
    form_error,
    sessions,
    text,
)

SWAP_TEMPLATE = r'<template data-exercise="([^"]+)" data-swap="([^"]+)">'


def swap(
    client: TestClient, exercise: str, version: str, key: str, *, on: str = "2026-11-02"
) -> httpx2.Response:
    """ "Swap for …, today only", as the outbox sends it: htmx's header, the key, the day."""
    return client.post(
        "/session/swap",
        data={"exercise": exercise, "version": version, "date": on},
        headers={**HTMX, "Idempotency-Key": key},
    )


def answer_with_key(
    client: TestClient,
    exercise: str,
    pain: str,
    key: str,
    *,
    version: str = "",
    on: str = "2026-11-02",
) -> httpx2.Response:
    return client.post(
        "/session/answer",
        data={"exercise": exercise, "pain": pain, "version": version, "date": on},
        headers={**HTMX, "Idempotency-Key": key},
    )


def template(page: str, exercise: str, version: str) -> str:
    opening = f'<template data-exercise="{exercise}" data-swap="{version}">'
    return page.split(opening)[1].split("</template>")[0]


def title(response: httpx2.Response) -> str:
    found = re.search(r"<h1[^>]*>(.*?)</h1>", response.text, re.S)
    assert found is not None
    return found.group(1).strip()


def test_the_session_page_carries_each_exercise_to_do_in_its_alternatives(
    started: TestClient,
) -> None:
    catalogue = default_content().catalogue
    answer(started, PHASE_1[0], "none")

    page = started.get("/session").text
    following = started.get("/session", headers=HTMX).text

    # The one shown (PHASE_1[1]) and each one ahead, in each of its alternatives.
    expected = [(e, a.id) for e in PHASE_1[1:] for a in catalogue[e].alternatives]
    assert re.findall(SWAP_TEMPLATE, page) == expected
    assert len(expected) >= len(PHASE_1) - 1
    for exercise, version in expected:
        body = template(page, exercise, version)
        alternative = catalogue[exercise].alternative(version)
        assert alternative is not None
        assert f">{alternative.name}</h1>" in body
        assert "today only" in body
        assert body.count(f'<input type="hidden" name="version" value="{version}">') == 2
        assert 'name="date" value="2026-11-02"' in body
        assert "data-steps=" in body and alternative.name.lower() in body  # the timer's words
        # The alternative's figure, as its key poses (lighter than the moving one).
        assert body.count("<svg") == 1 and 'class="figure figure-poses"' in body
        assert f"{alternative.name}: key poses" in body
        assert 'class="pain-grid"' in body
        assert 'action="/session/swap"' not in body  # swapped already
        assert f"<li>{alternative.steps[0]}</li>" in html.unescape(body)
    # The exercises ahead stay as they were (offline.js goes on through them in order).
    assert re.findall(r'<template data-exercise="([^"]+)">', page) == list(PHASE_1[2:])
    assert "<template" not in following  # online, the next exercise stays light


def test_an_exercise_done_in_its_alternative_from_now_on_has_no_swap_to_carry(
    started: TestClient,
) -> None:
    chosen = started.post(
        "/session/alternative", data={"exercise": "cat-cow", "alternative": "chair"}
    )
    assert chosen.status_code == 303

    page = started.get("/session").text

    carried = re.findall(SWAP_TEMPLATE, page)
    assert ("diaphragmatic-breathing", "chair") in carried
    assert not [c for c in carried if c[0] == "cat-cow"]


def test_a_swap_then_the_answer_for_it_are_accepted_in_order_and_recorded_once(
    started: TestClient,
) -> None:
    answer(started, PHASE_1[0], "none")

    swapped = swap(started, "cat-cow", "chair", "swap-1")

    assert swapped.status_code == 200
    assert "Idempotent-Replayed" not in swapped.headers
    assert title(swapped) == "Seated cat-cow"
    assert 'name="version" value="chair"' in swapped.text
    assert sessions(started) == []  # a swap writes nothing of the session

    answered = answer_with_key(started, "cat-cow", "ache", "answer-2", version="chair")
    assert answered.status_code == 200
    assert title(answered) == "Glute bridge"

    # The outbox sends the swap again (its answer was lost): accepted, nothing written,
    # and the session shown as it stands, past the exercise swapped.
    again = swap(started, "cat-cow", "chair", "swap-1")
    assert again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    assert title(again) == "Glute bridge"
    assert 'name="version"' not in again.text.split('class="swap"')[0]
    replayed = answer_with_key(started, "cat-cow", "ache", "answer-2", version="chair")
    assert replayed.headers["Idempotent-Replayed"] == "true"

    for exercise in PHASE_1[2:]:
        assert answer(started, exercise, "none").status_code == 200
    [recorded] = sessions(started)
    assert recorded["exercises"][:2] == [
        {"id": PHASE_1[0], "pain": "none"},
        {"id": "cat-cow", "pain": "ache", "version": "chair"},
    ]
    assert len(recorded["exercises"]) == len(PHASE_1)
    assert "Cat-cow done as Seated cat-cow instead" in text(started.get("/records"))


def test_a_swap_sent_the_next_morning_is_of_the_day_it_was_made(
    started: TestClient, clock: Clock
) -> None:
    answer(started, PHASE_1[0], "none")
    clock.today = TUESDAY  # the phone was offline overnight

    swapped = swap(started, "cat-cow", "chair", "swap-monday", on=MONDAY.isoformat())
    answered = answer_with_key(
        started, "cat-cow", "none", "answer-monday", version="chair", on=MONDAY.isoformat()
    )

    assert swapped.status_code == 200 and title(swapped) == "Seated cat-cow"
    assert answered.status_code == 200
    finish = started.post(
        "/session/finish", data={"date": MONDAY.isoformat()}, headers={"Idempotency-Key": "end"}
    )
    assert finish.status_code == 200
    [recorded] = sessions(started)
    assert recorded["date"] == MONDAY.isoformat()
    assert recorded["exercises"][1] == {"id": "cat-cow", "pain": "none", "version": "chair"}


def test_a_refused_swap_writes_nothing_and_keeps_no_key(started: TestClient) -> None:
    answer(started, PHASE_1[0], "none")
    before = exported(started)

    not_now = swap(started, "glute-bridge", "standing", "swap-x")  # cat-cow is the one now
    unknown = swap(started, "cat-cow", "trampoline", "swap-y")

    assert not_now.status_code == 422
    assert form_error(not_now) == "that exercise is not the one to do now"
    assert unknown.status_code == 422
    assert "Cat-cow has no alternative 'trampoline'" in form_error(unknown)
    assert exported(started) == before
    # A key refused with its request is not kept: it can go with the right one.
    assert swap(started, "cat-cow", "chair", "swap-x").status_code == 200
    # A key kept is for its own swap only.
    other = swap(started, "cat-cow", "trampoline", "swap-x")
    assert other.status_code == 422
    assert "already used for a different request" in form_error(other)
