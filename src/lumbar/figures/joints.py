"""The joints of a posed body: their angles, and whether a person can bend that far.

Each joint is the angle between two segments (flexion positive); `body.JOINT_RANGES` holds
what a healthy adult reaches. A limb turned out of the picture, or a body seen from the
front, shows a bend whose direction in the picture says nothing about its direction in the
body, so only its size is checked there.
"""

from __future__ import annotations

import math

from lumbar.figures.body import JOINT_RANGES, SIDES
from lumbar.figures.pose import Pose, Vec, direction, shortest_turn


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
        "twist": shortest_turn(pose.twist_pelvis, pose.twist_chest),
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
