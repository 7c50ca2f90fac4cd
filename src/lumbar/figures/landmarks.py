"""The figure's body as a camera's pose model sees it: BlazePose's 33 landmarks.

The camera coach (static/camera/coach.js) reads the landmarks MediaPipe Pose finds in each
video frame. To test it, and to measure it, without a person in front of a camera, the
figures' own movements are turned into the same landmarks: the joints the figure has
(shoulders, elbows, hips, knees, ankles, heels, toes) map one to one, and the face and
hand points BlazePose adds are set on the head and hand where a face and a hand would be.

The camera stands where the picture's viewer does: side-on to the figure's right side (the
"near" limbs are the right ones), or, `mirrored`, on its left. Positions are in the image's
terms, as MediaPipe gives them: x and y from 0 to 1 across and down the frame, z toward the
camera negative, `visibility` from 0 to 1.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from lumbar.figures.body import BODY, HEAD_RADIUS
from lumbar.figures.pose import Placed, Vec, direction

NAMES: tuple[str, ...] = (
    "nose",
    "left_eye_inner",
    "left_eye",
    "left_eye_outer",
    "right_eye_inner",
    "right_eye",
    "right_eye_outer",
    "left_ear",
    "right_ear",
    "mouth_left",
    "mouth_right",
    "left_shoulder",
    "right_shoulder",
    "left_elbow",
    "right_elbow",
    "left_wrist",
    "right_wrist",
    "left_pinky",
    "right_pinky",
    "left_index",
    "right_index",
    "left_thumb",
    "right_thumb",
    "left_hip",
    "right_hip",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
    "left_heel",
    "right_heel",
    "left_foot_index",
    "right_foot_index",
)
"""BlazePose's landmarks in the order the model returns them (index = position)."""

_JOINTS = {
    "shoulder": "shoulder",
    "elbow": "elbow",
    "wrist": "hand",
    "hip": "hip",
    "knee": "knee",
    "ankle": "ankle",
    "heel": "heel",
    "foot_index": "toe",
}
"""BlazePose's name for a joint -> the figure's point of the same side."""

NEAR_VISIBILITY = 0.98
FAR_VISIBILITY = 0.8
"""How sure the model is of a landmark on the side facing the camera, and of one behind
the body in side view; from the front both sides are in plain view."""


@dataclass(frozen=True, slots=True)
class Landmark:
    x: float
    y: float
    z: float
    visibility: float

    def as_json(self) -> dict[str, float]:
        return {
            "x": round(self.x, 5),
            "y": round(self.y, 5),
            "z": round(self.z, 5),
            "visibility": round(self.visibility, 3),
        }


@dataclass(frozen=True, slots=True)
class View:
    """Where the camera's frame lies over the picture: its centre, and units per pixel."""

    centre_x: float
    centre_y: float
    units_per_pixel: float
    width: int = 640
    height: int = 480
    mirrored: bool = False
    """The camera on the figure's left: the picture seen from the other side."""


def view_of(
    bodies: Sequence[Placed],
    width: int = 640,
    height: int = 480,
    fill: float = 0.8,
    mirrored: bool = False,
) -> View:
    """A camera framed on the whole movement, the body filling `fill` of the frame at its
    widest, as the placement guide asks a person to set the phone up."""
    xs = [p[0] for b in bodies for p in b.points.values()]
    ys = [p[1] for b in bodies for p in b.points.values()]
    span_x = max(xs) - min(xs) + 2 * HEAD_RADIUS
    span_y = max(ys) - min(ys) + 2 * HEAD_RADIUS
    units = max(span_x / (width * fill), span_y / (height * fill))
    return View((max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2, units, width, height, mirrored)


def _at(p: Vec, d: Vec, k: float) -> Vec:
    return (p[0] + d[0] * k, p[1] + d[1] * k, p[2] + d[2] * k)


def _points(body: Placed) -> dict[str, tuple[Vec, bool]]:
    """Every landmark's place in the picture's 3D terms, and whether it is on the near side."""
    p = body.points
    head = p["head"]
    up_angle = body.pose.angle("head")
    up = direction(up_angle, body.pose.tilt("head"))
    face = direction(up_angle + 90.0 * BODY["head"].front)
    side = (0.0, 0.0, 1.0)  # toward the viewer: the figure's right
    r = HEAD_RADIUS
    found: dict[str, tuple[Vec, bool]] = {
        "nose": (_at(head, face, r), True),
        "right_ear": (_at(head, side, 0.9 * r), True),
        "left_ear": (_at(head, side, -0.9 * r), False),
    }
    for name, sign in (("right", 1.0), ("left", -1.0)):
        eye = _at(_at(head, face, 0.8 * r), up, 0.25 * r)
        for part, lateral in (("inner", 0.15), ("", 0.3), ("outer", 0.45)):
            key = f"{name}_eye_{part}" if part else f"{name}_eye"
            found[key] = (_at(eye, side, sign * lateral * r), sign > 0)
        mouth = _at(_at(head, face, 0.85 * r), up, -0.45 * r)
        found[f"mouth_{name}"] = (_at(mouth, side, sign * 0.3 * r), sign > 0)
    for near, name in ((True, "right"), (False, "left")):
        figure_side = "near" if near else "far"
        for joint, point in _JOINTS.items():
            found[f"{name}_{joint}"] = (p[f"{point}_{figure_side}"], near)
        hand, elbow = p[f"hand_{figure_side}"], p[f"elbow_{figure_side}"]
        length = math.dist(hand, elbow) or 1.0
        along = tuple((h - e) / length for h, e in zip(hand, elbow, strict=True))
        forward = (along[0], along[1], along[2])
        found[f"{name}_index"] = (_at(hand, forward, 8.0), near)
        found[f"{name}_pinky"] = (_at(_at(hand, forward, 6.5), side, -1.5), near)
        found[f"{name}_thumb"] = (_at(_at(hand, forward, 4.0), side, 2.0), near)
    return found


def landmarks(body: Placed, view: View) -> list[Landmark]:
    """The 33 landmarks of this body in the camera's frame."""
    hip_z = body.points["hip"][2]
    front = abs(body.pose.twist_pelvis) > 45.0
    points = _points(body)
    out = []
    for name in NAMES:
        point, near = points[name]
        x, y, z = point
        px = view.width / 2 + (x - view.centre_x) / view.units_per_pixel
        py = view.height / 2 - (y - view.centre_y) / view.units_per_pixel
        depth = -(z - hip_z) / view.units_per_pixel / view.width
        if view.mirrored:
            px, depth = view.width - px, -depth
            near = not near
            name = _other_side(name)
        seen = NEAR_VISIBILITY if (near or front) else FAR_VISIBILITY
        out.append((name, Landmark(px / view.width, py / view.height, depth, seen)))
    by_name = dict(out)
    return [by_name[n] for n in NAMES]


def _other_side(name: str) -> str:
    if name.startswith("left_"):
        return "right_" + name.removeprefix("left_")
    if name.startswith("right_"):
        return "left_" + name.removeprefix("right_")
    if name == "mouth_left":
        return "mouth_right"
    if name == "mouth_right":
        return "mouth_left"
    return name
