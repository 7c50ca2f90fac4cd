"""Moving between phases, forward and back (rules progression.* and regression.*)."""

from __future__ import annotations

from datetime import date

from lumbar.domain.decisions import Decision
from lumbar.domain.model import DayPlan, Kind, Level, Pain, Range, SessionLog, TrainingDays
from lumbar.domain.plan import plan_day, program_status
from lumbar.domain.progression import after_gap, gate
from tests.builders import Follower, clearance, day, history, profile, program, session

PHASE_1 = tuple(p.exercise_id for p in program().phase(1).prescriptions)


def _gate_decision(on: date, *, sessions: int = 3, last_bad_pain: date | None = None) -> Decision:
    return gate(
        on,
        phase=1,
        last_phase=3,
        phase_started=day(0),
        sessions_in_phase=sessions,
        last_bad_pain=last_bad_pain,
        gate=program().gate,
    )


def _gate(on: date, *, sessions: int = 3, last_bad_pain: date | None = None) -> str:
    return _gate_decision(on, sessions=sessions, last_bad_pain=last_bad_pain).rule


def test_progression_advance_phase_after_a_week_three_sessions_and_no_bad_pain() -> None:
    assert _gate(day(7)) == "progression.advance_phase"
    assert _gate(day(6)) == "progression.not_yet"
    assert _gate(day(7), sessions=2) == "progression.not_yet"


def test_pain_on_a_wednesday_holds_the_gate_until_the_thursday_of_the_next_week() -> None:
    wednesday = day(2)
    assert wednesday.strftime("%a") == "Wed"
    assert _gate(day(9), last_bad_pain=wednesday) == "progression.not_yet"  # next Wednesday
    assert _gate(day(10), last_bad_pain=wednesday) == "progression.advance_phase"  # Thursday


def test_progression_not_yet_says_when_the_gate_can_open() -> None:
    decision = _gate_decision(day(3), sessions=2, last_bad_pain=day(2))
    assert decision.rule == "progression.not_yet"
    assert decision.facts == {
        "phase": 1,
        "days": 3,
        "min_days": 7,
        "sessions": 2,
        "min_sessions": 3,
        "pain_free_days": 7,
        "earliest": day(10),
    }


def test_the_plan_advances_at_the_next_planned_session_and_says_why() -> None:
    follower = Follower(program(), history())
    follower.follow(day(5))
    saturday = plan_day(day(5), follower.history, program())
    assert saturday.kind is Kind.REST and saturday.phase == 1
    assert saturday.decisions[-1].rule == "progression.ready"
    assert saturday.decisions[-1].facts == {"to_phase": 2, "next_session": day(7)}
    monday = plan_day(day(7), follower.history, program())
    assert monday.phase == 2
    advance = monday.decisions[-1]
    assert advance.rule == "progression.advance_phase"
    assert advance.facts == {
        "from_phase": 1,
        "to_phase": 2,
        "days": 7,
        "sessions": 3,
        "pain_free_since": day(0),
    }
    assert [e.exercise_id for e in monday.exercises] == [
        p.exercise_id for p in program().phase(2).prescriptions
    ]


def test_a_week_with_bad_pain_never_earns_the_next_phase() -> None:
    def pain(on: date, exercise: str) -> Pain:
        return Pain.SHARP if (on, exercise) == (day(2), "dead-bug") else Pain.NONE

    h = Follower(program(), history(), pain=pain, weekly=4).follow(day(10))
    status = program_status(day(10), h, program())
    assert status.phase == 1
    friday = plan_day(day(11), h, program())
    assert friday.phase == 2  # the first session after the pain-free week


def test_every_other_day_can_advance_on_the_thursday() -> None:
    days = TrainingDays(every_other_day=True)

    def pain(on: date, exercise: str) -> Pain:
        return Pain.SHARP if (on, exercise) == (day(2), "dead-bug") else Pain.NONE

    follower = Follower(program(days), history(who=profile(days=days)), pain=pain, weekly=4)
    h = follower.follow(day(9))
    assert plan_day(day(10), h, program(days)).phase == 2
    assert day(10).strftime("%a") == "Thu"


