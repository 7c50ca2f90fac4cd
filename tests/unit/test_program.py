"""Safety rules that hold for any program variant a clinician might prescribe (content.*)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from lumbar.domain.model import Dose, Exercise, SpinalFlexion, TrainingDays
from lumbar.domain.plan import BeforeStart, plan_day
from lumbar.domain.program import Phase, Prescription, Program, UnsafeProgram
from tests.builders import START, history, program


def _exercise(**changes: object) -> Exercise:
    base = program().exercises["squat"]
    return replace(base, **changes)  # type: ignore[arg-type]


def _with_exercise(exercise: Exercise, steps: tuple[Dose, ...] | None = None) -> Program:
    base = program()
    exercises = {**base.exercises, exercise.id: exercise}
    phase3 = base.phase(3)
    prescription = Prescription(exercise.id, steps or next(iter(exercise.doses.values())))
    phases = (
        *base.phases[:2],
        replace(phase3, prescriptions=(*phase3.prescriptions, prescription)),
    )
    return replace(base, exercises=exercises, phases=phases)


def test_content_no_loaded_flexion_an_exercise_cannot_even_be_built() -> None:
    with pytest.raises(ValueError, match="loaded spinal flexion"):
        _exercise(id="crunch", spinal_flexion=SpinalFlexion.LOADED)


def test_content_no_hamstring_stretch_in_any_program() -> None:
    stretch = _exercise(id="toe-reach", category="mobility", stretches=("hamstrings",))
    with pytest.raises(UnsafeProgram) as refused:
        _with_exercise(stretch)
    assert [d.rule for d in refused.value.refusals] == ["content.no_hamstring_stretch"]


def test_content_max_load_keeps_loads_light() -> None:
    heavy = (Dose(3, 8, None, 60, 40),)
    with pytest.raises(UnsafeProgram) as refused:
        _with_exercise(_exercise(id="heavy-squat"), heavy)
    assert refused.value.refusals[0].rule == "content.max_load"
    assert refused.value.refusals[0].facts == {
        "exercise": "heavy-squat",
        "load_lb": 40,
        "max_lb": 25,
    }


def test_content_no_load_in_flexion_for_unloaded_flexion_exercises() -> None:
    loaded_cat = _exercise(id="weighted-cat", spinal_flexion=SpinalFlexion.UNLOADED)
    with pytest.raises(UnsafeProgram) as refused:
        _with_exercise(loaded_cat)
    assert "content.no_load_in_flexion" in [d.rule for d in refused.value.refusals]


def test_a_program_on_consecutive_days_is_refused() -> None:
    with pytest.raises(UnsafeProgram) as refused:
        program(TrainingDays(weekdays=frozenset({0, 1, 3})))
    assert refused.value.refusals[0].rule == "schedule.no_consecutive_days"


def test_the_daily_routine_holds_no_strengthening_work() -> None:
    with pytest.raises(ValueError, match="no strengthening work"):
        replace(program(), daily_routine=("cat-cow", "squat"))


def test_a_program_must_name_known_exercises_and_number_its_phases() -> None:
    base = program()
    with pytest.raises(ValueError, match="unknown exercise 'plank-jacks'"):
        replace(base, daily_routine=("plank-jacks",))
    with pytest.raises(ValueError, match="numbered"):
        replace(base, phases=(Phase(2, "x", "y", base.phase(1).prescriptions),))


def test_doses_are_checked_when_built() -> None:
    with pytest.raises(ValueError, match="reps, a hold"):
        Dose(2, None, None, 30)
    with pytest.raises(ValueError, match="at least one set"):
        Dose(0, 5, None, 30)


def test_a_plan_before_the_start_is_refused() -> None:
    with pytest.raises(BeforeStart):
        plan_day(START.replace(day=1), history(), program())
