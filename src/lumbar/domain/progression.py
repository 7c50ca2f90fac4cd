"""Moving between phases: forward through the gate, back after bad pain at reduced range.

D1-6/D1-7: master each phase for at least a full week without sharp pain before the next.
D1-11: when an exercise still hurts at reduced range, go back a phase for another week;
in phase 1 there is nowhere to go back to, so the person stays at reduced range and is
advised to see a clinician (brief C10).
"""

from __future__ import annotations

from datetime import date, timedelta

from lumbar.domain.decisions import Decision, Fact
from lumbar.domain.model import Pain, SessionLog, Skip
from lumbar.domain.program import Gate, Thresholds
from lumbar.domain.rules import RuleId


def gate(
    on: date,
    *,
    phase: int,
    last_phase: int,
    phase_started: date,
    sessions_in_phase: int,
    last_bad_pain: date | None,
    gate: Gate,
) -> Decision:
    """Whether a session on `on` opens the next phase (or completes the last one).

    Passes when at least `min_days` have gone by since the phase began, at least
    `min_sessions` sessions of it were done, and no bad pain was reported on any of the
    `pain_free_days` days before `on`: pain on a Wednesday holds the gate until the Thursday
    of the following week.
    """
    days = (on - phase_started).days
    pain_free_from = on - timedelta(days=gate.pain_free_days)
    pain_free = last_bad_pain is None or last_bad_pain < pain_free_from
    if days >= gate.min_days and sessions_in_phase >= gate.min_sessions and pain_free:
        if phase >= last_phase:
            return Decision(
                RuleId.PROGRESSION_PROGRAM_COMPLETE, {"days": days, "sessions": sessions_in_phase}
            )
        return Decision(
            RuleId.PROGRESSION_ADVANCE_PHASE,
            {
                "from_phase": phase,
                "to_phase": phase + 1,
                "days": days,
                "sessions": sessions_in_phase,
                "pain_free_since": pain_free_from,
            },
        )
    earliest = phase_started + timedelta(days=gate.min_days)
    if last_bad_pain is not None:
        earliest = max(earliest, last_bad_pain + timedelta(days=gate.pain_free_days + 1))
    return Decision(
        RuleId.PROGRESSION_NOT_YET,
        {
            "phase": phase,
            "days": days,
            "min_days": gate.min_days,
            "sessions": sessions_in_phase,
            "min_sessions": gate.min_sessions,
            "pain_free_days": gate.pain_free_days,
            "earliest": max(earliest, on + timedelta(days=1)),
        },
    )


def as_evidence(expected: frozenset[str], done: set[str], session: SessionLog) -> Decision | None:
    """Why a session does not count for the gate, or that it counts despite skips
    (`progression.skipped`); None for a complete one. Exercises of the day (`expected`)
    left out without a reason make it partial, unless pain down the leg ended it; one
    skipped for "other" keeps it from counting."""
    skipped = session.skipped
    if expected <= done and not skipped:
        return None
    results = session.results
    if results and results[-1].pain is Pain.RADIATING:
        return None
    left_out = expected - done - {skip.exercise_id for skip in skipped}
    if left_out:
        return partial(tuple(sorted(left_out)))
    return skips(skipped)


def partial(missing: tuple[str, ...]) -> Decision:
    """A session that left out exercises of the day does not count toward the gate.

    The gate asks for sessions of the phase "completed"; one that stopped because of pain
    down the leg counts (stopping was the rule), one that skipped exercises does not.
    """
    return Decision(RuleId.PROGRESSION_PARTIAL_SESSION, {"exercises": missing})


def skips(skipped: tuple[Skip, ...]) -> Decision:
    """What skipped exercises do to a session that has at least one exercise done.

    A skip for no equipment, no time or the floor is a practical reason, and the exercises
    done were each answered for pain: the session counts (`progression.skipped`), so a
    missing dumbbell does not hold the gate. A skip for "other" may be pain the person did
    not name as pain, and the program cannot read a free note: the session does not count
    (`progression.skipped_other`); the note goes to the clinician.
    """
    other = tuple(s.exercise_id for s in skipped if not s.reason.excused)
    if other:
        return Decision(RuleId.PROGRESSION_SKIPPED_OTHER, {"exercises": other})
    facts: dict[str, Fact] = {
        "exercises": tuple(s.exercise_id for s in skipped),
        "reasons": tuple(s.reason.value for s in skipped),
    }
    return Decision(RuleId.PROGRESSION_SKIPPED, facts)