def _bird_dog_hurts_twice(on: date, exercise: str) -> Pain:
    """Sharp pain on bird-dog in phase 2, at full range (day 9) and at reduced range (day 11)."""
    if exercise == "bird-dog" and on in (day(9), day(11)):
        return Pain.SHARP
    return Pain.NONE


def test_regression_revert_phase_after_bad_pain_again_at_reduced_range() -> None:
    follower = Follower(program(), history(), pain=_bird_dog_hurts_twice)
    h = follower.follow(day(11))
    wednesday = next(p for p in follower.plans if p.on == day(11))
    bird_dog = next(e for e in wednesday.exercises if e.exercise_id == "bird-dog")
    assert bird_dog.range is Range.REDUCED
    status = program_status(day(12), h, program())
    assert status.phase == 1 and status.phase_started == day(11)
    change = status.phase_history[-1]
    assert change.decision.rule == "regression.revert_phase"
    assert change.decision.facts == {
        "exercise": "bird-dog",
        "from_phase": 2,
        "to_phase": 1,
        "min_days": 7,
    }
    assert any(a.code == "phase_change_check" for a in status.alerts)


def test_going_back_up_after_a_regression_passes_the_same_gate() -> None:
    follower = Follower(program(), history(), pain=_bird_dog_hurts_twice, weekly=4)
    h = follower.follow(day(20))
    assert program_status(day(20), h, program()).phase == 1
    assert plan_day(day(18), h, program()).phase == 1  # only 2 sessions in phase 1 before it
    monday = plan_day(day(21), h, program())
    assert monday.phase == 2
    bird_dog = next(e for e in monday.exercises if e.exercise_id == "bird-dog")
    assert bird_dog.range is Range.REDUCED and bird_dog.step == 0


def test_regression_phase1_floor_stays_reduced_and_asks_for_a_clinician() -> None:
    def pain(on: date, exercise: str) -> Pain:
        if exercise == "glute-bridge" and on in (day(0), day(2)):
            return Pain.SHARP
        return Pain.NONE

    follower = Follower(program(), history(), pain=pain)
    h = follower.follow(day(2))
    wednesday = next(p for p in follower.plans if p.on == day(2))
    bridge = next(e for e in wednesday.exercises if e.exercise_id == "glute-bridge")
    assert bridge.range is Range.REDUCED  # Monday's sharp pain: Wednesday at reduced range
    plan = plan_day(day(4), h, program())
    assert plan.phase == 1
    # Hurt again at reduced range: left out for now (regression.withdrawn).
    assert "glute-bridge" not in [e.exercise_id for e in plan.exercises]
    floor = [a for a in plan.alerts if a.code == "phase1_bad_pain"]
    assert floor and floor[0].level is Level.SEE_CLINICIAN
    assert floor[0].decision.rule == "regression.phase1_floor"
    assert floor[0].decision.facts == {"exercise": "glute-bridge", "on": day(2)}


def test_progression_program_complete_after_the_third_phase_gate() -> None:
    h = Follower(program(), history(), weekly=4).follow(day(30))
    status = program_status(day(30), h, program())
    assert [c.to_phase for c in status.phase_history] == [1, 2, 3]
    assert [c.on for c in status.phase_history] == [day(0), day(7), day(14)]
    assert status.completed_on == day(21)
    assert status.phase == 3
    assert plan_day(day(21), h, program()).decisions[-2].rule == "progression.program_complete"
    # Then maintenance: Monday and Friday (schedule.maintenance).
    assert plan_day(day(23), h, program()).kind is Kind.REST
    friday = plan_day(day(25), Follower(program(), history(), weekly=4).follow(day(24)), program())
    assert friday.decisions[0].rule == "schedule.maintenance"


# regression.after_gap and dosage.after_gap: days counted strictly between two sessions.


def _full(offset: int) -> SessionLog:
    return session(day(offset), *((e, Pain.NONE) for e in PHASE_1))


def _steps(plan: DayPlan) -> dict[str, int]:
    return {e.exercise_id: e.step for e in plan.exercises}


