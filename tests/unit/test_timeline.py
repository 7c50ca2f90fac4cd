"""How a dose runs step by step (issue #16): the counts of every step kind follow from the
dose for any dose, each side gets its own reps, and the estimate is the sum of the steps."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from lumbar.content.load import default_content
from lumbar.domain.dose import Dose
from lumbar.domain.plan import plan_day
from lumbar.domain.timeline import (
    TIMING,
    StepKind,
    estimated_minutes,
    estimated_seconds,
    exercise_timeline,
    session_seconds,
    timeline,
)
from tests import builders as b

DOSES = st.tuples(
    st.integers(1, 4),
    st.one_of(st.none(), st.integers(1, 12)),
    st.one_of(st.none(), st.integers(1, 60)),
    st.integers(0, 90),
).map(lambda t: Dose(t[0], t[1] if t[1] or t[2] else 1, t[2], t[3]))


@given(DOSES, st.booleans())
def test_every_set_and_side_gets_its_reps_and_the_rests_and_switches_fall_between(
    dose: Dose, per_side: bool
) -> None:
    steps = timeline(dose, per_side=per_side)
    sides = 2 if per_side else 1
    count = {kind: sum(1 for s in steps if s.kind is kind) for kind in StepKind}
    assert count[StepKind.GET_READY] == dose.sets * sides
    assert count[StepKind.SWITCH_SIDES] == dose.sets * (sides - 1)
    assert count[StepKind.REST] == (dose.sets - 1 if dose.rest_seconds else 0)
    reps = dose.reps or 1
    if dose.hold_seconds is None:
        assert count[StepKind.REPS] == dose.sets * sides
        assert all(s.reps == reps for s in steps if s.kind is StepKind.REPS)
    else:
        assert count[StepKind.HOLD] == dose.sets * sides * reps
        assert count[StepKind.RELEASE] == dose.sets * sides * (reps - 1)
        assert all(s.seconds == dose.hold_seconds for s in steps if s.kind is StepKind.HOLD)
        assert sum(s.last_rep for s in steps) == dose.sets * sides
    # Each side is done whole before the switch: left, then right, in every set.
    for number in range(1, dose.sets + 1):
        in_set = [s.side for s in steps if s.set == number and s.side is not None]
        assert in_set == sorted(in_set, key=["left", "right"].index)
        assert set(in_set) == ({"left", "right"} if per_side else set())
    assert steps[-1].kind is not StepKind.REST


def test_bird_dog_six_each_side_holds_six_on_the_left_then_switches_then_six_on_the_right() -> None:
    dose = Dose(sets=1, reps=6, hold_seconds=5, rest_seconds=30)
    steps = timeline(dose, per_side=True)
    kinds = [(s.kind.value, s.side, s.rep) for s in steps if s.kind is not StepKind.RELEASE]
    assert kinds == [
        ("get_ready", "left", None),
        *[("hold", "left", rep) for rep in range(1, 7)],
        ("switch_sides", None, None),
        ("get_ready", "right", None),
        *[("hold", "right", rep) for rep in range(1, 7)],
    ]


def test_a_breathing_exercise_is_paced_one_breath_a_rep() -> None:
    breathing = default_content().catalogue["diaphragmatic-breathing"]
    dose = Dose(sets=1, reps=8, hold_seconds=None, rest_seconds=0)
    steps = exercise_timeline(breathing, dose)
    breaths = [s for s in steps if s.kind in (StepKind.BREATHE_IN, StepKind.BREATHE_OUT)]
    assert [s.seconds for s in breaths[:2]] == [4, 6]
    assert len(breaths) == 16 and not any(s.kind is StepKind.REPS for s in steps)


@given(DOSES)
def test_the_estimate_is_the_sum_of_the_steps_with_setup_and_the_pain_question(
    dose: Dose,
) -> None:
    bridge = default_content().catalogue["glute-bridge"]
    steps = exercise_timeline(bridge, dose)
    timed = sum(s.seconds or 0 for s in steps)
    paced = sum((s.reps or 1) * TIMING.seconds_per_rep for s in steps if s.seconds is None)
    assert estimated_seconds(bridge, dose) == TIMING.setup + TIMING.answer + timed + paced


def test_a_session_is_estimated_in_minutes_rounded_as_a_person_says_them() -> None:
    content = default_content()
    plan = plan_day(b.START, b.history(), b.program())
    seconds = session_seconds(plan, content.catalogue)
    per_exercise = [
        estimated_seconds(content.catalogue[e.exercise_id], e.dose) for e in plan.exercises
    ]
    assert seconds == sum(per_exercise)
    assert 10 <= estimated_minutes(seconds) <= 25
    assert [estimated_minutes(s) for s in (10, 89, 91, 600, 661, 1740, 1860)] == [
        1,
        1,
        2,
        10,
        10,
        30,
        30,
    ]


def test_the_programs_timing_counts_down_three_and_paces_breath_four_in_six_out() -> None:
    """The cue's 3-2-1, the breathing exercise's tip (in for four, out for six), and the
    estimate's allowances for getting into position and the pain question."""
    assert (TIMING.get_ready, TIMING.release, TIMING.switch_sides) == (3, 3, 5)
    assert (TIMING.breathe_in, TIMING.breathe_out) == (4, 6)
    assert (TIMING.seconds_per_rep, TIMING.setup, TIMING.answer) == (4, 20, 10)
    tip = default_content().catalogue["diaphragmatic-breathing"].tips[0]
    assert "four on the way in and to six on the way out" in tip
