"""Graded exposure within a phase and at the entry to one (rules dosage.*), and the
ladders themselves (content.gentle_steps)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from lumbar.domain.decisions import Decision
from lumbar.domain.dosage import (
    after_bad_pain,
    after_clean_session,
    entry_step,
    gentle,
    steep_steps,
    volume,
    work,
)
from lumbar.domain.model import CheckIn, Dose, Pain, PlannedExercise
from lumbar.domain.plan import plan_day
from lumbar.domain.program import Prescription, Program
from lumbar.domain.rules import RuleId
from tests.builders import RACK, Follower, clearance, day, history, profile, program

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


# What a dose asks, and one gentle step.


def test_work_is_sets_times_reps_times_hold_times_load() -> None:
    assert work(Dose(3, 12, None, 60, 10.0)) == 360
    assert work(Dose(2, None, 30, 15)) == 60
    assert work(Dose(2, 6, 5, 30)) == 60
    assert work(Dose(1, 8, None, 0)) == 8


def test_one_gentle_step_is_at_most_20_percent_more_work_and_one_plate_more_load() -> None:
    thresholds = program().thresholds
    assert gentle(Dose(1, 10, None, 0), Dose(1, 12, None, 0), thresholds)  # +20%
    assert not gentle(Dose(1, 10, None, 0), Dose(1, 13, None, 0), thresholds)  # +30%
    assert gentle(Dose(2, 6, 5, 30), Dose(2, 6, 6, 30), thresholds)  # a second more: +20%
    # The next load with fewer reps: +4% of work, 2.5 lb more.
    assert gentle(Dose(3, 12, None, 60, 10.0), Dose(3, 10, None, 60, 12.5), thresholds)
    assert not gentle(Dose(3, 12, None, 60, 10.0), Dose(3, 8, None, 60, 15.0), thresholds)
    # A first load counts whole, however little the work.
    assert not gentle(Dose(3, 12, None, 60), Dose(1, 1, None, 60, 10.0), thresholds)
    assert gentle(Dose(3, 12, None, 60), Dose(2, 10, None, 60), thresholds)  # less is gentle


def _ladder(phase: int, exercise_id: str) -> tuple[Dose, ...]:
    prescription = program().phase(phase).prescription(exercise_id)
    assert prescription is not None
    return prescription.steps


def test_entry_step_forward_is_the_highest_step_one_gentle_step_over_the_last_dose() -> None:
    thresholds = program().thresholds
    bridge = _ladder(2, "glute-bridge")
    # Never done: the first step.
    assert entry_step(bridge, last=None, current=None, rise=True, thresholds=thresholds) == 0
    # 2 x 7 x 3 s (42) last: 2 x 8 x 3 s (48, +14%), not 2 x 9 x 3 s (54, +29%).
    last = Dose(2, 7, 3, 45)
    step = entry_step(bridge, last=last, current=None, rise=True, thresholds=thresholds)
    assert bridge[step] == Dose(2, 8, 3, 45)
    # Back in a phase reached before: no higher than the step reached there.
    assert entry_step(bridge, last=last, current=0, rise=True, thresholds=thresholds) == 0
    # The squat at 3 x 12 with 10 lb: 3 x 10 with 12.5 lb (+4%), not 3 x 12 with 12.5 lb.
    squat = _ladder(3, "squat")
    last = Dose(3, 12, None, 60, 10.0)
    step = entry_step(squat, last=last, current=None, rise=True, thresholds=thresholds)
    assert squat[step] == Dose(3, 10, None, 60, 12.5)


def test_entry_step_back_is_the_highest_step_asking_no_more_than_the_last_dose() -> None:
    thresholds = program().thresholds
    squat = _ladder(3, "squat")
    # 3 x 10 with 15 lb asks as much work as 3 x 12 with 12.5 lb, but a heavier load.
    last = Dose(3, 12, None, 60, 12.5)
    step = entry_step(squat, last=last, current=None, rise=False, thresholds=thresholds)
    assert squat[step] == last
    bridge = _ladder(1, "glute-bridge")
    last = Dose(3, 8, 4, 45)  # 96: phase 1's bridge tops out at 3 x 10 x 3 s (90)
    assert entry_step(bridge, last=last, current=None, rise=False, thresholds=thresholds) == 8
    assert entry_step(bridge, last=last, current=2, rise=False, thresholds=thresholds) == 2
    # When even the first step asks more, the first step.
    first = entry_step(
        bridge, last=Dose(1, 1, 1, 45), current=None, rise=False, thresholds=thresholds
    )
    assert first == 0


def test_a_step_into_a_harder_version_is_gentle_by_its_volume_and_a_first_weight() -> None:
    thresholds = program().thresholds
    knees = Dose(1, 5, 12, 30, variant="knees")
    assert gentle(knees, Dose(1, 3, 10, 30), thresholds)  # fewer, shorter holds on the feet
    assert gentle(knees, Dose(1, 6, 12, 30), thresholds)  # +20% volume, the most
    assert not gentle(knees, Dose(1, 7, 12, 30), thresholds)
    turn = Dose(2, 8, None, 60, variant="turn")
    assert gentle(turn, Dose(2, 6, None, 60, 10), thresholds)  # a first weight of 10 lb
    assert not gentle(turn, Dose(2, 6, None, 60, 12.5), thresholds)
    # Within one version a first weight is a rise like any other: 2.5 lb at most.
    assert not gentle(Dose(2, 8, None, 60), Dose(2, 6, None, 60, 10), thresholds)
    # A version that already has a weight adds 2.5 lb at most.
    loaded = Dose(2, 8, None, 60, 10, variant="turn")
    assert not gentle(loaded, Dose(2, 6, None, 60, 15), thresholds)
    assert gentle(loaded, Dose(2, 6, None, 60, 12.5), thresholds)


def test_the_volume_counts_sets_reps_and_holds_without_the_load() -> None:
    assert volume(Dose(2, None, 30, 15)) == 60
    assert volume(Dose(3, 8, None, 60, 12.5)) == 24
    assert volume(Dose(2, 6, 5, 30)) == 60


def test_the_load_limits_at_their_edges() -> None:
    thresholds = program().thresholds
    turn = Dose(2, 8, None, 60, variant="turn")
    assert not gentle(turn, Dose(2, 6, None, 60, 11), thresholds)  # a first weight over 10
    # With the smallest added weight a clinician may set (0.5 lb), unloaded steps still rise.
    fine = replace(thresholds, load_step_lb=0.5)
    assert gentle(Dose(2, 6, None, 30), Dose(2, 7, None, 30), fine)
    # Going back a phase never adds a weight, however light.
    ladder = (Dose(1, 5, None, 0), Dose(1, 4, None, 0, 1.0))
    back = entry_step(
        ladder, last=Dose(1, 5, None, 0), current=None, rise=False, thresholds=thresholds
    )
    assert back == 0


def test_steep_steps_are_reported_in_ladder_order_with_the_volume_of_a_new_version() -> None:
    """Side plank's phase 3 starting at 2 x 4 x 12 s on the feet (96) after phase 2's first
    step on the knees (30: +220% volume), and a later step of +25%."""
    steps = (Dose(2, 4, 12, 30), Dose(2, 5, 12, 30))
    steep = _with_steps(3, "side-plank", steps)
    assert [(d.facts["step"], d.facts["rise_pct"]) for d in steep_steps(steep)] == [
        (1, 220.0),
        (2, 25.0),
    ]


def test_entering_a_phase_never_changes_the_version() -> None:
    thresholds = program().thresholds
    plank = _ladder(2, "side-plank")
    on_knees = Dose(1, 3, 12, 30, variant="knees")  # 36: the feet's 1 x 3 x 10 (30) is gentle
    step = entry_step(plank, last=on_knees, current=None, rise=True, thresholds=thresholds)
    assert plank[step] == Dose(1, 4, 10, 30, variant="knees")
    back = entry_step(
        plank, last=Dose(1, 4, 10, 30), current=None, rise=False, thresholds=thresholds
    )
    assert plank[back] == Dose(1, 4, 10, 30)  # the feet, not the knees' 1 x 5 x 10 (50)
    # Phase 3 has no knee steps: its first step.
    into_3 = _ladder(3, "side-plank")
    assert entry_step(into_3, last=on_knees, current=None, rise=True, thresholds=thresholds) == 0
    hinge = _ladder(3, "hip-hinge")
    drill = Dose(3, 10, None, 30, variant="dowel")
    assert entry_step(hinge, last=drill, current=None, rise=True, thresholds=thresholds) == 0


# dosage.phase_entry


def _seen(follower: Follower, on: date) -> dict[str, PlannedExercise]:
    [plan] = [p for p in follower.plans if p.on == on]
    return {e.exercise_id: e for e in plan.exercises}


def _assert_entry(last: PlannedExercise, entered: PlannedExercise, phase: int) -> None:
    """The dose at the entry is of the version last done and asks at most 20% more than the
    dose last done, the next step of that version more (or, where the new phase does not
    have that version, it is the first step), and the plan says so with both doses."""
    ladder = _ladder(phase, entered.exercise_id)
    if all(d.variant != last.dose.variant for d in ladder):
        assert entered.step == 0
    else:
        assert entered.dose.variant == last.dose.variant
        assert work(entered.dose) <= work(last.dose) * 1.2 + 1e-9
        following = [d for d in ladder[entered.step + 1 :] if d.variant == last.dose.variant]
        if following:
            assert work(following[0]) > work(last.dose) * 1.2
    [decision] = entered.decisions
    assert decision.rule == "dosage.phase_entry"
    assert decision.facts == {
        "exercise": entered.exercise_id,
        "phase": phase,
        "dose": entered.dose,
        "last_dose": last.dose,
    }


def test_dosage_phase_entry_the_bridge_into_phase_2_rises_at_most_one_gentle_step() -> None:
    """Phase 2 on Monday day 7: the bridge was done at 2 x 7 x 3 s on Friday (issue #13:
    it once jumped from 2 x 8 x 3 s to 3 x 10 x 5 s)."""
    follower = Follower(program(), history(), weekly=4)
    follower.follow(day(7))
    last, entered = _seen(follower, day(4))["glute-bridge"], _seen(follower, day(7))["glute-bridge"]
    assert last.dose == Dose(2, 7, 3, 45)
    assert entered.dose == Dose(2, 8, 3, 45)
    _assert_entry(last, entered, 2)


def test_dosage_phase_entry_from_the_top_of_phase_1_is_exactly_20_percent_more() -> None:
    """Held in phase 1 (over 50, a new episode) until the bridge is at its top step,
    3 x 10 x 3 s (90); cleared on Thursday day 38, phase 2 on Friday at 3 x 9 x 4 s (108)."""
    held = history(who=profile(age=60, pain_weeks=4))
    follower = Follower(program(), held, weekly=4)
    follower.extra[day(38)] = [clearance(day(38), "over_50_new_episode")]
    follower.follow(day(39))
    last, entered = (
        _seen(follower, day(37))["glute-bridge"],
        _seen(follower, day(39))["glute-bridge"],
    )
    assert last.dose == _ladder(1, "glute-bridge")[-1]
    assert entered.dose == Dose(3, 9, 4, 45)
    assert work(entered.dose) == work(last.dose) * 1.2
    _assert_entry(last, entered, 2)


@pytest.mark.parametrize(
    ("checkins", "last_day", "entry_day"),
    [
        ({day(7): (4, None)}, 11, 14),  # a week in phase 2
        ({day(28): (4, None)}, 25, 28),  # three weeks (no check-in until day 28)
    ],
    ids=["one-week", "three-weeks"],
)
def test_dosage_phase_entry_side_plank_and_bird_dog_into_phase_3(
    checkins: dict[date, tuple[int | None, tuple[int, ...] | None]],
    last_day: int,
    entry_day: int,
) -> None:
    follower = Follower(program(), history(), checkins=checkins)
    follower.follow(day(entry_day))
    before, after = _seen(follower, day(last_day)), _seen(follower, day(entry_day))
    assert [p.phase for p in follower.plans if p.on in (day(last_day), day(entry_day))] == [2, 3]
    for exercise_id in ("side-plank", "bird-dog"):
        _assert_entry(before[exercise_id], after[exercise_id], 3)


def test_dosage_phase_entry_new_exercises_start_at_their_first_step() -> None:
    # With every weight the steps ask for, the plan gives the program's doses as they are.
    follower = Follower(program(), history(who=profile(equipment=RACK)), weekly=4)
    follower.follow(day(14))
    new_in = (
        (7, 2, ("bird-dog", "side-plank", "hip-hinge")),
        (14, 3, ("squat", "lunge-with-twist")),
    )
    for entry_day, phase, new in new_in:
        seen = _seen(follower, day(entry_day))
        for exercise_id in new:
            assert seen[exercise_id].step == 0
            assert seen[exercise_id].dose == _ladder(phase, exercise_id)[0]
            assert seen[exercise_id].decisions == ()


def test_dosage_phase_entry_going_back_a_phase_asks_no_more_than_the_dose_last_done() -> None:
    """Three weeks of phase 2 (no check-in for the gate), then numbness in one leg on Thursday
    day 26: phase 1 again (Entry back), at most what was last done of each exercise, or the
    first step where even that asks more (cat-cow: 2 x 6 in phase 1, 1 x 10 in phase 2)."""
    follower = Follower(program(), history())
    follower.extra[day(26)] = [CheckIn(day(26), symptoms=("leg_numbness",))]
    follower.follow(day(28))
    last, back = _seen(follower, day(25)), _seen(follower, day(28))
    assert [p.phase for p in follower.plans if p.on in (day(25), day(28))] == [2, 1]
    for exercise_id, entered in back.items():
        assert [d.rule for d in entered.decisions] == ["dosage.phase_entry"]
        first = _ladder(1, exercise_id)[0]
        if exercise_id in last:
            done = last[exercise_id].dose
            assert work(entered.dose) <= max(work(done), work(first)), exercise_id
    # The bridge was at 3 x 8 x 3 s in phase 2 (phase 1 has it too, at step 6), but in
    # phase 1 it had reached step 1 only.
    assert last["glute-bridge"].dose == Dose(3, 8, 3, 45)
    assert back["glute-bridge"].step == 1


# dosage.flare


def test_dosage_flare_eases_every_exercise_one_step_and_says_so() -> None:
    """Each exercise at step 1 after Wednesday; a flare-up at Monday's check-in (7, the
    week before 6): every exercise one step lower, the plan naming the lighter dose."""
    follower = Follower(program(), history(), checkins={day(7): (7, None)})
    follower.follow(day(7))
    assert {e.step for e in _seen(follower, day(4)).values()} == {1}
    for exercise_id, planned in _seen(follower, day(7)).items():
        assert planned.step == 0
        assert planned.decisions == (
            Decision(
                RuleId.DOSAGE_FLARE,
                {"exercise": exercise_id, "on": day(7), "dose": _ladder(1, exercise_id)[0]},
            ),
        )


# content.gentle_steps: the ladders themselves.


def test_steep_steps_finds_none_in_the_shipped_program() -> None:
    assert steep_steps(program()) == ()


def _with_steps(phase: int, exercise_id: str, steps: tuple[Dose, ...]) -> Program:
    shipped = program()
    phases = list(shipped.phases)
    changed = phases[phase - 1]
    prescriptions = tuple(
        Prescription(exercise_id, steps) if p.exercise_id == exercise_id else p
        for p in changed.prescriptions
    )
    phases[phase - 1] = replace(changed, prescriptions=prescriptions)
    return replace(shipped, phases=tuple(phases))


def test_steep_steps_refuses_a_step_of_more_than_20_percent() -> None:
    steep = _with_steps(
        1, "cat-cow", (Dose(2, 6, None, 30), Dose(2, 7, None, 30), Dose(2, 9, None, 30))
    )
    assert steep_steps(steep) == (
        Decision(
            RuleId.CONTENT_GENTLE_STEPS,
            {"exercise": "cat-cow", "phase": 1, "step": 3, "rise_pct": 28.6, "max_pct": 20},
        ),
    )
    gentle_enough = _with_steps(1, "cat-cow", (Dose(2, 6, None, 30), Dose(2, 7, None, 30)))
    assert steep_steps(gentle_enough) == ()


def test_steep_steps_refuses_a_phase_that_starts_far_above_the_phase_before() -> None:
    """Bird-dog's phase 3 starting at 2 x 6 x 10 s (120) after phase 2's 2 x 5 x 5 s (50)."""
    shipped = _ladder(3, "bird-dog")
    steep = _with_steps(3, "bird-dog", shipped[5:])
    assert shipped[5] == Dose(2, 6, 10, 30)
    assert steep_steps(steep) == (
        Decision(
            RuleId.CONTENT_GENTLE_STEPS,
            {"exercise": "bird-dog", "phase": 3, "step": 1, "rise_pct": 140.0, "max_pct": 20},
        ),
    )


def test_steep_steps_refuses_a_load_that_rises_more_than_one_plate() -> None:
    squat = _ladder(3, "squat")
    steep = _with_steps(3, "squat", (squat[0], Dose(3, 6, None, 60, 15.0)))
    # 3 x 6 with 15 lb asks only 12.5% more work than 3 x 8 with 10 lb, but 5 lb more.
    [refused] = steep_steps(steep)
    assert refused.facts["step"] == 2 and refused.facts["rise_pct"] == 12.5
