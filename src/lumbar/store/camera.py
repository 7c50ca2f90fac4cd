"""The camera's summary of an exercise as the database keeps it (issue #21, migration 0027):
compact JSON text in `session_exercises.camera` and `session_drafts.camera`. It was checked
before it was written (usecases/camera_records.py), so reading it back trusts it. This
module imports no SQLAlchemy: store/history.py's plain SQL reads it too."""

from __future__ import annotations

import json

from lumbar.domain.camera import CameraSummary, camera_summary


def camera_text(summary: CameraSummary | None) -> str | None:
    """The column's value: the summary's JSON, its keys in one order, or NULL for none."""
    if summary is None:
        return None
    return json.dumps(summary.as_data(), sort_keys=True, separators=(",", ":"))


def camera_from_text(stored: str | None) -> CameraSummary | None:
    """The summary back from its column (`camera_text`), None for NULL."""
    if stored is None:
        return None
    data = json.loads(stored)
    return camera_summary(
        data["reps"],
        data["held_seconds"],
        data["faults"],
        data["tracked_seconds"],
        data.get("seconds"),
    )
