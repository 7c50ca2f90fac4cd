"""An exercise of the day skipped, and why (issue 17): never a pain answer. How a skip
counts is the rules' (`progression.skipped`, `dosage.skipped`, docs/rules.md). Re-exported
by `domain/model.py` with the rest of the vocabulary."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class SkipReason(enum.StrEnum):
    """Why an exercise was skipped: a skip is never a pain answer (a pain is answered)."""

    NO_EQUIPMENT = "no_equipment"
    NO_TIME = "no_time"
    FLOOR = "floor"
    """Could not get down to the floor (or up from it) today."""
    OTHER = "other"
    """Another reason, in the person's own short words (`Skip.note`)."""

    @property
    def excused(self) -> bool:
        """A practical reason the program can judge: the session still counts for the gate
        (`progression.skipped`). "Other" may hide pain, so it does not
        (`progression.skipped_other`)."""
        return self is not SkipReason.OTHER


SKIP_NOTE_MAX = 120
"""The longest note a skip for another reason keeps: a few words, not a diary."""


@dataclass(frozen=True, slots=True)
class Skip:
    """An exercise of the day not done, and why."""

    exercise_id: str
    reason: SkipReason
    note: str = ""
    """The person's words for `SkipReason.OTHER` (at most `SKIP_NOTE_MAX` characters)."""
