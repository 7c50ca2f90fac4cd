"""Graded exposure within a phase (rules dosage.*)."""

from __future__ import annotations

from datetime import date

from lumbar.domain.dosage import after_bad_pain, after_clean_session
from lumbar.domain.model import Pain
from lumbar.domain.plan import plan_day
from tests.builders import Follower, day, history, program


CAT_COW = program().phase(1).prescription("cat-cow")
assert CAT_COW is not None
STEPS = CAT_COW.steps[:3]
"""Three of cat-cow's phase-1 steps: 2 x 6, 2 x 7, 2 x 8."""


def test_dosage_step_up_after_two_clean_sessions() -> None:
    exposure, change = after_clean_session((0, 0), "cat-cow", 1, STEPS, False, 2)
    assert exposure == (0, 1) and change is None
    exposure, change = after_clean_session(exposure, "cat-cow", 1, STEPS, False, 2)
    assert exposure == (1, 0)
    assert change is not None and change.rule == "dosage.step_up"
    assert change.facts == {
        "exercise": "cat-cow",
        "phase": 1,
        "step": 1,
        "clean_sessions": 2,
        "dose": STEPS[1],
    }


def test_dosage_stays_on_the_last_step() -> None:
    exposure, change = after_clean_session((2, 1), "cat-cow", 1, STEPS, False, 2)
    assert exposure == (2, 2) and change is None
    exposure, change = after_clean_session((1, 1), "cat-cow", 1, STEPS, False, 2)
    assert exposure == (2, 0) and change is not None and change.facts["dose"] == STEPS[2]


def test_dosage_restore_range_comes_before_any_step_up() -> None:
    exposure, change = after_clean_session((0, 1), "cat-cow", 1, STEPS, True, 2)
    assert exposure == (0, 0)
    assert change is not None and change.rule == "dosage.restore_range"


def test_dosage_step_back_after_bad_pain_but_never_below_the_first_step() -> None:
    exposure, change = after_bad_pain((2, 1), "cat-cow", 1, STEPS)
    assert exposure == (1, 0)
    assert change is not None and change.rule == "dosage.step_back"
    assert change.facts == {"exercise": "cat-cow", "phase": 1, "step": 1, "dose": STEPS[1]}
    assert after_bad_pain((0, 1), "cat-cow", 1, STEPS) == ((0, 0), None)


def test_the_plan_steps_each_exercise_up_from_its_baseline_dose() -> None:
    follower = Follower(program(), history())
    follower.follow(day(2))
    cat_cow = {p.on: e for p in follower.plans for e in p.exercises if e.exercise_id == "cat-cow"}
    steps = program().phase(1).prescription("cat-cow")
    assert steps is not None
    assert cat_cow[day(0)].dose == steps.steps[0]
    assert cat_cow[day(2)].dose == steps.steps[0]
    plan = plan_day(day(4), follower.history, program())
    stepped = next(e for e in plan.exercises if e.exercise_id == "cat-cow")
    assert stepped.step == 1 and stepped.dose == steps.steps[1]
    assert stepped.decisions[0].rule == "dosage.step_up"


def test_the_plan_steps_back_after_bad_pain() -> None:
    def pain(on: date, exercise: str) -> Pain:
        return Pain.SHARP if (on, exercise) == (day(4), "cat-cow") else Pain.NONE

    follower = Follower(program(), history(), pain=pain)
    follower.follow(day(4))
    plan = plan_day(day(7), follower.history, program())
    # Bad pain on day 4 holds phase 1 and takes cat-cow back to its first step.
    assert plan.phase == 1
    cat_cow = next(e for e in plan.exercises if e.exercise_id == "cat-cow")
    assert cat_cow.step == 0
    assert [d.rule for d in cat_cow.decisions] == ["pain.reduce_range", "dosage.step_back"]
