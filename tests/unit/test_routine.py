"""The daily routine (issue #17): its own dose of each exercise, checked when the program is
built (breathing and mobility only, no load, the catalogue's safety rules), offered as the
rest day's plan says, and how long it takes (the session's timeline, no pain question)."""

from __future__ import annotations

import copy
from dataclasses import replace

import pytest

from lumbar.domain.dose import Dose
from lumbar.domain.exercise import Exercise
from lumbar.domain.model import DayPlan, Kind, Pain, Range, SpinalFlexion
from lumbar.domain.plan import plan_day
from lumbar.domain.program import Program, UnsafeProgram
from lumbar.domain.routine import (
    RoutineExercise,
    routine_ids,
    routine_load_problem,
    routine_of_the_day,
    routine_problem,
)
from lumbar.domain.timeline import TIMING, estimated_minutes, estimated_seconds, routine_seconds
from tests.builders import START, Follower, day, history, profile, program, session

SHIPPED = program().daily_routine
BREATHS = Dose(2, 10, None, 30)


def _with(*routine: RoutineExercise, exercises: dict[str, Exercise] | None = None) -> Program:
    base = program()
    return replace(base, daily_routine=routine, exercises=exercises or base.exercises)


def _rest_day() -> tuple[DayPlan, Program]:
    """Tuesday, the day after Monday's session: a rest day."""
    lived = Follower(program(), history()).follow(day(0))
    return plan_day(day(1), lived, program()), program()


def test_the_shipped_routine_is_breathing_cat_cow_and_childs_pose_each_at_its_own_dose() -> None:
    assert routine_ids(SHIPPED) == ("diaphragmatic-breathing", "cat-cow", "childs-pose")
    assert [item.dose for item in SHIPPED] == [
        Dose(2, 10, None, 30),
        Dose(2, 8, None, 30),
        Dose(3, None, 45, 15),
    ]
    assert all(item.dose.load_lb is None for item in SHIPPED)


@pytest.mark.parametrize(
    ("routine", "problem"),
    [
        ((RoutineExercise("plank-jacks", BREATHS),), "unknown exercise 'plank-jacks'"),
        ((RoutineExercise("squat", Dose(1, 8, None, 0)),), "no strengthening work"),
        ((RoutineExercise("cat-cow", BREATHS),) * 2, "names cat-cow twice"),
        (
            (RoutineExercise("cat-cow", replace(BREATHS, variant="on-knees")),),
            "cat-cow has no variant 'on-knees'",
        ),
    ],
)
def test_a_routine_that_does_not_add_up_is_refused_when_the_program_is_built(
    routine: tuple[RoutineExercise, ...], problem: str
) -> None:
    assert problem in (routine_problem(routine, program().exercises) or "")
    with pytest.raises(ValueError, match=problem):
        _with(*routine)


def test_a_load_on_the_routines_cat_cow_is_refused_as_a_load_in_flexion() -> None:
    """The routine's doses go through the phases' safety rules, before its own check."""
    loaded = RoutineExercise("cat-cow", Dose(2, 8, None, 30, load_lb=5))
    with pytest.raises(UnsafeProgram) as refused:
        _with(loaded)
    assert [d.rule for d in refused.value.refusals] == ["content.no_load_in_flexion"]


def test_a_load_on_any_other_exercise_of_the_routine_is_refused_too() -> None:
    loaded = RoutineExercise("diaphragmatic-breathing", Dose(1, 8, None, 0, load_lb=5))
    said = routine_load_problem((loaded,))
    assert said == "the daily routine carries no load (diaphragmatic-breathing)"
    assert routine_load_problem(SHIPPED) is None
    with pytest.raises(ValueError, match="carries no load"):
        _with(loaded)


@pytest.mark.parametrize("exercise_id", ["cat-cow", "childs-pose", "diaphragmatic-breathing"])
def test_a_routine_exercise_smuggled_into_loaded_flexion_cannot_be_part_of_a_program(
    exercise_id: str,
) -> None:
    """`Exercise` refuses loaded flexion when built; one forced past it is still refused by
    the catalogue's safety rules, which the routine's exercises go through."""
    smuggled = copy.copy(program().exercises[exercise_id])
    object.__setattr__(smuggled, "spinal_flexion", SpinalFlexion.LOADED)
    exercises = {**program().exercises, exercise_id: smuggled}
    with pytest.raises(UnsafeProgram) as refused:
        _with(*SHIPPED, exercises=exercises)
    assert "content.no_loaded_flexion" in [d.rule for d in refused.value.refusals]


def test_a_rest_day_offers_the_routine_at_its_own_dose_whatever_the_phases_dose() -> None:
    plan, chosen = _rest_day()
    routine = routine_of_the_day(plan, chosen.daily_routine)
    assert [p.exercise_id for p in routine] == list(routine_ids(SHIPPED))
    assert [p.dose for p in routine] == [item.dose for item in SHIPPED]
    # Phase 1's cat-cow starts at 2 sets of 6: the routine's is its own, and never steps up.
    prescribed = chosen.phase(1).prescription("cat-cow")
    assert prescribed is not None and prescribed.steps[0] == Dose(2, 6, None, 30)
    assert all(p.range is Range.FULL and p.version is None for p in routine)


def test_the_routine_is_taught_in_the_alternative_the_person_chose() -> None:
    plan, chosen = _rest_day()
    alternatives = (("cat-cow", "chair"), ("childs-pose", "counter"))
    routine = routine_of_the_day(plan, chosen.daily_routine, alternatives)
    assert [p.version for p in routine] == [None, "chair", "counter"]


def test_no_routine_on_a_session_day_and_none_of_an_exercise_eased_after_bad_pain() -> None:
    first_day = plan_day(START, history(), program())
    assert first_day.kind is Kind.SESSION
    assert routine_of_the_day(first_day, SHIPPED) == ()
    hurt = history(session(day(0), ("cat-cow", Pain.SHARP)), who=profile())
    after = plan_day(day(1), hurt, program())
    assert [p.exercise_id for p in routine_of_the_day(after, SHIPPED)] == [
        "diaphragmatic-breathing",
        "childs-pose",
    ]


def test_the_routine_takes_its_steps_and_setups_without_a_pain_question() -> None:
    catalogue = program().exercises
    plan, chosen = _rest_day()
    routine = routine_of_the_day(plan, chosen.daily_routine)
    seconds = routine_seconds(routine, catalogue)
    asked = sum(estimated_seconds(catalogue[p.exercise_id], p.dose) for p in routine)
    assert seconds == asked - len(routine) * TIMING.answer
    # Breathing 2 x 10 breaths of 10 s, cat-cow 2 x 8 reps of 4 s, child's pose 3 x 45 s:
    # with the rests, the 3-2-1s and a setup each, 570 s.
    assert seconds == 570
    assert estimated_minutes(seconds) == 10