def test_after_gap_counts_the_days_strictly_between_two_sessions() -> None:
    thresholds = program().thresholds

    def rule(last: int, on: int, phase: int = 2) -> str | None:
        decided = after_gap(day(on), last_session=day(last), phase=phase, thresholds=thresholds)
        return None if decided is None else decided.rule

    assert rule(4, 11) is None  # 6 days between
    assert rule(4, 12) == "dosage.after_gap"  # 7
    assert rule(4, 18) == "dosage.after_gap"  # 13
    assert rule(4, 19) == "regression.after_gap"  # 14
    assert after_gap(day(4), last_session=None, phase=1, thresholds=thresholds) is None
    dropped = after_gap(day(19), last_session=day(4), phase=1, thresholds=thresholds)
    assert dropped is not None
    assert dropped.facts == {"last_session": day(4), "days": 14, "from_phase": 1, "to_phase": 1}


def test_dosage_after_gap_one_step_lower_after_7_days_without_a_session_not_6() -> None:
    """Monday, Wednesday, Friday: every exercise at step 1. Back on the next Friday (6 days
    between) nothing changes; back on the Saturday (7 days between), one step lower."""
    h = history(_full(0), _full(2), _full(4))
    friday = plan_day(day(11), h, program())
    assert set(_steps(friday).values()) == {1}
    assert "dosage.after_gap" not in [d.rule for d in friday.decisions]
    saturday = plan_day(day(12), h, program())
    assert saturday.kind is Kind.SESSION and saturday.phase == 1
    assert set(_steps(saturday).values()) == {0}
    [eased] = [d for d in saturday.decisions if d.rule == "dosage.after_gap"]
    assert eased.facts == {"last_session": day(4), "days": 7, "phase": 1}
    # The phase's session count starts again: fresh evidence for the gate.
    assert program_status(day(12), h, program()).sessions_in_phase == 0


def test_regression_after_gap_one_phase_lower_after_14_days_not_13() -> None:
    """Phase 2 from Monday day 7; the last session on Wednesday day 9. Back on Monday day 23
    (13 days between): phase 2, one dose step lower. On Tuesday day 24 (14 days between):
    phase 1, every exercise at its first step, the phase's clock started again."""
    follower = Follower(program(), history())
    h = follower.follow(day(9))
    [wednesday] = [p for p in follower.plans if p.on == day(9)]
    assert wednesday.phase == 2
    assert max(_steps(wednesday).values()) > 0

    # Wednesday's was the second clean session of phase 2: every exercise stepped up after
    # it, unless on its last step already; the gap takes each one step back.
    tops = {p.exercise_id: len(p.steps) - 1 for p in program().phase(2).prescriptions}
    after_wednesday = {e: min(s + 1, tops[e]) for e, s in _steps(wednesday).items()}
    monday = plan_day(day(23), h, program())
    assert monday.phase == 2
    assert "dosage.after_gap" in [d.rule for d in monday.decisions]
    assert _steps(monday) == {e: max(0, s - 1) for e, s in after_wednesday.items()}
    assert _steps(plan_day(day(16), h, program())) == after_wednesday  # 6 days between

    tuesday = program_status(day(24), h, program())
    assert tuesday.phase == 1 and tuesday.phase_started == day(24)
    assert tuesday.sessions_in_phase == 0
    change = tuesday.phase_history[-1]
    assert (change.on, change.from_phase, change.to_phase) == (day(24), 2, 1)
    assert change.decision.rule == "regression.after_gap"
    assert change.decision.facts == {
        "last_session": day(9),
        "days": 14,
        "from_phase": 2,
        "to_phase": 1,
    }
    assert set(_steps(tuesday.plan).values()) == {0}
    assert len(tuesday.plan.exercises) == len(PHASE_1)


