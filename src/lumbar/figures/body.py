"""The figure's body: fixed proportions, the joints' human ranges, contacts and muscles.

Units are drawing units: one is one pixel at the figure's natural size, and the body is
about 175 tall standing, so a unit is roughly a centimetre. The proportions never change
between frames: poses only turn segments, which is what keeps the figure believable.

Directions are angles in degrees in the picture (0 points right, 90 up). In side view the
figure is seen from its right side, so a standing figure faces right and a figure lying on
its back has its head to the left. "near" limbs are on the viewer's side.
"""

from __future__ import annotations

from dataclasses import dataclass

SIDES = ("near", "far")

LIMB_SEGMENTS = ("upper_arm", "forearm", "thigh", "shin", "foot")
TRUNK_SEGMENTS = ("lumbar", "thorax", "head")
SEGMENTS: tuple[str, ...] = TRUNK_SEGMENTS + tuple(
    f"{segment}_{side}" for segment in LIMB_SEGMENTS for side in SIDES
)
"""Every segment a pose turns; limbs come in a near and a far copy."""


@dataclass(frozen=True, slots=True)
class Segment:
    name: str
    start: str
    end: str
    length: float
    width: float
    """Drawn thickness; its half is the radius used for floor contact."""
    front: int
    """Which side of the segment is the body's front: +1 or -1 (a quarter turn each way)."""


TORSO_DEPTH = 26.0
"""Front-to-back thickness of the torso, what side view shows."""
LUMBAR_WIDTH = 31.0
THORAX_WIDTH = 36.0
"""Side-to-side widths, what front view shows."""
HIP_HALF_WIDTH = 9.0
SHOULDER_HALF_WIDTH = 16.0
HEAD_RADIUS = 11.0
HAND_RADIUS = 4.5
NECK_WIDTH = 10.0
HEEL_BACK = 5.0
HEEL_DOWN = 6.0
"""The heel sits behind and below the ankle, rigidly: the foot is a triangle."""
ROLLER_RADIUS = 8.0


def _limb(
    segment: str, start: str, end: str, length: float, width: float, front: int
) -> list[Segment]:
    return [
        Segment(f"{segment}_{side}", f"{start}_{side}", f"{end}_{side}", length, width, front)
        for side in SIDES
    ]


BODY: dict[str, Segment] = {
    s.name: s
    for s in [
        Segment("lumbar", "hip", "waist", 22.0, TORSO_DEPTH, -1),
        Segment("thorax", "waist", "neck", 30.0, TORSO_DEPTH, -1),
        Segment("head", "neck", "head", 19.0, NECK_WIDTH, -1),
        *_limb("upper_arm", "shoulder", "elbow", 29.0, 10.0, 1),
        *_limb("forearm", "elbow", "hand", 28.0, 9.0, 1),
        *_limb("thigh", "hip", "knee", 42.0, 15.0, 1),
        *_limb("shin", "knee", "ankle", 42.0, 12.0, 1),
        *_limb("foot", "ankle", "toe", 18.0, 7.0, 1),
    ]
}
"""The segments by name: each runs from a joint to the next, with a fixed length."""


@dataclass(frozen=True, slots=True)
class Range:
    low: float
    high: float


JOINT_RANGES: dict[str, Range] = {
    "spine": Range(-25.0, 40.0),
    "neck": Range(-50.0, 60.0),
    "shoulder": Range(-60.0, 180.0),
    "elbow": Range(0.0, 155.0),
    "hip": Range(-35.0, 150.0),
    "knee": Range(0.0, 160.0),
    "ankle": Range(-5.0, 120.0),
    "twist": Range(-50.0, 50.0),
}
"""Joint angles a healthy adult reaches, in degrees (flexion positive).

Spine: flexion (rounding) to 40, extension to 25, between the lumbar and thoracic
segments. Shoulder: from 60 behind the body to overhead. Hip: 35 of extension to 150 of
flexion. Ankle: the angle from the shin to the ankle-to-toe line, 76 when standing with the
foot flat, so 0 is the foot pointed in line with the shin. Twist: the chest turned against
the pelvis about the body's long axis.
"""


