"""A session as the guide walks it: the answers so far, the next exercise, and the outcome.

What the use cases return when a session is answered or recorded, and what every shell
shows; pure values, so the formats (`formats/views.py`) read them without the use cases.
"""

from __future__ import annotations

from dataclasses import dataclass

from lumbar.domain.decisions import Decision
from lumbar.domain.model import DayPlan, ExerciseResult, Kind, Pain, PlannedExercise, Skip
from lumbar.domain.screening import ASK_BEFORE_SESSION


@dataclass(frozen=True, slots=True)
class LoggedSession:
    """A recorded session: what each pain answer meant, and the day as it stands now."""

    responses: tuple[Decision, ...]
    plan: DayPlan


@dataclass(frozen=True, slots=True)
class SessionInProgress:
    """Today's plan, the exercises answered and skipped so far; `next` is the one to do now."""

    plan: DayPlan
    answers: tuple[ExerciseResult, ...]
    skipped: tuple[Skip, ...] = ()

    @property
    def next(self) -> PlannedExercise | None:
        if self.plan.completed or (self.answers and self.answers[-1].pain is Pain.RADIATING):
            return None
        done = {r.exercise_id for r in self.answers} | {s.exercise_id for s in self.skipped}
        return next((e for e in self.plan.exercises if e.exercise_id not in done), None)

    @property
    def needs_screening(self) -> bool:
        """The safety questions are due before the first exercise (a new phase, pain down
        the leg last time, a problem report); a session already under way carries on."""
        return self.screening_due is not None

    @property
    def screening_due(self) -> str | None:
        """Why the safety questions are due before this session (the reminder's code)."""
        if (
            self.plan.kind is not Kind.SESSION
            or self.plan.completed
            or self.answers
            or self.skipped
        ):
            return None
        return screening_due(self.plan)


def screening_due(plan: DayPlan) -> str | None:
    """The reminder that asks for the safety questions before the day's first exercise."""
    codes = {alert.code for alert in plan.alerts}
    return next((code for code in ASK_BEFORE_SESSION if code in codes), None)


@dataclass(frozen=True, slots=True)
class Answered:
    """What one pain answer means, where the session stands, and the session once finished."""

    response: Decision
    progress: SessionInProgress
    finished: LoggedSession | None
