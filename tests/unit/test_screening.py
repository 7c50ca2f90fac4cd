"""Screening: the triage tiers and what each one does to the plan (rules screening.*)."""

from __future__ import annotations

from datetime import timedelta

from lumbar.domain.model import CheckIn, Kind, Level
from lumbar.domain.plan import plan_day, program_status
from lumbar.domain.screening import (
    RED_FLAGS,
    intake_emergencies,
    new_episode_alert,
    refuse_minor,
    with_fragility,
)
from tests.builders import START, Follower, clearance, day, history, intake, profile, program

EMERGENCY = [code for code, level in RED_FLAGS.items() if level is Level.EMERGENCY]
URGENT = [code for code, level in RED_FLAGS.items() if level is Level.URGENT]


def test_the_tiers_are_those_of_the_evidence_brief() -> None:
    # Every code with its tier, in the order the questions are asked (emergency first).
    assert list(RED_FLAGS.items()) == [
        ("saddle_numbness", Level.EMERGENCY),
        ("bladder_bowel", Level.EMERGENCY),
        ("sexual_dysfunction", Level.EMERGENCY),
        ("both_legs", Level.EMERGENCY),
        ("leg_weakness_worsening", Level.EMERGENCY),
        ("major_trauma", Level.EMERGENCY),
        ("minor_trauma_fragile", Level.EMERGENCY),
        ("chest_pain", Level.EMERGENCY),
        ("fever", Level.URGENT),
        ("weight_loss", Level.URGENT),
        ("deformity", Level.URGENT),
        ("night_pain", Level.URGENT),
        ("cough_sneeze", Level.URGENT),
        ("thoracic_pain", Level.URGENT),
        ("cancer_history", Level.URGENT),
        ("infection_risk", Level.URGENT),
        ("recent_spinal_surgery", Level.URGENT),
        ("trauma", Level.URGENT),
        ("steroids_osteoporosis", Level.URGENT),
        ("leg_numbness", Level.SEE_CLINICIAN),
        ("leg_weakness", Level.SEE_CLINICIAN),
        ("below_knee_pain", Level.SEE_CLINICIAN),
        ("pregnancy", Level.SEE_CLINICIAN),
        ("not_coping", Level.SEE_CLINICIAN),
    ]


def test_screening_adult_only_refuses_under_18_and_accepts_18() -> None:
    refusal = refuse_minor(17)
    assert refusal is not None and refusal.rule == "screening.adult_only"
    assert refusal.facts == {"age": 17, "min_age": 18}
    assert refuse_minor(18) is None


def test_screening_emergency_blocks_the_program_with_no_exercises() -> None:
    for code in EMERGENCY:
        plan = plan_day(START, history(first=intake(symptoms=(code,))), program())
        assert plan.kind is Kind.BLOCKED
        assert plan.exercises == () and plan.daily == ()
        assert plan.next_session is None
        assert [a.code for a in plan.alerts if a.level is Level.EMERGENCY] == [code]
        assert plan.decisions[0].rule == "screening.emergency"


def test_screening_emergency_stays_blocked_until_a_clinician_clears() -> None:
    events = [CheckIn(day(3), symptoms=("both_legs",))]
    h = history(*events)
    for offset in range(3, 20):
        assert plan_day(day(offset), h, program()).kind is Kind.BLOCKED
    cleared = history(*events, clearance(day(20), "both_legs"))
    plan = plan_day(day(20), cleared, program())
    assert plan.kind is not Kind.BLOCKED
    notes = [a for a in plan.alerts if a.code == "both_legs_cleared"]
    assert notes and notes[0].level is Level.INFO and notes[0].rule == "screening.cleared_reported"
    assert notes[0].since == day(20)
    assert notes[0].decision.facts == {
        "symptom": "both_legs",
        "cleared_on": day(20),
        "by": "Dr Rao",
    }
    confirmed = history(*events, clearance(day(20), "both_legs", by="dr@clinic", confirmed=True))
    plan = plan_day(day(20), confirmed, program())
    assert plan.kind is not Kind.BLOCKED
    notes = [a for a in plan.alerts if a.code == "both_legs_cleared"]
    assert notes and notes[0].rule == "screening.cleared"
    assert notes[0].decision.facts == {
        "symptom": "both_legs",
        "cleared_on": day(20),
        "by": "dr@clinic",
    }


