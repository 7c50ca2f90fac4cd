"""Moving between phases, forward and back (rules progression.* and regression.*)."""

from __future__ import annotations

from datetime import date

from lumbar.domain.decisions import Decision
from lumbar.domain.model import Kind, Level, Pain, Range, TrainingDays
from lumbar.domain.plan import plan_day, program_status
from lumbar.domain.progression import gate
from tests.builders import Follower, day, history, profile, program


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

    h = Follower(program(), history(), pain=pain).follow(day(10))
    status = program_status(day(10), h, program())
    assert status.phase == 1
    friday = plan_day(day(11), h, program())
    assert friday.phase == 2  # the first session after the pain-free week


def test_every_other_day_can_advance_on_the_thursday() -> None:
    days = TrainingDays(every_other_day=True)

    def pain(on: date, exercise: str) -> Pain:
        return Pain.SHARP if (on, exercise) == (day(2), "dead-bug") else Pain.NONE

    follower = Follower(program(days), history(who=profile(days=days)), pain=pain)
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
    follower = Follower(program(), history(), pain=_bird_dog_hurts_twice)
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

    h = Follower(program(), history(), pain=pain).follow(day(2))
    plan = plan_day(day(4), h, program())
    assert plan.phase == 1
    bridge = next(e for e in plan.exercises if e.exercise_id == "glute-bridge")
    assert bridge.range is Range.REDUCED
    floor = [a for a in plan.alerts if a.code == "phase1_bad_pain"]
    assert floor and floor[0].level is Level.SEE_CLINICIAN
    assert floor[0].decision.facts == {"exercise": "glute-bridge", "on": day(2)}


def test_progression_program_complete_after_the_third_phase_gate() -> None:
    h = Follower(program(), history()).follow(day(30))
    status = program_status(day(30), h, program())
    assert [c.to_phase for c in status.phase_history] == [1, 2, 3]
    assert [c.on for c in status.phase_history] == [day(0), day(7), day(14)]
    assert status.completed_on == day(21)
    assert status.phase == 3
    assert plan_day(day(21), h, program()).decisions[-2].rule == "progression.program_complete"
    assert plan_day(day(23), h, program()).kind is Kind.SESSION
