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

from lumbar.domain import pain as pain_rules
from lumbar.domain import progression, screening
from lumbar.domain.decisions import Decision
from lumbar.domain.dosage import Exposure, after_bad_pain, after_clean_session
from lumbar.domain.model import (
    Alert,
    CheckIn,
    Event,
    History,
    Level,
    Pain,
    PhaseChange,
    PlannedExercise,
    Range,
    SessionLog,
)
from lumbar.domain.outcomes import psfs_score, review
from lumbar.domain.program import Program
from lumbar.domain.rules import RuleId
from lumbar.domain.schedule import count_training_days

_FRESH: Exposure = (0, 0)
_BAD = frozenset({Pain.SHARP, Pain.RADIATING})
"""`Pain.is_bad` as a set: the hot loop tests every result, and membership is cheaper."""
_REVIEW_INFO = {
    RuleId.OUTCOMES_SUGGEST_ASSESSMENT: "suggest_assessment",
    RuleId.OUTCOMES_LOW_ADHERENCE: "low_adherence",
    RuleId.OUTCOMES_PSFS_NEEDED: "psfs_needed",
}


class Snapshot(NamedTuple):
    """A recorded session as it was prescribed: its phase, gate decision and exercises."""

    phase: int
    gate: Decision | None
    exercises: tuple[PlannedExercise, ...]
    partial: Decision | None
    """Set when exercises of the day were left out (the session does not count for the gate)."""


