"""The journey replayed from a history (lumbar.domain.journey): what each recorded session,
symptom and check-in does to the phase, the doses, the alerts and the planned sessions.

Histories are lived day by day by a `Follower` (sessions on Monday, Wednesday and Friday
from Monday 2 November 2026) or written out session by session.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import pytest

from lumbar.domain.decisions import Decision
from lumbar.domain.model import (
    CheckIn,
    Event,
    History,
    Kind,
    Pain,
    PlannedExercise,
    Range,
    Status,
)
from lumbar.domain.monitoring import Concern, attention
from lumbar.domain.pain import persistent
from lumbar.domain.plan import program_status
from lumbar.domain.progress import progress_report
from lumbar.domain.rules import RuleId
from lumbar.errors import UserError
from lumbar.formats.intake import IntakeAnswers
from lumbar.formats.validation import validate
from tests.builders import START, Follower, clearance, day, history, profile, program, session

PROGRAM = program()
PHASE_1 = tuple(p.exercise_id for p in PROGRAM.phase(1).prescriptions)


def _codes(status: Status) -> set[str]:
    return {alert.code for alert in status.alerts}


def _lived(
    until: date,
    *,
    pain: dict[tuple[date, str], Pain] | None = None,
    extra: Mapping[date, Sequence[Event]] | None = None,
    checkins: dict[date, tuple[int | None, tuple[int, ...] | None]] | None = None,
    first: History | None = None,
) -> Follower:
    """A person who does every planned session until `until`, with the pain `pain` gives
    for (day, exercise) and none otherwise."""
    marks = pain or {}
    follower = Follower(
        PROGRAM,
        first or history(),
        pain=lambda on, exercise: marks.get((on, exercise), Pain.NONE),
        extra=dict(extra or {}),
        checkins=checkins or {},
    )
    follower.follow(until)
    return follower


def _planned(follower: Follower, on: date, exercise_id: str) -> PlannedExercise:
    """The exercise as the plan of `on` prescribed it, before that day's session."""
    [plan] = [p for p in follower.plans if p.on == on]
    [planned] = [e for e in plan.exercises if e.exercise_id == exercise_id]
    return planned


# Pain down the leg.


def test_sessions_without_pain_down_the_leg_never_make_a_radiating_twice_alert() -> None:
    once = _lived(day(11), pain={(day(0), PHASE_1[0]): Pain.RADIATING})
    assert "radiating_twice" not in _codes(program_status(day(11), once.history, PROGRAM))
    twice = _lived(
        day(11), pain={(day(0), PHASE_1[0]): Pain.RADIATING, (day(2), PHASE_1[1]): Pain.RADIATING}
    )
    assert "radiating_twice" in _codes(program_status(day(11), twice.history, PROGRAM))


# Which sessions count toward the phase gate.


def test_a_session_with_exercises_left_out_does_not_count_toward_the_phase_gate() -> None:
    h = history(session(day(0), *((e, Pain.NONE) for e in PHASE_1[:3])))
    status = program_status(day(0), h, PROGRAM)
    assert status.sessions_in_phase == 0
    partial = Decision(
        RuleId.PROGRESSION_PARTIAL_SESSION, {"exercises": tuple(sorted(PHASE_1[3:]))}
    )
    assert partial in status.plan.decisions


def test_a_session_stopped_for_pain_down_the_leg_counts_toward_the_phase_gate() -> None:
    stopped = session(
        day(0), (PHASE_1[0], Pain.NONE), (PHASE_1[1], Pain.ACHE), (PHASE_1[2], Pain.RADIATING)
    )
    status = program_status(day(0), history(stopped), PROGRAM)
    assert status.sessions_in_phase == 1
    assert RuleId.PROGRESSION_PARTIAL_SESSION not in {d.rule for d in status.plan.decisions}


# The 4-week review.


def test_an_on_track_review_raises_no_not_improving_alert() -> None:
    follower = _lived(day(28), checkins={day(14): (5, None), day(28): (3, None)})
    status = program_status(day(28), follower.history, PROGRAM)
    assert status.improvement.review is not None
    assert status.improvement.review.rule == RuleId.OUTCOMES_ON_TRACK
    assert "not_improving" not in _codes(status)


