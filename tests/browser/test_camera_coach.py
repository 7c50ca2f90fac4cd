"""The camera coach's engine (static/camera/body.js and coach.js) on landmark streams made from the
figures (figures/landmark_streams.py), in Chromium: the page's own JavaScript, fed what a
pose model would report for a person doing each exercise well and doing it wrong.

Clean streams count exactly; noisy ones (wobble, stray landmarks, dropped frames, a limb
hidden for a moment, uneven frame times) count within one and speak no cue, over many
seeds (hypothesis); each fault the content names is flagged and spoken about. The real
pose model is tested on a real photograph elsewhere; this is the logic.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lumbar.figures.camera import default_camera
from lumbar.figures.landmark_streams import REALISTIC, Stream, faults, gone, stream

CAMERA = Path(__file__).parents[2] / "src" / "lumbar" / "web" / "static" / "camera"
SPECS = sorted(default_camera().specs.items(), key=lambda item: (item[0][0], item[0][1] or ""))
REPS = [(key, spec) for key, spec in SPECS if spec.kind == "reps"]
HOLDS = [(key, spec) for key, spec in SPECS if spec.kind == "hold"]
RUN = """([spec, frames]) => {
  frames = JSON.parse(frames);
  const coach = LumbarCoach.create(spec);
  const events = [];
  for (const frame of frames) for (const e of coach.push(frame)) events.push(e);
  return {events, summary: coach.summary()};
}"""


FAULTS = [(key, spec, check) for key, spec in SPECS for check in faults(key[0], key[1])]


def _id(item: Any) -> str:
    exercise, version = item[0]
    return (
        f"{exercise}"
        + (f"/{version}" if version else "")
        + (f":{item[2]}" if len(item) > 2 else "")
    )


@pytest.fixture(scope="module")
def coach(browser: Any) -> Iterator[Any]:
    """One page with the engine loaded, for every stream of this module."""
    page = browser.new_page()
    page.set_content("<!doctype html><title>coach</title>")
    for script in ("body.js", "coach.js"):  # as the player loads them, in this order
        page.add_script_tag(path=str(CAMERA / script))
    yield page
    page.close()


def run(page: Any, spec: Any, frames: Stream | tuple[dict[str, Any], ...]) -> dict[str, Any]:
    data = frames.frames if isinstance(frames, Stream) else frames
    # As one JSON string: Playwright's own serialising of a thousand nested objects takes
    # seconds, JSON.parse in the page milliseconds.
    result: dict[str, Any] = page.evaluate(RUN, [spec.as_json(), json.dumps(data)])
    return result


def cues(result: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for e in result["events"] if e["type"] == "cue"]


def test_every_exercise_the_content_names_has_faults_to_test_its_checks() -> None:
    """Each check of the content is tested on a movement that should fail it: a check no
    fault exercises could be wrong unnoticed."""
    untested = [
        (key, check.id)
        for key, spec in SPECS
        for check in spec.checks
        if check.id not in faults(key[0], key[1])
    ]
    assert untested == []


@pytest.mark.parametrize("item", REPS, ids=_id)
def test_clean_repetitions_count_exactly_with_no_fault(coach: Any, item: Any) -> None:
    key, spec = item
    for reps, mirrored in ((1, False), (4, False), (3, True)):
        result = run(coach, spec, stream(key[0], key[1], reps, mirrored=mirrored))
        assert result["summary"]["reps"] == reps, (reps, mirrored)
        assert result["summary"]["faults"] == {}
        assert cues(result) == []


@pytest.mark.parametrize("item", HOLDS, ids=_id)
def test_a_clean_hold_counts_the_seconds_in_the_pose(coach: Any, item: Any) -> None:
    key, spec = item
    for hold in (5.0, 20.0):
        result = run(coach, spec, stream(key[0], key[1], 1, hold=hold))
        held = result["summary"]["held_seconds"]
        # The seconds in the pose, and the moments moving in and out past the threshold.
        assert hold <= held <= hold + 3, (hold, held)
        assert result["summary"]["reps"] is None
        assert cues(result) == []


@pytest.mark.parametrize("item", REPS, ids=_id)
@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seed=st.integers(0, 2**31),
    reps=st.integers(2, 5),
    fps=st.sampled_from([10.0, 15.0, 30.0]),
    mirrored=st.booleans(),
)
def test_noisy_repetitions_count_within_one_and_speak_no_cue(
    coach: Any, item: Any, seed: int, reps: int, fps: float, mirrored: bool
) -> None:
    key, spec = item
    made = stream(key[0], key[1], reps, fps=fps, noise=REALISTIC, seed=seed, mirrored=mirrored)
    result = run(coach, spec, made)
    said = (seed, reps, fps, mirrored, result["summary"])
    assert abs(result["summary"]["reps"] - reps) <= 1, said
    assert cues(result) == [], said


@pytest.mark.parametrize("item", HOLDS, ids=_id)
@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 2**31), mirrored=st.booleans())
def test_a_noisy_hold_is_timed_within_a_few_seconds(
    coach: Any, item: Any, seed: int, mirrored: bool
) -> None:
    key, spec = item
    made = stream(key[0], key[1], 1, hold=15.0, noise=REALISTIC, seed=seed, mirrored=mirrored)
    result = run(coach, spec, made)
    assert 13 <= result["summary"]["held_seconds"] <= 18
    assert cues(result) == []


@pytest.mark.parametrize("item", FAULTS, ids=_id)
@settings(
    max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 2**31), mirrored=st.booleans())
def test_each_fault_is_flagged_and_spoken_about(
    coach: Any, item: Any, seed: int, mirrored: bool
) -> None:
    key, spec, check = item
    reps = 4
    made = stream(
        key[0], key[1], reps, hold=8.0, noise=REALISTIC, seed=seed, mirrored=mirrored, fault=check
    )
    result = run(coach, spec, made)
    summary = result["summary"]
    if spec.kind == "reps":
        assert abs(summary["reps"] - reps) <= 1
        assert summary["faults"].get(check, 0) >= summary["reps"] - 1 >= 1
    else:
        assert summary["faults"].get(check, 0) >= 1
    spoken = [c for c in cues(result) if c["check"] == check]
    assert spoken, "a fault that keeps happening is spoken about"
    assert spoken[0]["text"] == spec.check(check).cue


def test_cues_are_spaced_by_the_cue_gap(coach: Any) -> None:
    """However often a check fails, cues come no closer together than the content's gap."""
    spec = default_camera().spec("bird-dog")
    assert spec is not None
    made = stream("bird-dog", None, 8, hold=0.5, rest=0.5, fault="pelvis-tips")
    assert run(coach, spec, made)["summary"]["faults"]["pelvis-tips"] == 8
    # Each cue's time is the frame's it came with.
    times = coach.evaluate(
        """([spec, frames]) => {
          frames = JSON.parse(frames);
          const coach = LumbarCoach.create(spec); const at = [];
          for (const f of frames) {
            for (const e of coach.push(f)) if (e.type === 'cue') at.push(f.time);
          }
          return at;
        }""",
        [spec.as_json(), json.dumps(made.frames)],
    )
    assert len(times) >= 2
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert min(gaps) >= spec.as_json()["cue_gap"] * 1000


