"""Issue #21: what the session player's page carries for "Use the camera" (the journey in
Chromium is tests/browser/test_camera_player.py): the camera spec of the version shown, as
the JSON the coach reads, and the pain answer's empty `camera` field; for an exercise the
camera cannot follow, neither, and the plain reason why. The exercises still to come carry
theirs too, for a session finished offline."""

from __future__ import annotations

import html
import json
import re

from fastapi.testclient import TestClient

from lumbar.figures.camera import default_camera
from tests.web.conftest import HTMX, answer

SPEC = re.compile(r'<section class="camera"[^>]*data-spec="([^"]*)"')


def spec_shown(page: str) -> object:
    found = SPEC.search(page)
    assert found is not None, "no camera on the player"
    return json.loads(html.unescape(found.group(1)))


def player_alone(page: str) -> str:
    """The player shown, without the exercises ahead that the page keeps for offline."""
    return re.sub(r"<template\b.*?</template>", "", page, flags=re.S)


def test_an_exercise_the_camera_cannot_follow_has_no_camera_and_says_why(
    started: TestClient,
) -> None:
    page = player_alone(started.get("/session").text)

    assert 'data-exercise="diaphragmatic-breathing"' in page
    assert "data-camera " not in page and 'name="camera"' not in page
    reason = default_camera().not_followed[("diaphragmatic-breathing", None)]
    assert f"The camera cannot follow this exercise. {reason}" in html.unescape(page)
    assert re.search(r'<p class="note camera-none" data-camera-none hidden>', page)


def test_the_player_carries_the_spec_of_the_version_shown_and_an_empty_camera_field(
    started: TestClient,
) -> None:
    shown = answer(started, "diaphragmatic-breathing", "none", htmx=True)
    assert shown.status_code == 200
    assert spec_shown(shown.text) == default_camera().spec("cat-cow").as_json()  # type: ignore[union-attr]
    # One in the pain question's form and one in the Stop bar's, both empty: the page
    # fills them only when the camera is on.
    assert shown.text.count('<input type="hidden" name="camera" value="" data-camera-field>') == 2
    assert "Use the camera to count and check my form" in shown.text

    swapped = started.post(
        "/session/swap",
        data={"exercise": "cat-cow", "version": "chair", "date": "2026-11-02"},
        headers=HTMX,
    )
    assert swapped.status_code == 200
    chair = default_camera().spec("cat-cow", "chair")
    assert chair is not None
    assert spec_shown(swapped.text) == chair.as_json()


def test_the_exercises_ahead_carry_their_camera_too(started: TestClient) -> None:
    page = started.get("/session").text
    ahead = page.split('<div class="offline-ahead" hidden>')[1]
    glute = ahead.split('<template data-exercise="glute-bridge">')[1].split("</template>")[0]
    assert spec_shown(glute) == default_camera().spec("glute-bridge").as_json()  # type: ignore[union-attr]
    # Each its own: a stretch the camera cannot follow carries no spec of another's.
    stretch = ahead.split('<template data-exercise="hip-flexor-stretch">')[1].split("</template>")[
        0
    ]
    assert SPEC.search(stretch) is None and "data-camera-none" in stretch


def test_settings_and_the_players_guide_lead_to_the_camera_check(started: TestClient) -> None:
    """The camera check is found where a person looks for it: in Settings, and in the
    player's placement guide; and the page it leads to is there."""
    assert '<a href="/camera">Check your camera</a>' in started.get("/settings").text
    shown = answer(started, "diaphragmatic-breathing", "none", htmx=True)
    assert '<a href="/camera">check your camera</a>' in shown.text
    checked = started.get("/camera")
    assert checked.status_code == 200 and "Check your camera" in checked.text
