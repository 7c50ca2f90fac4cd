"""Streams of landmarks made from an exercise's figure: a person in front of a camera, made
up, for the camera coach's tests and benchmark (bench/camera.py).

A stream is the figure doing its repetitions (or holding its pose) at the figure's own
tempo, sampled at a camera's frame rate and seen through `landmarks.py`. `Noise` adds what a
real pose model adds: a few pixels of wobble on every landmark, now and then one landmark
far off, frames with nobody found, and stretches where part of the body is hidden. A
`fault` bends the figure's poses the way a person's form slips (hips that stay low, a
pelvis that tips), so the checks can be tested on what they should catch, not only on what
they should let pass. Pure: the randomness comes from the seed given.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from lumbar.figures.camera import default_camera
from lumbar.figures.landmarks import NAMES, Landmark, View, landmarks, view_of
from lumbar.figures.load import default_figures
from lumbar.figures.motion import ease, route
from lumbar.figures.pose import Figure, Placed, Pose, interpolate
from lumbar.figures.supports import between, place

Fault = Callable[[Pose], Pose]
"""How a fault bends one key pose (the pose the movement goes to)."""


@dataclass(frozen=True, slots=True)
class Noise:
    wobble: float = 0.0
    """Pixels of random wobble on every landmark (a standard deviation)."""
    outliers: float = 0.0
    """Chance that a frame has one landmark 40 pixels off."""
    dropped: float = 0.0
    """Chance that a frame finds nobody (landmarks: null)."""
    hidden: float = 0.0
    """Chance per second that a limb goes out of sight for half a second."""
    timing: float = 0.0
    """Milliseconds of jitter in when each frame arrives."""


CLEAN = Noise()
REALISTIC = Noise(wobble=2.5, outliers=0.03, dropped=0.04, hidden=0.1, timing=8.0)
ROUGH = Noise(wobble=5.0, outliers=0.08, dropped=0.1, hidden=0.3, timing=15.0)
"""Twice the wobble and more of everything: low light, loose clothes (bench/camera_accuracy.py)."""


@dataclass(frozen=True, slots=True)
class Stream:
    frames: tuple[dict[str, Any], ...]
    reps: int
    """Repetitions done (0 for a hold)."""
    held: float
    """Seconds spent in the held pose (0 for reps)."""


def _moves(figure: Figure, hold: float) -> list[tuple[Pose, Pose, float, float]]:
    """One repetition: (from, to, seconds moving, seconds staying at `to`)."""
    poses = list(figure.poses)
    path = route(figure)
    steps = []
    for index in range(1, len(path)):
        a, b = path[index - 1], path[index]
        arriving = b if index < len(poses) else a
        seconds = arriving.move if arriving.move is not None else figure.move
        stay = (
            hold if (b.hold and index < len(poses)) else (b.pause if index < len(path) - 1 else 0.0)
        )
        steps.append((a, b, seconds, stay))
    return steps


def _bodies(figure: Figure, reps: int, hold: float, fps: float, rest: float) -> Iterator[Placed]:
    still = place(figure, figure.poses[0])
    for _ in range(round(rest * fps)):
        yield still
    for _ in range(reps):
        for a, b, seconds, stay in _moves(figure, hold):
            frames = max(1, round(seconds * fps))
            for i in range(1, frames + 1):
                yield between(figure, a, b, ease(i / frames))
            for _ in range(round(stay * fps)):
                yield place(figure, b)
        for _ in range(round(rest * fps)):
            yield still


def faulty(figure: Figure, fault: Fault, at: str) -> Figure:
    """The figure with the pose its movement goes to (named `at`), and any after it, bent
    by the fault; the way there follows."""
    names = [p.name for p in figure.poses]
    start = names.index(at)
    poses = tuple(fault(p) if i >= start else p for i, p in enumerate(figure.poses))
    return replace(figure, poses=poses)


def stream(
    exercise_id: str,
    version: str | None,
    reps: int,
    *,
    fps: float = 15.0,
    hold: float = 2.0,
    rest: float = 1.5,
    noise: Noise = CLEAN,
    seed: int = 0,
    mirrored: bool = False,
    fault: str | None = None,
) -> Stream:
    """`reps` repetitions of the exercise's movement (each held `hold` seconds where the
    figure holds), with `rest` seconds still before, between and after, as frames; with
    `fault`, the movement as that check of its camera spec should catch it."""
    marks, view = _clean(exercise_id, version, reps, fps, hold, rest, mirrored, fault)
    frames = _frames(marks, view, fps, noise, random.Random(seed))
    figure = _figure(exercise_id, version)
    held = reps * hold if any(p.hold for p in figure.poses) else 0.0
    return Stream(tuple(frames), reps, held)


def _figure(exercise_id: str, version: str | None) -> Figure:
    own = default_figures()[exercise_id]
    return own if version is None else own.versions[version]


@functools.lru_cache(maxsize=128)
def _clean(
    exercise_id: str,
    version: str | None,
    reps: int,
    fps: float,
    hold: float,
    rest: float,
    mirrored: bool,
    fault: str | None,
) -> tuple[tuple[tuple[Landmark, ...], ...], View]:
    """The movement's landmarks before any noise: the slow part, kept for the next seed."""
    figure = _figure(exercise_id, version)
    moving = figure
    if fault is not None:
        spec = default_camera().spec(exercise_id, version)
        if spec is None or fault not in faults(exercise_id, version):
            raise ValueError(f"no fault {fault!r} is made for {exercise_id} {version}")
        bend = faults(exercise_id, version)[fault]
        moving = faulty(figure, bend, str(spec.as_json()["count"]["to"]))
    view = view_of([place(figure, p) for p in figure.poses], mirrored=mirrored)
    bodies = _bodies(moving, reps, hold, fps, rest)
    return tuple(tuple(landmarks(body, view)) for body in bodies), view