def test_regression_after_gap_in_phase_1_stays_in_phase_1_from_the_first_steps() -> None:
    """A person held in phase 1 (over 50, a new episode) at step 2 of each exercise after
    five sessions: 13 days off, one step lower; 14 days off, the first steps."""
    held = history(who=profile(age=60, pain_weeks=4))
    follower = Follower(program(), held)
    h = follower.follow(day(9))
    assert program_status(day(9), h, program()).plan.phase == 1
    thirteen = plan_day(day(23), h, program())
    assert set(_steps(thirteen).values()) == {1}
    fourteen = program_status(day(24), h, program())
    assert fourteen.phase == 1
    assert set(_steps(fourteen.plan).values()) == {0}
    assert "regression.after_gap" in [d.rule for d in fourteen.plan.decisions]
    assert len(fourteen.phase_history) == 1  # no phase to go down to: no change recorded


# regression.withdrawn: an exercise that still hurts at reduced range in phase 1.


def _bridge_hurts_twice(on: date, exercise: str) -> Pain:
    """Sharp pain on the glute bridge at full range (day 0) and at reduced range (day 2)."""
    if exercise == "glute-bridge" and on in (day(0), day(2)):
        return Pain.SHARP
    return Pain.NONE


def test_regression_withdrawn_leaves_the_exercise_out_and_sessions_without_it_complete() -> None:
    follower = Follower(program(), history(), pain=_bridge_hurts_twice)
    h = follower.follow(day(7))
    [friday] = [p for p in follower.plans if p.on == day(4)]
    assert "glute-bridge" not in [e.exercise_id for e in friday.exercises]
    assert len(friday.exercises) == len(PHASE_1) - 1
    [left_out] = [d for d in friday.decisions if d.rule == "regression.withdrawn"]
    assert left_out.facts == {"exercise": "glute-bridge", "on": day(2), "days": 14}
    # Friday's and Monday's sessions without it count toward the gate (none is partial).
    status = program_status(day(7), h, program())
    assert status.sessions_in_phase == 4
    assert status.improvement.completed_sessions == 3  # before Monday
    assert "progression.partial_session" not in [d.rule for d in status.plan.decisions]


def test_a_withdrawn_exercise_comes_back_after_14_days_without_bad_pain() -> None:
    """The last bad pain on Wednesday day 2: still left out on Monday day 14 (12 days), back
    at reduced range on Wednesday day 16 (14 days)."""
    follower = Follower(program(), history(), pain=_bridge_hurts_twice)
    follower.follow(day(16))
    [monday] = [p for p in follower.plans if p.on == day(14)]
    assert "glute-bridge" not in [e.exercise_id for e in monday.exercises]
    [wednesday] = [p for p in follower.plans if p.on == day(16)]
    [bridge] = [e for e in wednesday.exercises if e.exercise_id == "glute-bridge"]
    assert bridge.range is Range.REDUCED
    assert "regression.withdrawn" not in [d.rule for d in wednesday.decisions]


def test_a_withdrawn_exercise_comes_back_after_a_clearance() -> None:
    follower = Follower(
        program(),
        history(),
        pain=_bridge_hurts_twice,
        extra={day(5): [clearance(day(5), "phase1_bad_pain")]},
    )
    follower.follow(day(7))
    [monday] = [p for p in follower.plans if p.on == day(7)]
    [bridge] = [e for e in monday.exercises if e.exercise_id == "glute-bridge"]
    assert bridge.range is Range.REDUCED
    assert "phase1_bad_pain" not in {a.code for a in monday.alerts}


def test_regression_after_gap_applies_after_the_program_is_complete() -> None:
    """Complete on Monday day 21 (a week per phase); then maintenance (Monday and Friday):
    last session Friday day 25. Back on Friday day 39 (13 days between): phase 3, a step
    lower. Back on Saturday day 40 (14 days): phase 2 at its first steps, the program no
    longer complete (issue #13: three weeks off, and the first session back opened phase 3
    with the squat at its last dose)."""
    follower = Follower(program(), history(), weekly=4)
    h = follower.follow(day(25))
    assert program_status(day(25), h, program()).completed_on == day(21)
    thirteen = plan_day(day(39), h, program())
    assert thirteen.phase == 3
    assert "dosage.after_gap" in [d.rule for d in thirteen.decisions]
    back = program_status(day(40), h, program())
    assert back.phase == 2 and back.completed_on is None
    assert "regression.after_gap" in [d.rule for d in back.plan.decisions]
    assert set(_steps(back.plan).values()) == {0}
