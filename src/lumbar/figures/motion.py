"""The figure's movement in time: there through the key poses and back, at the dose's pace.

One cycle rests in the first pose, moves through each pose to the last, and returns the
same way, as one repetition does. A held pose lasts the dose's hold on the way out (on the
way back the figure passes through it), so the animation and the session player's
countdown agree: the player starts the hold at `hold_start`.
"""

from __future__ import annotations

from dataclasses import dataclass

from lumbar.figures.pose import Figure, Placed, Pose
from lumbar.figures.supports import between, place

FRAMES_PER_SECOND = 6
"""Samples of a movement per second; the picture moves in straight lines between them. Six
look as smooth as eight on a phone, and keep the longest figure (child's pose) small enough
for the player's next exercise to load in under 10 KB (bench/player.py)."""
DEMO_HOLD = 3.0
"""A held pose's length when no dose is given (the library), so the loop stays short."""


@dataclass(frozen=True, slots=True)
class Frame:
    time: float
    body: Placed


@dataclass(frozen=True, slots=True)
class Timeline:
    frames: tuple[Frame, ...]
    duration: float
    hold_start: float | None
    """When the held pose is reached, for the player to start its countdown there."""
    hold_end: float | None


def ease(t: float) -> float:
    """Slow at both ends, as a controlled movement is."""
    return t * t * (3.0 - 2.0 * t)


def route(figure: Figure) -> list[Pose]:
    """The poses in the order one repetition visits them: out and back."""
    poses = list(figure.poses)
    return poses + poses[-2::-1]


def timeline(figure: Figure, hold: float | None = None) -> Timeline:
    """Sample one cycle of the movement; `hold` is the dose's hold in seconds.

    The cycle starts in the first pose, already moving, and ends resting there again.
    """
    poses = route(figure)
    frames: list[Frame] = []
    now = 0.0
    hold_start = hold_end = None
    for index, pose in enumerate(poses):
        if index > 0:
            previous = poses[index - 1]
            arriving = pose if index < len(figure.poses) else previous
            seconds = arriving.move if arriving.move is not None else figure.move
            steps = max(4, round(seconds * FRAMES_PER_SECOND))
            for step in range(1, steps):
                t = ease(step / steps)
                frames.append(
                    Frame(now + seconds * step / steps, between(figure, previous, pose, t))
                )
            now += seconds
        body = place(figure, pose)
        stay = pose.pause
        if pose.hold and hold_start is None:
            stay = hold if hold is not None else DEMO_HOLD
        if pose.hold and hold_start is None:
            hold_start, hold_end = now, now + stay
        frames.append(Frame(now, body))
        if stay > 0 and 0 < index < len(poses) - 1:
            now += stay
            frames.append(Frame(now, body))
    if poses[0].pause > 0:
        now += poses[0].pause
        frames.append(Frame(now, frames[-1].body))
    return Timeline(tuple(frames), now, hold_start, hold_end)
