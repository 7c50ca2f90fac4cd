"""The day's plan and the person's status: the rules composed, each answer with its reasons.

These are the engine's two questions. Both take the day they are about and the whole history,
and neither reads a clock or a database.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from lumbar.domain.decisions import Decision
from lumbar.domain.equipment import fit_planned
from lumbar.domain.journey import Journey
from lumbar.domain.milestones import milestones, weekly_goal
from lumbar.domain.model import (
    Alert,
    DayPlan,
    History,
    Improvement,
    Kind,
    PlannedExercise,
    Profile,
    Status,
)
from lumbar.domain.outcomes import adherence_pct, pain_change_pct
from lumbar.domain.program import Program
from lumbar.domain.routine import routine_ids
from lumbar.domain.rules import RuleId
from lumbar.domain.schedule import next_session_after, rest_decision, session_due


class BeforeStart(ValueError):
    """A plan was asked for a day before the program began."""


def plan_day(on: date, history: History, program: Program) -> DayPlan:
    """What the person should do on `on`: a session, a rest day, or nothing (blocked)."""
    for day, planned_history, planned_program, plan in _recent:
        if day == on and planned_history == history and planned_program == program:
            return plan
    return _planned(walked(on, history, program), on)


_recent: tuple[tuple[date, History, Program, DayPlan], ...] = ()
"""The last few plans made, newest first. A write asks for the same plan twice: the concern
summary it keeps reads the status on the day (which plans it), and the answer to the person
plans the day again from the same history; walking the history is most of the cost of
either. Plans are values of their three inputs (equal inputs, equal plans) and immutable, so
one made for equal inputs is the answer; the tuple is replaced whole, never changed, so
threads that read it while another replaces it see one or the other."""
_RECENT_PLANS = 8


def _planned(journey: Journey, on: date) -> DayPlan:
    """Plan the day of a journey walked to it, and keep the plan for `plan_day`."""
    global _recent
    plan = _plan(journey, on)
    _recent = ((on, journey.history, journey.program, plan), *_recent[: _RECENT_PLANS - 1])
    return plan


def program_status(on: date, history: History, program: Program) -> Status:
    """Where the person stands on `on`: phase, sessions, next session, alerts, improvement."""
    return status_of(walked(on, history, program), on)


def status_of(journey: Journey, on: date) -> Status:
    """The status of a journey walked to `on` (`walked`). Planning the day enters today's
    session when one is due, which changes the journey: read anything else of it first."""
    plan = _planned(journey, on)
    week_start = on - timedelta(days=on.weekday())
    dates = journey.answered_dates
    this_week = sum(1 for day in dates if week_start <= day <= on)
    return Status(
        on=on,
        phase=journey.phase,
        phase_started=journey.phase_started,
        sessions_in_phase=journey.sessions_in_phase,
        sessions_this_week=this_week,
        improvement=_improvement(journey, on),
        phase_history=tuple(journey.phase_history),
        completed_on=journey.completed_on,
        plan=plan,
        milestones=milestones(journey),
        week=None if plan.kind is Kind.BLOCKED else weekly_goal(on, journey),
        training_days=journey.days_on(on),
    )


def clearable(on: date, history: History, program: Program) -> tuple[Alert, ...]:
    """The alerts a clearance recorded on `on` could clear: those standing after every
    event up to that day, gravest first (the prompts a check-in answers are not among them)."""
    journey = walked(on, history, program)
    return tuple(sorted(journey.alerts.values(), key=lambda a: (a.level.rank, a.since, a.code)))


def session_refusal(plan: DayPlan) -> Decision | None:
    """Why no session can be recorded on the plan's day, or None when one can.

    A session goes only where the plan puts one: never while blocked, never twice a day,
    never on a rest day (so never on two consecutive days).
    """
    if plan.kind is not Kind.SESSION:
        return plan.decisions[0]
    if plan.completed:
        return plan.decisions[-1]
    return None


def walked(on: date, history: History, program: Program) -> Journey:
    """The journey after every event up to `on` (the session recorded on `on` kept as it
    was prescribed): what the plan, the status and the progress page are read from."""
    if on < history.profile.start:
        raise BeforeStart(f"the program starts on {history.profile.start.isoformat()}")
    journey = Journey(history, program)
    journey.walk(on, snapshot_on=on)
    return journey


def _plan(journey: Journey, on: date) -> DayPlan:
    program = journey.program
    days = journey.days_on(on)
    dates = journey.session_dates
    last_session = dates[-1] if dates else None
    done_today = last_session == on
    start = journey.start

    if journey.is_blocked:
        alerts = journey.active_alerts(on)
        blocking = tuple(alert.decision for alert in alerts if alert.level.blocks)
        return DayPlan(
            on=on,
            kind=Kind.BLOCKED,
            phase=journey.phase,
            exercises=(),
            daily=(),
            alerts=alerts,
            decisions=blocking,
            next_session=None,
            completed=done_today,
        )

    if done_today and journey.snapshot is not None:  # pragma: no mutate (each implies the other)
        snapshot = journey.snapshot
        following = next_session_after(on, sessions=dates, days=days, anchor=start)
        gate = snapshot.gate
        if gate is not None and gate.rule == RuleId.PROGRESSION_NOT_YET:
            gate = None  # said before the session; the session has changed the count since
        done = Decision(RuleId.SCHEDULE_SESSION_DONE, {"next_session": following})
        decisions = _present(gate, snapshot.partial, done)
        alerts = journey.active_alerts(on)
        return DayPlan(
            on=on,
            kind=Kind.SESSION,
            phase=snapshot.phase,
            exercises=_as_the_person_does_them(snapshot.exercises, journey),
            daily=(),
            alerts=alerts,
            decisions=decisions,
            next_session=following,
            completed=True,
        )

    due = session_due(on, sessions=dates, days=days, anchor=start)
    if due is not None and due.rule == RuleId.SCHEDULE_TRAINING_DAY and journey.completed_on:
        due = Decision(
            RuleId.SCHEDULE_MAINTENANCE,
            {"days": days.label, "per_week": program.maintenance_per_week},
        )
    if due is not None:
        gate = journey.enter_session_day(on)
        exercises = _as_the_person_does_them(journey.prescribe(), journey)
        alerts = journey.active_alerts(on)
        return DayPlan(
            on=on,
            kind=Kind.SESSION,
            phase=journey.phase,
            exercises=exercises,
            daily=(),
            alerts=alerts,
            decisions=(*_present(due, gate), *journey.left_out()),
            next_session=on,
        )

    following = next_session_after(on, sessions=dates, days=days, anchor=start)
    rest = rest_decision(on, last_session=last_session, next_session=following)
    decisions = _present(rest, _preview_gate(journey, following))
    # An exercise at reduced range or left out after bad pain is left out of the routine.
    daily = tuple(
        e
        for e in routine_ids(program.daily_routine)
        if e not in journey.reduced and e not in journey.withdrawn
    )
    return DayPlan(
        on=on,
        kind=Kind.REST,
        phase=journey.phase,
        exercises=(),
        daily=daily,
        alerts=journey.active_alerts(on),
        decisions=decisions,
        next_session=following,
    )


def _as_the_person_does_them(
    exercises: tuple[PlannedExercise, ...], journey: Journey
) -> tuple[PlannedExercise, ...]:
    """In the versions they chose, with the loads they have (domain/equipment.py)."""
    profile = journey.history.profile
    chosen = _in_chosen_versions(exercises, profile)
    return fit_planned(chosen, profile.equipment, journey.program)


def _in_chosen_versions(
    exercises: tuple[PlannedExercise, ...], profile: Profile
) -> tuple[PlannedExercise, ...]:
    """Each exercise taught in the alternative the person chose for it (a chair or standing
    version), if any: the rules counted it as the exercise itself."""
    chosen = dict(profile.alternatives)
    return tuple(
        replace(p, version=chosen[p.exercise_id]) if p.exercise_id in chosen else p
        for p in exercises
    )


def _preview_gate(journey: Journey, next_session: date) -> Decision | None:
    """On a rest day: would the next session open the next phase, and if not, when?"""
    decision = journey.gate_at(next_session)
    if decision is not None and decision.rule == RuleId.PROGRESSION_ADVANCE_PHASE:
        return Decision(
            RuleId.PROGRESSION_READY,
            {"to_phase": journey.phase + 1, "next_session": next_session},
        )
    if decision is not None and decision.rule == RuleId.PROGRESSION_PROGRAM_COMPLETE:
        return None
    return decision


def _present(*decisions: Decision | None) -> tuple[Decision, ...]:
    return tuple(decision for decision in decisions if decision is not None)


def _improvement(journey: Journey, on: date) -> Improvement:
    latest_pain = journey.measures.latest_pain
    latest_psfs = journey.measures.latest_psfs
    planned = journey.planned_sessions(on)
    completed = journey.sessions_before(on)
    adherence = adherence_pct(completed, planned)
    pain_pct = (
        None
        if latest_pain is None
        else pain_change_pct(journey.measures.baseline_pain, latest_pain)
    )
    psfs_change = None if latest_psfs is None else latest_psfs - journey.measures.baseline_psfs
    return Improvement(
        baseline_pain=journey.measures.baseline_pain,
        latest_pain=latest_pain,
        pain_change_pct=None if pain_pct is None else round(pain_pct, 1),
        baseline_psfs=round(journey.measures.baseline_psfs, 2),
        latest_psfs=None if latest_psfs is None else round(latest_psfs, 2),
        psfs_change=None if psfs_change is None else round(psfs_change, 2),
        adherence_pct=None if adherence is None else round(adherence, 1),
        planned_sessions=planned,
        completed_sessions=completed,
        review=journey.measures.review,
        review_on=journey.measures.review_on,
    )
