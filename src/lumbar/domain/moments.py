"""The moments of a program worth a word of their own, and the week's goal (issue 17): the
values `domain/milestones.py` finds in a journey, and `Status` carries. Re-exported by
`domain/model.py` with the rest of the vocabulary."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from lumbar.domain.decisions import Decision


class Moment(enum.StrEnum):
    """The moments of a program worth a word of their own (issue 17)."""

    PHASE_UP = "phase_up"
    PHASE_BACK = "phase_back"
    REVIEW = "review"
    """The four-week review's result (the first review; later check-ins judge again)."""
    RECOVERED = "recovered"
    COMPLETE = "complete"


@dataclass(frozen=True, slots=True)
class Milestone:
    """A moment of the program, on its day, with the decision that made it."""

    moment: Moment
    on: date
    decision: Decision

    @property
    def key(self) -> str:
        """Stable while the history that made it stands: what putting its card away keeps."""
        return f"{self.moment.value}:{self.on.isoformat()}"


@dataclass(frozen=True, slots=True)
class WeeklyGoal:
    """This week's sessions against the days chosen, and last week's (never a streak)."""

    done: int
    goal: int
    decisions: tuple[Decision, ...]
