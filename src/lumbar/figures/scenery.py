"""What is drawn besides the body: the floor and mat, a chair, a counter, a wall, the foam
roller, the stick along the back, and the cue arrows.

The floor and the supports stand still, drawn once behind the figure (`stage`); the roller,
the stick and the arrows move with the body, so they are shapes of every frame. Supports
are drawn in `--fs`, at least 3:1 against the background like every part of the figure;
only the mat and a wall's thickness are a faint tint behind them.
"""

from __future__ import annotations

import math

from lumbar.figures.body import ROLLER_RADIUS
from lumbar.figures.canvas import CHAIR_BACK, FLOOR_Y, WALL_DEPTH, Canvas, Shape, number, xy
from lumbar.figures.pose import Figure, Placed
from lumbar.figures.supports import STICK_RADIUS, TOP_THICKNESS, roller_centre, stick_ends

LEG = 4.0
"""Stroke of a chair's or a table's legs and back."""


def _path(css: str, width: float, d: str) -> str:
    return f'<path class="fig-part {css}" stroke-width="{number(width)}" d="{d}"/>'


def stage(figure: Figure, canvas: Canvas) -> str:
    """What does not move: the floor, the mat under the figure, a wall, a counter, a chair."""
    props = figure.props
    parts = [f'<path class="fig-floor" d="M2 {number(FLOOR_Y)}H{number(canvas.width - 2)}"/>']
    if props.mat:
        y = number(FLOOR_Y + 3.5)
        left, right = number(canvas.left - 6), number(canvas.right + 6)
        parts.append(f'<path class="fig-part fig-mat" stroke-width="6" d="M{left} {y}H{right}"/>')
    if props.wall is not None:
        high = FLOOR_Y - canvas.top
        middle = props.wall - WALL_DEPTH / 2
        parts.append(
            _path("fig-tint", WALL_DEPTH, canvas.line((middle, 0), (middle, high)))
            + _path("fig-support", LEG, canvas.line((props.wall - 2, 0), (props.wall - 2, high)))
        )
    half = TOP_THICKNESS / 2
    if props.counter is not None:
        c = props.counter
        legs = canvas.line((c.left + 4, c.height), (c.left + 4, 2)) + canvas.line(
            (c.right - 4, c.height), (c.right - 4, 2)
        )
        top = canvas.line((c.left + half, c.height - half), (c.right - half, c.height - half))
        parts.append(_path("fig-support", LEG, legs) + _path("fig-support", TOP_THICKNESS, top))
    if props.seat is not None:
        s = props.seat
        frame = (
            canvas.line((s.right - 3, s.height), (s.right - 3, 2))
            + canvas.line((s.left + 3, s.height), (s.left + 3, 2))
            + canvas.line((s.left + 3, s.height), (s.left - 3, s.height + CHAIR_BACK))
        )
        top = canvas.line((s.left + half, s.height - half), (s.right - half, s.height - half))
        parts.append(_path("fig-support", LEG, frame) + _path("fig-support", TOP_THICKNESS, top))
    return "".join(parts)


def roller(figure: Figure, body: Placed, canvas: Canvas) -> list[Shape]:
    """The foam roller under the body (on the floor or against the wall)."""
    centre = roller_centre(body, figure.props)
    if centre is None:
        return []
    dot = canvas.line(centre, centre)
    return [
        Shape("roller", "fig-part fig-prop", ROLLER_RADIUS * 2, dot),
        Shape("roller-end", "fig-part fig-prop-light", ROLLER_RADIUS, dot),
    ]


def stick(body: Placed, canvas: Canvas) -> list[Shape]:
    """The stick held along the back, from past the tailbone to past the head."""
    return [Shape("stick", "fig-part fig-prop", STICK_RADIUS * 2, canvas.line(*stick_ends(body)))]


def weight(body: Placed, canvas: Canvas) -> list[Shape]:
    """A kettlebell-like weight hanging from the near hand."""
    x, y = xy(body, "hand_near")
    handle, bell = (x, y - 3.0), (x, y - 9.0)
    return [
        Shape("weight-handle", "fig-part fig-prop", 7.0, canvas.line(handle, handle)),
        Shape("weight", "fig-part fig-prop", 13.0, canvas.line(bell, bell)),
    ]


def rise_arrow(body: Placed, canvas: Canvas) -> list[Shape]:
    """An arrow from the belly outward (up when lying on the back, forward when sitting),
    for a breath in; it fades in with the pose's `rise`."""
    (x0, y0), (x1, y1) = xy(body, "hip"), xy(body, "waist")
    length = math.hypot(x1 - x0, y1 - y0)
    # The belly is on the right of the hip-to-waist direction (the trunk's front).
    nx, ny = (y1 - y0) / length, -(x1 - x0) / length
    away = body.torso_width[0] / 2 + 10

    def at(forward: float, aside: float) -> tuple[float, float]:
        middle = ((x0 + x1) / 2, (y0 + y1) / 2)
        return (
            middle[0] + nx * (away + forward) + ny * aside,
            middle[1] + ny * (away + forward) - nx * aside,
        )

    shaft = canvas.line(at(0, 0), at(16, 0))
    head = canvas.line(at(10, -6), at(17, 0), at(10, 6))
    width = 3.0 * body.pose.rise
    return [
        Shape("rise-shaft", "fig-part fig-cue", width, shaft),
        Shape("rise-head", "fig-part fig-cue", width, head),
    ]


def turn_arrow(body: Placed, canvas: Canvas) -> list[Shape]:
    """A curved arrow around the chest, along its front, pointing the way it turns (toward
    the viewer); its width follows the pose's `turn`, so it fades in as the trunk turns."""
    (x0, y0), (x1, y1) = xy(body, "waist"), xy(body, "neck")
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    rx, ry = 24.0, 7.0
    start, end = (cx + rx, cy), (cx - rx * 0.94, cy - ry * 0.34)
    arc = f"M{canvas.point(*start)}A{number(rx)} {number(ry)} 0 0 1 {canvas.point(*end)}"
    head = canvas.line((end[0] + 4, end[1] + 6), end, (end[0] + 8, end[1] - 3))
    width = 3.0 * body.pose.turn
    return [
        Shape("turn-arc", "fig-part fig-cue", width, arc),
        Shape("turn-head", "fig-part fig-cue", width, head),
    ]
