"""The SVG a figure becomes: well formed, moving in step with the dose, showing its muscles."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from lumbar.content.load import Content
from lumbar.figures.drawings import Drawings, Picture
from lumbar.figures.load import default_figures
from lumbar.figures.motion import timeline

SVG = "{http://www.w3.org/2000/svg}"
FIGURES = default_figures()
IDS = sorted(FIGURES)


@pytest.fixture(scope="module")
def drawings(content_module: Content) -> Drawings:
    return Drawings(FIGURES, content_module.catalogue)


@pytest.fixture(scope="module")
def content_module() -> Content:
    from lumbar.content.load import default_content

    return default_content()


def parse(text: str) -> ET.Element:
    root = ET.fromstring(text)
    assert root.tag == f"{SVG}svg"
    return root


@pytest.mark.parametrize("exercise_id", IDS)
def test_the_moving_figure_loops_through_its_poses_at_the_dose_hold(
    drawings: Drawings, exercise_id: str
) -> None:
    root = parse(drawings.svg(exercise_id, Picture.MOTION, hold=12))
    assert root.get("role") == "img" and root.get("aria-label")
    assert root.find(f"{SVG}title") is not None and root.find(f"{SVG}desc") is not None
    animations = root.findall(f".//{SVG}animate")
    assert animations, "the figure moves"
    cycle = float(root.get("data-cycle", "0"))
    for animation in animations:
        times = [float(t) for t in animation.get("keyTimes", "").split(";")]
        values = animation.get("values", "").split(";")
        assert len(times) == len(values) > 2
        assert times[0] == 0 and times[-1] == 1 and times == sorted(times)
        assert animation.get("dur") == f"{cycle:.2f}s"
        assert animation.get("repeatCount") == "indefinite"
    if any(p.hold for p in FIGURES[exercise_id].poses):
        start, end = float(root.get("data-hold-start", "")), float(root.get("data-hold-end", ""))
        assert end - start == pytest.approx(12)
        assert 0 < start < end < cycle
    else:
        assert root.get("data-hold-start") is None


def test_a_longer_hold_makes_a_longer_cycle_by_exactly_the_difference() -> None:
    figure = FIGURES["glute-bridge"]
    short, long = timeline(figure, hold=5.0), timeline(figure, hold=30.0)
    assert long.duration - short.duration == pytest.approx(25.0)
    assert long.hold_start == short.hold_start


@pytest.mark.parametrize("exercise_id", IDS)
def test_the_working_muscles_are_drawn_in_the_highlight_colour(
    drawings: Drawings, content_module: Content, exercise_id: str
) -> None:
    root = parse(drawings.svg(exercise_id, Picture.STILL))
    muscles = [p for p in root.iter(f"{SVG}path") if "fig-muscle" in (p.get("class") or "")]
    assert len(muscles) >= len(content_module.catalogue[exercise_id].muscles)
    assert root.findall(f".//{SVG}animate") == []


def test_the_highlight_follows_the_working_side_only_when_one_is_named(drawings: Drawings) -> None:
    for exercise_id, figure in FIGURES.items():
        root = parse(drawings.svg(exercise_id, Picture.STILL))
        classes = [p.get("class") or "" for p in root.iter(f"{SVG}path")]
        far_muscle = any("fig-muscle" in c and "fig-far" in c for c in classes)
        if figure.highlight_side == "near":
            assert not far_muscle, exercise_id


def test_reduced_motion_swaps_the_moving_figure_for_its_still_pose(drawings: Drawings) -> None:
    root = parse(drawings.svg("bird-dog"))
    style = root.find(f"{SVG}style")
    assert style is not None and "prefers-reduced-motion:reduce" in (style.text or "")
    groups = {g.get("class"): g for g in root.iter(f"{SVG}g")}
    assert groups["fig-motion"].findall(f".//{SVG}animate")
    assert groups["fig-still"].findall(f".//{SVG}path") and not groups["fig-still"].findall(
        f".//{SVG}animate"
    )


@pytest.mark.parametrize("exercise_id", IDS)
def test_the_key_poses_are_numbered_and_labelled_for_print(
    drawings: Drawings, exercise_id: str
) -> None:
    root = parse(drawings.svg(exercise_id, Picture.POSES))
    labels = [t.text for t in root.iter(f"{SVG}text")]
    poses = FIGURES[exercise_id].poses
    assert labels == [f"{i}. {p.label}" for i, p in enumerate(poses, 1)]
    width = float((root.get("viewBox") or "").split()[2])
    assert width / len(poses) >= 300, "each panel leaves room for its label"


def test_each_still_pose_can_be_drawn_and_drawings_are_kept(drawings: Drawings) -> None:
    first = drawings.svg("lunge-with-twist", Picture.STILL, pose=0)
    last = drawings.svg("lunge-with-twist", Picture.STILL, pose=2)
    assert first != last
    assert drawings.svg("lunge-with-twist", Picture.STILL, pose=0) is first
    assert drawings.labels("lunge-with-twist") == [
        p.label for p in FIGURES["lunge-with-twist"].poses
    ]
    with pytest.raises(KeyError):
        drawings.svg("hula-hoop")


def test_a_held_middle_pose_is_held_once_on_the_way_out() -> None:
    from dataclasses import replace

    lunge = FIGURES["lunge-with-twist"]
    poses = list(lunge.poses)
    poses[1] = replace(poses[1], hold=True)
    figure = replace(lunge, poses=tuple(poses))
    cycle = timeline(figure, hold=10.0)
    assert cycle.hold_start is not None and cycle.hold_end == pytest.approx(cycle.hold_start + 10)
    still = [
        (a.time, b.time)
        for a, b in zip(cycle.frames, cycle.frames[1:], strict=False)
        if a.body.pose.name == b.body.pose.name == "lunge" and b.time - a.time >= 10
    ]
    assert len(still) == 1, "the hold happens once per repetition"


def test_cue_arrows_fade_in_with_the_pose_that_names_them(drawings: Drawings) -> None:
    for exercise_id, key in (("lunge-with-twist", "turn"), ("diaphragmatic-breathing", "rise")):
        figure = FIGURES[exercise_id]
        assert any(getattr(p, key) == 1.0 for p in figure.poses)
        root = parse(drawings.svg(exercise_id))
        motion = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "fig-motion")
        cues = [p for p in motion.iter(f"{SVG}path") if "fig-cue" in (p.get("class") or "")]
        assert len(cues) == 2
        widths = {
            float(w)
            for cue in cues
            for a in cue.iter(f"{SVG}animate")
            if a.get("attributeName") == "stroke-width"
            for w in (a.get("values") or "").split(";")
        }
        assert min(widths) == 0 and max(widths) == 3, exercise_id
    plain = parse(drawings.svg("squat"))
    assert not [p for p in plain.iter(f"{SVG}path") if "fig-cue" in (p.get("class") or "")]


def test_drawings_keep_at_most_their_bound(
    content_module: Content, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lumbar.figures import drawings as module

    monkeypatch.setattr(module, "KEPT", 5)
    drawings = Drawings(FIGURES, content_module.catalogue)
    for hold in range(1, 9):
        drawn = drawings.svg("dead-bug", Picture.MOTION, hold=hold)
        end = float(parse(drawn).get("data-hold-end", "")) - float(
            parse(drawn).get("data-hold-start", "")
        )
        assert end == pytest.approx(hold)
    assert len(drawings._drawn) == 5
