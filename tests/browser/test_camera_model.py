"""The real pose model in Chromium (issue #21): the camera check page, a fake camera
playing a photograph of a person, MediaPipe Pose from the app's own /static.

Asserted: the page gets 33 landmarks where a body is (the nose above both shoulders), the
camera is released on Stop, and nothing the page asks of the server once the camera is on
carries a picture or a landmark: only GET (and HEAD) requests for static files, none with
a body. The page passes axe in light and dark, and breaks no Content-Security-Policy.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    PHONE,
    LiveApp,
    check_accessibility,
    visit,
    watch_policy,
)
from tests.browser.fake_camera import camera_args, missing, write_y4m
from tests.browser.test_camera_player import to_exercise

NOSE, LEFT_SHOULDER, RIGHT_SHOULDER, LEFT_HIP, RIGHT_HIP = 0, 11, 12, 23, 24


@pytest.fixture
def fetched() -> None:
    """The pose model and the photograph are there (`make test` fetches them)."""
    why = missing()
    if why is not None:
        if os.environ.get("LUMBAR_REQUIRE_BROWSER"):
            pytest.fail(f"the camera tests are required here, but {why}")
        pytest.skip(why)


@pytest.fixture
def camera_browser(browser: Any, tmp_path: Path, fetched: None) -> Iterator[Any]:
    """Another Chromium, from the same Playwright, whose camera plays the photograph."""
    video = write_y4m(tmp_path / "astronaut.y4m")
    launched = browser.browser_type.launch(
        executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, *camera_args(video)]
    )
    yield launched
    launched.close()


def test_the_real_model_finds_the_person_and_nothing_leaves_the_page(
    camera_browser: Any, live_app: LiveApp
) -> None:
    context = camera_browser.new_context(viewport=PHONE, device_scale_factor=2, has_touch=True)
    violations = watch_policy(context)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{live_app.url}/camera")
    visit(page, "camera-check")
    frames: list[Any] = []
    page.expose_function("__frame", lambda frame: frames.append(frame))
    page.evaluate(
        "document.addEventListener('lumbar:pose', e => window.__frame(e.detail.landmarks &&"
        " {landmarks: e.detail.landmarks, width: e.detail.width, height: e.detail.height}))"
    )
    sent: list[Any] = []
    page.on("request", lambda request: sent.append(request))

    page.get_by_role("button", name="Start the camera").click()
    page.wait_for_function(
        "() => Number(document.querySelector('[data-camera-check]').dataset.frames || 0) >= 5",
        timeout=60_000,
    )
    status = page.get_by_role("status").inner_text()
    assert "Body found" in status or "whole body" in status, status
    check_accessibility(page, "camera-check (running)")
    page.screenshot(path=str(ARTIFACTS / "camera-check-running-phone.png"), full_page=True)

    found = [frame for frame in frames if frame]
    assert len(found) >= 3, frames
    for frame in found:
        points = frame["landmarks"]
        assert len(points) == 33
        assert (frame["width"], frame["height"]) == (640, 480)
        assert all(0 <= p["visibility"] <= 1 for p in points)
        nose, left, right = points[NOSE], points[LEFT_SHOULDER], points[RIGHT_SHOULDER]
        assert min(nose["visibility"], left["visibility"], right["visibility"]) > 0.8
        assert nose["y"] < left["y"] and nose["y"] < right["y"]  # y grows downwards
        # Facing the camera: the person's left shoulder is on the image's right.
        assert right["x"] < nose["x"] < left["x"]
        for hip in (points[LEFT_HIP], points[RIGHT_HIP]):
            if hip["visibility"] > 0.5 and 0 <= hip["y"] <= 1:
                assert hip["y"] > max(left["y"], right["y"])

    page.evaluate("() => { window.__stream = document.querySelector('video').srcObject; }")
    page.get_by_role("button", name="Stop the camera").click()
    assert page.evaluate("document.querySelector('video').srcObject") is None
    # The camera itself is released (its light goes off), not only hidden.
    assert page.evaluate("() => window.__stream.getTracks().map((t) => t.readyState)") == ["ended"]
    stopped_at = len(frames)
    page.wait_for_timeout(1500)
    assert len(frames) == stopped_at, "no frame after Stop: the loop has ended"
    assert page.get_by_role("status").inner_text() == "The camera is off."
    page.get_by_role("button", name="Start the camera").wait_for()

    assert sent, "the model's files are asked for when the camera starts"
    for request in sent:
        assert request.method in ("GET", "HEAD"), (request.method, request.url)
        assert request.post_data_buffer is None, request.url
        assert request.url.startswith(f"{live_app.url}/static/"), request.url
        assert "?" not in request.url, request.url
    context.close()
    assert violations == [], "Content-Security-Policy violations:\n" + "\n".join(violations)


def start_and_read(page: Any, live_app: LiveApp) -> str:
    """Open the camera check, press Start, and return what the page says once it gives up."""
    page.goto(f"{live_app.url}/camera")
    page.get_by_role("button", name="Start the camera").click()
    page.get_by_role("button", name="Start the camera").and_(page.locator(":enabled")).wait_for()
    said: str = page.get_by_role("status").inner_text()
    assert page.get_by_role("button", name="Stop the camera").is_hidden()
    assert page.evaluate("document.querySelector('video').srcObject") is None
    return said


def test_no_camera_and_missing_model_files_are_said_plainly(
    phone: Any, live_app: LiveApp, fetched: None
) -> None:
    # Chromium without a fake camera has none (the model's files are asked for first).
    assert start_and_read(phone, live_app) == "No camera was found on this device."
    # The model's files missing (a checkout where scripts/fetch-pose-model never ran).
    phone.route("**/static/vendor/mediapipe-pose/**", lambda route: route.fulfill(status=404))
    said = start_and_read(phone, live_app)
    assert said.startswith("The movement tracker's files are missing from this copy of lumbar")


def test_a_refused_camera_is_said_plainly(
    browser: Any, tmp_path: Path, live_app: LiveApp, fetched: None
) -> None:
    # A camera, but no automatic yes: headless Chromium answers the question with no.
    video = write_y4m(tmp_path / "one.y4m", frames=1)
    args = [a for a in camera_args(video) if a != "--use-fake-ui-for-media-stream"]
    refusing = browser.browser_type.launch(
        executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, *args]
    )
    try:
        page = refusing.new_page()
        said = start_and_read(page, live_app)
    finally:
        refusing.close()
    assert said.startswith("Permission to use the camera was refused."), said


def test_the_player_with_the_real_model_says_what_is_out_of_view(
    camera_browser: Any, live_app: LiveApp
) -> None:
    """The whole way in the session player: the fake camera's photograph through MediaPipe
    in the page, the pose source, the player's camera and the coach's placement check, to
    words on the page. The photograph shows a person from the waist up, so the glute bridge
    (which needs shoulders, hips, knees and ankles) is told what is out of view; the
    shoulders, which are in the picture, are not named."""
    context = camera_browser.new_context(viewport=PHONE, device_scale_factor=2, has_touch=True)
    violations = watch_policy(context)
    page = context.new_page()
    page.set_default_timeout(20_000)
    sent: list[Any] = []
    page.on("request", lambda request: sent.append(request))
    to_exercise(page, live_app, "glute-bridge")
    page.get_by_label("Use the camera to count and check my form").check()
    started = len(sent)
    page.get_by_role("button", name="Start the camera").click()
    status = page.locator("#player [data-camera-status]")
    page.wait_for_function(
        "() => /out of view/.test(document.querySelector('#player [data-camera-status]')"
        ".textContent)",
        timeout=60_000,
    )
    said = status.inner_text()
    # The ankles are well below the picture; the hips and knees near its edge, which the
    # model now places inside and now outside it.
    assert said.startswith("Your ") and "ankles" in said, said
    assert "shoulders" not in said, said
    page.screenshot(path=str(ARTIFACTS / "camera-player-real-model-phone.png"), full_page=False)
    for request in sent[started:]:
        assert request.method in ("GET", "HEAD"), (request.method, request.url)
        assert request.post_data_buffer is None, request.url
    context.close()
    assert violations == [], "Content-Security-Policy violations:\n" + "\n".join(violations)