def contact_points() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Contacts a pose may name, each a list of requirements on the floor.

    A requirement is a set of points whose lowest edge must touch the floor: `back` needs
    hip, waist and neck all down; `pelvis` needs only the lowest of the pelvis's points.
    Sided names (`hand.near`) pick one limb; plural names (`hands`) mean both.
    """
    contacts: dict[str, tuple[tuple[str, ...], ...]] = {
        "head": (("head",),),
        "back": (("hip",), ("waist",), ("neck",)),
        "shoulders": (("neck",),),
        "pelvis": (("hip", "hip_near", "hip_far"),),
    }
    limbs = {
        "hand": ("hand",),
        "forearm": ("elbow", "hand"),
        "knee": ("knee",),
        "shin": ("knee", "ankle"),
        "foot": ("heel", "toe"),
        "toe": ("toe",),
        "heel": ("heel",),
        "instep": ("ankle", "toe"),
        "ankle": ("ankle",),
    }
    for part, points in limbs.items():
        for side in SIDES:
            contacts[f"{part}.{side}"] = tuple((f"{point}_{side}",) for point in points)
        plural = "feet" if part == "foot" else f"{part}s"
        contacts[plural] = contacts[f"{part}.near"] + contacts[f"{part}.far"]
    return contacts


CONTACTS = contact_points()

ROLLER_CONTACT = "roller"
"""A contact on the foam roller rather than the floor; the pose says where it sits."""

FLOOR = "floor"
SURFACES = ("seat", "counter", "wall", "stick")
"""What a contact may rest on besides the floor, named after an `@`: `pelvis@seat` (a chair
seat), `hands@counter` (a counter or table top), `roller@wall` (the roller held against a
wall), `head@stick` (a stick held along the back). A name without one rests on the floor."""


def split_contact(name: str) -> tuple[str, str]:
    """`hands@counter` is ("hands", "counter"); `feet` is ("feet", "floor")."""
    part, _, surface = name.partition("@")
    return part, surface or FLOOR


@dataclass(frozen=True, slots=True)
class Strip:
    """A muscle drawn as a band along part of a segment, in the highlight colour."""

    segment: str
    start: float
    end: float
    """Fractions along the segment, from its start joint."""
    offset: float
    """Towards the front (+) or back (-) of the segment, as a fraction of its radius."""
    width: float
    """As a fraction of the segment's width."""


MUSCLES: dict[str, tuple[Strip, ...]] = {
    "glutes": (Strip("lumbar", 0.0, 0.3, -0.45, 0.55), Strip("thigh", 0.02, 0.22, -0.35, 0.7)),
    "deep core": (Strip("lumbar", 0.2, 0.95, 0.45, 0.4),),
    "obliques": (Strip("lumbar", 0.25, 0.95, 0.0, 0.35), Strip("thorax", 0.0, 0.35, 0.0, 0.35)),
    "back extensors": (
        Strip("lumbar", 0.35, 1.0, -0.5, 0.35),
        Strip("thorax", 0.0, 0.6, -0.5, 0.35),
    ),
    "hamstrings": (Strip("thigh", 0.2, 0.85, -0.4, 0.45),),
    "quadriceps": (Strip("thigh", 0.15, 0.85, 0.4, 0.45),),
    "hip flexors": (Strip("thigh", 0.0, 0.3, 0.35, 0.45), Strip("lumbar", 0.0, 0.35, 0.5, 0.35)),
    "shoulders": (Strip("upper_arm", 0.0, 0.22, 0.0, 1.0),),
    "diaphragm": (Strip("thorax", 0.0, 0.35, 0.45, 0.45),),
    "piriformis": (Strip("lumbar", 0.0, 0.12, -0.5, 0.4),),
}
"""Where each muscle named in the catalogue is drawn. A muscle missing here is a content
error, so every exercise's "works" list shows on its figure."""