def test_a_not_improving_review_raises_a_see_a_clinician_alert() -> None:
    follower = _lived(day(28), checkins={day(14): (6, None), day(28): (6, None)})
    status = program_status(day(28), follower.history, PROGRAM)
    assert status.improvement.review is not None
    assert status.improvement.review.rule == RuleId.OUTCOMES_NOT_IMPROVING
    assert "not_improving" in _codes(status)


def test_the_review_reports_the_psfs_change_to_two_decimals() -> None:
    """Baseline PSFS (4, 5, 3) is 4; (5, 5, 4) at the review is 4.667: a change of 0.67."""
    follower = _lived(day(28), checkins={day(14): (5, None), day(28): (3, (5, 5, 4))})
    review = program_status(day(28), follower.history, PROGRAM).improvement.review
    assert review is not None
    assert review.facts["psfs_change"] == 0.67


# Symptoms: which pause the program, which change phase, which hold phase 1.


def test_a_see_a_clinician_symptom_does_not_pause_the_planned_sessions() -> None:
    numb = [CheckIn(day(1), symptoms=("leg_numbness",))]
    follower = _lived(day(6), extra={day(1): numb})
    improvement = program_status(day(7), follower.history, PROGRAM).improvement
    assert (improvement.planned_sessions, improvement.completed_sessions) == (3, 3)


def test_the_program_is_paused_from_the_first_urgent_symptom_until_the_clearance() -> None:
    """Fever on Tuesday, night pain on Thursday, cleared on Sunday: Wednesday's and Friday's
    sessions were not planned, Monday's was (the paused days are not missed sessions)."""
    follower = _lived(
        day(6),
        extra={
            day(1): [CheckIn(day(1), symptoms=("fever",))],
            day(3): [CheckIn(day(3), symptoms=("night_pain",))],
            day(6): [clearance(day(6), "fever", "night_pain")],
        },
    )
    assert program_status(day(7), follower.history, PROGRAM).improvement.planned_sessions == 1
    assert program_status(day(8), follower.history, PROGRAM).improvement.planned_sessions == 2
    # A clearance of the fever alone leaves the night pain standing: still paused.
    partly = _lived(
        day(6),
        extra={
            day(1): [CheckIn(day(1), symptoms=("fever",))],
            day(3): [CheckIn(day(3), symptoms=("night_pain",))],
            day(6): [clearance(day(6), "fever")],
        },
    )
    status = program_status(day(8), partly.history, PROGRAM)
    assert status.plan.kind is Kind.BLOCKED
    assert status.improvement.planned_sessions == 1


def test_a_see_a_clinician_symptom_in_phase_2_takes_the_person_back_to_phase_1() -> None:
    numb = [CheckIn(day(8), symptoms=("leg_numbness",))]
    follower = _lived(day(8), extra={day(8): numb})
    status = program_status(day(8), follower.history, PROGRAM)
    assert status.phase == 1
    last = status.phase_history[-1]
    assert (last.on, last.from_phase, last.to_phase) == (day(8), 2, 1)
    assert last.decision == Decision(RuleId.SCREENING_SEE_CLINICIAN, {"symptom": "leg_numbness"})


def test_an_urgent_symptom_in_phase_2_pauses_the_program_without_changing_phase() -> None:
    follower = _lived(
        day(11),
        extra={
            day(8): [CheckIn(day(8), symptoms=("fever",))],
            day(10): [clearance(day(10), "fever")],
        },
    )
    paused = program_status(day(9), follower.history, PROGRAM)
    assert (paused.plan.kind, paused.phase) == (Kind.BLOCKED, 2)
    cleared = program_status(day(11), follower.history, PROGRAM)
    assert cleared.phase == 2
    assert [(c.from_phase, c.to_phase) for c in cleared.phase_history] == [(None, 1), (1, 2)]


def test_a_see_a_clinician_symptom_in_phase_1_keeps_the_sessions_done_in_it() -> None:
    numb = [CheckIn(day(3), symptoms=("leg_numbness",))]
    follower = _lived(day(3), extra={day(3): numb})
    status = program_status(day(3), follower.history, PROGRAM)
    assert (status.phase, status.phase_started, status.sessions_in_phase) == (1, START, 2)
    assert len(status.phase_history) == 1


