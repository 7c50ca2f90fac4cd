"""camera.toml: every exercise and version says what the camera follows there (or why it
follows nothing), and the loader refuses a check that names a landmark or a pose that does
not exist, with the exercise named."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lumbar.content.load import ContentError, default_content, load_content
from lumbar.figures.camera import FILE, LANDMARK_NAMES, default_camera, load_camera
from lumbar.figures.landmarks import NAMES
from lumbar.figures.load import default_figures, load_figures


def _text(content_copy: Path) -> str:
    return (content_copy / FILE).read_text(encoding="utf-8")


def _refusal(content_copy: Path, text: str) -> str:
    (content_copy / FILE).write_text(text, encoding="utf-8")
    content = load_content(content_copy)
    with pytest.raises(ContentError) as refused:
        load_camera(
            content_copy / FILE, content, load_figures(content_copy / "figures.toml", content)
        )
    return str(refused.value)


def test_every_exercise_and_version_has_a_spec_or_a_reason() -> None:
    camera = default_camera()
    for exercise in default_content().catalogue.values():
        for version in (None, *(v.id for v in (*exercise.variants, *exercise.alternatives))):
            key = (exercise.id, version)
            assert (key in camera.specs) != (key in camera.not_followed), key
    # The exercises the issue names are followed, each with its form checks.
    for exercise_id in (
        "glute-bridge",
        "bird-dog",
        "dead-bug",
        "side-plank",
        "squat",
        "hip-hinge",
        "lunge-with-twist",
        "cat-cow",
    ):
        spec = camera.spec(exercise_id)
        assert spec is not None and spec.checks, exercise_id


def test_the_page_gets_what_the_engine_reads() -> None:
    spec = default_camera().spec("glute-bridge")
    assert spec is not None
    data = spec.as_json()
    assert data["kind"] == "reps" and data["view"] == "side"
    assert data["count"]["from"] == "start" and data["count"]["to"] == "lift"
    assert [c["id"] for c in data["checks"]] == ["hips-low", "arching"]
    assert data["cue_gap"] >= 1


def test_every_landmark_named_is_one_the_model_reports() -> None:
    assert len(NAMES) == 33 and NAMES[0] == "nose" and NAMES[32] == "right_foot_index"
    for spec in default_camera().specs.values():
        data = spec.as_json()
        named = list(data["visible"])
        for measure in (data["count"]["measure"], *(c["measure"] for c in data["checks"])):
            named += next(v for k, v in measure.items() if k != "pick")
        assert set(named) <= LANDMARK_NAMES


def test_an_unknown_landmark_is_refused_with_the_exercise_named(content_copy: Path) -> None:
    text = _text(content_copy).replace(
        'measure = { bend = ["hip", "shoulder", "ear"] }\nat = "squat"',
        'measure = { bend = ["hip", "shoulder", "eyebrow"] }\nat = "squat"',
    )
    assert "eyebrow" in text
    message = _refusal(content_copy, text)
    assert "squat: check back-rounds: 'eyebrow' is not a landmark" in message


def test_a_pose_the_figure_does_not_have_is_refused(content_copy: Path) -> None:
    text = _text(content_copy).replace('at = "lift"\nmin = -10', 'at = "top"\nmin = -10')
    assert _refusal(content_copy, text).endswith(
        "glute-bridge: check arching: 'top' is not a pose of the exercise's figure "
        "(its poses: start, lift)"
    )
    count = _text(content_copy).replace('from = "cow", to = "cat"', 'from = "cow", to = "camel"', 1)
    assert "'camel' is not a pose" in _refusal(content_copy, count)


def test_a_check_judged_at_a_pose_the_movement_does_not_reach_is_refused(
    content_copy: Path,
) -> None:
    text = _text(content_copy).replace('at = "lift"\nmin = -10', 'at = "start"\nmin = -10')
    assert "judged at 'start', but the count reaches 'lift'" in _refusal(content_copy, text)


def test_an_exercise_with_no_entry_or_an_entry_for_none_is_refused(content_copy: Path) -> None:
    text = _text(content_copy)
    without = re.sub(
        r'\[\[camera\]\]\nexercise = "foam-rolling"\nversion = "wall"\nnone = "[^"]*"\n', "", text
    )
    assert without != text
    assert "exercise 'foam-rolling' version 'wall' has no entry" in _refusal(content_copy, without)
    extra = text + '\n[[camera]]\nexercise = "cartwheel"\nnone = "Not in the catalogue at all."\n'
    assert "cartwheel: not an exercise of the catalogue" in _refusal(content_copy, extra)
    twice = text + '\n[[camera]]\nexercise = "foam-rolling"\nnone = "Listed a second time here."\n'
    assert "foam-rolling: listed twice" in _refusal(content_copy, twice)


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        ("start = 32, reach = 17", "start = 17, reach = 17", "start and reach must differ"),
        ('max = 10\ncue = "Lift your hips', 'cue = "Lift your hips', "needs a min, a max, or both"),
        (
            '{ bend = ["knee", "hip", "shoulder"] }, start',
            '{ bend = ["knee", "hip"] }, start',
            "bend takes 3 landmarks, not 2",
        ),
        ('id = "arching"', 'id = "hips-low"', "two checks with the same id"),
        ('view = "front"', 'view = "above"', "view"),
        ("cue_gap = 6", "cue_gap = 0", "cue_gap"),
    ],
)
def test_a_malformed_entry_is_refused_with_what_is_wrong(
    content_copy: Path, old: str, new: str, said: str
) -> None:
    text = _text(content_copy)
    assert old in text, old
    assert said in _refusal(content_copy, text.replace(old, new, 1))


def test_a_followed_exercise_with_a_reason_too_is_refused(content_copy: Path) -> None:
    text = _text(content_copy).replace(
        'exercise = "squat"\nview = "side"',
        'exercise = "squat"\nnone = "Both a reason and a spec here."\nview = "side"',
    )
    assert "has only its reason" in _refusal(content_copy, text)


def test_the_figures_loaded_are_the_ones_checked_against() -> None:
    """Each spec's poses are its own figure's (a version's spec, its version's figure)."""
    figures = default_figures()
    for (exercise_id, version), spec in default_camera().specs.items():
        own = figures[exercise_id]
        figure = own if version is None else own.versions[version]
        poses = {p.name for p in figure.poses}
        count = spec.as_json()["count"]
        assert {count["from"], count["to"]} <= poses, (exercise_id, version)
