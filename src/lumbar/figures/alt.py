"""What a printed figure shows, in words, for a reader who cannot see it.

The handout prints each exercise's key poses with their labels as text under the drawing,
so a screen reader already reads the labels; the figure's alternative text says what the
labels do not: how the person is drawn, how many positions, what they use and which
muscles it targets. It is made from the figure's data, so it cannot drift from the drawing.
"""

from __future__ import annotations

from lumbar.figures.joints import front_view
from lumbar.figures.pose import Figure

COUNTS = {1: "one position", 2: "two positions", 3: "three positions", 4: "four positions"}
SIDES = {"near": ", on the side nearest you", "far": ", on the side further from you"}


def _props(figure: Figure) -> list[str]:
    props = figure.props
    things = []
    if props.mat:
        things.append("on a mat")
    if any(pose.roller for pose in figure.poses):
        things.append("with a foam roller")
    if props.seat is not None:
        sits = any("pelvis@seat" in pose.contacts for pose in figure.poses)
        things.append("on a chair" if sits else "with a chair behind as a depth guide")
    if props.counter is not None:
        things.append("at a counter")
    if props.wall is not None:
        things.append("by a wall")
    if props.stick:
        things.append("with a stick along the back")
    if props.weight:
        things.append("holding a weight")
    return things


def _listed(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def print_alt(figure: Figure, name: str) -> str:
    """E.g. "Squat: a person drawn from the side in two positions, left to right, with a
    chair behind as a depth guide, holding a weight; the muscles it targets (glutes,
    quadriceps and deep core) are coloured." The positions' names are the caption under
    the figure."""
    view = "from the front" if front_view(figure.main_pose) else "from the side"
    count = COUNTS.get(len(figure.poses), f"{len(figure.poses)} positions")
    order = ", left to right" if len(figure.poses) > 1 else ""
    props = "".join(f", {thing}" for thing in _props(figure))
    muscles = list(figure.muscles)
    side = SIDES.get(figure.highlight_side or "", "")
    marked = f"; the muscles it targets ({_listed(muscles)}) are coloured{side}" if muscles else ""
    return f"{name}: a person drawn {view} in {count}{order}{props}{marked}."
