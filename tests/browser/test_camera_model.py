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

NOSE, LEFT_SHOULDER, RIGHT_SHOULDER, LEFT_HIP, RIGHT_HIP = 0, 11, 12, 23, 24


@pytest.fixture
def camera_browser(browser: Any, tmp_path: Path) -> Iterator[Any]:
    """Another Chromium, from the same Playwright, whose camera plays the photograph."""
    why = missing()
    if why is not None:
        if os.environ.get("LUMBAR_REQUIRE_BROWSER"):
            pytest.fail(f"the camera tests are required here, but {why}")
        pytest.skip(why)
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

    page.get_by_role("button", name="Stop the camera").click()
    assert page.evaluate("document.querySelector('video').srcObject") is None
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
