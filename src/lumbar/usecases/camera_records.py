"""The camera's summary of an exercise, as sent with its pain answer (issue #21): the JSON of
the page's `coach.summary()` (static/camera/coach.js), checked before anything is kept.

A summary is kept only for an exercise the camera can follow (it has a camera spec:
content/camera.toml), of that exercise's kind (repetitions or a hold), naming only its
checks, with counts a person could make: none negative, at most `REPS_MAX` reps and
`SECONDS_MAX` seconds, a check failed on no more repetitions than were counted. Anything
else is refused with a message that says what is wrong, and nothing of the answer is
written, the pain answer included (as for a comment: usecases/comments.py).

It carries no image and no landmark, only counts; and no rule reads it (domain/camera.py).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from lumbar.domain.camera import REPS_MAX, SECONDS_MAX, CameraSummary, camera_summary
from lumbar.domain.model import DayPlan
from lumbar.errors import UserError
from lumbar.formats.camera_summaries import Specs, spec_for

FIELD = "camera"
KEYS = ("reps", "held_seconds", "faults", "tracked_seconds")
"""The keys of `coach.summary()`; `seconds` (how long the camera was on) may come too."""
FAULTS_MAX = 20
"""More checks than any exercise has: a longer list is not a summary."""
SUMMARY_MAX = 2000
"""Characters of JSON: a summary is a few dozen; more is not one."""


def parse_camera(text: str | None) -> Any:
    """The form's `camera` field as data (None when it is empty), or UserError."""
    if text is None or not text.strip():
        return None
    if len(text) > SUMMARY_MAX:
        raise UserError("the camera's summary is too long to be one", field=FIELD)
    try:
        return json.loads(text)
    except ValueError:
        raise UserError("the camera's summary is not readable (not JSON)", field=FIELD) from None


def camera_from_data(data: Any) -> CameraSummary:
    """The summary from its JSON's data, its shape and numbers checked (not yet against the
    exercise: `check_camera`), or UserError."""
    if not isinstance(data, Mapping):
        raise UserError("the camera's summary must be an object of counts", field=FIELD)
    missing = [key for key in KEYS if key not in data]
    unknown = sorted(set(data) - {*KEYS, "seconds"})
    if missing or unknown:
        wrong = f"it lacks {', '.join(missing)}" if missing else f"unknown {', '.join(unknown)}"
        raise UserError(
            f"the camera's summary gives reps, held_seconds, faults and tracked_seconds ({wrong})",
            field=FIELD,
        )
    reps = _count(data["reps"], "reps", REPS_MAX, optional=True)
    held = _count(data["held_seconds"], "held_seconds", SECONDS_MAX, optional=True)
    tracked = _count(data["tracked_seconds"], "tracked_seconds", SECONDS_MAX)
    seconds = _count(data.get("seconds"), "seconds", SECONDS_MAX, optional=True)
    if (reps is None) == (held is None):
        raise UserError(
            "the camera's summary gives either reps or held_seconds, the other null",
            field=FIELD,
        )
    faults = data["faults"]
    if not isinstance(faults, Mapping) or len(faults) > FAULTS_MAX:
        raise UserError("the camera's faults are an object of check ids and counts", field=FIELD)
    counts: dict[str, int] = {}
    for check, count in faults.items():
        counts[str(check)] = _count(count, f"faults.{check}", REPS_MAX)
        if reps is not None and counts[str(check)] > reps:
            raise UserError(
                f"the camera's faults.{check} ({count}) is more than the reps counted ({reps})",
                field=FIELD,
            )
    if seconds is not None and tracked > seconds:
        raise UserError(
            f"the camera's tracked_seconds ({tracked}) is more than its seconds ({seconds})",
            field=FIELD,
        )
    return camera_summary(reps, held, counts, tracked, seconds)


def _count(value: Any, name: str, cap: int, *, optional: bool = False) -> Any:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise UserError(f"the camera's {name} must be a whole number", field=FIELD)
    if not 0 <= value <= cap:
        raise UserError(
            f"the camera's {name} must be between 0 and {cap} (it is {value})", field=FIELD
        )
    return value


def check_camera(
    exercise_id: str,
    name: str,
    version: str | None,
    summary: CameraSummary,
    specs: Specs | None = None,
) -> CameraSummary:
    """The summary, checked against the camera spec of the exercise as done (`version`: the
    variant, the alternative chosen or swapped, or None), or UserError."""
    spec = spec_for(exercise_id, version, specs)
    if spec is None:
        raise UserError(
            f"the camera does not follow {name}, so it has no camera summary to keep",
            field=FIELD,
        )
    if spec.kind == "reps" and summary.reps is None:
        raise UserError(
            f"{name} is counted in repetitions: the camera's summary gives reps", field=FIELD
        )
    if spec.kind == "hold" and summary.held_seconds is None:
        raise UserError(f"{name} is a hold: the camera's summary gives held_seconds", field=FIELD)
    checks = {check.id for check in spec.checks}
    for check, _ in summary.faults:
        if check not in checks:
            raise UserError(
                f"the camera has no check {check!r} for {name} "
                f"(its checks: {', '.join(sorted(checks)) or 'none'})",
                field=FIELD,
            )
    return summary


def checked_camera(
    data: Any,
    exercise_id: str,
    name: str,
    version: str | None,
    specs: Specs | None = None,
) -> CameraSummary | None:
    """The summary sent with an answer (its JSON's data, or None for none), checked whole."""
    if data is None:
        return None
    return check_camera(exercise_id, name, version, camera_from_data(data), specs)


def planned_version(plan: DayPlan, exercise_id: str) -> str | None:
    """The version the day's plan teaches of the exercise (a variant, or the alternative
    chosen for good), which the camera followed unless it was swapped for the day."""
    return next((p.version for p in plan.exercises if p.exercise_id == exercise_id), None)
