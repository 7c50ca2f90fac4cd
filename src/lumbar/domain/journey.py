"""A person's journey through the program, replayed from their history.

The database stores only what happened (intake, check-ins, sessions with their pain); every
conclusion (phase, doses, ranges, alerts) is derived by walking that history in order. The
same history always gives the same plan, and a changed rule applies to the past as well.

`Journey` is mutable while it walks, for speed (a year of history replays in well under a
millisecond), but it never escapes this package: `plan.py` turns it into frozen values.
"""

from __future__ import annotations

from bisect import bisect_left
from datetime import date, timedelta
from typing import NamedTuple

from lumbar.domain import answers, escalation, progression, screening
from lumbar.domain.decisions import Decision
from lumbar.domain.doses import FRESH, Doses, Entry
from lumbar.domain.measures import Measures
from lumbar.domain.model import (
    Alert,
    CheckIn,
    Clearance,
    Event,
    History,
    Level,
    Pain,
    PhaseChange,
    PlannedExercise,
    SessionLog,
    Skip,
    TrainingDays,
)
from lumbar.domain.program import Program
from lumbar.domain.rules import RuleId
from lumbar.domain.schedule import days_in_force, planned_in_force

_DAY = timedelta(days=1)


class Snapshot(NamedTuple):
    """A recorded session as it was prescribed: its phase, gate decision and exercises."""

    phase: int
    gate: Decision | None
    exercises: tuple[PlannedExercise, ...]
    partial: Decision | None
    """Set when exercises of the day were left out or skipped: `progression.partial_session`,
    `progression.skipped_other` and `progression.all_skipped` do not count for the gate,
    `progression.skipped` does."""


