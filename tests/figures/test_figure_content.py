"""figures.toml: every exercise and each of its versions has its poses, and the loader
refuses a wrong picture."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lumbar.content.load import Content, ContentError, load_content
from lumbar.figures.body import MUSCLES
from lumbar.figures.load import FILE, default_figures, load_figures

NEW_EXERCISE = """
[[exercise]]
id = "wall-slide"
name = "Wall slide"
category = "mobility"
purpose = "A new exercise added to the catalogue."
steps = ["Stand with your back to a wall.", "Slide down a little and back up."]
tips = ["Go slowly."]
muscles = ["quadriceps"]
equipment = []
spinal_flexion = "none"
per_side = false
reduced_range = "A smaller slide."
cautions = ["With a painful knee, slide only a little way down."]
doses.3 = [{ sets = 1, reps = 5, rest = 0 }]

[[exercise.alternative]]
id = "chair"
place = "chair"
name = "Seated wall slide"
steps = ["Sit tall.", "Press your feet into the floor."]
cautions = ["With a painful knee, press only gently."]
"""


def _figures_text(content_copy: Path) -> str:
    return (content_copy / FILE).read_text(encoding="utf-8")


def _refusal(content_copy: Path, text: str) -> str:
    (content_copy / FILE).write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as refused:
        load_figures(content_copy / FILE, load_content(content_copy))
    return str(refused.value)


def test_every_exercise_in_the_catalogue_has_two_to_four_key_poses(content: Content) -> None:
    figures = default_figures()
    assert sorted(figures) == sorted(content.catalogue)
    for exercise_id, figure in figures.items():
        exercise = content.catalogue[exercise_id]
        versions = [v.id for v in (*exercise.variants, *exercise.alternatives)]
        assert sorted(figure.versions) == sorted(versions), exercise_id
        for drawn in (figure, *figure.versions.values()):
            assert drawn.exercise_id == exercise_id
            assert 2 <= len(drawn.poses) <= 4
            assert all(pose.label for pose in drawn.poses)
        assert all(v.version == key for key, v in figure.versions.items())
        assert figure.version is None


def test_every_muscle_an_exercise_works_can_be_shown(content: Content) -> None:
    worked = {m for e in content.catalogue.values() for m in e.muscles}
    assert worked <= set(MUSCLES)


def test_an_exercise_added_without_poses_is_refused_by_name(content_copy: Path) -> None:
    with (content_copy / "exercises.toml").open("a", encoding="utf-8") as catalogue:
        catalogue.write(NEW_EXERCISE)
    content = load_content(content_copy)
    assert "wall-slide" in content.catalogue
    with pytest.raises(ContentError, match="'wall-slide' has no figure"):
        load_figures(content_copy / FILE, content)


def test_a_figure_for_no_exercise_is_refused(content_copy: Path) -> None:
    text = _figures_text(content_copy).replace(
        'exercise = "foam-rolling"', 'exercise = "hula-hoop"'
    )
    assert "'hula-hoop', which is not in the catalogue" in _refusal(content_copy, text)


def test_a_pose_whose_contact_is_in_the_air_is_refused_with_the_pose_named(
    content_copy: Path,
) -> None:
    text = _figures_text(content_copy)
    lift = text.index('name = "lift"')
    broken = text[:lift] + text[lift:].replace(
        'contacts = ["feet", "shoulders"', 'contacts = ["feet", "back"', 1
    )
    message = _refusal(content_copy, broken)
    assert "'glute-bridge' pose 'lift': back: hip" in message


def test_a_joint_past_its_range_is_refused(content_copy: Path) -> None:
    text = _figures_text(content_copy)
    start = text.index('exercise = "squat"')
    section = text[start:]
    bent = re.sub(r"shin = -90", "shin = -20", section, count=1)
    message = _refusal(content_copy, text[:start] + bent)
    assert "'squat' pose 'stand'" in message and "knee" in message


def test_one_pose_or_five_are_refused(content_copy: Path) -> None:
    text = _figures_text(content_copy)
    start = text.index('exercise = "squat"')
    end = text.index("[[figure]]", start)
    section = text[start:end]
    second = section.index("[[figure.pose]]", section.index("[[figure.pose]]") + 1)
    one = text[:start] + section[:second] + text[end:]
    assert "pose" in _refusal(content_copy, one) and "at least 2" in _refusal(content_copy, one)
    poses = section[section.index("[[figure.pose]]") :]
    renamed = [
        poses.replace('name = "stand"', f'name = "s{i}"').replace(
            'name = "squat"', f'name = "q{i}"'
        )
        for i in "ab"
    ]
    five = text[:start] + section + "".join(renamed) + text[end:]
    assert "at most 4" in _refusal(content_copy, five)


def test_an_unknown_contact_or_segment_is_refused(content_copy: Path) -> None:
    text = _figures_text(content_copy)
    assert "unknown contact 'elbows'" in _refusal(
        content_copy, text.replace('contacts = ["feet"]', 'contacts = ["elbows"]', 1)
    )
    assert "unknown segment 'tail'" in _refusal(
        content_copy, text.replace("angles = { lumbar", "angles = { tail = 3, lumbar", 1)
    )


def test_a_broken_file_is_refused_with_its_name(content_copy: Path) -> None:
    assert _refusal(content_copy, "[[figure]\n").startswith("figures.toml: not valid TOML")


def test_a_held_first_pose_or_rollers_that_disagree_are_refused(content_copy: Path) -> None:
    text = _figures_text(content_copy)
    squat = text.index('exercise = "squat"')
    held_first = text[:squat] + text[squat:].replace(
        'name = "stand"', 'name = "stand"\nhold = true', 1
    )
    assert "the first pose starts a repetition" in _refusal(content_copy, held_first)
    other_thigh = text.replace(
        'roller = { segment = "thigh_near", at = 0.8 }',
        'roller = { segment = "thigh_far", at = 0.8 }',
    )
    assert other_thigh != text
    assert "rests on the roller at the same segment" in _refusal(content_copy, other_thigh)


def _section(text: str, exercise: str, version: str) -> tuple[int, int]:
    """Where one version's [[figure]] starts and ends in the file."""
    start = text.index(f'exercise = "{exercise}"\nversion = "{version}"')
    end = text.find("[[figure]]", start)
    return start, len(text) if end < 0 else end


