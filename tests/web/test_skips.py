"""Skip or swap an exercise in the web player and the API (issue #17): a skip is kept with
its reason, never as a pain answer; a swap is answered in the alternative done; a refusal
writes nothing."""

from __future__ import annotations

import re

import httpx2
from fastapi.testclient import TestClient

from tests.web.conftest import (
    HTMX,
    MONDAY,
    PHASE_1,
    answer,
    exported,
    form_error,
    is_partial,
    sessions,
    text,
)


def skip(
    client: TestClient, exercise: str, reason: str, note: str = "", *, htmx: bool = False
) -> httpx2.Response:
    """Open "Skip this exercise", choose a reason (and words for other), press Skip it."""
    return client.post(
        "/session/skip",
        data={"exercise": exercise, "reason": reason, "note": note},
        headers=HTMX if htmx else None,
    )


def test_the_player_offers_to_skip_with_a_reason_and_to_swap_for_the_alternative(
    started: TestClient,
) -> None:
    page = started.get("/session")
    shown = text(page)
    assert "Skip this exercise" in shown
    for label in (
        "No equipment",
        "Not enough time",
        "Can't get down to the floor",
        "Another reason",
    ):
        assert label in shown
    assert 'name="note" maxlength="120"' in page.text
    assert "Swap for breathing in a chair, today only" in shown


def test_a_skip_moves_on_and_is_recorded_with_its_reason_not_as_a_pain_answer(
    started: TestClient,
) -> None:
    response = skip(started, PHASE_1[0], "no_equipment", htmx=True)
    assert response.status_code == 200 and is_partial(response)
    page = text(response)
    assert f"Exercise 2 of {len(PHASE_1)}" in page
    assert "stays at the same dose" in page  # what the skip means: dosage.skipped
    for exercise in PHASE_1[1:]:
        assert answer(started, exercise, "none").status_code == 200
    [recorded] = sessions(started)
    assert recorded["skipped"] == [{"id": PHASE_1[0], "reason": "no_equipment"}]
    assert [e["id"] for e in recorded["exercises"]] == list(PHASE_1[1:])
    assert PHASE_1[0] not in [e["id"] for e in recorded["exercises"]]
    records = text(started.get("/records"))
    assert "Diaphragmatic breathing skipped: no equipment" in records


def test_skipping_every_exercise_records_the_day_but_it_does_not_count(
    started: TestClient,
) -> None:
    for exercise in PHASE_1:
        response = skip(started, exercise, "no_time")
        assert response.status_code == 200, text(response)
    assert "Every exercise was skipped today" in text(response)
    [recorded] = sessions(started)
    assert recorded["exercises"] == []
    assert {s["reason"] for s in recorded["skipped"]} == {"no_time"}
    status = started.get("/api/v1/status").json()
    assert status["sessions_in_phase"] == 0


def test_a_swap_shows_the_alternative_and_the_answer_says_which_version_was_done(
    started: TestClient,
) -> None:
    swapped = started.post(
        "/session/swap", data={"exercise": PHASE_1[0], "version": "chair"}, headers=HTMX
    )
    assert swapped.status_code == 200
    page = text(swapped)
    assert "Breathing in a chair" in page and "today only" in page
    assert 'name="version" value="chair"' in swapped.text
    assert sessions(started) == [] and exported(started) is not None  # nothing written yet
    response = started.post(
        "/session/answer", data={"exercise": PHASE_1[0], "pain": "ache", "version": "chair"}
    )
    assert response.status_code == 200
    for exercise in PHASE_1[1:]:
        answer(started, exercise, "none")
    [recorded] = sessions(started)
    assert recorded["exercises"][0] == {"id": PHASE_1[0], "pain": "ache", "version": "chair"}
    # Settings' choice is untouched: a swap is for this session only.
    chosen = started.get("/api/v1/settings/alternatives").json()
    assert [c["chosen"] for c in chosen if c["exercise"] == PHASE_1[0]] == [None]


def test_an_unknown_reason_or_other_without_words_is_refused_and_nothing_is_written(
    started: TestClient,
) -> None:
    before = exported(started)
    refused = skip(started, PHASE_1[0], "bored")
    assert refused.status_code == 422
    assert "'bored' is not a reason to skip an exercise" in form_error(refused)
    assert "no_equipment (no equipment)" in form_error(refused)
    refused = skip(started, PHASE_1[0], "other")
    assert refused.status_code == 422
    assert "say in a few words why" in form_error(refused)
    refused = skip(started, PHASE_1[0], "other", "x" * 121)
    assert refused.status_code == 422
    assert "120 characters" in form_error(refused)
    refused = started.post("/session/swap", data={"exercise": PHASE_1[0], "version": "trampoline"})
    assert refused.status_code == 422
    assert exported(started) == before
    # Still at the first exercise (what the page shows, not its offline <template>s).
    assert text(started.get("/session")).count(f"Exercise 1 of {len(PHASE_1)}") == 1


def test_the_api_records_a_session_with_skips_and_a_swap_and_refuses_a_bad_reason(
    started: TestClient,
) -> None:
    body = {
        "date": MONDAY.isoformat(),
        "exercises": [
            {"id": e, "pain": "none", **({"version": "chair"} if e == "cat-cow" else {})}
            for e in PHASE_1
            if e != "glute-bridge"
        ],
        "skipped": [{"id": "glute-bridge", "reason": "nope"}],
    }
    before = exported(started)
    refused = started.post("/api/v1/sessions", json=body)
    assert refused.status_code == 422
    assert "'nope' is not a reason to skip an exercise" in refused.text
    assert exported(started) == before
    body["skipped"] = [{"id": "glute-bridge", "reason": "other", "note": "knee sore today"}]
    recorded = started.post("/api/v1/sessions", json=body)
    assert recorded.status_code == 201, recorded.text
    decisions = [d["rule"] for d in recorded.json()["plan"]["decisions"]]
    assert "progression.skipped_other" in decisions
    [session] = sessions(started)
    assert session["skipped"] == [
        {"id": "glute-bridge", "reason": "other", "note": "knee sore today"}
    ]
    assert {"id": "cat-cow", "pain": "none", "version": "chair"} in session["exercises"]


def test_the_api_skips_one_exercise_of_the_session_in_progress_once_per_key(
    started: TestClient,
) -> None:
    body = {"exercise": PHASE_1[0], "reason": "floor"}
    headers = {"Idempotency-Key": "skip-1"}
    first = started.post("/api/v1/session/skips", json=body, headers=headers)
    assert first.status_code == 201, first.text
    assert first.json()["skipped"] == [{"id": PHASE_1[0], "reason": "floor", "note": ""}]
    assert first.json()["response"]["rule"] == "dosage.skipped"
    again = started.post("/api/v1/session/skips", json=body, headers=headers)
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["next"]["id"] == PHASE_1[1]
    refused = started.post(
        "/api/v1/session/skips", json={"exercise": PHASE_1[1], "reason": "tired"}
    )
    assert refused.status_code == 422 and "not a reason to skip" in refused.text


def test_every_exercise_the_page_carries_for_offline_can_be_skipped_like_an_answered_one(
    started: TestClient,
) -> None:
    page = started.get("/session").text
    ahead = re.findall(r'<template data-exercise="([^"]+)">(.*?)</template>', page, flags=re.S)
    assert [exercise for exercise, _ in ahead] == list(PHASE_1[1:])
    for exercise, body in ahead:
        assert 'action="/session/skip"' in body
        assert f'name="exercise" value="{exercise}"' in body.split('action="/session/skip"')[1]
    script = started.get("/static/offline.js").text
    assert "#player form[action='/session/skip']" in script
