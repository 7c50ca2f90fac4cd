"""Pain check-ins after each exercise, and what bad pain changes (rules pain.*)."""

from __future__ import annotations

from datetime import date

from lumbar.domain.model import Level, Pain, Range
from lumbar.domain.pain import radiating_again, respond
from lumbar.domain.plan import plan_day, program_status
from tests.builders import Follower, clearance, day, history, program, session


def test_pain_continue_for_no_pain_and_a_dull_ache() -> None:
    assert respond("squat", Pain.NONE).rule == "pain.continue"
    assert respond("squat", Pain.ACHE).rule == "pain.continue"
    assert respond("squat", Pain.ACHE).facts == {"exercise": "squat", "pain": "ache"}


def test_pain_stop_exercise_for_sharp_pain() -> None:
    assert respond("squat", Pain.SHARP).rule == "pain.stop_exercise"


def test_pain_stop_session_for_pain_down_the_leg() -> None:
    assert respond("squat", Pain.RADIATING).rule == "pain.stop_session"


def test_pain_reduce_range_after_sharp_pain_next_time_only_for_that_exercise() -> None:
    h = history(session(day(0), ("cat-cow", Pain.NONE), ("glute-bridge", Pain.SHARP)))
    plan = plan_day(day(2), h, program())
    ranges = {e.exercise_id: e.range for e in plan.exercises}
    assert ranges["glute-bridge"] is Range.REDUCED
    assert {r for e, r in ranges.items() if e != "glute-bridge"} == {Range.FULL}
    bridge = next(e for e in plan.exercises if e.exercise_id == "glute-bridge")
    assert bridge.decisions[0].rule == "pain.reduce_range"
    assert bridge.decisions[0].facts == {
        "exercise": "glute-bridge",
        "pain": "sharp",
        "on": day(0),
        "clean_sessions": 2,
    }


def test_pain_reduce_range_after_pain_down_the_leg_too() -> None:
    h = history(session(day(0), ("dead-bug", Pain.RADIATING)))
    plan = plan_day(day(2), h, program())
    assert next(e for e in plan.exercises if e.exercise_id == "dead-bug").range is Range.REDUCED


def test_pain_radiating_twice_within_the_window_raises_a_see_clinician_alert() -> None:
    h = history(
        session(day(0), ("cat-cow", Pain.RADIATING)),
        session(day(14), ("cat-cow", Pain.NONE), ("glute-bridge", Pain.RADIATING)),
    )
    alerts = plan_day(day(16), h, program()).alerts
    radiating = [a for a in alerts if a.code == "radiating_twice"]
    assert radiating and radiating[0].level is Level.SEE_CLINICIAN
    assert radiating[0].decision.facts == {"first": day(0), "second": day(14), "window_days": 14}


def test_radiating_pain_15_days_apart_raises_no_alert() -> None:
    assert radiating_again(date(2026, 11, 2), date(2026, 11, 17), 14) is None
    assert radiating_again(date(2026, 11, 2), date(2026, 11, 16), 14) is not None
    assert radiating_again(None, date(2026, 11, 16), 14) is None


def test_a_see_clinician_pain_alert_stays_until_a_clinician_clears() -> None:
    painful = [
        session(day(0), ("cat-cow", Pain.RADIATING)),
        session(day(2), ("cat-cow", Pain.RADIATING)),
    ]
    later = plan_day(day(60), history(*painful), program())
    assert any(a.code == "radiating_twice" for a in later.alerts)
    status = program_status(day(60), history(*painful), program())
    assert any(a.code == "radiating_twice" for a in status.alerts)
    cleared = history(*painful, clearance(day(20), "radiating_twice"))
    alerts = plan_day(day(60), cleared, program()).alerts
    assert not any(a.code == "radiating_twice" for a in alerts)
    # Who cleared it stays visible, as for a red flag.
    notes = [a for a in alerts if a.code == "radiating_twice_cleared"]
    assert [(a.level, a.since, a.rule) for a in notes] == [
        (Level.INFO, day(20), "screening.cleared_reported")
    ]


def test_full_range_comes_back_after_two_clean_sessions_at_reduced_range() -> None:
    def pain(on: date, exercise: str) -> Pain:
        return Pain.SHARP if (on, exercise) == (day(0), "glute-bridge") else Pain.NONE

    follower = Follower(program(), history(), pain=pain)
    follower.follow(day(4))
    bridge = {
        p.on: e for p in follower.plans for e in p.exercises if e.exercise_id == "glute-bridge"
    }
    assert bridge[day(2)].range is Range.REDUCED
    assert bridge[day(4)].range is Range.REDUCED
    after = plan_day(day(7), follower.history, program())
    # Day 7 opens phase 2, where the bridge carries on at full range.
    assert next(e for e in after.exercises if e.exercise_id == "glute-bridge").range is Range.FULL
