"""Key poses and forward kinematics: joint angles in, a placed body out.

A pose gives every segment a direction; the body is built outward from the pelvis with the
fixed lengths of `body.py`, so no pose can stretch a limb. The figure is then set down on
the floor by the parts the pose says touch it, and `problems` reports anything a person
would find wrong: a named contact in the air, a part through the floor, a joint bent past
its range.

Limbs may also point out of the picture (`tilt`), and the pelvis and chest may turn about
the body's long axis (`twist`): 0 is side view, 90 shows the body from the front. Both
keep true 3D lengths; the picture is their projection.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from lumbar.figures.body import (
    BODY,
    CONTACTS,
    HAND_RADIUS,
    HEAD_RADIUS,
    HEEL_BACK,
    HEEL_DOWN,
    HIP_HALF_WIDTH,
    JOINT_RANGES,
    LUMBAR_WIDTH,
    ROLLER_CONTACT,
    ROLLER_RADIUS,
    SEGMENTS,
    SHOULDER_HALF_WIDTH,
    SIDES,
    THORAX_WIDTH,
    TORSO_DEPTH,
)

Vec = tuple[float, float, float]

TOUCH_TOLERANCE = 1.0
"""How far a named contact may sit from the floor: one pixel at natural size."""


@dataclass(frozen=True, slots=True)
class Pose:
    """One key pose: where every segment points, and what rests on the floor."""

    name: str
    label: str
    angles: Mapping[str, float]
    """Direction of every segment in `body.SEGMENTS`, degrees in the picture."""
    contacts: tuple[str, ...]
    tilts: Mapping[str, float] = field(default_factory=dict)
    """Degrees out of the picture, toward the viewer (+) or away (-), for any segment."""
    twist_pelvis: float = 0.0
    twist_chest: float = 0.0
    hold: bool = False
    """Held for the dose's hold time; otherwise the figure rests here for `pause` seconds."""
    pause: float = 0.5
    move: float | None = None
    """Seconds to move into this pose from the one before; the figure's tempo if unset."""
    roller: tuple[str, float] | None = None
    """The segment and the fraction along it that rests on the foam roller."""
    turn: float = 0.0
    """How strongly to draw a curved arrow around the chest (0 to 1): a turn of the trunk,
    which side view shows poorly, made plain."""
    rise: float = 0.0
    """How strongly to draw an arrow rising from the belly (0 to 1): a breath in."""

    def angle(self, segment: str) -> float:
        return self.angles[segment]

    def tilt(self, segment: str) -> float:
        return self.tilts.get(segment, 0.0)


@dataclass(frozen=True, slots=True)
class Props:
    mat: bool = False
    weight: bool = False
    """A weight held in the near hand."""
    chair: float | None = None
    """Where the front of a chair seat stands, from the anchor point (negative: behind)."""


@dataclass(frozen=True, slots=True)
class Figure:
    """An exercise's figure: its key poses in order, its props, its tempo."""

    exercise_id: str
    poses: tuple[Pose, ...]
    muscles: tuple[str, ...]
    props: Props = Props()
    move: float = 2.0
    """Seconds for each movement between poses unless a pose says otherwise."""
    highlight_side: str | None = None
    """Only this side's limbs show the working muscles (the stretched or working side)."""

    @property
    def anchor(self) -> str:
        """The point that stays put while the figure moves: the first pose's first contact."""
        return _requirements(self.poses[0])[0][0]

    @property
    def main_pose(self) -> Pose:
        """The pose a thumbnail shows: the held one, or the last."""
        return next((p for p in self.poses if p.hold), self.poses[-1])


@dataclass(frozen=True, slots=True)
class Placed:
    """A body in the picture: every joint's position (y up, floor at 0) and radii."""

    points: Mapping[str, Vec]
    pose: Pose
    torso_width: tuple[float, float]
    """Drawn widths of the lumbar and thoracic segments at this twist."""

    def radius(self, point: str) -> float:
        return _radius(point, self.torso_width)

    def moved(self, dx: float, dy: float) -> Placed:
        points = {k: (x + dx, y + dy, z) for k, (x, y, z) in self.points.items()}
        return Placed(points, self.pose, self.torso_width)

    def roller_point(self) -> tuple[float, float, float] | None:
        """Where the body rests on the roller: (x, y, radius of the segment there)."""
        if self.pose.roller is None:
            return None
        name, t = self.pose.roller
        segment = BODY[name]
        (x0, y0, _), (x1, y1, _) = self.points[segment.start], self.points[segment.end]
        return (x0 + (x1 - x0) * t, y0 + (y1 - y0) * t, segment.width / 2)


