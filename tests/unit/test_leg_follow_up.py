"""After pain down the leg, a fall or more pain after a session (rules pain.leg_check,
pain.leg_follow_up, screening.follow_up): the whole session eases, and the next one opens
with the safety questions."""

from __future__ import annotations

from lumbar.domain.model import CheckIn, Pain, Range
from lumbar.domain.plan import plan_day
from lumbar.domain.rules import RuleId
from lumbar.domain.session import screening_due
from tests.builders import Follower, day, history, program, session

PHASE_1 = (
    "diaphragmatic-breathing",
    "cat-cow",
    "glute-bridge",
    "dead-bug",
    "hip-flexor-stretch",
    "piriformis-stretch",
    "childs-pose",
)


def _leg_day(offset: int) -> list[tuple[str, Pain]]:
    """A session where pain went down the leg at the piriformis stretch."""
    done = [(e, Pain.NONE) for e in PHASE_1[:5]]
    return [*done, ("piriformis-stretch", Pain.RADIATING)]


def test_pain_down_the_leg_eases_every_exercise_not_only_the_one_that_hurt() -> None:
    built = history(session(day(0), *_leg_day(0)))
    plan = plan_day(day(2), built, program())
    by_id = {e.exercise_id: e for e in plan.exercises}
    assert all(e.range is Range.REDUCED for e in plan.exercises)
    stretch = by_id["hip-flexor-stretch"]
    assert stretch.decisions[0].rule == RuleId.PAIN_LEG_FOLLOW_UP
    assert stretch.decisions[0].facts["on"] == day(0)
    assert by_id["piriformis-stretch"].decisions[0].rule == RuleId.PAIN_REDUCE_RANGE


def test_no_dose_steps_up_after_a_session_that_ended_with_pain_down_the_leg() -> None:
    clean = [(e, Pain.NONE) for e in PHASE_1]
    calm = history(session(day(0), *clean), session(day(2), *clean))
    leg = history(session(day(0), *clean), session(day(2), *_leg_day(2)))
    calm_plan = {e.exercise_id: e for e in plan_day(day(4), calm, program()).exercises}
    leg_plan = {e.exercise_id: e for e in plan_day(day(4), leg, program()).exercises}
    stepped = [e for e in PHASE_1 if calm_plan[e].step > leg_plan[e].step]
    assert stepped, "two clean sessions step some dose up"
    assert all(leg_plan[e].step <= calm_plan[e].step for e in PHASE_1)
    assert all(leg_plan[e].step == 0 for e in PHASE_1)


def test_the_next_session_opens_with_the_safety_questions_until_they_are_answered() -> None:
    base = [session(day(0), *_leg_day(0))]
    plan = plan_day(day(2), history(*base), program())
    assert screening_due(plan) == "leg_check"
    leg_check = next(a for a in plan.alerts if a.code == "leg_check")
    assert leg_check.decision.rule == RuleId.PAIN_LEG_CHECK
    # Answered right after the session (the same day): still asked at the next session.
    same_day = history(*base, CheckIn(day(0), screened=True))
    assert screening_due(plan_day(day(2), same_day, program())) == "leg_check"
    answered = history(*base, CheckIn(day(2), screened=True))
    assert screening_due(plan_day(day(2), answered, program())) is None
    # Or the next session recorded without them (the API): it is over then.
    later = history(*base, session(day(2), ("cat-cow", Pain.NONE)))
    assert "leg_check" not in {a.code for a in plan_day(day(4), later, program()).alerts}


def test_a_problem_report_asks_the_safety_questions_before_the_next_session() -> None:
    reported = history(CheckIn(day(1), follow_up=True))
    plan = plan_day(day(2), reported, program())
    assert screening_due(plan) == "problem_check"
    assert next(a for a in plan.alerts if a.code == "problem_check").decision.rule == (
        RuleId.SCREENING_FOLLOW_UP
    )
    answered = history(CheckIn(day(1), follow_up=True), CheckIn(day(2), screened=True))
    assert screening_due(plan_day(day(2), answered, program())) is None


def test_a_whole_calm_journey_is_never_asked_again_for_nothing() -> None:
    built = Follower(program(), history()).follow(day(40))
    asked = [
        on
        for offset in range(41)
        if (on := day(offset))
        and screening_due(plan_day(on, built, program())) not in (None, "phase_change_check")
    ]
    assert asked == []
