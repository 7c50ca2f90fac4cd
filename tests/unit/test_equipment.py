"""Issue #17, item 3: the loads a person has. Phase 3's loaded steps never ask for a weight
the person does not have: their own (the heaviest at or below the step), else something
from home weighed out, within the program's range; never a load on a bending spine."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lumbar.content.load import ContentError, build, default_content, load_content, validate
from lumbar.content.wording import dose_text, load_text, weight_text
from lumbar.domain.dose import Dose
from lumbar.domain.equipment import fit_dose
from lumbar.domain.exercise import SpinalFlexion
from lumbar.domain.loads import (
    KG_PER_LB,
    Equipment,
    HouseholdLoad,
    Unit,
    Weight,
    WeightKind,
    unit_for_accept_language,
    unit_for_language,
)
from lumbar.domain.model import DayPlan, History
from lumbar.domain.plan import plan_day
from lumbar.domain.program import household_refusals, load_range_lb, within
from lumbar.domain.rules import RuleId
from lumbar.formats.views import describe_dose, phase_goal
from tests.builders import RACK, Follower, day, history, profile, program

PROGRAM = program()
LOW, HIGH = load_range_lb(PROGRAM)
DUMBBELLS = WeightKind.DUMBBELLS


def _dumbbells(*amounts: float, unit: Unit = Unit.KG) -> Equipment:
    return Equipment(tuple(Weight(DUMBBELLS, a, unit) for a in amounts))


def _phase_3(equipment: Equipment) -> tuple[DayPlan, History]:
    """The first phase-3 session of a person with `equipment` (a follower who rates their
    pain weekly reaches phase 3 on day 14, as in test_dosage)."""
    follower = Follower(PROGRAM, history(who=profile(equipment=equipment)), weekly=4)
    follower.follow(day(13))
    plan = plan_day(day(14), follower.history, PROGRAM)
    assert plan.phase == 3 and plan.exercises, plan
    return plan, follower.history


def _loaded(plan: DayPlan) -> dict[str, Dose]:
    return {p.exercise_id: p.dose for p in plan.exercises if p.dose.load_lb is not None}


# The household loads: content data, within the range.


def test_every_household_load_is_within_the_programs_range_of_weights() -> None:
    loads = PROGRAM.household_loads
    assert len(loads) >= 5
    assert len({load.id for load in loads}) == len(loads)
    for load in loads:
        assert 4.5 <= load.kg <= 11.3, load
        assert within(load.lb, LOW, HIGH), load
        assert load.words.count("{weight}") == 1


def test_a_household_load_out_of_the_range_does_not_load() -> None:
    raw = {name: _read(name) for name in ("exercises", "phases", "program", "education",
                                          "screening", "messages", "household")}  # fmt: skip
    heavy = raw["household"] + b'\n[[load]]\nid = "sack"\nwords = "a sack ({weight})"\nkg = 15\n'
    with pytest.raises(ContentError, match="household load sack weighs 15 kg"):
        build(validate({**raw, "household": heavy}))


def test_a_prescription_that_starts_the_weights_higher_is_not_refused_for_them() -> None:
    squat = PROGRAM.phase(3).prescription("squat")
    assert squat is not None
    heavier = tuple(replace(d, load_lb=(d.load_lb or 0) + 5) for d in squat.steps[:4])
    phases = tuple(
        replace(
            phase,
            prescriptions=tuple(
                replace(p, steps=heavier) if p.exercise_id == "squat" else p
                for p in phase.prescriptions
            ),
        )
        if phase.number == 3
        else phase
        for phase in PROGRAM.phases
    )
    thresholds = replace(PROGRAM.thresholds, first_load_lb=15)
    built = replace(PROGRAM, phases=phases, thresholds=thresholds)  # no UnsafeProgram
    assert built.household_loads == PROGRAM.household_loads
    assert household_refusals(PROGRAM) == []
    fitted, _ = fit_dose("squat", heavier[0], Equipment(), built)
    assert fitted.household is not None and fitted.load_lb is not None
    assert fitted.load_lb <= heavier[0].load_lb  # type: ignore[operator]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('id = "bag"\nwords = "a bag"\nkg = 5', "{weight} once"),
        ('id = "Bag"\nwords = "a bag ({weight})"\nkg = 5', "pattern"),
        ('id = "bag"\nwords = "a bag ({weight})"\nkg = 0', "greater than 0"),
        ('id = "water-four"\nwords = "a bag ({weight})"\nkg = 6.5', "duplicate household"),
    ],
    ids=["no-weight", "bad-id", "no-kg", "duplicate-id"],
)
def test_a_malformed_household_load_is_refused_at_load(text: str, problem: str) -> None:
    raw = {name: _read(name) for name in ("exercises", "phases", "program", "education",
                                          "screening", "messages", "household")}  # fmt: skip
    with pytest.raises(ContentError, match=problem.replace("{", r"\{").replace("}", r"\}")):
        validate({**raw, "household": raw["household"] + f"\n[[load]]\n{text}\n".encode()})


def _read(name: str) -> bytes:
    from lumbar.content.load import CONTENT_DIR

    return (CONTENT_DIR / f"{name}.toml").read_bytes()


# With nothing: household loads.


def test_with_nothing_phase_3_uses_household_loads_weighed_out() -> None:
    plan, _ = _phase_3(Equipment())
    loaded = _loaded(plan)
    assert set(loaded) >= {"squat", "hip-hinge"}
    for exercise_id, dose in loaded.items():
        assert dose.household is not None, exercise_id
        assert dose.household in PROGRAM.household_loads
        assert dose.load_lb == dose.household.lb
        planned = next(p for p in plan.exercises if p.exercise_id == exercise_id)
        assert planned.decisions[-1].rule is RuleId.EQUIPMENT_HOUSEHOLD
        step = PROGRAM.phase(3).prescription(exercise_id)
        assert step is not None
        # The first step asks 10 lb: the heaviest household load at or below it (4.5 kg).
        assert dose.household.kg == 4.5


def test_a_household_load_is_the_heaviest_at_or_below_the_step_else_the_lightest() -> None:
    step = Dose(3, 10, None, 60, 20)
    fitted, why = fit_dose("squat", step, Equipment(), PROGRAM)
    assert fitted.household is not None and fitted.household.kg == 9  # 20 lb is 9.07 kg
    assert why is not None and why.facts == {"exercise": "squat", "household": "water-six"}
    assert (fitted.sets, fitted.reps, fitted.rest_seconds) == (3, 10, 60)
    lightest = min(PROGRAM.household_loads, key=lambda h: h.kg)
    tiny = fit_dose("squat", replace(step, load_lb=5), Equipment(), PROGRAM)[0]
    assert tiny.household == lightest


def test_a_band_alone_carries_no_load() -> None:
    fitted, why = fit_dose("squat", Dose(3, 8, None, 60, 10), Equipment(band=True), PROGRAM)
    assert fitted.household is not None
    assert why is not None and why.rule is RuleId.EQUIPMENT_HOUSEHOLD


def test_an_unloaded_dose_is_left_as_it_is() -> None:
    bridge = Dose(2, 8, 3, 30)
    assert fit_dose("glute-bridge", bridge, Equipment(), PROGRAM) == (bridge, None)


# With weights: bounded by those the person has.


def test_the_dose_uses_the_heaviest_weight_they_have_at_or_below_the_step() -> None:
    have = _dumbbells(5, 8)  # 11.0 lb and 17.6 lb
    asked = {10: 5.0, 12.5: 5.0, 15: 5.0, 17.5: 5.0, 20: 8.0, 25: 8.0}
    for step_lb, kg in asked.items():
        fitted, why = fit_dose("squat", Dose(3, 10, None, 60, step_lb), have, PROGRAM)
        assert fitted.household is None
        assert fitted.load_lb == pytest.approx(kg / KG_PER_LB), step_lb
        assert why is not None and why.rule is RuleId.EQUIPMENT_OWN_WEIGHT
        assert why.facts["asked_lb"] == step_lb


def test_a_weight_they_have_that_is_the_steps_own_changes_nothing() -> None:
    step = Dose(3, 10, None, 60, 15)
    assert fit_dose("squat", step, _dumbbells(15, unit=Unit.LB), PROGRAM) == (step, None)


def test_with_none_of_theirs_in_the_range_it_says_so_and_uses_a_household_load() -> None:
    have = _dumbbells(1, 2, 20)  # 2.2, 4.4 and 44 lb: none in 10 to 25 lb
    fitted, why = fit_dose("squat", Dose(3, 8, None, 60, 10), have, PROGRAM)
    assert fitted.household is not None
    assert why is not None and why.rule is RuleId.EQUIPMENT_NONE_IN_RANGE
    said = default_content().say(why)
    assert "None of your weights" in said and "lb" not in said


def test_phase_3_with_weights_asks_only_for_weights_they_have() -> None:
    have = _dumbbells(4, 6, 9)
    plan, _ = _phase_3(have)
    owned = {w.lb for w in have.weights}
    for dose in _loaded(plan).values():
        assert dose.household is None
        assert dose.load_lb in owned


def test_with_every_weight_the_doses_are_the_programs_own() -> None:
    plan, _ = _phase_3(RACK)
    for planned in plan.exercises:
        step = PROGRAM.phase(3).prescription(planned.exercise_id)
        assert step is not None and planned.dose == step.steps[planned.step]


# The safety rule, with every kind of load.


def test_no_loaded_spinal_flexion_with_household_loads_or_weights() -> None:
    for equipment in (Equipment(), _dumbbells(5), _dumbbells(50)):
        plan, _ = _phase_3(equipment)
        for planned in plan.exercises:
            exercise = PROGRAM.exercises[planned.exercise_id]
            assert exercise.spinal_flexion is not SpinalFlexion.LOADED
            if planned.dose.load_lb is not None:
                assert exercise.spinal_flexion is SpinalFlexion.NONE


weights = st.lists(
    st.builds(
        Weight,
        st.sampled_from(list(WeightKind)),
        st.floats(min_value=0.5, max_value=40, allow_nan=False).map(lambda x: round(x * 2) / 2),
        st.sampled_from(list(Unit)),
    ),
    max_size=6,
)


@settings(max_examples=60, deadline=None)
@given(weights, st.booleans(), st.sampled_from([10, 12.5, 15, 17.5, 20, 22.5, 25]))
def test_any_equipment_bounds_every_loaded_step(
    owned: list[Weight], band: bool, step_lb: float
) -> None:
    equipment = Equipment(tuple(owned), band)
    for exercise_id in ("squat", "hip-hinge", "lunge-with-twist", "glute-bridge", "cat-cow"):
        exercise = PROGRAM.exercises[exercise_id]
        step = Dose(
            3, 10, None, 60, step_lb if exercise.spinal_flexion is SpinalFlexion.NONE else None
        )
        fitted, why = fit_dose(exercise_id, step, equipment, PROGRAM)
        if step.load_lb is None:
            assert fitted == step and why is None  # a load never lands on a bending spine
            continue
        assert fitted.load_lb is not None
        assert within(fitted.load_lb, LOW, HIGH)
        in_range = sorted(w.lb for w in equipment.weights if within(w.lb, LOW, HIGH))
        if in_range:
            assert fitted.household is None
            assert fitted.load_lb in in_range  # never a weight they do not have
            below = [
                w for w in in_range if round(w * KG_PER_LB, 1) <= round(step_lb * KG_PER_LB, 1)
            ]
            assert fitted.load_lb == (below[-1] if below else in_range[0])
        else:
            assert fitted.household in PROGRAM.household_loads
            expected = RuleId.EQUIPMENT_NONE_IN_RANGE if owned else RuleId.EQUIPMENT_HOUSEHOLD
            assert why is not None and why.rule is expected


# Weights and units.


@pytest.mark.parametrize(
    ("amount", "unit", "problem"),
    [(-5, Unit.KG, "more than 0"), (0, Unit.LB, "more than 0"), (500, Unit.KG, "at most 100 kg"),
     (250, Unit.LB, "at most 220 lb"), (float("nan"), Unit.KG, "more than 0")],
)  # fmt: skip
def test_an_impossible_weight_is_refused(amount: float, unit: Unit, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        Weight(DUMBBELLS, amount, unit)


@pytest.mark.parametrize(
    ("tag", "unit"),
    [("en-US", Unit.LB), ("en_US", Unit.LB), ("en-LR", Unit.LB), ("my-MM", Unit.LB),
     ("en-GB", Unit.KG), ("en", Unit.KG), ("fr-FR", Unit.KG), ("zh-Hant-TW", Unit.KG),
     ("es-419", Unit.KG), ("", Unit.KG), (None, Unit.KG)],
)  # fmt: skip
def test_the_unit_follows_the_languages_region(tag: str | None, unit: Unit) -> None:
    assert unit_for_language(tag) is unit


def test_the_unit_follows_the_browsers_first_language() -> None:
    assert unit_for_accept_language("en-US,en;q=0.9,fr;q=0.8") is Unit.LB
    assert unit_for_accept_language("fr-FR,en-US;q=0.5") is Unit.KG
    assert unit_for_accept_language("en-GB;q=0.4, en-US;q=0.9") is Unit.LB
    assert unit_for_accept_language("*") is Unit.KG
    assert unit_for_accept_language(None) is Unit.KG


def test_a_weight_is_written_in_the_persons_unit_alone() -> None:
    assert weight_text(15, Unit.LB) == "15 lb"
    assert weight_text(15, Unit.KG) == "7 kg"  # 6.8 kg, to the half
    assert weight_text(12.5, Unit.KG) == "5.5 kg"
    squat = Dose(3, 8, None, 60, 15)
    assert describe_dose(squat, per_side=False, unit=Unit.KG) == "3 sets of 8, rest 60 s, 7 kg"
    assert describe_dose(squat, per_side=False, unit=Unit.LB) == "3 sets of 8, rest 60 s, 15 lb"
    bottles = HouseholdLoad("water-four", "a bag holding four 1.5 L bottles of water ({weight})", 6)
    held = Dose(3, 8, None, 60, bottles.lb, household=bottles)
    assert load_text(held, Unit.KG) == "a bag holding four 1.5 L bottles of water (6 kg)"
    assert load_text(held, Unit.LB) == "a bag holding four 1.5 L bottles of water (13 lb)"
    # A decision's dose is the program's step: its load is said with the exercise instead.
    assert dose_text(squat) == "3 sets of 8"


def test_equal_equipment_is_equal_whatever_the_order() -> None:
    first = Equipment((Weight(DUMBBELLS, 8, Unit.KG), Weight(DUMBBELLS, 5, Unit.KG)), band=True)
    second = Equipment((Weight(DUMBBELLS, 5, Unit.KG), Weight(DUMBBELLS, 8, Unit.KG)), band=True)
    assert first == second and not first.nothing and Equipment().nothing


def test_the_plan_of_a_day_before_phase_3_is_untouched_by_equipment() -> None:
    on = date(2026, 11, 2)
    with_nothing = plan_day(on, history(), PROGRAM)
    with_rack = plan_day(on, history(who=profile(equipment=RACK)), PROGRAM)
    assert with_nothing == with_rack


@pytest.mark.parametrize(("unit", "said"), [(Unit.LB, "10 to 25 lb"), (Unit.KG, "4.5 to 11.3 kg")])
def test_the_third_phases_goal_names_its_weights_in_the_persons_unit(unit: Unit, said: str) -> None:
    shipped = default_content().program
    goal = phase_goal(shipped.phase(3), shipped, unit)
    assert goal.endswith(f"with light weights of {said}.")
    assert "{" not in goal
    other = " kg" if unit is Unit.LB else " lb"
    assert other not in goal
    first = phase_goal(shipped.phase(1), shipped, unit)
    assert first == shipped.phase(1).goal  # nothing to say in a unit


def test_a_phase_goal_naming_anything_but_the_load_range_is_refused_at_load(
    content_copy: Path,
) -> None:
    path = content_copy / "phases.toml"
    path.write_text(path.read_text().replace("{load_range}", "{max_load}", 1))
    with pytest.raises(ContentError, match=r"may name \{load_range\} only, not \{max_load\}"):
        load_content(content_copy)