def test_tracking_lost_stops_counting_and_comes_back(coach: Any) -> None:
    """Nobody in view for two seconds: tracking is lost (once, naming what is missing),
    nothing is counted meanwhile, and it comes back when the person does."""
    spec = default_camera().spec("glute-bridge")
    assert spec is not None
    made = stream("glute-bridge", None, 4)
    # When each rep ends, seen whole; then the person gone for 2.5 s around the middle of
    # the second, hips up: that rep cannot be seen to finish, the others can.
    ends = coach.evaluate(
        """([spec, frames]) => {
          frames = JSON.parse(frames);
          const coach = LumbarCoach.create(spec); const at = [];
          for (const f of frames) {
            for (const e of coach.push(f)) if (e.type === 'rep') at.push(f.time);
          }
          return at;
        }""",
        [spec.as_json(), json.dumps(made.frames)],
    )
    middle = (ends[0] + ends[1]) / 2000
    result = run(coach, spec, gone(made.frames, middle - 1.5, 2.5))
    tracking = [e for e in result["events"] if e["type"] == "tracking"]
    assert [e["tracked"] for e in tracking] == [True, False, True]
    assert set(tracking[1]["missing"]) == {"shoulder", "hip", "knee", "ankle"}
    assert result["summary"]["reps"] == 3
    assert result["summary"]["tracked_seconds"] < made.frames[-1]["time"] / 1000 - 1.5


def test_placement_names_what_is_out_of_view(coach: Any) -> None:
    spec = default_camera().spec("glute-bridge")
    assert spec is not None
    frame = dict(stream("glute-bridge", None, 1).frames[0])
    marks = [dict(m) for m in frame["landmarks"]]
    for name in ("right_knee", "right_ankle", "left_knee", "left_ankle"):
        marks[_index(name)]["x"] = 1.2  # off the right edge of the picture
    frame["landmarks"] = marks
    placed = coach.evaluate("([s, f]) => LumbarCoach.placement(s, f)", [spec.as_json(), frame])
    assert placed == {"tracked": False, "side": "right", "missing": ["knee", "ankle"]}
    nobody = coach.evaluate(
        "([s, f]) => LumbarCoach.placement(s, f)", [spec.as_json(), {**frame, "landmarks": None}]
    )
    assert nobody["tracked"] is False and nobody["missing"] == ["shoulder", "hip", "knee", "ankle"]


def _index(name: str) -> int:
    from lumbar.figures.landmarks import NAMES

    return NAMES.index(name)
