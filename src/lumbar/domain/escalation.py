"""How a journey escalates: bad pain that will not settle, pain down the leg, flare-ups and
referrals, each turned into the alert (and the dose or plan change) its rule asks for; and
how a clinician's clearance sets alerts aside.

Functions over a journey rather than its methods, so that the journey keeps to walking
the history and these keep to what each escalation does.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

from lumbar.domain import pain as pain_rules
from lumbar.domain import progression
from lumbar.domain.decisions import Decision
from lumbar.domain.doses import FRESH, Doses
from lumbar.domain.measures import REFERRALS, REVIEW_NOTES, Measures
from lumbar.domain.model import Alert, Clearance, Level, PhaseChange
from lumbar.domain.program import Program
from lumbar.domain.rules import RuleId
from lumbar.domain.screening import LEG_CHECK, cleared_note


class Journey(Protocol):
    """What an escalation reads and changes of a journey (`domain/journey.py`), which
    calls these functions as it walks."""

    program: Program
    phase: int
    alerts: dict[str, Alert]
    doses: Doses
    reduced: dict[str, Decision]
    withdrawn: dict[str, Decision]
    phase_history: list[PhaseChange]
    last_radiating: date | None
    answered_dates: list[date]
    session_hurt: list[bool]
    measures: Measures
    phase_exercises: dict[int, frozenset[str]]
    follow_up: Alert | None
    pending_check: Alert | None
    notes: dict[str, Alert]
    blocked_since: date | None
    blocked_spans: list[tuple[date, date]]

    @property
    def is_blocked(self) -> bool: ...


def held_for(journey: Journey) -> tuple[str, ...]:
    """The see-a-clinician screening flags that keep the person in phase 1."""
    return tuple(
        alert.code
        for alert in journey.alerts.values()
        if alert.level is Level.SEE_CLINICIAN and alert.rule.startswith("screening.")
    )


def holding(journey: Journey, on: date) -> tuple[str, ...]:
    """The other open alerts that hold the phase: referrals and flare-ups."""
    codes = [
        alert.code
        for alert in journey.alerts.values()
        if alert.level.needs_clearance and not alert.rule.startswith("screening.")
    ]
    if journey.measures.review_missed(on):
        codes.append("review_missed")
    return tuple(sorted(codes))


ENGINE_ALERTS = (
    "over_50_new_episode",
    "under_20_new_episode",
    "radiating_twice",
    "phase1_bad_pain",
    "persistent_pain",
    "not_improving",
    "worse",
    "flare",
    "flare_persists",
    "review_missed",
)
"""The codes of the alerts the engine raises from a history (the others are reported
symptoms): each has a label in messages.toml, for messages that list what holds a phase."""


def hurt_at_reduced_range(journey: Journey, exercise_id: str, on: date) -> str | None:
    """Bad pain again at reduced range (D1-11): back a phase (the exercise to name, for
    the caller), or in phase 1, where there is none, the exercise is left out and a
    clinician asked to look (C10). Left out too when it hurts at reduced range again
    after a step back."""
    thresholds = journey.program.thresholds
    leave_out = progression.withdrawn(exercise_id, on, thresholds.withdrawal_days)
    if journey.phase == 1:
        if "phase1_bad_pain" not in journey.alerts:
            floor = progression.phase1_floor(exercise_id, on)
            journey.alerts["phase1_bad_pain"] = Alert(
                Level.SEE_CLINICIAN, "phase1_bad_pain", on, floor
            )
        journey.withdrawn[exercise_id] = leave_out
        return None
    if any(c.rule == RuleId.REGRESSION_REVERT_PHASE for c in _changes_for(journey, exercise_id)):
        journey.withdrawn[exercise_id] = leave_out
    return exercise_id


def _changes_for(journey: Journey, exercise_id: str) -> list[Decision]:
    """The phase changes made for this exercise's pain since it last had full range."""
    since = journey.reduced[exercise_id].facts["on"]
    return [
        change.decision
        for change in journey.phase_history
        if isinstance(since, date)
        and change.on >= since
        and change.decision.facts.get("exercise") == exercise_id
    ]


def flare(journey: Journey, on: date, flared: Decision | None) -> None:
    """A flare-up holds the phase and eases the doses; one at the next weekly check-in
    too asks for a clinician; a calm check-in settles it."""
    if flared is None:
        journey.alerts.pop("flare", None)
        return
    journey.doses.ease(journey.phase, on, flare=True)
    first = journey.alerts.pop("flare", None)
    if first is None and "flare_persists" not in journey.alerts:
        journey.alerts["flare"] = Alert(Level.SEE_CLINICIAN, "flare", on, flared)
        return
    since = on if first is None else first.since
    facts = {**flared.facts, "since": since}
    persists = Decision(RuleId.OUTCOMES_FLARE_PERSISTS, facts)
    kept = journey.alerts.get("flare_persists")
    journey.alerts["flare_persists"] = Alert(
        Level.SEE_CLINICIAN, "flare_persists", since if kept is None else kept.since, persists
    )


