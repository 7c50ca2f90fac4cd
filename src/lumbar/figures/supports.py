"""Setting a body down on what it rests on, and checking that it does.

A pose names what touches what: `feet` on the floor, `pelvis@seat` on a chair, `hands@counter`
on a counter top, `roller@wall` for the foam roller held against a wall, `head@stick` on a
stick held along the back. `place` sets the body down with its anchor point at x=0, so that
what rests on the floor or on a top touches it; a wall and the stick are only checked.
The problems are what a person would find wrong: a named contact more than a pixel from its
surface or not over it, a part through the floor, through a seat or counter, or in a wall.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from lumbar.figures.body import CONTACTS, FLOOR, ROLLER_CONTACT, ROLLER_RADIUS, split_contact
from lumbar.figures.joints import range_problems
from lumbar.figures.pose import (
    Figure,
    Placed,
    Pose,
    Props,
    Requirement,
    Top,
    build,
    interpolate,
    requirements,
    roller_surface,
)

TOUCH_TOLERANCE = 1.0
"""How far a named contact may sit from its surface: one pixel at natural size."""
SLIDE = 2.0
"""A contact that moves further than this between two poses is stepping or sliding."""
TOP_THICKNESS = 5.0
"""How thick a seat or a counter top is drawn; a part may not cross it."""
STICK_RADIUS = 2.0
STICK_PAST = (16.0, 14.0)
"""How far the stick reaches past the tailbone and past the top of the head."""

Point2 = tuple[float, float]


def top(props: Props, surface: str) -> Top | None:
    return props.seat if surface == "seat" else props.counter if surface == "counter" else None


def stick_axis(body: Placed) -> tuple[Point2, Point2]:
    """The stick along the back: a point on its axis behind the pelvis, and its direction
    toward the head. It lies on the backs of the pelvis and the upper back."""
    (hx, hy, _), (nx, ny, _) = body.points["hip"], body.points["neck"]
    length = math.hypot(nx - hx, ny - hy)
    ux, uy = (nx - hx) / length, (ny - hy) / length
    # The back is to the left of the pelvis-to-neck direction: behind a standing figure
    # (which faces right), under one lying on its back.
    bx, by = -uy, ux
    low = body.radius("hip") + STICK_RADIUS
    high = body.radius("neck") + STICK_RADIUS
    start = (hx + bx * low, hy + by * low)
    end = (nx + bx * high, ny + by * high)
    span = math.hypot(end[0] - start[0], end[1] - start[1])
    return start, ((end[0] - start[0]) / span, (end[1] - start[1]) / span)


def stick_ends(body: Placed) -> tuple[Point2, Point2]:
    """Where the drawn stick starts (past the tailbone) and ends (past the head)."""
    (x0, y0), (ux, uy) = stick_axis(body)
    hx, hy, _ = body.points["head"]
    reach = (hx - x0) * ux + (hy - y0) * uy + body.radius("head") + STICK_PAST[1]
    return (x0 - ux * STICK_PAST[0], y0 - uy * STICK_PAST[0]), (x0 + ux * reach, y0 + uy * reach)


def gap(body: Placed, props: Props, surface: str, point: str) -> float:
    """How far a point's nearest edge is from a surface (negative: into it). A hand on the
    stick holds it, so there its centre is on the stick."""
    x, y, _ = body.points[point]
    r = body.radius(point)
    if surface == FLOOR:
        return y - r
    flat = top(props, surface)
    if flat is not None:
        return y - r - flat.height
    if surface == "wall" and props.wall is not None:
        return x - r - props.wall
    if surface == "stick" and props.stick:
        (x0, y0), (ux, uy) = stick_axis(body)
        off = abs((x - x0) * uy - (y - y0) * ux)
        return off if point.startswith("hand") else off - r - STICK_RADIUS
    raise KeyError(f"the figure has no {surface}")


def _nearest(body: Placed, props: Props, requirement: Requirement) -> tuple[float, str]:
    surface, points = requirement
    return min((gap(body, props, surface, p), p) for p in points)


def roller_gap(body: Placed, props: Props) -> float | None:
    """How far the body is from the roller: above it on the floor, off it against a wall."""
    point, surface = body.roller_point(), roller_surface(body.pose)
    if point is None or surface is None:
        return None
    x, y, r = point
    if surface == "wall" and props.wall is not None:
        return x - r - 2 * ROLLER_RADIUS - props.wall
    return y - r - 2 * ROLLER_RADIUS


def roller_centre(body: Placed, props: Props) -> Point2 | None:
    point = body.roller_point()
    if point is None:
        return None
    if roller_surface(body.pose) == "wall" and props.wall is not None:
        return (props.wall + ROLLER_RADIUS, point[1])
    return (point[0], ROLLER_RADIUS)


def settle(
    body: Placed, on: Iterable[Requirement], anchor: str, props: Props, roller: bool
) -> Placed:
    """Set the body down so its lowest requirement on the floor or a top touches it, with
    the anchor at x=0; `roller`: the roller on the floor carries the body too.

    Nothing may go through the floor: a part lower than the contacts (a hand sliding
    forward between two poses) lifts the body onto it instead.
    """
    body = body.moved(-body.points[anchor][0], 0.0)
    heights = [
        _nearest(body, props, req)[0]
        for req in on
        if req[0] == FLOOR or top(props, req[0]) is not None
    ]
    if roller:
        rolled = roller_gap(body, props)
        if rolled is not None:
            heights.append(rolled)
    lowest_part = min(y - body.radius(k) for k, (_, y, _) in body.points.items())
    drop = min(heights) if heights else lowest_part
    return body.moved(0.0, -min(drop, lowest_part))


def place(figure: Figure, pose: Pose) -> Placed:
    """A key pose set down on its supports, its anchor point at x=0."""
    on_floor = roller_surface(pose) == FLOOR
    return settle(build(pose), requirements(pose), figure.anchor, figure.props, on_floor)


def held_contacts(figure: Figure, a: Pose, b: Pose) -> list[Requirement]:
    """The requirements that stay put from pose `a` to pose `b`: in both, at the same place.
    A foot that steps forward is on the floor in both but not held; on a wall a part may
    not slide up or down; the stick moves with the back, so what is on it stays on it."""
    start, end = place(figure, a), place(figure, b)
    second = {(s, frozenset(p)) for s, p in requirements(b)}
    held = []
    for surface, points in requirements(a):
        if (surface, frozenset(points)) not in second:
            continue
        axis = 1 if surface == "wall" else 0
        if surface == "stick" or all(
            abs(start.points[p][axis] - end.points[p][axis]) <= SLIDE for p in points
        ):
            held.append((surface, points))
    return held


def between(figure: Figure, a: Pose, b: Pose, t: float) -> Placed:
    """The body a fraction `t` of the way from pose `a` to pose `b`, set down on the
    contacts it holds throughout."""
    pose = interpolate(a, b, t)
    rolling = roller_surface(a) == roller_surface(b) == FLOOR
    held = held_contacts(figure, a, b)
    return settle(build(pose), held, figure.anchor, figure.props, rolling)


def outline(body: Placed) -> list[tuple[str, float, float, float]]:
    """Every drawn point with its radius: what must stay on or above the floor."""
    return [(name, x, y, body.radius(name)) for name, (x, y, _) in body.points.items()]


def contact_problems(body: Placed, props: Props) -> list[str]:
    problems = []
    for name in body.pose.contacts:
        part, surface = split_contact(name)
        if part == ROLLER_CONTACT:
            rolled = roller_gap(body, props)
            if rolled is None or abs(rolled) > TOUCH_TOLERANCE:
                away = "above" if surface == FLOOR else "off"
                problems.append(f"{name}: the body is {rolled or 0:.1f} {away} the roller")
            continue
        flat = top(props, surface)
        for points in CONTACTS[part]:
            distance, nearest = _nearest(body, props, (surface, points))
            x = body.points[nearest][0]
            if abs(distance) > TOUCH_TOLERANCE:
                problems.append(f"{name}: {'/'.join(points)} is {distance:.1f} from the {surface}")
            elif flat is not None and not flat.left - TOUCH_TOLERANCE <= x <= flat.right + (
                TOUCH_TOLERANCE
            ):
                problems.append(
                    f"{name}: {nearest} is not over the {surface} (at {x:.0f}; the {surface} "
                    f"runs from {flat.left:.0f} to {flat.right:.0f})"
                )
    return problems


def floor_problems(body: Placed) -> list[str]:
    return [
        f"{name} is {-(y - r):.1f} below the floor"
        for name, _, y, r in outline(body)
        if y - r < -TOUCH_TOLERANCE
    ]


def support_problems(body: Placed, props: Props) -> list[str]:
    """Parts through a seat or a counter top (one in the body's way), or into a wall."""
    problems = []
    for name, x, y, r in outline(body):
        for surface in ("seat", "counter"):
            flat = top(props, surface)
            if (
                flat is not None
                and not flat.beside
                and x + r > flat.left + TOUCH_TOLERANCE
                and x - r < flat.right - TOUCH_TOLERANCE
                and y - r < flat.height - TOUCH_TOLERANCE
                and y + r > flat.height - TOP_THICKNESS
            ):
                problems.append(f"{name} is through the {surface}")
        if props.wall is not None and x - r < props.wall - TOUCH_TOLERANCE:
            problems.append(f"{name} is {props.wall - (x - r):.1f} into the wall")
    return problems


def frame_problems(body: Placed, props: Props) -> list[str]:
    """What no frame of a movement may show: a part through the floor or a support."""
    return floor_problems(body) + support_problems(body, props)


def pose_problems(figure: Figure, pose: Pose) -> list[str]:
    """What is wrong with a key pose, in words; empty when it is right."""
    body = place(figure, pose)
    found = (
        range_problems(pose)
        + contact_problems(body, figure.props)
        + frame_problems(body, figure.props)
    )
    anchor = figure.anchor
    if not any(anchor in points for _, points in requirements(pose)):
        found.append(f"the anchor {anchor} rests on nothing in this pose")
    return found
