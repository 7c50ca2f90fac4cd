"""A session as the guide walks it: the answers so far, the next exercise, and the outcome.

What the use cases return when a session is answered or recorded, and what every shell
shows; pure values, so the formats (`formats/views.py`) read them without the use cases.
"""

from __future__ import annotations

from dataclasses import dataclass

from lumbar.domain.decisions import Decision
from lumbar.domain.model import DayPlan, ExerciseResult, Kind, Pain, PlannedExercise
from lumbar.domain.screening import PHASE_CHANGE_CHECK


@dataclass(frozen=True, slots=True)
class LoggedSession:
    """A recorded session: what each pain answer meant, and the day as it stands now."""

    responses: tuple[Decision, ...]
    plan: DayPlan


@dataclass(frozen=True, slots=True)
class SessionInProgress:
    """Today's plan and the exercises answered so far; `next` is the one to do now."""

    plan: DayPlan
    answers: tuple[ExerciseResult, ...]

    @property
    def next(self) -> PlannedExercise | None:
        if self.plan.completed or (self.answers and self.answers[-1].pain is Pain.RADIATING):
            return None
        done = {r.exercise_id for r in self.answers}
        return next((e for e in self.plan.exercises if e.exercise_id not in done), None)

    @property
    def needs_screening(self) -> bool:
        """A new phase began and its safety questions are not answered yet: ask them before
        the first exercise (a session already under way carries on)."""
        return (
            self.plan.kind is Kind.SESSION
            and not self.plan.completed
            and not self.answers
            and any(alert.code == PHASE_CHANGE_CHECK for alert in self.plan.alerts)
        )


@dataclass(frozen=True, slots=True)
class Answered:
    """What one pain answer means, where the session stands, and the session once finished."""

    response: Decision
    progress: SessionInProgress
    finished: LoggedSession | None
