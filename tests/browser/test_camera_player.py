"""Issue #21 in Chromium: "Use the camera" in the session player.

The pose model is not what these tests are about (the camera's own tests run it on a
photograph): the page's pose source is replaced by a stand-in (pose_source_stub.js, the same
`window.LumbarPose` seam with no camera), and the test sends the frames itself as
`lumbar:pose` events, made from the exercise's figure (figures/landmark_streams.py): clean
repetitions, a stretch with nobody in view, repetitions with a fault. What is asserted is
what the person gets: the opt-in off until chosen, the privacy note and the placement guide,
the parts out of view in words, the count, the cue said aloud (no more often than the
coach's gap), "Camera lost you" and back, the summary sent with the pain answer, and no
request from the page with a landmark in it. The panel open passes axe-core in light and
dark, and is photographed at phone and desktop width.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest

from lumbar.figures.camera import default_camera
from lumbar.figures.landmark_streams import gone, stream
from tests.browser.conftest import (
    ARTIFACTS,
    LiveApp,
    answer_and_wait,
    check_accessibility,
    photograph,
    start_by_api,
)
from tests.browser.test_player_handsfree import seed_phase_3

STUB = Path(__file__).parent / "pose_source_stub.js"

RECORD = """
(() => {
  // What the page asks the voice to say, with the time of the frame last sent (the coach's
  // clock): Chromium headless has no voices.
  window.__spoken = [];
  window.__frameTime = null;
  const voice = {
    speak(utterance) { window.__spoken.push({text: utterance.text, at: window.__frameTime}); },
    cancel() {}, pause() {}, resume() {}, getVoices() { return []; },
    speaking: false, pending: false, paused: false,
  };
  Object.defineProperty(window, "speechSynthesis", {configurable: true, value: voice});
})();
"""

SEND = """frames => {
  for (const frame of frames) {
    window.__frameTime = frame.time;
    document.dispatchEvent(new CustomEvent("lumbar:pose", {detail: frame}));
  }
}"""

Frames = list[dict[str, Any]]


@pytest.fixture
def camera_page(phone: Any) -> Iterator[tuple[Any, list[tuple[str, str, str]]]]:
    """The phone with the stand-in pose source, speech recorded, and every request the
    page makes logged (method, URL, body)."""
    log: list[tuple[str, str, str]] = []
    phone.route(
        re.compile(r".*/static/camera/pose-source(\.[0-9a-f]{10})?\.js.*"),
        lambda route: route.fulfill(path=str(STUB), content_type="text/javascript"),
    )
    phone.add_init_script(RECORD)
    phone.context.on("request", lambda r: log.append((r.method, r.url, r.post_data or "")))
    yield phone, log


def to_exercise(page: Any, live_app: LiveApp, exercise: str) -> None:
    start_by_api(page, live_app)
    page.goto(f"{live_app.url}/session")
    for _ in range(10):
        if page.locator("#player").get_attribute("data-exercise") == exercise:
            # Settled: the camera's script has taken the player on (after htmx's swap).
            page.wait_for_function("() => document.querySelector('#player').dataset.camera")
            return
        answer_and_wait(page, "No pain")
    raise AssertionError(f"no {exercise} in the first session")


def shifted(frames: Frames | tuple[dict[str, Any], ...], after: float) -> Frames:
    """The frames, their times moved to follow a stream that ended at `after` ms."""
    return [{**f, "time": round(f["time"] + after + 67, 1)} for f in frames]


def send(page: Any, frames: Frames) -> float:
    page.evaluate(SEND, frames)
    last: float = frames[-1]["time"]
    return last


def status(page: Any) -> str:
    text: str = page.locator("#player [data-camera-status]").inner_text()
    return text


def legs_hidden(frame: dict[str, Any]) -> dict[str, Any]:
    """The frame with the knees, ankles and feet out of the picture (the camera too close)."""
    marks = [dict(m) for m in frame["landmarks"]]
    for index in range(25, 33):
        marks[index]["visibility"] = 0.05
        marks[index]["y"] = 1.2
    return {**frame, "landmarks": marks}


def test_glute_bridge_with_the_camera_counts_cues_and_sends_only_the_summary(
    live_app: LiveApp, camera_page: tuple[Any, list[tuple[str, str, str]]]
) -> None:
    page, log = camera_page
    spec = default_camera().spec("glute-bridge")
    assert spec is not None
    to_exercise(page, live_app, "glute-bridge")

    # Off by default: the choice shows, the panel does not, no camera is asked for.
    toggle = page.get_by_label("Use the camera to count and check my form")
    assert toggle.is_visible() and not toggle.is_checked()
    assert page.locator("#player [data-camera-panel]").is_hidden()
    assert page.locator("#player input[name=camera]").first.input_value() == ""

    # Chosen: the privacy note and where to put the phone, before any camera.
    toggle.check()
    panel = page.locator("#player [data-camera-panel]")
    assert "Your pictures stay on this device." in panel.inner_text()
    assert "not even to lumbar's own server" in panel.inner_text()
    assert "side-on to you, at about hip height" in panel.inner_text()
    assert not any("pose-source" in url for _, url, _ in log)  # not even loaded until now
    page.get_by_role("button", name="Start the camera").click()
    page.wait_for_function("() => window.__pose && window.__pose.starts.length === 1")
    assert page.evaluate("() => sessionStorage.getItem('lumbar-camera')") == "running"

    # The placement guide: the legs out of the picture, then the whole body.
    clean = stream("glute-bridge", None, 3)
    until = send(page, [legs_hidden(f) for f in clean.frames[:3]])
    assert status(page).startswith("Your knees and ankles are out of view")
    until = send(page, shifted(clean.frames[:10], until))
    assert status(page).startswith("Ready")
    check_accessibility(page, "player camera placement")
    page.emulate_media(color_scheme="dark")
    page.wait_for_timeout(300)  # the colour transitions (120 ms)
    try:
        check_accessibility(page, "player camera placement (dark)")
        page.screenshot(path=str(ARTIFACTS / "camera-placement-phone-dark.png"), full_page=True)
    finally:
        page.emulate_media(color_scheme="light")
    photograph(page, "camera-placement")

    # Start: the moves made while getting into place are not counted; then 3 clean reps.
    page.locator("#player [data-start]").click()
    until = send(page, shifted(clean.frames, until))
    tally = page.locator("#player .face [data-camera-tally]")
    assert tally.inner_text() == f"The camera counts {clean.reps} reps"
    assert page.evaluate("() => window.__spoken.filter(s => s.text.startsWith('Lift'))") == []

    # Nobody in view for a second and a half: the player says so and its timer carries on.
    away = shifted(gone(stream("glute-bridge", None, 1, rest=3.0).frames, 0.5, 1.5), until)
    back = away[0]["time"] + 2000
    send(page, [f for f in away if f["time"] < back])
    assert status(page) == "Camera lost you: the timer carries on."
    clock = page.locator("#player [data-clock]")
    before = clock.inner_text()
    page.wait_for_function(
        "before => document.querySelector('#player [data-clock]').textContent !== before",
        arg=before,
    )
    until = send(page, [f for f in away if f["time"] >= back])
    assert status(page) == "Camera sees you again."
    assert tally.inner_text() == "The camera counts 4 reps"

    # Three reps with the hips low: the cue is said, and never twice within the coach's gap.
    low = stream("glute-bridge", None, 3, fault="hips-low", seed=3)
    send(page, shifted(low.frames, until))
    cues = [s for s in page.evaluate("() => window.__spoken") if s["text"].startswith("Lift")]
    assert cues and {c["text"] for c in cues} == {spec.check("hips-low").cue}  # type: ignore[union-attr]
    gaps = [b["at"] - a["at"] for a, b in zip(cues, cues[1:], strict=False)]
    assert all(gap >= spec.data["cue_gap"] * 1000 for gap in gaps), gaps
    assert page.locator("#player [data-camera-cue]").inner_text() == cues[-1]["text"]

    # The exercise's end (its steps skipped): the summary in words, and in the answer's field.
    for _ in range(60):
        if page.locator("#player .runner").get_attribute("data-kind") == "done":
            break
        page.locator("#player [data-skip]").click()
    summary = page.locator("#player [data-camera-summary]").inner_text()
    assert summary == "The camera saw: 7 reps; hips stayed low on 3."
    expected = page.evaluate(
        "() => JSON.parse(document.querySelector('.pain [name=camera]').value)"
    )
    assert expected["reps"] == 7 and expected["faults"] == {"hips-low": 3}

    # The pain answer carries the summary, and no request ever carried a landmark.
    with page.expect_request(lambda r: r.url.endswith("/session/answer")) as sent:
        answer_and_wait(page, "No pain")
    form = parse_qs(sent.value.post_data or "")
    assert json.loads(form["camera"][0]) == expected
    assert form["pain"] == ["none"]
    assert log, "the request log is empty"
    for method, url, body in log:
        for word in ("landmarks", "visibility", "poseLandmarks"):
            assert word not in url and word not in body, (method, url)

    # The next exercise: the camera, chosen this session, starts again with no tap.
    page.wait_for_function("() => window.__pose.starts.length === 2")
    assert page.evaluate("() => window.__pose.stops") == 1

    # The session ended here and saved: Progress says what the camera counted, in words.
    page.get_by_text("End the session here").click()
    page.get_by_role("button", name="Yes, end it here and save it").click()
    page.get_by_role("heading", name="Session saved").wait_for()
    page.goto(f"{live_app.url}/progress")
    assert page.get_by_text("7 reps; hips stayed low on 3").count() >= 1


def test_a_set_at_ones_own_pace_ends_at_the_cameras_count_and_the_choice_lasts_the_session(
    live_app: LiveApp, camera_page: tuple[Any, list[tuple[str, str, str]]]
) -> None:
    """The dead bug's reps at one's own pace: the camera's count in the player's face, the
    set ended (as by Done) when the dose's reps are counted. The outline hidden stays
    hidden; the next exercise, which the camera cannot follow, says why."""
    page, _ = camera_page
    to_exercise(page, live_app, "dead-bug")
    steps = json.loads(page.locator("#player .runner").get_attribute("data-steps") or "[]")
    first_set = next(s for s in steps if s["kind"] == "reps")
    page.get_by_label("Use the camera to count and check my form").check()
    page.get_by_role("button", name="Start the camera").click()
    page.wait_for_function("() => window.__pose && window.__pose.starts.length === 1")
    page.get_by_role("button", name="Hide the outline").click()
    assert page.locator("#player [data-camera-outline]").is_hidden()
    assert page.evaluate("() => localStorage.getItem('lumbar-camera-outline')") == "off"

    page.locator("#player [data-start]").click()
    page.locator("#player .runner[data-kind=reps]").wait_for()  # after the 3 s get-ready
    assert page.locator("#player [data-done]").is_visible()  # Done still works by hand
    reps = stream("dead-bug", None, first_set["reps"])
    send(page, list(reps.frames[: len(reps.frames) // 2]))
    tally = page.locator("#player .face [data-camera-tally]")
    assert re.fullmatch(rf"The camera counts [1-4] of {first_set['reps']}", tally.inner_text())
    photograph(page, "camera-own-pace")
    send(page, list(reps.frames[len(reps.frames) // 2 :]))
    page.locator("#player .runner[data-kind=switch_sides]").wait_for()
    assert page.locator("#player [data-camera-status]").inner_text() == "The camera sees you."

    answer_and_wait(page, "No pain")
    page.wait_for_function("() => document.querySelector('#player').dataset.camera")
    none = page.locator("#player [data-camera-none]")
    assert none.is_visible()
    reason = default_camera().not_followed[
        (str(page.locator("#player").get_attribute("data-exercise")), None)
    ]
    assert none.inner_text() == f"The camera cannot follow this exercise. {reason}"
    assert page.locator("#player input[name=camera]").count() == 0
    assert page.evaluate("() => window.__pose.stops") == 1


def test_bird_dog_and_side_plank_in_phase_3(
    live_app: LiveApp, camera_page: tuple[Any, list[tuple[str, str, str]]]
) -> None:
    """The bird-dog's reps and its cue for hips that tip; the side plank, a hold seen from
    the front: its guide says so, its countdown runs by the clock, and the seconds the
    camera saw held show beside it. The summary of each goes with its answer."""
    page, _ = camera_page
    seed_phase_3(live_app)
    page.goto(f"{live_app.url}/session")
    seen: dict[str, dict[str, Any]] = {}
    started = 0
    for _ in range(12):
        page.wait_for_function("() => document.querySelector('#player').dataset.camera")
        exercise = page.locator("#player").get_attribute("data-exercise")
        if exercise not in ("bird-dog", "side-plank"):
            if exercise is None:
                break
            answer_and_wait(page, "No pain")
            continue
        if not started:
            page.get_by_label("Use the camera to count and check my form").check()
            page.get_by_role("button", name="Start the camera").click()
        started += 1
        page.wait_for_function(
            "n => window.__pose && window.__pose.starts.length === n", arg=started
        )
        guide = page.locator("#player .camera-guide").inner_text()
        page.locator("#player [data-start]").click()
        if exercise == "bird-dog":
            assert "side-on to you" in guide
            clean = stream("bird-dog", None, 2)
            tipping = stream("bird-dog", None, 3, fault="pelvis-tips")
            until = send(page, list(clean.frames))
            send(page, shifted(tipping.frames, until))
            assert page.locator("#player [data-camera-cue]").inner_text() == (
                "Keep your hips level, as if a cup of water sat on your lower back."
            )
            spoken = page.evaluate("() => window.__spoken.map(s => s.text)")
            assert "Keep your hips level, as if a cup of water sat on your lower back." in spoken
        else:
            assert "facing you" in guide
            page.locator("#player .runner[data-kind=hold]").wait_for()
            held = stream("side-plank", None, 1, hold=8)
            send(page, list(held.frames))
            tally = page.locator("#player .face [data-camera-tally]").inner_text()
            assert tally == "The camera saw 10 s held"  # 8 s at the pose, and the way there
            clock = page.locator("#player [data-clock]")
            before = clock.inner_text()
            page.wait_for_function(
                "before => document.querySelector('#player [data-clock]').textContent !== before",
                arg=before,
            )
            assert int(clock.inner_text()) < int(before)  # the countdown runs by the clock
        with page.expect_request(lambda r: r.url.endswith("/session/answer")) as sent:
            answer_and_wait(page, "No pain")
        seen[exercise] = json.loads(parse_qs(sent.value.post_data or "")["camera"][0])

    assert seen["bird-dog"]["reps"] == 5 and seen["bird-dog"]["faults"] == {"pelvis-tips": 3}
    assert seen["side-plank"]["held_seconds"] == 10 and seen["side-plank"]["reps"] is None