class Journey:
    """The state of one person's program after the events walked so far."""

    def __init__(self, history: History, program: Program) -> None:
        profile = history.profile
        self.program = program
        self.history = history
        self.start = profile.start
        self.measures = Measures(history, program.thresholds)
        self.phase = 1
        self.phase_started = profile.start
        self.sessions_in_phase = 0
        self.last_bad_pain: date | None = None
        self.last_radiating: date | None = None
        self.doses = doses = Doses(program)
        self.reduced = doses.reduced
        self.withdrawn = doses.withdrawn
        self.phase_exercises = {
            phase.number: frozenset(p.exercise_id for p in phase.prescriptions)
            for phase in program.phases
        }
        self.alerts: dict[str, Alert] = {}
        """Alerts that stay until a clinician clears the person, by code."""
        self.notes: dict[str, Alert] = {}
        """Who cleared each alert, and when, kept visible after a clearance."""
        self.reported: set[str] = set()
        """Every symptom code reported so far (osteoporosis told at the intake makes a
        later fall an emergency)."""
        self.pending_check: Alert | None = None
        self.follow_up: Alert | None = None
        """After pain down the leg or a problem report: the safety questions before the
        next session (answered on a later day, or that session, ends it)."""
        self.screened_on: date | None = None
        """The day of the latest answers to the safety questions: a phase that changes on
        that day has had its questions."""
        self.blocked_since: date | None = None
        self.blocked_spans: list[tuple[date, date]] = []
        self.session_dates: list[date] = []
        """Every recorded session: the schedule keeps a rest day after each."""
        self._gap_days = timedelta(days=program.thresholds.gap_dose_days)
        self.gap_after: date | None = None
        """A session after this day follows a gap (`progression.after_gap`); kept as a day
        to compare with, as the gate asks at every session."""
        self.answered_dates: list[date] = []
        """Sessions with at least one exercise done (not all skipped): the evidence the
        gap, freshness and persistent-pain rules read."""
        self.session_hurt: list[bool] = []
        """Whether each session of `answered_dates` had sharp or radiating pain."""
        self.complete_dates: list[date] = []
        """Sessions that did every exercise of the day (or stopped for pain down the leg)."""
        started = Decision(RuleId.PROGRESSION_START, {"start": profile.start})
        self.phase_history = [PhaseChange(profile.start, None, 1, started)]
        self.completed_on: date | None = None
        """The day the program was completed, while it stands (a gap undoes it)."""
        self.completions: list[tuple[date, Decision]] = []
        """Every completion, with the decision that made it (a milestone each)."""
        self.maintained: list[tuple[date, date]] = []
        """Maintenance spans that ended ([first, end)): from the day after a completion to the
        session a gap took back a phase."""
        self.snapshot: Snapshot | None = None
        """The session recorded on the day being planned, as it was prescribed."""
        new_episode = screening.new_episode_alert(profile)
        if new_episode is not None:
            self.alerts[new_episode.code] = new_episode

    # Walking the history.

    def walk(self, until: date, *, snapshot_on: date | None = None) -> None:
        """Apply every event dated on or before `until`, in order."""
        events: tuple[Event, ...] = self.history.events
        for index, event in enumerate(events):
            if event.on > until:
                break
            if type(event) is SessionLog:
                self.apply_session(event, snapshot=event.on == snapshot_on)
            elif type(event) is CheckIn:
                self.apply_checkin(event, is_baseline=index == 0)
            elif type(event) is Clearance:
                escalation.clear(self, event)

    def apply_checkin(
        self,
        checkin: CheckIn,
        *,
        is_baseline: bool = False,  # pragma: no mutate (`walk`, the one caller, passes it)
    ) -> None:
        on = checkin.on
        codes = checkin.symptoms
        if codes:
            codes = screening.with_fragility(
                codes, age=self.history.profile.age, reported=self.reported
            )
            self.reported.update(codes)
        if codes or checkin.screened:
            self.pending_check = None
            self.screened_on = on
            if self.follow_up is not None and on > self.follow_up.since:
                self.follow_up = None
        if checkin.follow_up:
            self.follow_up = Alert(Level.INFO, screening.PROBLEM_CHECK, on, screening.follow_up(on))
        for code in codes:
            if code in self.alerts:
                continue
            alert = screening.symptom_alert(code, on)
            self.alerts[code] = alert
            if alert.level.blocks and self.blocked_since is None:
                self.blocked_since = on
            if alert.level is Level.SEE_CLINICIAN and self.phase > 1:
                self._change_phase(1, on, alert.decision, Entry.BACK)
        if is_baseline:
            return
        measures = self.measures
        findings = measures.record(checkin)
        if findings is not None:
            escalation.flare(self, on, findings.flare)
            if findings.worse is not None:
                escalation.refer(self, "worse", on, findings.worse)
        if measures.reviews_at(checkin):
            referral = measures.judge(
                on, completed=self.sessions_before(on), planned=self.planned_sessions(on)
            )
            if referral is not None and measures.review is not None:
                escalation.refer(self, referral, on, measures.review)

    def apply_session(
        self,
        session: SessionLog,
        *,
        snapshot: bool = False,  # pragma: no mutate (`walk`, the one caller, passes it)
    ) -> None:
        on = session.on
        decision = self.enter_session_day(on)
        phase = self.phase
        prescribed = self.prescribe() if snapshot else ()
        self.session_dates.append(on)
        results = session.results
        if not results and session.skipped:
            # Every exercise skipped (progression.all_skipped): the day is recorded and
            # keeps the schedule, but nothing was done, so it is no evidence for the gate,
            # the gap, the pain windows, and the safety questions still wait.
            self._skip(phase, session.skipped, on)
            if snapshot:
                ids = tuple(skip.exercise_id for skip in session.skipped)
                self.snapshot = Snapshot(phase, decision, prescribed, progression.all_skipped(ids))
            return
        self.answered_dates.append(on)
        self.gap_after = on + self._gap_days
        self.pending_check = None
        if self.follow_up is not None and on > self.follow_up.since:
            self.follow_up = None
        # Pain down the leg ends a session (nothing is answered after it): no exercise of
        # that session counts as clean (pain.leg_follow_up).
        leg = bool(results) and results[-1].pain is Pain.RADIATING
        done, hurt, radiating, revert_for = answers.apply(self, phase, results, on, leg=leg)
        if hurt:
            self.last_bad_pain = on
        self.session_hurt.append(hurt)
        if session.skipped:
            self._skip(phase, session.skipped, on)
        expected = self.phase_exercises[phase]
        if self.withdrawn:  # exercises withdrawn for now are not of the day
            expected = expected - self.withdrawn.keys()
        partial = progression.as_evidence(expected, done, session)
        if partial is None or partial.rule == RuleId.PROGRESSION_SKIPPED:
            self.sessions_in_phase += 1
            self.complete_dates.append(on)
        if snapshot:
            self.snapshot = Snapshot(phase, decision, prescribed, partial)
        if radiating:
            escalation.radiating(self, on)
            escalation.leg_pain(self, phase, on)
        if hurt:
            escalation.persistent_pain(self)
        if revert_for is not None:
            decision = progression.revert(revert_for, from_phase=phase, gate=self.program.gate)
            self.doses.exposure[(phase, revert_for)] = FRESH
            self._change_phase(phase - 1, on, decision, Entry.BACK)

    def _skip(self, phase: int, skipped: tuple[Skip, ...], on: date) -> None:
        """A skipped exercise is not progressed on the day's evidence: its dose and its run
        of clean sessions stay as they were (dosage.skipped)."""
        for skip in skipped:
            facts = {"exercise": skip.exercise_id, "reason": skip.reason.value}
            self.doses.last_change[(phase, skip.exercise_id)] = Decision(
                RuleId.DOSAGE_SKIPPED, facts
            )

    # The rules that move the journey.

    def gate_at(self, on: date) -> Decision | None:
        """What the phase gate says of a session on `on`, changing nothing.

        None once the last phase is complete (the routine carries on as maintenance), unless
        a long gap steps the person back.
        """
        gap_after = self.gap_after
        if gap_after is not None and on > gap_after:
            gap = progression.after_gap(
                on,
                last_session=self.answered_dates[-1],
                phase=self.phase,
                thresholds=self.program.thresholds,
            )
            if gap is not None:
                return gap
        last_phase = self.program.last_phase
        if self.phase == last_phase and self.completed_on is not None:
            return None
        held = escalation.held_for(self)
        if held:
            return progression.held(held)
        holding = escalation.holding(self, on)
        if holding:
            return progression.on_hold(self.phase, holding)
        gate = self.program.gate
        decision = progression.gate(
            on,
            phase=self.phase,
            last_phase=last_phase,
            phase_started=self.phase_started,
            sessions_in_phase=self.sessions_in_phase,
            last_bad_pain=self.last_bad_pain,
            gate=gate,
        )
        if decision.rule == RuleId.PROGRESSION_NOT_YET:
            return decision
        stale = progression.not_fresh(
            on,
            phase=self.phase,
            last_checkin=self.measures.last_checkin,
            last_session=self.answered_dates[-1] if self.answered_dates else None,
            gate=gate,
        )
        return stale or decision

    def enter_session_day(self, on: date) -> Decision | None:
        """Evaluate the phase gate at a session on `on`, advancing when it passes (or
        stepping back after a long gap)."""
        if self.withdrawn:
            self.doses.return_withdrawn(on, self.last_bad_pain)
        decision = self.gate_at(on)
        if decision is None:
            return None
        rule = decision.rule
        if rule == RuleId.REGRESSION_AFTER_GAP or rule == RuleId.DOSAGE_AFTER_GAP:
            # The gap is dealt with today: a session after it that skips every exercise
            # must not step back a second time at the next one.
            self.gap_after = on + self._gap_days
        if rule == RuleId.PROGRESSION_ADVANCE_PHASE:
            self._change_phase(self.phase + 1, on, decision, Entry.FORWARD)
        elif rule == RuleId.PROGRESSION_PROGRAM_COMPLETE:
            self.completed_on = on
            self.completions.append((on, decision))
        elif rule == RuleId.REGRESSION_AFTER_GAP:
            # Back a phase, the program is not complete any more: phase 3's gate again.
            if self.completed_on is not None:
                self.maintained.append((self.completed_on + _DAY, on))
            self.completed_on = None
            self._change_phase(max(1, self.phase - 1), on, decision, Entry.FIRST)
        elif rule == RuleId.DOSAGE_AFTER_GAP:
            self.doses.ease(self.phase, on, flare=False)
            self.sessions_in_phase = 0
        return decision

    def _change_phase(self, to_phase: int, on: date, decision: Decision, entry: Entry) -> None:
        if to_phase < self.phase and self.completed_on is not None:
            # Back a phase (pain at reduced range): maintenance, phase 3's work, ends; the
            # phases' gates lead to a new completion (schedule.maintenance).
            self.maintained.append((self.completed_on + _DAY, on))
            self.completed_on = None
        if to_phase != self.phase:
            self.phase_history.append(PhaseChange(on, self.phase, to_phase, decision))
            if self.screened_on != on:
                self.pending_check = screening.phase_change_check(to_phase, on)
        self.phase = to_phase
        self.phase_started = on
        self.sessions_in_phase = 0
        self.doses.flush()
        self.doses.enter(to_phase, entry)

    @property
    def is_blocked(self) -> bool:
        return any(alert.level.blocks for alert in self.alerts.values())

    # Questions about the journey so far.

    def maintenance(self, until: date) -> list[tuple[date, date]]:
        """Every maintenance span up to `until`: those that ended, and the one going on (from
        the completing session's day: the next session is a maintenance one)."""
        if self.completed_on is None:
            return self.maintained
        return [*self.maintained, (self.completed_on, max(until, self.completed_on) + _DAY)]

    def days_on(self, on: date) -> TrainingDays:
        """The days that hold sessions on `on` (the maintenance days once complete)."""
        program = self.program
        return days_in_force(
            on,
            program.training_days,
            maintained=self.maintenance(on),
            per_week=program.maintenance_per_week,
        )

    def sessions_before(self, on: date) -> int:
        """Complete sessions recorded before `on` (what adherence counts)."""
        return bisect_left(self.complete_dates, on)

    def planned_sessions(self, until: date) -> int:
        """Training days from the start up to (not including) `until`, except blocked days,
        each counted against the days in force on it (a change of days counts from its day
        on, never again for the days before it)."""
        spans = self.blocked_spans
        if self.blocked_since is not None:
            spans = [*spans, (self.blocked_since, until)]
        program = self.program
        # The span going on counts from the day after the completing session, which was a
        # session of the days chosen.
        maintained = list(self.maintained)
        if self.completed_on is not None:
            maintained.append((self.completed_on + _DAY, max(until, self.completed_on + _DAY)))
        return planned_in_force(
            self.start,
            until,
            earlier=self.history.profile.earlier_days,
            current=program.training_days,
            maintained=maintained,
            per_week=program.maintenance_per_week,
            paused=spans,
        )

    def prescribe(self) -> tuple[PlannedExercise, ...]:
        return self.doses.prescribe(self.phase)

    def left_out(self) -> tuple[Decision, ...]:
        return self.doses.left_out(self.phase)

    def active_alerts(self, on: date) -> tuple[Alert, ...]:
        return escalation.active_alerts(self, on)