def refer(journey: Journey, code: str, on: date, decision: Decision) -> None:
    """Raise a referral, or bring an open one up to date with the latest numbers."""
    standing = journey.alerts.get(code)
    since = on if standing is None else standing.since
    journey.alerts[code] = Alert(Level.SEE_CLINICIAN, code, since, decision)


def radiating(journey: Journey, on: date) -> None:
    """Pain down the leg in two sessions close together: see a clinician."""
    window = journey.program.thresholds.radiating_window_days
    again = pain_rules.radiating_again(journey.last_radiating, on, window)
    if again is not None and "radiating_twice" not in journey.alerts:
        journey.alerts["radiating_twice"] = Alert(Level.SEE_CLINICIAN, "radiating_twice", on, again)
    journey.last_radiating = on


def clear(journey: Journey, clearance: Clearance) -> None:
    """Clear the alerts the clearance names that stand before it (it is a record of its
    own, so what it clears was reported earlier). An alert it does not name stands,
    whatever its tier. When it clears anything, exercises left out for pain come back
    (a clinician looked)."""
    on = clearance.on
    cleared = False
    for code in clearance.codes:
        alert = journey.alerts.pop(code, None)
        if alert is None:
            continue
        cleared = True
        journey.notes[code] = cleared_note(alert, clearance)
        if code in REFERRALS.values():
            journey.measures.cleared(on)
    if cleared:
        journey.withdrawn.clear()
    if journey.blocked_since is not None and not journey.is_blocked:
        journey.blocked_spans.append((journey.blocked_since, on))
        journey.blocked_since = None


def leg_pain(journey: Journey, phase: int, on: date) -> None:
    """Pain down the leg ended a session: every exercise of the phase eases to reduced
    range with its clean count started again (pain.leg_follow_up), and the next session
    opens with the safety questions (pain.leg_check)."""
    clean_needed = journey.program.thresholds.clean_sessions_to_step_up
    reduced = journey.doses.reduced
    exposures = journey.doses.exposure
    for exercise_id in sorted(journey.phase_exercises[phase]):
        key = (phase, exercise_id)
        exposures[key] = (exposures.get(key, FRESH)[0], 0)
        if exercise_id not in reduced:
            reduced[exercise_id] = pain_rules.leg_follow_up(exercise_id, on, clean_needed)
    journey.follow_up = Alert(Level.INFO, LEG_CHECK, on, pain_rules.leg_check(on))


def persistent_pain(journey: Journey) -> None:
    """Bad pain in too many of the last sessions: see a clinician (`pain.persistent`)."""
    if "persistent_pain" in journey.alerts:
        return
    thresholds = journey.program.thresholds
    found = pain_rules.persistent(
        journey.answered_dates,
        journey.session_hurt,
        sessions=thresholds.persistent_pain_sessions,
        window=thresholds.persistent_pain_window,
    )
    if found is not None:
        last = found.facts["last"]
        assert isinstance(last, date)  # pragma: no mutate (the decision's own fact)
        journey.alerts["persistent_pain"] = Alert(
            Level.SEE_CLINICIAN, "persistent_pain", last, found
        )


def active_alerts(journey: Journey, on: date) -> tuple[Alert, ...]:
    """Every alert standing on `on`, gravest first: those a clinician clears, who cleared
    what, the review's note, the safety questions due, and the check-in asked for."""
    alerts = [*journey.alerts.values(), *journey.notes.values()]
    measures = journey.measures
    note = measures.review_note
    if note is not None and measures.review_on is not None:
        alerts.append(Alert(Level.INFO, REVIEW_NOTES[note.rule], measures.review_on, note))
    if journey.pending_check is not None:
        alerts.append(journey.pending_check)
    if journey.follow_up is not None:
        alerts.append(journey.follow_up)
    prompt = measures.prompt(on)
    if prompt is not None:
        alerts.append(Alert(*prompt))
    else:
        due = measures.checkin_due(on, journey.program.thresholds.checkin_interval_days)
        if due is not None:
            alerts.append(due)
    alerts.sort(key=_alert_order)
    return tuple(alerts)


def _alert_order(alert: Alert) -> tuple[int, date, str]:
    return (alert.level.rank, alert.since, alert.code)