def test_a_version_without_a_figure_is_refused_by_name(content_copy: Path) -> None:
    text = _figures_text(content_copy)
    start, end = _section(text, "side-plank", "knees")
    removed = text[: text.rindex("[[figure]]", 0, start)] + text[end:]
    message = _refusal(content_copy, removed)
    assert "exercise 'side-plank' version 'knees' has no figure" in message


def test_a_figure_for_a_version_the_exercise_does_not_have_is_refused(content_copy: Path) -> None:
    text = _figures_text(content_copy).replace(
        'exercise = "side-plank"\nversion = "knees"', 'exercise = "side-plank"\nversion = "elbows"'
    )
    message = _refusal(content_copy, text)
    assert "a figure for 'side-plank' version 'elbows', which the exercise does not have" in message
    assert "knees, counter" in message


def test_a_contact_off_its_support_is_refused_with_the_pose_named(content_copy: Path) -> None:
    text = _figures_text(content_copy)
    start, end = _section(text, "bird-dog", "standing")
    lower = (
        text[:start]
        + text[start:end].replace("counter = { left = 30", "counter = { height = 86, left = 30")
        + text[end:]
    )
    message = _refusal(content_copy, lower)
    assert (
        "'bird-dog' 'standing' pose 'start': hands@counter: hand_near is 4.0 from the counter"
        in (message)
    )
    away = (
        text[:start]
        + text[start:end].replace("left = 30, right = 90", "left = 45, right = 90")
        + text[end:]
    )
    assert "hand_near is not over the counter" in _refusal(content_copy, away)
    start, end = _section(text, "squat", "chair")
    high = (
        text[:start]
        + text[start:end].replace("seat = { front = -14 }", "seat = { front = -14, height = 48 }")
        + text[end:]
    )
    # On a higher seat the figure sits on it and its feet leave the floor.
    assert "'squat' 'chair' pose 'sit': feet: heel_near is 3.0 from the floor" in _refusal(
        content_copy, high
    )


def test_a_support_the_figure_does_not_have_or_a_part_through_one_is_refused(
    content_copy: Path,
) -> None:
    text = _figures_text(content_copy)
    start, end = _section(text, "squat", "chair")
    no_chair = text[:start] + text[start:end].replace("seat = { front = -14 }\n", "") + text[end:]
    assert "'pelvis@seat' rests on a seat the figure does not have" in _refusal(
        content_copy, no_chair
    )
    assert "unknown support in 'feet@table'" in _refusal(
        content_copy, text.replace('contacts = ["feet"]', 'contacts = ["feet@table"]', 1)
    )
    squat = text.index('exercise = "squat"\n')
    forward = text[:squat] + text[squat:].replace(
        "seat = { front = -4 }", "seat = { front = 12 }", 1
    )
    assert "is through the seat" in _refusal(content_copy, forward)
