"""The camera's summary of an exercise (issue #21): the value kept, what a summary sent may
hold (checked against the exercise's camera spec, refused with a message otherwise), and
the summary in words."""

from __future__ import annotations

from typing import Any

import pytest

from lumbar.domain.camera import CameraSummary, camera_summary
from lumbar.errors import UserError
from lumbar.figures.camera import camera_specs
from lumbar.formats.camera_summaries import camera_said, fault_phrases, spec_for
from lumbar.store.camera import camera_from_text, camera_text
from lumbar.usecases.camera_records import (
    camera_from_data,
    check_camera,
    checked_camera,
    parse_camera,
)
from tests.camera_samples import BRIDGE, REST

SPECS = camera_specs()
"""The shipped camera specs (content/camera.toml)."""
BRIDGE_SPEC = SPECS[("glute-bridge", None)]
PLANK_SPEC = SPECS[("side-plank", None)]
BRIDGE_SAID = fault_phrases("glute-bridge", None)
PLANK_SAID = fault_phrases("side-plank", None)


def test_a_summary_is_one_value_whatever_order_its_faults_came_in() -> None:
    a = camera_summary(8, None, {"arching": 1, "hips-low": 2, "never": 0}, 41)
    b = camera_summary(8, None, {"hips-low": 2, "arching": 1}, 41)
    assert a == b
    assert a.faults == (("arching", 1), ("hips-low", 2))
    assert a.as_data() == {
        "reps": 8,
        "held_seconds": None,
        "faults": {"arching": 1, "hips-low": 2},
        "tracked_seconds": 41,
    }


def test_the_stored_text_reads_back_as_the_same_summary() -> None:
    summary = camera_summary(None, 30, {"hips-sag": 2}, 28, 40)
    stored = camera_text(summary)
    assert stored == (
        '{"faults":{"hips-sag":2},"held_seconds":30,"reps":null,"seconds":40,"tracked_seconds":28}'
    )
    assert camera_from_text(stored) == summary
    assert camera_text(None) is None and camera_from_text(None) is None


@pytest.mark.parametrize(
    ("summary", "partly"),
    [
        (camera_summary(8, None, {}, 41), False),  # reps, no time said: nothing to say
        (camera_summary(8, None, {}, 41, 45), False),  # lost 4 s of 45: a glitch
        (camera_summary(8, None, {}, 30, 45), True),  # lost a third of it
        (camera_summary(None, 30, {}, 30), False),
        (camera_summary(None, 30, {}, 12), True),  # held 30 s, seen for 12
    ],
)
def test_the_camera_lost_the_person_for_part_of_it_when_a_real_part_was_not_seen(
    summary: CameraSummary, partly: bool
) -> None:
    assert summary.partly_tracked is partly


# What a summary sent may hold.


def test_the_page_summary_is_read_from_its_json() -> None:
    data = parse_camera(
        '{"reps": 8, "held_seconds": null, "faults": {"hips-low": 2}, "tracked_seconds": 41}'
    )
    summary = checked_camera(data, "glute-bridge", "Glute bridge", None)
    assert summary == camera_summary(8, None, {"hips-low": 2}, 41)
    assert parse_camera("") is None and parse_camera("  ") is None and parse_camera(None) is None
    assert checked_camera(None, "glute-bridge", "Glute bridge", None) is None


@pytest.mark.parametrize(
    ("sent", "said"),
    [
        ("{reps: 8}", "the camera's summary is not readable (not JSON)"),
        ("x" * 3000, "the camera's summary is too long to be one"),
    ],
)
def test_json_that_is_no_summary_is_refused(sent: str, said: str) -> None:
    with pytest.raises(UserError) as refused:
        parse_camera(sent)
    assert str(refused.value) == f"camera: {said}"


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        ({"reps": -1}, "the camera's reps must be between 0 and 1000 (it is -1)"),
        ({"reps": 1001}, "the camera's reps must be between 0 and 1000 (it is 1001)"),
        ({"reps": 8.5}, "the camera's reps must be a whole number"),
        ({"reps": "8"}, "the camera's reps must be a whole number"),
        ({"reps": True}, "the camera's reps must be a whole number"),
        ({"tracked_seconds": 3601}, "the camera's tracked_seconds must be between 0 and 3600"),
        ({"tracked_seconds": None}, "the camera's tracked_seconds must be a whole number"),
        ({"faults": {"hips-low": 9}}, "the camera's faults.hips-low (9) is more than the reps"),
        ({"faults": {"hips-low": -2}}, "the camera's faults.hips-low must be between 0 and"),
        ({"faults": ["hips-low"]}, "the camera's faults are an object of check ids and counts"),
        ({"held_seconds": 30}, "gives either reps or held_seconds, the other null"),
        ({"reps": None}, "gives either reps or held_seconds, the other null"),
        ({"seconds": 20}, "the camera's tracked_seconds (41) is more than its seconds (20)"),
        ({"landmarks": [[0.5, 0.5]]}, "(unknown landmarks)"),
        ({"image": "data:image/png;base64,AAAA"}, "(unknown image)"),
    ],
)
def test_a_summary_no_person_could_make_is_refused(changes: dict[str, Any], said: str) -> None:
    with pytest.raises(UserError) as refused:
        camera_from_data({**BRIDGE, **changes})
    assert said in str(refused.value)
    assert refused.value.field == "camera"