def _radius(point: str, torso_width: tuple[float, float]) -> float:
    base = point.rsplit("_", 1)[0] if point.endswith(SIDES) else point
    if base in ("hip", "waist"):
        return torso_width[0] / 2 if point in ("hip", "waist") else BODY["thigh_near"].width / 2
    radii = {
        "neck": torso_width[1] / 2,
        "head": HEAD_RADIUS,
        "hand": HAND_RADIUS,
        "elbow": BODY["forearm_near"].width / 2,
        "shoulder": BODY["upper_arm_near"].width / 2,
        "knee": BODY["thigh_near"].width / 2,
        "ankle": BODY["shin_near"].width / 2,
        "toe": BODY["foot_near"].width / 2,
        "heel": BODY["foot_near"].width / 2,
    }
    return radii[base]


def direction(angle: float, tilt: float = 0.0) -> Vec:
    a, t = math.radians(angle), math.radians(tilt)
    return (math.cos(t) * math.cos(a), math.cos(t) * math.sin(a), math.sin(t))


def _add(p: Vec, d: Vec, k: float) -> Vec:
    return (p[0] + d[0] * k, p[1] + d[1] * k, p[2] + d[2] * k)


def _lateral(angle: float, twist: float) -> Vec:
    """The body's right-to-left axis at a trunk segment, turned by `twist` about it."""
    a, t = math.radians(angle), math.radians(twist)
    return (-math.sin(a) * math.sin(t), math.cos(a) * math.sin(t), math.cos(t))


def projected_width(depth: float, width: float, twist: float) -> float:
    t = math.radians(twist)
    return math.hypot(depth * math.cos(t), width * math.sin(t))


def build(pose: Pose) -> Placed:
    """Forward kinematics from the pelvis at the origin; not yet set on the floor."""
    p: dict[str, Vec] = {"hip": (0.0, 0.0, 0.0)}

    def seg(name: str, start: Vec) -> Vec:
        return _add(start, direction(pose.angle(name), pose.tilt(name)), BODY[name].length)

    p["waist"] = seg("lumbar", p["hip"])
    p["neck"] = seg("thorax", p["waist"])
    p["head"] = seg("head", p["neck"])
    pelvis = _lateral(pose.angle("lumbar"), pose.twist_pelvis)
    chest = _lateral(pose.angle("thorax"), pose.twist_chest)
    for side, sign in (("near", 1.0), ("far", -1.0)):
        p[f"shoulder_{side}"] = _add(p["neck"], chest, sign * SHOULDER_HALF_WIDTH)
        p[f"elbow_{side}"] = seg(f"upper_arm_{side}", p[f"shoulder_{side}"])
        p[f"hand_{side}"] = seg(f"forearm_{side}", p[f"elbow_{side}"])
        p[f"hip_{side}"] = _add(p["hip"], pelvis, sign * HIP_HALF_WIDTH)
        p[f"knee_{side}"] = seg(f"thigh_{side}", p[f"hip_{side}"])
        p[f"ankle_{side}"] = seg(f"shin_{side}", p[f"knee_{side}"])
        foot = f"foot_{side}"
        p[f"toe_{side}"] = seg(foot, p[f"ankle_{side}"])
        along = direction(pose.angle(foot), pose.tilt(foot))
        a = math.radians(pose.angle(foot))
        sole = (math.sin(a), -math.cos(a), 0.0)
        p[f"heel_{side}"] = _add(_add(p[f"ankle_{side}"], along, -HEEL_BACK), sole, HEEL_DOWN)
    widths = (
        projected_width(TORSO_DEPTH, LUMBAR_WIDTH, pose.twist_pelvis),
        projected_width(TORSO_DEPTH, THORAX_WIDTH, pose.twist_chest),
    )
    return Placed(p, pose, widths)