def test_screening_urgent_pauses_until_cleared_then_keeps_the_advice_visible() -> None:
    h = history(first=intake(symptoms=("fever",)))
    paused = plan_day(START, h, program())
    assert paused.kind is Kind.BLOCKED
    assert paused.alerts[0].level is Level.URGENT and paused.alerts[0].code == "fever"
    cleared = history(clearance(day(2), "fever"), first=intake(symptoms=("fever",)))
    plan = plan_day(day(2), cleared, program())
    assert plan.kind is Kind.SESSION
    assert [(a.level, a.code) for a in plan.alerts] == [(Level.INFO, "fever_cleared")]


def test_an_intake_followed_by_a_clearance_of_its_flag_runs_with_the_advice() -> None:
    h = history(clearance(START, "cancer_history"), first=intake(symptoms=("cancer_history",)))
    plan = plan_day(START, h, program())
    assert plan.kind is Kind.SESSION
    assert [a.code for a in plan.alerts] == ["cancer_history_cleared"]


def test_screening_see_clinician_keeps_phase_1_until_cleared() -> None:
    follower = Follower(program(), history(first=intake(symptoms=("leg_numbness",))), weekly=4)
    h = follower.follow(day(30))
    status = program_status(day(30), h, program())
    assert status.phase == 1
    assert any(a.code == "leg_numbness" and a.level is Level.SEE_CLINICIAN for a in status.alerts)
    assert "progression.held" in [d.rule for d in status.plan.decisions]
    follower.extra[day(31)] = [clearance(day(31), "leg_numbness")]
    after = program_status(day(33), follower.follow(day(33)), program())
    assert after.phase == 2
    assert not any(a.code == "leg_numbness" for a in after.alerts)
    notes = [a for a in after.alerts if a.code == "leg_numbness_cleared"]
    assert [(a.level, a.since, a.rule) for a in notes] == [
        (Level.INFO, day(31), "screening.cleared_reported")
    ]


def test_a_see_clinician_symptom_in_phase_2_brings_the_person_back_to_phase_1() -> None:
    follower = Follower(program(), history())
    follower.follow(day(10))
    assert program_status(day(10), follower.history, program()).phase == 2
    follower.extra[day(11)] = [CheckIn(day(11), symptoms=("leg_weakness",))]
    h = follower.follow(day(11))
    status = program_status(day(11), h, program())
    assert status.phase == 1
    change = status.phase_history[-1]
    assert (change.on, change.from_phase, change.to_phase) == (day(11), 2, 1)
    assert change.decision.rule == "screening.see_clinician"


def test_screening_new_episode_over_50_asks_for_a_clinician() -> None:
    alert = new_episode_alert(profile(age=51, pain_weeks=12))
    assert alert is not None and alert.level is Level.SEE_CLINICIAN
    assert alert.decision.facts == {"age": 51, "pain_weeks": 12, "max_weeks": 12}
    assert new_episode_alert(profile(age=50, pain_weeks=2)) is None
    assert new_episode_alert(profile(age=51, pain_weeks=13)) is None
    assert new_episode_alert(profile(age=70, pain_weeks=None)) is None


def test_screening_new_episode_under_20_asks_for_a_clinician() -> None:
    alert = new_episode_alert(profile(age=19, pain_weeks=12))
    assert alert is not None and alert.level is Level.SEE_CLINICIAN
    assert (alert.code, alert.since) == ("under_20_new_episode", START)
    assert alert.rule == "screening.new_episode_under_20"
    assert alert.decision.facts == {"age": 19, "pain_weeks": 12, "max_weeks": 12}
    assert new_episode_alert(profile(age=20, pain_weeks=2)) is None
    assert new_episode_alert(profile(age=19, pain_weeks=13)) is None
    assert new_episode_alert(profile(age=18, pain_weeks=None)) is None