def _frames(
    clean: tuple[tuple[Landmark, ...], ...],
    view: View,
    fps: float,
    noise: Noise,
    rng: random.Random,
) -> list[dict[str, Any]]:
    out = []
    hidden_until = -1.0
    hidden: tuple[int, ...] = ()
    limbs = [
        tuple(NAMES.index(f"{side}_{part}") for part in parts)
        for side in ("left", "right")
        for parts in (
            ("elbow", "wrist", "pinky", "index", "thumb"),
            ("knee", "ankle", "heel", "foot_index"),
        )
    ]
    for index, marks in enumerate(clean):
        seconds = index / fps
        time_ms = seconds * 1000 + (rng.gauss(0, noise.timing) if noise.timing else 0.0)
        if noise.dropped and rng.random() < noise.dropped:
            out.append(_frame(time_ms, None, view))
            continue
        if noise.hidden and seconds > hidden_until and rng.random() < noise.hidden / fps:
            hidden_until, hidden = seconds + 0.5, rng.choice(limbs)
        if seconds > hidden_until:
            hidden = ()
        if not (noise.wobble or noise.outliers or hidden):
            out.append(_frame(time_ms, list(marks), view))
            continue
        wobble = noise.wobble
        far = rng.randrange(len(marks)) if noise.outliers and rng.random() < noise.outliers else -1
        moved = []
        for i, m in enumerate(marks):
            dx = rng.gauss(0, wobble) if wobble else 0.0
            dy = rng.gauss(0, wobble) if wobble else 0.0
            if i == far:
                dx += rng.choice((-40.0, 40.0))
            seen = 0.2 if i in hidden else m.visibility
            moved.append(Landmark(m.x + dx / view.width, m.y + dy / view.height, m.z, seen))
        out.append(_frame(time_ms, moved, view))
    out.sort(key=lambda f: f["time"])
    return out


def _frame(time_ms: float, marks: list[Landmark] | None, view: View) -> dict[str, Any]:
    return {
        "time": round(time_ms, 1),
        "width": view.width,
        "height": view.height,
        "landmarks": None if marks is None else [m.as_json() for m in marks],
    }


def gone(
    frames: tuple[dict[str, Any], ...], start: float, seconds: float
) -> tuple[dict[str, Any], ...]:
    """The stream with nobody in view from `start` for `seconds` (the person stepped out)."""
    return tuple(
        {**f, "landmarks": None} if start * 1000 <= f["time"] < (start + seconds) * 1000 else f
        for f in frames
    )


def _turned(pose: Pose, **degrees: float) -> Pose:
    """The pose with some segments turned by so many degrees."""
    angles = dict(pose.angles)
    for segment, turn in degrees.items():
        angles[segment] = angles[segment] + turn
    return replace(pose, angles=angles)


def _short_of(figure_poses: tuple[Pose, ...], share: float) -> Fault:
    """The target pose only `share` of the way from the first (a rep that stops short), or
    past it when `share` is above 1 (a rep that overshoots)."""
    first = figure_poses[0]

    def bend(pose: Pose) -> Pose:
        moved = interpolate(first, pose, share)
        return replace(
            moved, name=pose.name, label=pose.label, hold=pose.hold, contacts=pose.contacts
        )

    return bend


def faults(exercise_id: str, version: str | None) -> dict[str, Fault]:
    """How each check's failure looks on this exercise's figure, by check id: what the
    tests and the benchmark make the figure do wrong."""
    poses = _figure(exercise_id, version).poses
    made: dict[tuple[str, str | None], dict[str, Fault]] = {
        ("glute-bridge", None): {
            "hips-low": _short_of(poses, 0.65),
            "arching": _short_of(poses, 1.4),
        },
        ("bird-dog", None): {
            "leg-level": lambda p: _turned(p, thigh_near=28, shin_near=28),
            "arm-level": lambda p: _turned(p, upper_arm_far=-30, forearm_far=-30),
            "pelvis-tips": lambda p: replace(p, twist_pelvis=30.0),
        },
        ("dead-bug", None): {"back-lifts": lambda p: _turned(p, lumbar=20)},
        ("side-plank", None): {"hips-sag": _short_of(poses, 0.5)},
        ("side-plank", "knees"): {"hips-sag": _short_of(poses, 0.5)},
        ("squat", None): {"back-rounds": lambda p: _turned(p, thorax=-20, head=-65)},
        ("hip-hinge", None): {
            "back-rounds": lambda p: _turned(p, thorax=-20, head=-65),
            "knees-forward": lambda p: _turned(p, shin_near=-25, shin_far=-25),
        },
        ("hip-hinge", "dowel"): {"back-rounds": lambda p: _turned(p, thorax=-20, head=-65)},
        ("hip-hinge", "chair"): {"back-rounds": lambda p: _turned(p, thorax=-20, head=-65)},
        ("cat-cow", None): {"jerky": lambda p: replace(p, move=0.3)},
        ("cat-cow", "chair"): {"jerky": lambda p: replace(p, move=0.3)},
        **{
            ("lunge-with-twist", v): {"knee-past-ankle": lambda p: _turned(p, shin_near=-25)}
            for v in (None, "plain", "turn")
        },
    }
    return made.get((exercise_id, version), {})