def test_pain_down_the_leg_twice_sends_to_a_clinician_and_holds_the_phase() -> None:
    """Radiating pain on Monday and Wednesday: a full week after Wednesday (Friday of the
    next week) the gate would open, but the open alert holds phase 1 (progression.on_hold)
    until a clinician clears the person; the next session then opens phase 2."""
    radiating = {(day(0), PHASE_1[0]): Pain.RADIATING, (day(2), PHASE_1[1]): Pain.RADIATING}
    follower = _lived(day(11), pain=radiating, checkins={day(7): (5, None)})
    status = program_status(day(11), follower.history, PROGRAM)
    assert "radiating_twice" in _codes(status)
    assert status.phase == 1
    assert status.sessions_in_phase >= PROGRAM.gate.min_sessions
    friday = next(p for p in follower.plans if p.on == day(11))
    assert Decision(RuleId.PROGRESSION_ON_HOLD, {"phase": 1, "alerts": ("radiating_twice",)}) in (
        friday.decisions
    )
    cleared = _lived(
        day(14),
        pain=radiating,
        checkins={day(7): (5, None)},
        extra={day(12): [clearance(day(12), "radiating_twice")]},
    )
    after = program_status(day(14), cleared.history, PROGRAM)
    assert "radiating_twice" not in _codes(after)
    assert after.phase == 2
    assert after.phase_history[-1].on == day(14)
    assert after.phase_history[-1].decision.rule == RuleId.PROGRESSION_ADVANCE_PHASE


def test_a_see_a_clinician_screening_flag_holds_phase_1_past_the_gate() -> None:
    numb = [CheckIn(day(3), symptoms=("leg_numbness",))]
    follower = _lived(day(11), extra={day(3): numb})
    status = program_status(day(11), follower.history, PROGRAM)
    assert status.phase == 1
    assert Decision(RuleId.PROGRESSION_HELD, {"symptoms": ("leg_numbness",)}) in (
        status.plan.decisions
    )


# Doses.


def test_a_dose_steps_up_to_the_last_step_and_bad_pain_there_steps_back_one() -> None:
    """A person over 50 with a new episode stays in phase 1 (held), so the glute bridge's
    nine steps are climbed two clean sessions at a time: the top step (8) after the 16th
    session (day 35), nothing more after the 18th (day 39), step 7 after sharp pain on
    day 42."""
    held = history(who=profile(age=60, pain_weeks=4))
    bridge = "glute-bridge"
    follower = _lived(day(44), first=held, pain={(day(42), bridge): Pain.SHARP})
    prescription = PROGRAM.phase(1).prescription(bridge)
    assert prescription is not None
    assert len(prescription.steps) == 9
    sessions = [p.on for p in follower.plans if p.kind is Kind.SESSION and not p.completed]
    assert sessions[15] == day(35) and sessions[17] == day(39)
    below = _planned(follower, day(35), bridge)
    assert below.step == 7
    top = _planned(follower, day(37), bridge)
    assert top.step == 8 and top.dose == prescription.steps[8]
    assert [d.rule for d in top.decisions] == [RuleId.DOSAGE_STEP_UP]
    assert top.decisions[0].facts["dose"] == prescription.steps[8]
    still = _planned(follower, day(42), bridge)
    assert (still.step, still.decisions) == (8, ())
    back = _planned(follower, day(44), bridge)
    assert (back.step, back.range) == (7, Range.REDUCED)
    assert back.dose == prescription.steps[7]


def test_full_range_returns_after_two_clean_sessions_at_reduced_range_after_a_revert() -> None:
    """Sharp pain on the glute bridge in phase 2 (Monday day 7, reduced range) and again at
    reduced range (day 9): back to phase 1. dosage.restore_range asks for two consecutive
    clean sessions at reduced range: day 11 is one, so day 14 is still at reduced range."""
    bridge = "glute-bridge"
    follower = _lived(day(14), pain={(day(7), bridge): Pain.SHARP, (day(9), bridge): Pain.SHARP})
    assert _planned(follower, day(11), bridge).range == Range.REDUCED
    assert follower.plans[11].phase == 1
    assert _planned(follower, day(14), bridge).range == Range.REDUCED


# The intake's PSFS.


def _intake_answers(activities: int) -> dict[str, object]:
    psfs = [{"activity": f"activity {n}", "score": 5} for n in range(activities)]
    return {"understood": True, "age": 40, "pain": 6, "pain_weeks": 10, "psfs": psfs}


def test_an_intake_names_one_to_five_psfs_activities() -> None:
    for count in (1, 5):
        assert len(validate(IntakeAnswers, _intake_answers(count), None).psfs) == count
    for count in (0, 6):
        with pytest.raises(UserError) as refused:
            validate(IntakeAnswers, _intake_answers(count), None)
        assert refused.value.field == "psfs"


