"""The daily routine of rest days (issue #17): a few gentle breathing and mobility
exercises, each at a dose of its own, guided in the web player like a session's.

It is not a training session. Its dose is the same every day, whatever the phase (it does
not step up), and nothing of it is recorded: it never counts toward the phase gate, the
week's goal or maintenance. The program checks it when it is built (`program.py`): only
breathing and mobility, no load, and every exercise through the catalogue's safety rules,
so that no loaded spinal flexion can be part of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from lumbar.domain.dose import Dose
from lumbar.domain.exercise import Exercise
from lumbar.domain.model import DayPlan, PlannedExercise, Range

DAILY_ROUTINE_CATEGORIES = frozenset({"breathing", "mobility"})
"""The optional routine on rest days holds no strengthening work (D1-9: rest between sessions)."""


@dataclass(frozen=True, slots=True)
class RoutineExercise:
    """One exercise of the routine at its dose (`program.toml`'s `[[daily_routine]]`)."""

    exercise_id: str
    dose: Dose


def routine_problem(
    routine: tuple[RoutineExercise, ...], exercises: Mapping[str, Exercise]
) -> str | None:
    """What is wrong with the routine's shape, or None: an unknown or repeated exercise, one
    that is not breathing or mobility, a dose in a version the exercise does not have.
    (The safety rules of its exercises and doses are `program.safety_refusals`'.)"""
    seen: set[str] = set()
    for item in routine:
        exercise_id = item.exercise_id
        exercise = exercises.get(exercise_id)
        if exercise is None:
            return f"unknown exercise {exercise_id!r} in the program"
        if exercise_id in seen:
            return f"the daily routine names {exercise_id} twice"
        seen.add(exercise_id)
        if exercise.category not in DAILY_ROUTINE_CATEGORIES:
            return (
                f"the daily routine holds no strengthening work "
                f"({exercise_id} is {exercise.category})"
            )
        if item.dose.variant is not None and exercise.variant(item.dose.variant) is None:
            return f"{exercise_id} has no variant {item.dose.variant!r} for the daily routine"
    return None


def routine_load_problem(routine: tuple[RoutineExercise, ...]) -> str | None:
    """A load anywhere in the routine, or None: it holds no strengthening work."""
    for item in routine:
        if item.dose.load_lb is not None:
            return f"the daily routine carries no load ({item.exercise_id})"
    return None


def routine_of_the_day(
    plan: DayPlan,
    routine: tuple[RoutineExercise, ...],
    alternatives: tuple[tuple[str, str], ...] = (),
) -> tuple[PlannedExercise, ...]:
    """The routine as the person does it on the plan's day: the exercises the plan offers
    (`plan.daily`: none on a session day or while paused, and none eased after bad pain),
    in the routine's order, each at the routine's dose and in the alternative the person
    chose for it (`Profile.alternatives`: a chair or standing version), as a session
    teaches it."""
    chosen = dict(alternatives)
    offered = set(plan.daily)
    return tuple(
        PlannedExercise(
            item.exercise_id,
            item.dose,
            Range.FULL,
            0,
            version=chosen.get(item.exercise_id, item.dose.variant),
        )
        for item in routine
        if item.exercise_id in offered
    )


def routine_ids(routine: tuple[RoutineExercise, ...]) -> tuple[str, ...]:
    """The routine's exercises, in order."""
    return tuple(item.exercise_id for item in routine)
