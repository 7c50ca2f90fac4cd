"""Safety rules that hold for any program variant a clinician might prescribe (content.*)."""

from __future__ import annotations

from dataclasses import asdict, replace

import pytest

from lumbar.content.load import default_content
from lumbar.domain.model import Dose, Exercise, SpinalFlexion, TrainingDays
from lumbar.domain.plan import BeforeStart, plan_day
from lumbar.domain.program import (
    Gate,
    OutOfOrder,
    Phase,
    Prescription,
    Program,
    Thresholds,
    UnsafeProgram,
    numbers_from,
)
from lumbar.domain.routine import RoutineExercise
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


def _routine(*ids: str) -> tuple[RoutineExercise, ...]:
    return tuple(RoutineExercise(exercise_id, Dose(1, 8, None, 0)) for exercise_id in ids)


def test_the_daily_routine_holds_no_strengthening_work() -> None:
    with pytest.raises(ValueError, match="no strengthening work"):
        replace(program(), daily_routine=_routine("cat-cow", "squat"))


def test_a_program_must_name_known_exercises_and_number_its_phases() -> None:
    base = program()
    with pytest.raises(ValueError, match="unknown exercise 'plank-jacks'"):
        replace(base, daily_routine=_routine("plank-jacks"))
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


def test_a_load_of_exactly_max_load_lb_is_allowed_and_one_pound_more_is_refused() -> None:
    squat = _exercise(id="goblet-squat")
    at_limit = _with_exercise(squat, (Dose(3, 8, None, 60, 25),))
    assert at_limit.max_load_lb == 25
    with pytest.raises(UnsafeProgram) as refused:
        _with_exercise(squat, (Dose(3, 8, None, 60, 26),))
    assert [d.rule for d in refused.value.refusals] == ["content.max_load"]


# The range a clinician may prescribe each number in, both ends included: a safety boundary
# written out here so that a change to `LIMITS` is a decision a test must be changed for.
GATE_LIMITS = [
    ("min_days", 1, 90),
    ("min_sessions", 1, 30),
    ("pain_free_days", 1, 90),
]
THRESHOLD_LIMITS: list[tuple[str, float, float, float, dict[str, float]]] = [
    # name, lowest, highest, the step just past either end, the other pain band held apart
    ("clean_sessions_to_step_up", 1, 10, 1, {}),
    ("radiating_window_days", 1, 90, 1, {}),
    ("checkin_interval_days", 1, 31, 1, {}),
    ("review_after_days", 7, 180, 1, {}),
    ("min_adherence_pct", 0, 100, 0.01, {}),
    ("on_track_pain_pct", 0, 100, 0.01, {"suggest_pain_pct": 0}),
    ("suggest_pain_pct", 0, 100, 0.01, {"on_track_pain_pct": 100}),
    ("psfs_gain", 0.1, 10, 0.01, {}),
    ("low_baseline_pain", 0, 10, 1, {}),
    ("referral_repeat_days", 1, 365, 1, {}),
]


def _gate(**changes: object) -> Gate:
    return replace(default_content().program.gate, **changes)  # type: ignore[arg-type]


def _thresholds(**changes: object) -> Thresholds:
    return replace(default_content().program.thresholds, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(("name", "low", "high"), GATE_LIMITS)
def test_a_gate_number_is_accepted_at_both_ends_of_its_limits_and_refused_past_them(
    name: str, low: int, high: int
) -> None:
    assert getattr(_gate(**{name: low}), name) == low
    assert getattr(_gate(**{name: high}), name) == high
    for past in (low - 1, high + 1):
        with pytest.raises(ValueError, match=f"{name} must be from {low} to {high}"):
            _gate(**{name: past})


@pytest.mark.parametrize(("name", "low", "high", "step", "bands"), THRESHOLD_LIMITS)
def test_a_threshold_is_accepted_at_both_ends_of_its_limits_and_refused_past_them(
    name: str, low: float, high: float, step: float, bands: dict[str, float]
) -> None:
    assert getattr(_thresholds(**bands, **{name: low}), name) == low
    assert getattr(_thresholds(**bands, **{name: high}), name) == high
    for past in (low - step, high + step):
        with pytest.raises(ValueError, match=f"{name} must be from {low:g} to {high:g}"):
            _thresholds(**bands, **{name: past})


def test_the_suggest_band_may_meet_the_on_track_band_but_not_rise_above_it() -> None:
    met = _thresholds(suggest_pain_pct=30, on_track_pain_pct=30)
    assert met.suggest_pain_pct == met.on_track_pain_pct == 30
    with pytest.raises(OutOfOrder, match="suggest_pain_pct must not be above on_track_pain_pct"):
        _thresholds(suggest_pain_pct=30.5, on_track_pain_pct=30)


def test_a_bool_is_not_a_number_of_days_nor_a_threshold() -> None:
    with pytest.raises(ValueError, match=r"min_days must be a whole number \(got True\)"):
        _gate(min_days=True)
    with pytest.raises(ValueError, match=r"psfs_gain must be a number \(got True\)"):
        _thresholds(psfs_gain=True)


def test_text_and_fractions_of_a_day_are_refused_where_days_are_counted() -> None:
    with pytest.raises(ValueError, match="min_sessions must be a whole number"):
        _gate(min_sessions="3")
    with pytest.raises(ValueError, match="review_after_days must be a whole number"):
        _thresholds(review_after_days=28.5)
    with pytest.raises(ValueError, match="psfs_gain must be a number"):
        _thresholds(psfs_gain="2")
    assert _thresholds(psfs_gain=2.5).psfs_gain == 2.5


def test_numbers_from_takes_28_point_0_days_as_28_days() -> None:
    shipped = default_content().program
    gate = numbers_from(Gate, {**asdict(shipped.gate), "min_days": 7.0})
    thresholds = numbers_from(Thresholds, {**asdict(shipped.thresholds), "review_after_days": 28.0})
    assert gate.min_days == 7 and type(gate.min_days) is int
    assert thresholds.review_after_days == 28 and type(thresholds.review_after_days) is int


def test_numbers_from_refuses_a_fraction_of_a_day_a_bool_and_text_rather_than_rounding() -> None:
    table = asdict(default_content().program.gate)
    for sent in (7.5, True, "7"):
        with pytest.raises(ValueError, match="min_days must be a whole number"):
            numbers_from(Gate, {**table, "min_days": sent})


def test_numbers_from_refuses_a_name_it_does_not_have_and_a_number_left_out() -> None:
    table = asdict(default_content().program.gate)
    with pytest.raises(ValueError, match="there is no 'min_weeks' \\(there are min_days, "):
        numbers_from(Gate, {**table, "min_weeks": 1})
    missing = {name: value for name, value in table.items() if name != "pain_free_days"}
    with pytest.raises(ValueError, match="pain_free_days is missing"):
        numbers_from(Gate, missing)
    assert numbers_from(Gate, table) == default_content().program.gate