def _requirements(pose: Pose) -> list[tuple[str, ...]]:
    return [req for name in pose.contacts if name != ROLLER_CONTACT for req in CONTACTS[name]]


def _lowest(body: Placed, requirement: Iterable[str]) -> float:
    return min(body.points[p][1] - body.radius(p) for p in requirement)


def _roller_gap(body: Placed) -> float | None:
    """Height of the roller-resting part above the roller's top."""
    point = body.roller_point()
    return None if point is None else point[1] - point[2] - 2 * ROLLER_RADIUS


def settle(body: Placed, on: Iterable[tuple[str, ...]], anchor: str, roller: bool) -> Placed:
    """Set the body down so its lowest required contact touches, with the anchor at x=0.

    Nothing may go through the floor: a part lower than the contacts (a hand sliding
    forward between two poses) lifts the body onto it instead.
    """
    heights = [_lowest(body, req) for req in on]
    if roller:
        gap = _roller_gap(body)
        if gap is not None:
            heights.append(gap)
    lowest_part = min(y - body.radius(k) for k, (_, y, _) in body.points.items())
    drop = min(heights) if heights else lowest_part
    return body.moved(-body.points[anchor][0], -min(drop, lowest_part))


def place(figure: Figure, pose: Pose) -> Placed:
    """A key pose on the floor, its anchor point at x=0."""
    return settle(build(pose), _requirements(pose), figure.anchor, ROLLER_CONTACT in pose.contacts)


SLIDE = 2.0
"""A contact that moves further than this between two poses is stepping or sliding."""


def held_contacts(figure: Figure, a: Pose, b: Pose) -> list[tuple[str, ...]]:
    """The floor requirements that stay put from pose `a` to pose `b`: on the floor in both,
    at the same place. A foot that steps forward is on the floor in both but not held."""
    start, end = place(figure, a), place(figure, b)
    second = {frozenset(r) for r in _requirements(b)}
    return [
        r
        for r in _requirements(a)
        if frozenset(r) in second
        and all(abs(start.points[p][0] - end.points[p][0]) <= SLIDE for p in r)
    ]


def between(figure: Figure, a: Pose, b: Pose, t: float) -> Placed:
    """The body a fraction `t` of the way from pose `a` to pose `b`, set down on the
    contacts it holds throughout."""
    pose = interpolate(a, b, t)
    roller = ROLLER_CONTACT in a.contacts and ROLLER_CONTACT in b.contacts
    return settle(build(pose), held_contacts(figure, a, b), figure.anchor, roller)


def interpolate(a: Pose, b: Pose, t: float) -> Pose:
    def mix(x: float, y: float) -> float:
        return x + _turn(x, y) * t

    roller = None
    if a.roller is not None and b.roller is not None and a.roller[0] == b.roller[0]:
        roller = (a.roller[0], a.roller[1] + (b.roller[1] - a.roller[1]) * t)
    return Pose(
        name=f"{a.name}>{b.name}",
        label="",
        angles={s: mix(a.angle(s), b.angle(s)) for s in SEGMENTS},
        contacts=tuple(c for c in a.contacts if c in b.contacts),
        tilts={s: mix(a.tilt(s), b.tilt(s)) for s in SEGMENTS},
        twist_pelvis=mix(a.twist_pelvis, b.twist_pelvis),
        twist_chest=mix(a.twist_chest, b.twist_chest),
        roller=roller,
        turn=a.turn + (b.turn - a.turn) * t,
        rise=a.rise + (b.rise - a.rise) * t,
    )


def _turn(start: float, end: float) -> float:
    """The shortest signed turn from one direction to another, in degrees."""
    return (end - start + 180.0) % 360.0 - 180.0


def _bend(a: Vec, b: Vec) -> float:
    """The angle between two directions, signed by the turn in the picture (left is +)."""
    dot = max(-1.0, min(1.0, sum(x * y for x, y in zip(a, b, strict=True))))
    size = math.degrees(math.acos(dot))
    cross = a[0] * b[1] - a[1] * b[0]
    return -size if cross < -1e-9 else size


def _neg(v: Vec) -> Vec:
    return (-v[0], -v[1], -v[2])


