"""Key poses and forward kinematics: joint angles in, a body in the picture out.

A pose gives every segment a direction; the body is built outward from the pelvis with the
fixed lengths of `body.py`, so no pose can stretch a limb. `supports.py` then sets it down
on what the pose says it rests on (the floor, a seat, a counter...), and `joints.py` checks
its joints against the human ranges.

Limbs may also point out of the picture (`tilt`), and the pelvis and chest may turn about
the body's long axis (`twist`): 0 is side view, 90 shows the body from the front. Both
keep true 3D lengths; the picture is their projection.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from lumbar.figures.body import (
    BODY,
    CONTACTS,
    FLOOR,
    HAND_RADIUS,
    HEAD_RADIUS,
    HEEL_BACK,
    HEEL_DOWN,
    HIP_HALF_WIDTH,
    LUMBAR_WIDTH,
    ROLLER_CONTACT,
    SEGMENTS,
    SHOULDER_HALF_WIDTH,
    SIDES,
    THORAX_WIDTH,
    TORSO_DEPTH,
    split_contact,
)

Vec = tuple[float, float, float]
Requirement = tuple[str, tuple[str, ...]]
"""A surface and the points whose nearest edge must touch it: ("floor", ("heel_near",))."""


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


SEAT_HEIGHT = 45.0
"""A chair seat's top above the floor: knee height for this body."""
SEAT_DEPTH = 40.0
COUNTER_HEIGHT = 90.0
"""A kitchen counter's top: about the standing body's hip joint."""


@dataclass(frozen=True, slots=True)
class Top:
    """A flat top a body part rests on (a chair seat, a counter), from `left` to `right`."""

    left: float
    right: float
    height: float
    beside: bool = False
    """Beside the body, not in its way (a counter held side-on): drawn behind the figure,
    which may pass in front of it."""


@dataclass(frozen=True, slots=True)
class Props:
    """What the figure uses besides its body; positions are from the anchor point."""

    mat: bool = False
    weight: bool = False
    """A weight held in the near hand."""
    stick: bool = False
    """A stick held along the back (`head@stick`...): it lies on the backs of the pelvis and
    the upper back, wherever they are."""
    seat: Top | None = None
    """A chair, its back on the left: sat on (`pelvis@seat`), or a squat's depth guide."""
    counter: Top | None = None
    wall: float | None = None
    """Where a wall's face stands; the figure is on its right."""

    def support(self, surface: str) -> bool:
        """Whether the figure has this surface to rest on."""
        return {
            FLOOR: True,
            "seat": self.seat is not None,
            "counter": self.counter is not None,
            "wall": self.wall is not None,
            "stick": self.stick,
        }[surface]


@dataclass(frozen=True, slots=True)
class Figure:
    """An exercise's figure (or one of its versions'): key poses in order, props, tempo."""

    exercise_id: str
    poses: tuple[Pose, ...]
    muscles: tuple[str, ...]
    props: Props = Props()
    move: float = 2.0
    """Seconds for each movement between poses unless a pose says otherwise."""
    highlight_side: str | None = None
    """Only this side's limbs show the working muscles (the stretched or working side)."""
    version: str | None = None
    """The exercise's version this figure shows (a variant or an alternative); None for the
    exercise itself."""
    versions: Mapping[str, Figure] = field(default_factory=dict, compare=False)
    """The exercise's own figure holds its versions' figures, by version id."""

    @property
    def anchor(self) -> str:
        """The point that stays put while the figure moves: the first pose's first contact."""
        return requirements(self.poses[0])[0][1][0]

    @property
    def main_pose(self) -> Pose:
        """The pose a thumbnail shows: the held one, or the last."""
        return next((p for p in self.poses if p.hold), self.poses[-1])


def requirements(pose: Pose) -> list[Requirement]:
    """What must touch what in a pose, the roller aside: `hands@counter` is two
    requirements, each hand on the counter."""
    found = []
    for name in pose.contacts:
        part, surface = split_contact(name)
        if part != ROLLER_CONTACT:
            found += [(surface, points) for points in CONTACTS[part]]
    return found


def roller_surface(pose: Pose) -> str | None:
    """What the roller rests against in this pose: the floor, a wall, or nothing."""
    return next(
        (split_contact(c)[1] for c in pose.contacts if split_contact(c)[0] == ROLLER_CONTACT),
        None,
    )


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


def interpolate(a: Pose, b: Pose, t: float) -> Pose:
    def mix(x: float, y: float) -> float:
        return x + shortest_turn(x, y) * t

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


def shortest_turn(start: float, end: float) -> float:
    """The shortest signed turn from one direction to another, in degrees."""
    return (end - start + 180.0) % 360.0 - 180.0
