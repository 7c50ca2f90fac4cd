"""The camera's summary of an exercise (issue #21), as a session's records, an answer of the
session in progress and the export give it: `ExerciseResult.camera` (domain/camera.py)."""

from __future__ import annotations

from pydantic import Field

from lumbar.domain.camera import REPS_MAX, SECONDS_MAX
from lumbar.formats.shapes.base import Shape


class Camera(Shape):
    """What the camera counted of the exercise, when the person used it: a guide for the
    person and their clinician, never read by the program's rules."""

    reps: int | None = Field(ge=0, le=REPS_MAX, description="Repetitions counted; null for a hold.")
    held_seconds: int | None = Field(
        ge=0, le=SECONDS_MAX, description="Seconds held; null for an exercise in repetitions."
    )
    faults: dict[str, int] = Field(
        description="Each form check that failed (its id in content/camera.toml) and how many "
        "times (on how many repetitions, for an exercise in repetitions)."
    )
    tracked_seconds: int = Field(
        ge=0, le=SECONDS_MAX, description="Seconds the camera could follow the body."
    )
    seconds: int | None = Field(
        default=None,
        ge=0,
        le=SECONDS_MAX,
        description="Seconds the camera was on for the exercise, when the page said.",
    )