def test_a_summary_missing_a_count_or_not_an_object_is_refused() -> None:
    partial = {k: v for k, v in BRIDGE.items() if k != "tracked_seconds"}
    with pytest.raises(UserError, match=r"\(it lacks tracked_seconds\)"):
        camera_from_data(partial)
    with pytest.raises(UserError, match="must be an object of counts"):
        camera_from_data([8, None])


@pytest.mark.parametrize(
    ("exercise", "version", "sent", "said"),
    [
        (
            "diaphragmatic-breathing",
            None,
            BRIDGE,
            "the camera does not follow Glute bridge, so it has no camera summary to keep",
        ),
        # The chair version of the dead bug: the camera follows nothing there.
        (
            "dead-bug",
            "chair",
            {**BRIDGE, "faults": {}},
            "the camera does not follow Glute bridge, so it has no camera summary to keep",
        ),
        (
            "side-plank",
            None,
            BRIDGE,
            "Glute bridge is a hold: the camera's summary gives held_seconds",
        ),
        (
            "glute-bridge",
            None,
            REST,
            "Glute bridge is counted in repetitions: the camera's summary gives reps",
        ),
        (
            "glute-bridge",
            None,
            {**BRIDGE, "faults": {"knees-in": 1}},
            "the camera has no check 'knees-in' for Glute bridge (its checks: arching, hips-low)",
        ),
        # The standing glute bridge has its own spec, with no form check.
        (
            "glute-bridge",
            "standing",
            BRIDGE,
            "the camera has no check 'hips-low' for Glute bridge (its checks: none)",
        ),
    ],
)
def test_a_summary_that_is_not_the_exercises_is_refused(
    exercise: str, version: str | None, sent: dict[str, Any], said: str
) -> None:
    with pytest.raises(UserError) as refused:
        check_camera(exercise, "Glute bridge", version, camera_from_data(sent), SPECS)
    assert str(refused.value) == f"camera: {said}"


def test_a_version_is_checked_against_its_own_spec() -> None:
    assert spec_for("glute-bridge", None) is BRIDGE_SPEC
    assert spec_for("glute-bridge", "standing") is SPECS[("glute-bridge", "standing")]
    assert spec_for("glute-bridge", "standing") is not BRIDGE_SPEC
    assert spec_for("dead-bug", "chair") is None
    assert spec_for("hip-flexor-stretch", None) is None


def test_a_versions_faults_are_said_in_its_own_words_then_the_exercises() -> None:
    assert list(BRIDGE_SAID) == ["hips-low", "arching"]  # the spec's order
    assert fault_phrases("glute-bridge", "standing") == BRIDGE_SAID
    assert fault_phrases("hip-flexor-stretch", None) == {}


# The summary in words.


@pytest.mark.parametrize(
    ("summary", "phrases", "said"),
    [
        (camera_summary(8, None, {"hips-low": 2}, 41), BRIDGE_SAID, "8 reps; hips stayed low on 2"),
        (camera_summary(8, None, {}, 41), BRIDGE_SAID, "8 reps"),
        (camera_summary(1, None, {"hips-low": 1}, 5), BRIDGE_SAID, "1 rep; hips stayed low on one"),
        (camera_summary(0, None, {}, 12), BRIDGE_SAID, "0 reps"),
        (
            camera_summary(10, None, {"arching": 1, "hips-low": 3}, 50),
            BRIDGE_SAID,
            "10 reps; hips stayed low on 3; back arched on one",
        ),
        (camera_summary(None, 30, {"hips-sag": 2}, 30), PLANK_SAID, "Held 30 s; hips sagged twice"),
        (camera_summary(None, 30, {"hips-sag": 1}, 30), PLANK_SAID, "Held 30 s; hips sagged once"),
        (
            camera_summary(None, 45, {"hips-sag": 3}, 45),
            PLANK_SAID,
            "Held 45 s; hips sagged 3 times",
        ),
        (
            camera_summary(None, 30, {}, 12),
            PLANK_SAID,
            "Held 30 s; the camera lost you for part of it",
        ),
        (
            camera_summary(6, None, {"hips-low": 1}, 20, 60),
            BRIDGE_SAID,
            "6 reps; hips stayed low on one; the camera lost you for part of it",
        ),
        (camera_summary(0, None, {}, 0), BRIDGE_SAID, "0 reps; the camera could not see you"),
        # A check the spec no longer has (renamed since): words, never its id.
        (
            camera_summary(8, None, {"gone": 2}, 41),
            BRIDGE_SAID,
            "8 reps; another form check flagged on 2",
        ),
        (
            camera_summary(8, None, {"hips-low": 2}, 41),
            {},
            "8 reps; another form check flagged on 2",
        ),
    ],
)
def test_the_summary_in_words(summary: CameraSummary, phrases: dict[str, str], said: str) -> None:
    assert camera_said(summary, phrases) == said


def test_the_clinician_reads_them_where_the_person_reads_you() -> None:
    summary = camera_summary(None, 30, {}, 10)
    assert camera_said(summary, PLANK_SAID, someone="them") == (
        "Held 30 s; the camera lost them for part of it"
    )
