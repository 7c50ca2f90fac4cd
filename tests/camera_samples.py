"""Camera summaries for the tests of the camera's records (issue #21), as the page's
`coach.summary()` gives them, for exercises of a phase 1 session that the shipped camera
specs follow (content/camera.toml)."""

from __future__ import annotations

from typing import Any

BRIDGE: dict[str, Any] = {
    "reps": 8,
    "held_seconds": None,
    "faults": {"hips-low": 2},
    "tracked_seconds": 41,
}
"""A glute bridge: 8 reps, the hips low on 2 of them."""
REST: dict[str, Any] = {"reps": None, "held_seconds": 30, "faults": {}, "tracked_seconds": 30}
"""Child's pose held 30 s (a hold with no form check)."""