class Journey:
    """The state of one person's program after the events walked so far."""

    def __init__(self, history: History, program: Program) -> None:
        profile = history.profile
        baseline_pain, baseline_psfs = history.baseline_scores
        self.program = program
        self.history = history
        self.start = profile.start
        self.phase = 1
        self.phase_started = profile.start
        self.sessions_in_phase = 0
        self.last_bad_pain: date | None = None
        self.last_radiating: date | None = None
        self.reduced: dict[str, Decision] = {}
        """Exercises at reduced range, with the decision that reduced them."""
        self.exposure: dict[tuple[int, str], Exposure] = {}
        self.last_change: dict[tuple[int, str], Decision] = {}
        """Dose changes made at the latest session of each exercise in each phase."""
        self.top_step = {
            (phase.number, p.exercise_id): len(p.steps) - 1
            for phase in program.phases
            for p in phase.prescriptions
        }
        self.phase_exercises = {
            phase.number: frozenset(p.exercise_id for p in phase.prescriptions)
            for phase in program.phases
        }
        self.alerts: dict[str, Alert] = {}
        """Alerts that stay until a clinician clears the person, by code."""
        self.notes: dict[str, Alert] = {}
        """Advice kept visible after a clearance."""
        self.review_note: Alert | None = None
        self.pending_check: Alert | None = None
        self.blocked_since: date | None = None
        self.blocked_spans: list[tuple[date, date]] = []
        self.session_dates: list[date] = []
        """Every recorded session: the schedule keeps a rest day after each."""
        self.complete_dates: list[date] = []
        """Sessions that did every exercise of the day (or stopped for pain down the leg)."""
        started = Decision(RuleId.PROGRESSION_START, {"start": profile.start})
        self.phase_history = [PhaseChange(profile.start, None, 1, started)]
        self.completed_on: date | None = None
        self.baseline_pain = baseline_pain
        self.baseline_psfs = psfs_score(baseline_psfs)
        self.latest_pain: int | None = None
        self.latest_psfs: float | None = None
        self.last_checkin = profile.start
        self.review: Decision | None = None
        self.review_on: date | None = None
        self.referral_cleared_on: date | None = None
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

    def apply_checkin(
        self,
        checkin: CheckIn,
        *,
        is_baseline: bool = False,  # pragma: no mutate (`walk`, the one caller, passes it)
    ) -> None:
        if checkin.cleared_by_clinician and not is_baseline:
            # A check-in's clearance is of the alerts standing before it: a symptom reported
            # in the same breath has not been seen by the clinician, and stands until a
            # later clearance (the same answers give the same record from every shell).
            self._clear(checkin.on, keep=set())
        for code in checkin.symptoms:
            if code in self.alerts:
                continue
            alert = screening.symptom_alert(code, checkin.on)
            self.alerts[code] = alert
            if alert.level.blocks and self.blocked_since is None:
                self.blocked_since = checkin.on
            if alert.level is Level.SEE_CLINICIAN and self.phase > 1:
                self._change_phase(1, checkin.on, alert.decision)
        if checkin.cleared_by_clinician and is_baseline:
            # At the intake the clearance is of what it reports ("a clinician has already
            # checked what I ticked"), except an emergency: that is happening now, and only
            # a later record, after the person has been seen, clears it.
            self._clear(checkin.on, keep=screening.emergencies(checkin.symptoms))
        if is_baseline:
            return
        if checkin.psfs is not None:
            self.latest_psfs = psfs_score(checkin.psfs)
        if checkin.pain is not None:
            self.latest_pain = checkin.pain
            self.last_checkin = checkin.on
        low_baseline = self.baseline_pain <= self.program.thresholds.low_baseline_pain
        if checkin.pain is not None or (checkin.psfs is not None and low_baseline):
            self._review(checkin.on)

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
        self.pending_check = None
        clean_needed = self.program.thresholds.clean_sessions_to_step_up
        exposures = self.exposure
        reduced = self.reduced
        last_change = self.last_change
        top_step = self.top_step
        revert_for: str | None = None
        radiating = False
        done: set[str] = set()
        for result in session.results:
            exercise_id = result.exercise_id
            done.add(exercise_id)
            key = (phase, exercise_id)
            exposure = exposures.get(key, _FRESH)
            last_change.pop(key, None)
            if result.pain in _BAD:
                self.last_bad_pain = on
                radiating = radiating or result.pain is Pain.RADIATING
                exposure, change = after_bad_pain(exposure, exercise_id, phase)
                self._end_clean_runs(exercise_id)
                if exercise_id not in reduced:
                    reduced[exercise_id] = pain_rules.reduce_range(
                        exercise_id, result.pain, on, clean_needed
                    )
                elif phase > 1:
                    revert_for = revert_for or exercise_id
                elif "phase1_bad_pain" not in self.alerts:
                    floor = progression.phase1_floor(exercise_id, on)
                    self.alerts["phase1_bad_pain"] = Alert(
                        Level.SEE_CLINICIAN, "phase1_bad_pain", on, floor
                    )
            else:
                exposure, change = after_clean_session(
                    exposure,
                    exercise_id,
                    phase,
                    top_step.get(key, 0),  # pragma: no mutate (unprescribed: never planned)
                    exercise_id in reduced,
                    clean_needed,
                )
                if change is not None and change.rule == RuleId.DOSAGE_RESTORE_RANGE:
                    del reduced[exercise_id]
            if change is not None:
                last_change[key] = change
            exposures[key] = exposure
        partial = self._partial(phase, done, session)
        if partial is None:
            self.sessions_in_phase += 1
            self.complete_dates.append(on)
        if snapshot:
            self.snapshot = Snapshot(phase, decision, prescribed, partial)
        if radiating:
            self._radiating(on)
        if revert_for is not None:
            decision = progression.revert(revert_for, from_phase=phase, gate=self.program.gate)
            self.exposure[(phase, revert_for)] = _FRESH
            self._change_phase(phase - 1, on, decision)

    def _end_clean_runs(self, exercise_id: str) -> None:
        """Bad pain ends the exercise's run of clean sessions in every phase, not only this
        one: after a step back a phase, full range and the next dose come only after
        `clean_sessions_to_step_up` clean sessions since the pain (dosage.restore_range)."""
        for key, (step, streak) in self.exposure.items():
            if key[1] == exercise_id and streak:
                self.exposure[key] = (step, 0)

    def _partial(self, phase: int, done: set[str], session: SessionLog) -> Decision | None:
        """The exercises of the day left out of a session, unless pain down the leg ended it."""
        expected = self.phase_exercises[phase]
        if expected <= done:
            return None
        results = session.results
        if results and results[-1].pain is Pain.RADIATING:
            return None
        return progression.partial(tuple(sorted(expected - done)))

    # The rules that move the journey.

    def gate_at(self, on: date) -> Decision | None:
        """What the phase gate says of a session on `on`, changing nothing.

        None once the last phase is complete (the routine carries on as maintenance).
        """
        last_phase = self.program.last_phase
        if self.phase == last_phase and self.completed_on is not None:
            return None
        held = self.held_for()
        if held:
            return progression.held(held)
        return progression.gate(
            on,
            phase=self.phase,
            last_phase=last_phase,
            phase_started=self.phase_started,
            sessions_in_phase=self.sessions_in_phase,
            last_bad_pain=self.last_bad_pain,
            gate=self.program.gate,
        )

    def enter_session_day(self, on: date) -> Decision | None:
        """Evaluate the phase gate at a session on `on`, advancing when it passes."""
        decision = self.gate_at(on)
        if decision is None:
            return None
        if decision.rule == RuleId.PROGRESSION_ADVANCE_PHASE:
            self._change_phase(self.phase + 1, on, decision)
        elif decision.rule == RuleId.PROGRESSION_PROGRAM_COMPLETE:
            self.completed_on = on
        return decision

    def held_for(self) -> tuple[str, ...]:
        """The see-a-clinician screening flags that keep the person in phase 1."""
        return tuple(
            alert.code
            for alert in self.alerts.values()
            if alert.level is Level.SEE_CLINICIAN and alert.rule.startswith("screening.")
        )

    def _change_phase(self, to_phase: int, on: date, decision: Decision) -> None:
        self.phase_history.append(PhaseChange(on, self.phase, to_phase, decision))
        self.phase = to_phase
        self.phase_started = on
        self.sessions_in_phase = 0
        self.pending_check = screening.phase_change_check(to_phase, on)

    def _clear(self, on: date, *, keep: set[str]) -> None:
        for code, alert in list(self.alerts.items()):
            if alert.since > on or code in keep:
                continue
            del self.alerts[code]
            if alert.level.blocks:
                self.notes[code] = screening.cleared_note(alert, on)
            if code == "not_improving":
                self.referral_cleared_on = on
        if self.blocked_since is not None and not self.is_blocked:
            self.blocked_spans.append((self.blocked_since, on))
            self.blocked_since = None

    @property
    def is_blocked(self) -> bool:
        return any(alert.level.blocks for alert in self.alerts.values())

    def _radiating(self, on: date) -> None:
        window = self.program.thresholds.radiating_window_days
        again = pain_rules.radiating_again(self.last_radiating, on, window)
        if again is not None and "radiating_twice" not in self.alerts:
            self.alerts["radiating_twice"] = Alert(
                Level.SEE_CLINICIAN, "radiating_twice", on, again
            )
        self.last_radiating = on

    def _review(self, on: date) -> None:
        thresholds = self.program.thresholds
        if (on - self.start).days < thresholds.review_after_days:
            return
        cleared = self.referral_cleared_on
        if cleared is not None and (on - cleared).days < thresholds.referral_repeat_days:
            return
        latest_pain = self.latest_pain if self.latest_pain is not None else self.baseline_pain
        psfs_change = None if self.latest_psfs is None else self.latest_psfs - self.baseline_psfs
        decision = review(
            baseline_pain=self.baseline_pain,
            latest_pain=latest_pain,
            psfs_change=psfs_change,
            completed=self.sessions_before(on),
            planned=self.planned_sessions(on),
            thresholds=thresholds,
        )
        self.review = decision
        self.review_on = on
        if decision.rule == RuleId.OUTCOMES_NOT_IMPROVING and "not_improving" not in self.alerts:
            self.alerts["not_improving"] = Alert(Level.SEE_CLINICIAN, "not_improving", on, decision)
        code = _REVIEW_INFO.get(decision.rule)
        self.review_note = None if code is None else Alert(Level.INFO, code, on, decision)

    # Questions about the journey so far.

    def sessions_before(self, on: date) -> int:
        """Complete sessions recorded before `on` (what adherence counts)."""
        return bisect_left(self.complete_dates, on)

    def planned_sessions(self, until: date) -> int:
        """Training days from the start up to (not including) `until`, except blocked days."""
        days = self.program.training_days
        planned = count_training_days(self.start, until, days, self.start)
        spans = list(self.blocked_spans)
        if self.blocked_since is not None:
            spans.append((self.blocked_since, until))
        for first, last in spans:
            planned -= count_training_days(first, min(last, until), days, self.start)
        return max(planned, 0)

    def prescribe(self) -> tuple[PlannedExercise, ...]:
        """The current phase's exercises at their current dose step and range."""
        planned = []
        phase = self.phase
        for prescription in self.program.phase(phase).prescriptions:
            exercise_id = prescription.exercise_id
            key = (phase, exercise_id)
            step = min(
                self.exposure.get(key, _FRESH)[0],
                len(prescription.steps) - 1,  # pragma: no mutate (dosage never goes past it)
            )
            reduced = self.reduced.get(exercise_id)
            change = self.last_change.get(key)
            decisions = tuple(d for d in (reduced, change) if d is not None)
            planned.append(
                PlannedExercise(
                    exercise_id,
                    prescription.steps[step],
                    Range.REDUCED if reduced is not None else Range.FULL,
                    step,
                    decisions,
                )
            )
        return tuple(planned)

    def active_alerts(self, on: date) -> tuple[Alert, ...]:
        alerts = [*self.alerts.values(), *self.notes.values()]
        if self.review_note is not None:
            alerts.append(self.review_note)
        if self.pending_check is not None:
            alerts.append(self.pending_check)
        interval = self.program.thresholds.checkin_interval_days
        since_checkin = (on - self.last_checkin).days
        if since_checkin >= interval:
            due = self.last_checkin + timedelta(days=interval)
            decision = Decision(
                RuleId.OUTCOMES_CHECKIN_DUE,
                {"last_checkin": self.last_checkin, "days": since_checkin},
            )
            alerts.append(Alert(Level.INFO, "checkin_due", due, decision))
        alerts.sort(key=_alert_order)
        return tuple(alerts)


def _alert_order(alert: Alert) -> tuple[int, date, str]:
    return (alert.level.rank, alert.since, alert.code)
