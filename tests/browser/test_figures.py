"""Every exercise's figure, and every version's, in real Chromium at phone width: drawn,
moving, photographed.

The photographs go to test-artifacts/figures/ (the moving figure as it is caught, and the
key positions) so a person can look at each one; the checks here are what a browser can
tell: the figure has size, it moves, it stops moving when the system asks for reduced
motion, and in the session player it holds the pose while the hold countdown runs. The
versions' figures are fetched as files and shown together on one page, so seventeen
figures cost one page load.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from lumbar.figures.load import default_figures
from tests.browser.conftest import LiveApp, start_hold, to_first_hold

FIGURES = Path(__file__).parents[2] / "test-artifacts" / "figures"
IDS = sorted(default_figures())
VERSIONS = sorted((e, v) for e, figure in default_figures().items() for v in figure.versions)
PHONE_FIGURE = 358
"""The width a figure gets on a phone (390 wide, less the page's padding)."""

BOX = """selector => {
  const box = document.querySelector(selector).getBBox();
  return [box.x, box.y, box.width, box.height].map(v => Math.round(v * 10) / 10);
}"""


@pytest.mark.parametrize("exercise_id", IDS)
def test_each_figure_is_drawn_and_moves_at_phone_width(
    live_app: LiveApp, phone: Any, exercise_id: str
) -> None:
    page = phone
    page.goto(f"{live_app.url}/library/{exercise_id}")
    figure = page.locator(".figure-live svg")
    size = figure.bounding_box()
    assert size is not None and size["width"] > 300 and size["height"] > 80
    started = page.evaluate("() => document.querySelector('.figure-live svg').getCurrentTime()")
    page.wait_for_timeout(400)
    later = page.evaluate("() => document.querySelector('.figure-live svg').getCurrentTime()")
    assert later > started, "the figure's animation runs"
    FIGURES.mkdir(parents=True, exist_ok=True)
    page.evaluate("() => document.querySelector('.figure-live svg').pauseAnimations()")
    figure.screenshot(path=str(FIGURES / f"{exercise_id}-moving.png"))
    page.locator(".key-poses").screenshot(path=str(FIGURES / f"{exercise_id}-poses.png"))
    page.emulate_media(color_scheme="dark")
    page.locator(".key-poses").screenshot(path=str(FIGURES / f"{exercise_id}-poses-dark.png"))
    page.emulate_media(color_scheme="light")


def test_reduced_motion_shows_the_still_pose_instead(live_app: LiveApp, phone: Any) -> None:
    page = phone
    page.emulate_media(reduced_motion="reduce")
    page.goto(f"{live_app.url}/library/bird-dog")
    shown = page.evaluate(
        """() => ['.fig-motion', '.fig-still'].map(s =>
             getComputedStyle(document.querySelector('.figure-live ' + s)).display)"""
    )
    assert shown == ["none", "inline"]
    still = page.evaluate(BOX, ".figure-live .fig-still")
    assert still[2] > 100
    page.locator(".figure-live svg").screenshot(path=str(FIGURES / "bird-dog-reduced-motion.png"))


def test_the_players_figure_holds_the_pose_while_the_hold_counts_down(
    live_app: LiveApp, phone: Any
) -> None:
    page = phone
    to_first_hold(page, live_app)
    svg = "#player svg.figure-motion"
    hold_start = float(page.locator(svg).get_attribute("data-hold-start") or "nan")
    start_hold(page)
    page.wait_for_timeout(300)
    now = page.evaluate(f"() => document.querySelector('{svg}').getCurrentTime()")
    assert now == hold_start, "the figure shows the held pose"
    # Paused while held: the pose does not change, and a paused figure is not redrawn.
    assert page.evaluate(f"() => document.querySelector('{svg}').animationsPaused()")
    first = page.evaluate(BOX, f"{svg} .fig-motion")
    page.wait_for_timeout(1000)
    second = page.evaluate(BOX, f"{svg} .fig-motion")
    assert first == second, "the figure holds still while the countdown runs"
    page.locator("#player").screenshot(path=str(FIGURES / "player-holding.png"))

    page.get_by_role("button", name="Pause").click()
    paused = page.evaluate(f"() => document.querySelector('{svg}').animationsPaused()")
    frozen = page.evaluate(f"() => document.querySelector('{svg}').getCurrentTime()")
    page.wait_for_timeout(400)
    assert paused
    assert page.evaluate(f"() => document.querySelector('{svg}').getCurrentTime()") == frozen
    page.get_by_role("button", name="Resume").click()
    assert page.evaluate(f"() => document.querySelector('{svg}').getCurrentTime()") == frozen

    to_start = (
        "s => { const e = document.querySelector(s); e.pauseAnimations(); e.setCurrentTime(0); }"
    )
    page.evaluate(to_start, svg)
    assert page.evaluate(BOX, f"{svg} .fig-motion") != first, "the start pose is another shape"


def test_every_version_is_drawn_and_moves_at_phone_width(live_app: LiveApp, phone: Any) -> None:
    """All the versions on one page: each moving figure and its key positions, fetched from
    /figures/ID.svg?version=V as the printable handout and the API would."""
    page = phone
    boxes = []
    for exercise_id, version in VERSIONS:
        for suffix in ("", "-poses"):
            response = page.request.get(
                f"{live_app.url}/figures/{exercise_id}{suffix}.svg", params={"version": version}
            )
            assert response.status == 200, (exercise_id, version, suffix)
            boxes.append(
                f'<div class="version" data-key="{exercise_id}@{version}{suffix}">'
                f"{response.text()}</div>"
            )
    page.set_content(
        "<!doctype html><style>body{margin:16px;background:#fff}"
        f".version{{width:{PHONE_FIGURE}px;margin:0 0 8px;--fig-gap:#fff}}"
        ".version svg{display:block;width:100%;height:auto}</style>" + "".join(boxes)
    )
    sizes = page.evaluate(
        """() => [...document.querySelectorAll('.version')].map(box => {
             const svg = box.querySelector('svg').getBoundingClientRect();
             return [box.dataset.key, svg.width, svg.height];
           })"""
    )
    for key, width, height in sizes:
        assert width >= PHONE_FIGURE - 1, key
        assert key.endswith("-poses") or height > 80, key
    moving = ".version:not([data-key$='-poses']) svg"
    started = page.evaluate(
        f'() => [...document.querySelectorAll("{moving}")].map(s => s.getCurrentTime())'
    )
    page.wait_for_timeout(400)
    later = page.evaluate(
        f'() => [...document.querySelectorAll("{moving}")].map(s => s.getCurrentTime())'
    )
    assert len(later) == len(VERSIONS)
    assert all(b > a for a, b in zip(started, later, strict=True)), "every version's figure moves"
    FIGURES.mkdir(parents=True, exist_ok=True)
    page.evaluate(f'() => document.querySelectorAll("{moving}").forEach(s => s.pauseAnimations())')
    for exercise_id, version in VERSIONS:
        key = f"{exercise_id}@{version}"
        page.locator(f'[data-key="{key}"] svg').screenshot(path=str(FIGURES / f"{key}-moving.png"))
        page.locator(f'[data-key="{key}-poses"] svg').screenshot(
            path=str(FIGURES / f"{key}-poses.png")
        )
    page.emulate_media(color_scheme="dark")
    page.add_style_tag(content="body{background:#1b2320}.version{--fig-gap:#1b2320}")
    for exercise_id, version in VERSIONS:
        key = f"{exercise_id}@{version}-poses"
        page.locator(f'[data-key="{key}"] svg').screenshot(path=str(FIGURES / f"{key}-dark.png"))
    page.emulate_media(color_scheme="light")
