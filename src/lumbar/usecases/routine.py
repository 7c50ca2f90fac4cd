"""The daily routine of a day (issue #17): what the web player guides on a rest day.

It only reads. The routine is not a training session: doing it records nothing, so it
never counts toward the phase gate, the week's goal or maintenance (docs/rules.md, "The
daily routine").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lumbar.domain.model import DayPlan, PlannedExercise
from lumbar.domain.plan import plan_day
from lumbar.domain.routine import routine_of_the_day
from lumbar.usecases.person import Person, check_date


@dataclass(frozen=True, slots=True)
class Routine:
    plan: DayPlan
    """The day's plan: a rest day offers the routine; its next session is said with it."""
    exercises: tuple[PlannedExercise, ...]
    """The routine as the person does it today; empty when the day offers none (a session
    day, a paused program)."""


def today(person: Person, on: date) -> Routine:
    """The routine of `on`, as the plan of that day offers it."""
    history = person.history()
    check_date(history, on)
    program = person.program_for(history.profile)
    plan = plan_day(on, history, program)
    return Routine(
        plan, routine_of_the_day(plan, program.daily_routine, history.profile.alternatives)
    )
