"""What the camera saw of one exercise (issue #21): the coach's summary, kept as data with
the exercise's pain answer, so that the person and their clinician can read it later.

It is a guide for people, never an input of the program: no rule reads it. The pain
answer and the safety rules decide everything they decided before the camera existed, and a
summary that says all went well never overrides a sharp pain answer (tests/property
/test_camera_summaries.py holds every decision to that). It holds no image and no
landmark: only counts, made in the person's browser (static/camera/coach.js).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

REPS_MAX = 1000
"""More repetitions than anyone does of one exercise in one session: a count above it is a
fault of the sender, refused."""
SECONDS_MAX = 3600
"""An hour: longer than any exercise of the program is held or followed by the camera."""


@dataclass(frozen=True, slots=True)
class CameraSummary:
    """The camera's summary of one exercise: what `coach.summary()` gives in the page.

    `reps` for an exercise done in repetitions, `held_seconds` for a hold (the other is
    None); `faults` the form checks that failed at least once, as (check id, times), in the
    order of the check ids; `tracked_seconds` the seconds the camera could follow the body;
    `seconds`, when the page sent it, the seconds the camera was on for the exercise, so
    that a summary can say the camera lost the person for part of it.
    """

    reps: int | None
    held_seconds: int | None
    faults: tuple[tuple[str, int], ...]
    tracked_seconds: int
    seconds: int | None = None

    @property
    def partly_tracked(self) -> bool:
        """The camera lost the person for a real part of the exercise (a fifth or more of
        the time it was on; or, for a hold, for longer than it saw it held)."""
        if self.seconds is not None:
            return self.tracked_seconds * 5 < self.seconds * 4
        return self.held_seconds is not None and self.tracked_seconds < self.held_seconds

    def as_data(self) -> dict[str, object]:
        """The summary as the page sends it (JSON's types), for storage and documents."""
        data: dict[str, object] = {
            "reps": self.reps,
            "held_seconds": self.held_seconds,
            "faults": dict(self.faults),
            "tracked_seconds": self.tracked_seconds,
        }
        if self.seconds is not None:
            data["seconds"] = self.seconds
        return data


def camera_summary(
    reps: int | None,
    held_seconds: int | None,
    faults: Mapping[str, int],
    tracked_seconds: int,
    seconds: int | None = None,
) -> CameraSummary:
    """A summary with its faults in the one order (by check id), checks that never failed
    left out: the same counts always make the same value."""
    kept = tuple(sorted((check, count) for check, count in faults.items() if count))
    return CameraSummary(reps, held_seconds, kept, tracked_seconds, seconds)
