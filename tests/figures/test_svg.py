"""The SVG a figure becomes: well formed, moving in step with the dose, showing its muscles
and what it rests on; for each exercise and each of its versions."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from lumbar.content.load import Content
from lumbar.figures.drawings import Drawings, Picture
from lumbar.figures.load import default_figures
from lumbar.figures.motion import timeline
from lumbar.figures.pose import Figure
from lumbar.figures.svg import STYLE

SVG = "{http://www.w3.org/2000/svg}"
FIGURES = default_figures()
EVERY = sorted(
    [(e, None) for e in FIGURES] + [(e, v) for e in FIGURES for v in FIGURES[e].versions],
    key=lambda key: (key[0], key[1] or ""),
)
every_figure = pytest.mark.parametrize(
    ("exercise_id", "version"), EVERY, ids=[e if v is None else f"{e}@{v}" for e, v in EVERY]
)


def figure_of(exercise_id: str, version: str | None) -> Figure:
    figure = FIGURES[exercise_id]
    return figure if version is None else figure.versions[version]


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


@every_figure
def test_the_moving_figure_loops_through_its_poses_at_the_dose_hold(
    drawings: Drawings, exercise_id: str, version: str | None
) -> None:
    root = parse(drawings.svg(exercise_id, Picture.MOTION, hold=12, version=version))
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
    if any(p.hold for p in figure_of(exercise_id, version).poses):
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


@every_figure
def test_the_working_muscles_are_drawn_in_the_highlight_colour(
    drawings: Drawings, content_module: Content, exercise_id: str, version: str | None
) -> None:
    root = parse(drawings.svg(exercise_id, Picture.STILL, version=version))
    muscles = [p for p in root.iter(f"{SVG}path") if "fig-muscle" in (p.get("class") or "")]
    assert len(muscles) >= len(content_module.catalogue[exercise_id].muscles)
    assert root.findall(f".//{SVG}animate") == []


def test_the_highlight_follows_the_working_side_only_when_one_is_named(drawings: Drawings) -> None:
    for exercise_id, version in EVERY:
        figure = figure_of(exercise_id, version)
        root = parse(drawings.svg(exercise_id, Picture.STILL, version=version))
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


@every_figure
def test_the_key_poses_are_numbered_and_labelled_for_print(
    drawings: Drawings, exercise_id: str, version: str | None
) -> None:
    root = parse(drawings.svg(exercise_id, Picture.POSES, version=version))
    labels = [t.text for t in root.iter(f"{SVG}text")]
    poses = figure_of(exercise_id, version).poses
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


def test_a_version_is_drawn_under_its_own_name_and_an_unknown_one_is_refused(
    drawings: Drawings, content_module: Content
) -> None:
    knees = parse(drawings.svg("side-plank", Picture.STILL, version="knees"))
    assert knees.get("aria-label", "").startswith("Side plank on the knees: ")
    assert drawings.svg("side-plank", version="knees") != drawings.svg("side-plank")
    assert drawings.svg("side-plank", version="knees") is drawings.svg(
        "side-plank", version="knees"
    ), "each version's drawing is kept on its own"
    assert drawings.labels("side-plank", version="counter") == [
        p.label for p in FIGURES["side-plank"].versions["counter"].poses
    ]
    assert drawings.labels("side-plank") == [p.label for p in FIGURES["side-plank"].poses]
    for exercise in content_module.catalogue.values():
        assert drawings.has(exercise.id) and exercise.id in drawings
        for other in (*exercise.variants, *exercise.alternatives):
            assert drawings.has(exercise.id, other.id)
            root = parse(drawings.svg(exercise.id, Picture.POSES, version=other.id))
            assert root.get("aria-label") == f"{other.name}: key poses"
    assert not drawings.has("side-plank", "elbows") and not drawings.has("hula-hoop")
    assert not drawings.has("squat", "knees"), "a version of another exercise"
    for refused in (("side-plank", "elbows"), ("hula-hoop", None), ("squat", "knees")):
        with pytest.raises(KeyError):
            drawings.svg(refused[0], version=refused[1])
        with pytest.raises(KeyError):
            drawings.labels(refused[0], version=refused[1])


@every_figure
def test_what_the_figure_rests_on_is_drawn(
    drawings: Drawings, exercise_id: str, version: str | None
) -> None:
    """A chair, a counter and a wall stand behind the figure; the stick moves with it."""
    props = figure_of(exercise_id, version).props
    root = parse(drawings.svg(exercise_id, Picture.MOTION, version=version))
    supports = [p for p in root.iter(f"{SVG}path") if "fig-support" in (p.get("class") or "")]
    expected = 2 * sum(x is not None for x in (props.seat, props.counter)) + (
        props.wall is not None
    )
    assert len(supports) == expected
    motion = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "fig-motion")
    sticks = [p for p in motion.iter(f"{SVG}path") if p.get("stroke-width") == "4"]
    moving_sticks = [p for p in sticks if "fig-prop" in (p.get("class") or "")]
    assert bool(moving_sticks) == props.stick
    if props.stick:
        assert moving_sticks[0].findall(f"{SVG}animate"), "the stick moves with the back"


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_supports_are_drawn_at_least_three_to_one_against_light_and_dark() -> None:
    light, dark = (
        dict(re.findall(r"--(\w+):(#[0-9a-f]{6})", part)) for part in STYLE.split("@media", 1)
    )
    for scheme, background in ((light, "#ffffff"), (dark, "#1b2320"), (dark, "#111614")):
        for part in ("fs", "fb", "fp", "fl"):
            assert _contrast(scheme[part], background) >= 3, (part, background)