def all_skipped(exercises: tuple[str, ...]) -> Decision:
    """Every exercise of a session skipped: recorded (the day keeps the schedule, the
    reasons reach the clinician) but no session for the gate or adherence: nothing was
    done, so nothing was answered for pain."""
    return Decision(RuleId.PROGRESSION_ALL_SKIPPED, {"exercises": exercises})


def held(symptoms: tuple[str, ...]) -> Decision:
    """A see-a-clinician flag keeps the person in phase 1 until a clinician clears them."""
    return Decision(RuleId.PROGRESSION_HELD, {"symptoms": symptoms})


def on_hold(phase: int, alerts: tuple[str, ...]) -> Decision:
    """An open referral (pain down the leg twice, bad pain that persists, worse or not
    improving, no review) or a flare-up holds the phase: no one moves up while a clinician
    is being asked to look, or while pain settles."""
    return Decision(RuleId.PROGRESSION_ON_HOLD, {"phase": phase, "alerts": alerts})


def not_fresh(
    on: date,
    *,
    phase: int,
    last_checkin: date,
    last_session: date | None,
    gate: Gate,
) -> Decision | None:
    """The gate judges fresh evidence: it opens only with a weekly check-in made within
    `checkin_within_days` and a session within `last_session_within_days` before `on`.
    None when both are fresh."""
    checkin_fresh = (on - last_checkin).days <= gate.checkin_within_days
    session_fresh = last_session is None or (on - last_session).days <= (
        gate.last_session_within_days
    )
    if checkin_fresh and session_fresh:
        return None
    facts: dict[str, Fact] = {
        "phase": phase,
        "last_checkin": last_checkin,
        "checkin_days": gate.checkin_within_days,
        "last_session": last_session,
        "session_days": gate.last_session_within_days,
    }
    return Decision(RuleId.PROGRESSION_NOT_FRESH, facts)


def after_gap(
    on: date, *, last_session: date | None, phase: int, thresholds: Thresholds
) -> Decision | None:
    """A session after a long gap: `gap_phase_days` or more days without a session resume
    one phase lower (never below 1), `gap_dose_days` or more one dose step lower, so a
    back that has lost some conditioning comes back gently. None after a shorter gap."""
    if last_session is None:
        return None
    days = (on - last_session).days - 1
    if days >= thresholds.gap_phase_days:
        facts: dict[str, Fact] = {
            "last_session": last_session,
            "days": days,
            "from_phase": phase,
            "to_phase": max(1, phase - 1),
        }
        return Decision(RuleId.REGRESSION_AFTER_GAP, facts)
    if days >= thresholds.gap_dose_days:
        return Decision(
            RuleId.DOSAGE_AFTER_GAP, {"last_session": last_session, "days": days, "phase": phase}
        )
    return None


def withdrawn(exercise_id: str, on: date, days: int) -> Decision:
    """An exercise that still hurt at reduced range where there is no phase to go back to
    (or a second time) is left out until a clinician clears the person or `days` pass
    without bad pain."""
    return Decision(RuleId.REGRESSION_WITHDRAWN, {"exercise": exercise_id, "on": on, "days": days})


def revert(exercise_id: str, *, from_phase: int, gate: Gate) -> Decision:
    """Bad pain again at reduced range: back to the previous phase for at least a week."""
    return Decision(
        RuleId.REGRESSION_REVERT_PHASE,
        {
            "exercise": exercise_id,
            "from_phase": from_phase,
            "to_phase": from_phase - 1,
            "min_days": gate.min_days,
        },
    )


def phase1_floor(exercise_id: str, on: date) -> Decision:
    """Bad pain again at reduced range in phase 1: stay at reduced range, see a clinician."""
    return Decision(RuleId.REGRESSION_PHASE1_FLOOR, {"exercise": exercise_id, "on": on})