def test_screening_an_injury_in_someone_older_or_fragile_is_an_emergency() -> None:
    assert with_fragility(("trauma",), age=64) == ("trauma",)
    assert with_fragility(("trauma",), age=65) == ("trauma", "minor_trauma_fragile")
    both = ("trauma", "steroids_osteoporosis")
    assert with_fragility(both, age=40) == (*both, "minor_trauma_fragile")
    told = frozenset({"steroids_osteoporosis"})
    assert with_fragility(("trauma",), age=40, reported=told) == ("trauma", "minor_trauma_fragile")
    assert with_fragility(("fever",), age=80, reported=told) == ("fever",)
    earlier = history(
        CheckIn(day(3), symptoms=("trauma",)), first=intake(symptoms=("steroids_osteoporosis",))
    )
    plan = plan_day(day(3), earlier, program())
    assert plan.kind is Kind.BLOCKED
    codes = {a.code: a.level for a in plan.alerts if a.level.blocks}
    assert codes["minor_trauma_fragile"] is Level.EMERGENCY
    assert codes["trauma"] is Level.URGENT


def test_screening_new_episode_holds_progression_until_cleared() -> None:
    who = profile(age=60, pain_weeks=3)
    h = Follower(program(), history(who=who)).follow(day(21))
    assert program_status(day(21), h, program()).phase == 1


def test_screening_phase_change_check_comes_with_every_phase_change() -> None:
    follower = Follower(program(), history())
    follower.follow(day(6))
    plan = plan_day(day(7), follower.history, program())
    assert plan.phase == 2
    checks = [a for a in plan.alerts if a.code == "phase_change_check"]
    assert checks and checks[0].level is Level.INFO
    assert checks[0].decision.facts == {"phase": 2}
    follower.follow(day(7))
    assert not any(
        a.code == "phase_change_check" for a in plan_day(day(8), follower.history, program()).alerts
    )


def test_a_phase_change_is_not_held_back_without_a_red_flag() -> None:
    h = Follower(program(), history()).follow(day(6))
    assert plan_day(day(7), h, program()).phase == 2
    assert plan_day(START + timedelta(days=7), h, program()).kind is Kind.SESSION


def test_a_clearance_clears_only_the_alerts_it_names_whatever_their_tier() -> None:
    reported = intake(symptoms=("bladder_bowel", "fever"))
    plan = plan_day(START, history(clearance(START, "fever"), first=reported), program())
    assert plan.kind is Kind.BLOCKED
    assert [a.code for a in plan.alerts if a.level.blocks] == ["bladder_bowel"]
    assert "fever_cleared" in [a.code for a in plan.alerts]
    assert "bladder_bowel_cleared" not in [a.code for a in plan.alerts]
    later = history(clearance(START, "fever"), clearance(day(1), "bladder_bowel"), first=reported)
    assert plan_day(day(1), later, program()).kind is Kind.SESSION


def test_a_clearance_does_not_clear_what_is_reported_after_it() -> None:
    before = history(clearance(day(1), "both_legs"), CheckIn(day(1), symptoms=("both_legs",)))
    plan = plan_day(day(1), before, program())
    assert plan.kind is Kind.BLOCKED
    assert "both_legs_cleared" not in [a.code for a in plan.alerts]


def test_an_emergency_reported_again_after_a_clearance_stays() -> None:
    h = history(
        CheckIn(day(1), symptoms=("both_legs",)),
        clearance(day(2), "both_legs"),
        CheckIn(day(2), symptoms=("both_legs",)),
    )
    plan = plan_day(day(2), h, program())
    assert plan.kind is Kind.BLOCKED
    assert [(a.code, a.since) for a in plan.alerts if a.level.blocks] == [("both_legs", day(2))]


def test_screening_emergency_at_intake_names_each_emergency_sign_and_nothing_else() -> None:
    answers = ("night_pain", "saddle_numbness", "leg_numbness", "bladder_bowel")
    alerts = intake_emergencies(answers, START)
    assert [a.code for a in alerts] == ["bladder_bowel", "saddle_numbness"]
    assert {a.level for a in alerts} == {Level.EMERGENCY}
    assert {a.rule for a in alerts} == {"screening.emergency_at_intake"}
    assert intake_emergencies(("night_pain", "leg_numbness"), START) == ()
