"""The camera's summary of an exercise in words (issue #21): "8 reps; hips stayed low on 2",
"Held 30 s; hips sagged twice", from the counts kept (domain/camera.py) and the `fault`
phrases of the exercise's camera checks (content/camera.toml, figures/camera.py).

The words are calm on purpose: a camera's count is a guide, not a verdict. They say what
was counted and which check flagged how often, and say plainly when the camera lost the
person for part of the exercise, so that nobody takes a short count for their own failure.

Also here: which camera spec an exercise done in a version is checked against
(`spec_for`, for the use cases: what a summary may hold), and the fault phrases the words
read (`fault_phrases`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from lumbar.domain.camera import CameraSummary
from lumbar.domain.model import ExerciseResult, SessionLog
from lumbar.figures.camera import camera_specs


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
    """The shipped camera specs (content/camera.toml), by (exercise id, version or None)."""
    return camera_specs()


def spec_for(exercise_id: str, version: str | None, specs: Specs | None = None) -> SpecLike | None:
    """The camera spec of the exercise as done: the version's own (content/camera.toml has
    an entry for every exercise and each of its versions), or None: the camera follows
    nothing there (a chair version, a stretch), so it has no summary."""
    known = shipped_specs() if specs is None else specs
    return known.get((exercise_id, version))


def fault_phrases(
    exercise_id: str, version: str | None, specs: Specs | None = None
) -> dict[str, str]:
    """Each check id of the exercise in words: the version's own phrases first, then those of
    the exercise's other versions (a record keeps the version only for a swap, so a summary
    made in a version chosen for good is read against the exercise's specs)."""
    known = shipped_specs() if specs is None else specs
    phrases: dict[str, str] = {}
    own_first = sorted(known.items(), key=lambda item: item[0][1] != version)
    for (exercise, _), spec in own_first:
        if exercise == exercise_id:
            for check in spec.checks:
                phrases.setdefault(check.id, check.fault)
    return phrases


def camera_said(summary: CameraSummary, phrases: Mapping[str, str], *, someone: str = "you") -> str:
    """The summary in a line: what was counted, each check that failed and how often (in
    `phrases`' order: the spec's), and whether the camera lost `someone` ("you" for the
    person, "them" for their clinician) for part of it. A check the spec no longer has is
    "another form check"."""
    if summary.reps is not None:
        counted = _reps(summary.reps)
    elif summary.held_seconds is not None:
        counted = f"Held {summary.held_seconds} s"
    else:
        counted = "Nothing counted"
    said = [counted]
    order = list(phrases)
    faults = sorted(summary.faults, key=lambda f: order.index(f[0]) if f[0] in order else 99)
    for check, count in faults:
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
    phrases = fault_phrases(result.exercise_id, result.version)
    return camera_said(result.camera, phrases, someone=someone)


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
