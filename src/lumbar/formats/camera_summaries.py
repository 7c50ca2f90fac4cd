"""The camera's summary of an exercise in words (issue #21): "8 reps; hips stayed low on 2",
"Held 30 s; hips sagged twice", from the counts kept (domain/camera.py) and the `fault`
phrases of the exercise's camera checks (content/camera.toml, figures/camera.py).

The words are calm on purpose: a camera's count is a guide, not a verdict. They say what
was counted and which check flagged how often, and say plainly when the camera lost the
person for part of the exercise, so that nobody takes a short count for their own failure.

Also here: which camera spec an exercise done in a version is checked against
(`spec_for`), one lookup for the use cases (what a summary may hold) and the words.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from typing import Protocol

from lumbar.domain.camera import CameraSummary
from lumbar.domain.model import ExerciseResult, SessionLog


class CheckLike(Protocol):
    """What the summary needs of one of a spec's checks: its id, and its fault in words."""

    @property
    def id(self) -> str: ...

    @property
    def fault(self) -> str: ...


class SpecLike(Protocol):
    """What the summary needs of an exercise's camera spec (figures/camera.py's
    `CameraSpec`): whether it counts repetitions or a hold, and its checks."""

    @property
    def kind(self) -> str: ...

    @property
    def checks(self) -> Sequence[CheckLike]: ...


Specs = Mapping[tuple[str, str | None], SpecLike]
"""(exercise id, version or None) -> its camera spec, as `camera_specs()` keys them."""


def shipped_specs() -> Specs:
    """The shipped camera specs (`lumbar.figures.camera.camera_specs()`); none before that
    module exists, so that a summary is refused rather than kept unchecked."""
    try:
        module = importlib.import_module("lumbar.figures.camera")
    except ModuleNotFoundError:
        return {}
    specs: Specs = module.camera_specs()
    return specs


def spec_for(exercise_id: str, version: str | None, specs: Specs | None = None) -> SpecLike | None:
    """The camera spec of the exercise as done (a variant or an alternative has its own
    when its movement differs; else the exercise's), or None: the camera cannot follow it."""
    known = shipped_specs() if specs is None else specs
    found = known.get((exercise_id, version))
    if found is None and version is not None:
        found = known.get((exercise_id, None))
    return found


def camera_said(summary: CameraSummary, spec: SpecLike | None, *, someone: str = "you") -> str:
    """The summary in a line: what was counted, each check that failed and how often, and
    whether the camera lost `someone` ("you" for the person, "them" for their clinician)
    for part of it. A check the spec no longer has is "another form check"."""
    phrases = {} if spec is None else {check.id: check.fault for check in spec.checks}
    if summary.reps is not None:
        counted = _reps(summary.reps)
    elif summary.held_seconds is not None:
        counted = f"Held {summary.held_seconds} s"
    else:
        counted = "Nothing counted"
    said = [counted]
    for check, count in _in_order(summary, spec):
        phrase = phrases.get(check, "another form check flagged")
        if summary.reps is not None:
            said.append(f"{phrase} on {'one' if count == 1 else count}")
        else:
            said.append(f"{phrase} {_times(count)}")
    if summary.tracked_seconds == 0:
        said.append(f"the camera could not see {someone}")
    elif summary.partly_tracked:
        said.append(f"the camera lost {someone} for part of it")
    return "; ".join(said)


def result_camera_said(result: ExerciseResult, *, someone: str = "you") -> str | None:
    """The camera's summary of an exercise done, in words (None: the camera was not used),
    with the fault phrases of the spec of the version done that day."""
    if result.camera is None:
        return None
    return camera_said(result.camera, spec_for(result.exercise_id, result.version), someone=someone)


def session_camera_said(
    session: SessionLog, names: Mapping[str, str], *, someone: str = "you"
) -> list[str]:
    """'Glute bridge: 8 reps; hips stayed low on 2', for each exercise of the session the
    camera followed, in the session's order."""
    said = []
    for result in session.results:
        words = result_camera_said(result, someone=someone)
        if words is not None:
            said.append(f"{names.get(result.exercise_id, result.exercise_id)}: {words}")
    return said


def _reps(reps: int) -> str:
    return f"{reps} rep" if reps == 1 else f"{reps} reps"


def _times(count: int) -> str:
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


def _in_order(summary: CameraSummary, spec: SpecLike | None) -> list[tuple[str, int]]:
    """The faults in the order the spec lists its checks (the order a clinician reads them
    in docs/camera.md), any it no longer has last."""
    order = [] if spec is None else [check.id for check in spec.checks]
    return sorted(
        summary.faults,
        key=lambda fault: order.index(fault[0]) if fault[0] in order else len(order),
    )