JOINTS: dict[str, tuple[str, str]] = {
    "spine": ("lumbar", "thorax"),
    "neck": ("thorax", "head"),
    **{
        f"{joint}_{side}": (
            first if first in ("lumbar", "thorax") else f"{first}_{side}",
            f"{second}_{side}",
        )
        for side in SIDES
        for joint, first, second in (
            ("shoulder", "thorax", "upper_arm"),
            ("elbow", "upper_arm", "forearm"),
            ("hip", "lumbar", "thigh"),
            ("knee", "thigh", "shin"),
            ("ankle", "shin", "foot"),
        )
    },
}
"""Each joint and the two segments it joins."""

OUT_OF_PICTURE = 20.0
"""Past this tilt a bend's direction in the picture says nothing about its direction in the
body (a leg turned out shows its knee bending "backwards"), so only its size is checked."""


def joint_angles(pose: Pose) -> dict[str, float]:
    """Each joint's angle (flexion positive) for the range checks, named like `knee_near`."""

    def d(segment: str) -> Vec:
        return direction(pose.angle(segment), pose.tilt(segment))

    angles = {
        "spine": -_bend(d("lumbar"), d("thorax")),
        "neck": -_bend(d("thorax"), d("head")),
        "twist": _turn(pose.twist_pelvis, pose.twist_chest),
    }
    for side in SIDES:
        angles[f"shoulder_{side}"] = _bend(_neg(d("thorax")), d(f"upper_arm_{side}"))
        angles[f"elbow_{side}"] = _bend(d(f"upper_arm_{side}"), d(f"forearm_{side}"))
        angles[f"hip_{side}"] = _bend(_neg(d("lumbar")), d(f"thigh_{side}"))
        angles[f"knee_{side}"] = -_bend(d(f"thigh_{side}"), d(f"shin_{side}"))
        angles[f"ankle_{side}"] = _bend(d(f"shin_{side}"), d(f"foot_{side}"))
    return angles


def front_view(pose: Pose) -> bool:
    """Seen from the front, bends in the picture are sideways, so only their size counts."""
    return abs(pose.twist_pelvis) > 45.0


def _sign_unknown(pose: Pose, joint: str) -> bool:
    if front_view(pose):
        return True
    segments = JOINTS.get(joint, ())
    return any(abs(pose.tilt(s)) > OUT_OF_PICTURE for s in segments)


def range_problems(pose: Pose) -> list[str]:
    problems = []
    for joint, angle in joint_angles(pose).items():
        allowed = JOINT_RANGES[joint.rsplit("_", 1)[0] if joint.endswith(SIDES) else joint]
        low, high = allowed.low, allowed.high
        if joint != "twist" and _sign_unknown(pose, joint):
            low, high = -max(-low, high), max(-low, high)
        if not low - 0.05 <= angle <= high + 0.05:
            problems.append(
                f"{joint} at {angle:.0f}°, outside {allowed.low:.0f}..{allowed.high:.0f}"
            )
    return problems


def outline(body: Placed) -> list[tuple[str, float, float, float]]:
    """Every drawn point with its radius: what must stay on or above the floor."""
    return [(name, x, y, body.radius(name)) for name, (x, y, _) in body.points.items()]


def contact_problems(body: Placed) -> list[str]:
    problems = []
    for name in body.pose.contacts:
        if name == ROLLER_CONTACT:
            gap = _roller_gap(body)
            if gap is None or abs(gap) > TOUCH_TOLERANCE:
                problems.append(f"roller: the body is {gap or 0:.1f} above the roller")
            continue
        for req in CONTACTS[name]:
            height = _lowest(body, req)
            if abs(height) > TOUCH_TOLERANCE:
                problems.append(f"{name}: {'/'.join(req)} is {height:.1f} from the floor")
    return problems


def floor_problems(body: Placed) -> list[str]:
    return [
        f"{name} is {-(y - r):.1f} below the floor"
        for name, _, y, r in outline(body)
        if y - r < -TOUCH_TOLERANCE
    ]


def pose_problems(figure: Figure, pose: Pose) -> list[str]:
    """What is wrong with a key pose, in words; empty when it is right."""
    body = place(figure, pose)
    found = range_problems(pose) + contact_problems(body) + floor_problems(body)
    anchor = figure.anchor
    if not any(anchor in req for req in _requirements(pose)):
        found.append(f"the anchor {anchor} is not on the floor in this pose")
    return found