# What the clinician's dashboard sees of the journey.


def test_a_check_in_on_the_day_asked_about_counts_as_activity() -> None:
    h = history(CheckIn(day(9), pain=5))
    min_pct = PROGRAM.thresholds.min_adherence_pct

    def concerns(on: date) -> dict[Concern, object]:
        found = attention(on, h, progress_report(on, h, PROGRAM), [], min_adherence_pct=min_pct)
        return {f.concern: dict(f.facts) for f in found.findings}

    assert Concern.INACTIVE not in concerns(day(9))
    assert concerns(day(8))[Concern.INACTIVE] == {"last_on": START}
    assert concerns(day(16))[Concern.INACTIVE] == {"last_on": day(9)}


def test_adherence_is_a_concern_below_a_clinicians_threshold_however_close() -> None:
    """Friday's session of week one missed: 2 of 3 done (66.67%) on the Monday after."""
    follower = Follower(PROGRAM, history(), skip={day(4), day(5), day(6)})
    h = follower.follow(day(6))
    progress = progress_report(day(7), h, PROGRAM)

    def adherence_concern(min_pct: float) -> bool:
        found = attention(day(7), h, progress, [], min_adherence_pct=min_pct)
        return Concern.ADHERENCE in {f.concern for f in found.findings}

    assert not adherence_concern(100 * 2 / 3)
    assert adherence_concern(67)


def test_bad_pain_on_one_exercise_leaves_the_clean_run_of_the_others() -> None:
    """Sharp pain on the glute bridge on Wednesday ends its own clean run, not the dead
    bug's: the dead bug, clean on Monday and Wednesday, steps up on Friday all the same."""
    follower = _lived(day(4), pain={(day(2), "glute-bridge"): Pain.SHARP})
    dead_bug = _planned(follower, day(4), "dead-bug")
    assert dead_bug.step == 1
    assert [d.rule for d in dead_bug.decisions] == ["dosage.step_up"]
    assert _planned(follower, day(4), "glute-bridge").range is Range.REDUCED


# Bad pain that persists (pain.persistent): counted by session, whichever the exercise.


def test_pain_persistent_in_3_of_the_last_5_sessions_not_2() -> None:
    dates = [day(n) for n in (0, 2, 4, 7, 9)]
    assert persistent(dates, [True, True, False, False, False], sessions=3, window=5) is None
    found = persistent(dates, [True, False, True, False, True], sessions=3, window=5)
    assert found == Decision(
        RuleId.PAIN_PERSISTENT, {"sessions": 3, "window": 5, "first": day(0), "last": day(9)}
    )
    # Only the last 5 count: the first of six sessions has left the window.
    six = [*dates, day(11)]
    assert persistent(six, [True, True, False, False, True, False], sessions=3, window=5) is None


def test_sharp_pain_on_a_different_exercise_in_three_sessions_asks_for_a_clinician() -> None:
    """Each exercise hurts once (each goes to reduced range, none hurts there again): two
    sessions with sharp pain are not a pattern, a third among the last five is."""
    two = {(day(0), "cat-cow"): Pain.SHARP, (day(4), "dead-bug"): Pain.SHARP}
    assert "persistent_pain" not in _codes(
        program_status(day(9), _lived(day(9), pain=two).history, PROGRAM)
    )
    three = {**two, (day(9), "childs-pose"): Pain.SHARP}
    status = program_status(day(9), _lived(day(9), pain=three).history, PROGRAM)
    [alert] = [a for a in status.alerts if a.code == "persistent_pain"]
    assert alert.since == day(9)
    assert alert.decision.facts == {"sessions": 3, "window": 5, "first": day(0), "last": day(9)}
    assert "phase1_bad_pain" not in _codes(status)


def test_bad_pain_that_left_the_window_of_five_sessions_does_not_count() -> None:
    """Sharp pain on day 0 and day 2, five clean sessions, then on day 16: one of the last
    five sessions hurt."""
    pain = {
        (day(0), "cat-cow"): Pain.SHARP,
        (day(2), "dead-bug"): Pain.SHARP,
        (day(16), "childs-pose"): Pain.SHARP,
    }
    status = program_status(day(16), _lived(day(16), pain=pain).history, PROGRAM)
    assert "persistent_pain" not in _codes(status)
