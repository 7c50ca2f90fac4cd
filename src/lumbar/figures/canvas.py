"""The picture's frame: model coordinates (y up, floor at 0) to SVG's, and its paths.

A picture is as wide and as tall as the figure needs across every body it shows, with its
props and supports: a lying figure fills a phone's width, a chair or a counter stays in
view.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from lumbar.figures.pose import Figure, Placed
from lumbar.figures.supports import stick_ends

MIN_WIDTH = 200.0
"""The narrowest picture: a standing figure keeps some floor on either side."""
FLOOR_Y = 204.0
"""Where the floor line runs in the picture; the model's y=0."""
MARGIN = 10.0
CHAIR_BACK = 46.0
"""How far a chair's back rises above its seat."""
WALL_DEPTH = 12.0
"""How much of a wall's thickness shows, behind its face."""

Point2 = tuple[float, float]


@dataclass(frozen=True, slots=True)
class Shape:
    key: str
    css: str
    width: float
    d: str


def number(value: float) -> str:
    text = f"{value:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


class Canvas:
    """Turns model coordinates (y up, floor at 0) into the picture's, centred once."""

    def __init__(
        self, figure: Figure, bodies: Iterable[Placed], min_width: float = MIN_WIDTH
    ) -> None:
        xs: list[float] = []
        top = 0.0
        props = figure.props
        if props.seat is not None:
            xs += [props.seat.left - 8.0, props.seat.right + 3.0]
            top = props.seat.height + CHAIR_BACK
        if props.counter is not None:
            xs += [props.counter.left, props.counter.right]
            top = max(top, props.counter.height)
        if props.wall is not None:
            xs += [props.wall - WALL_DEPTH]
        for body in bodies:
            for name, (x, y, _) in body.points.items():
                r = body.radius(name)
                xs += [x - r, x + r]
                top = max(top, y + r)
            if props.stick:
                for x, y in stick_ends(body):
                    xs += [x - 2.0, x + 2.0]
                    top = max(top, y + 2.0)
        self.width = max(min_width, max(xs) - min(xs) + 2 * MARGIN)
        """The picture is as wide as the figure needs, so a lying figure fills a phone."""
        self.shift = self.width / 2 - (min(xs) + max(xs)) / 2
        self.left, self.right = min(xs) + self.shift, max(xs) + self.shift
        self.top = FLOOR_Y - top - MARGIN
        """The picture's highest point: the view starts there, so lying figures are short."""

    @property
    def height(self) -> float:
        return FLOOR_Y + 10.0 - self.top

    def point(self, x: float, y: float) -> str:
        return f"{number(x + self.shift)} {number(FLOOR_Y - y)}"

    def line(self, *points: Point2) -> str:
        """A path through the points, in model coordinates."""
        first, *rest = points
        return f"M{self.point(*first)}" + "".join(f"L{self.point(*p)}" for p in rest)


def xy(body: Placed, point: str) -> Point2:
    x, y, _ = body.points[point]
    return (x, y)
