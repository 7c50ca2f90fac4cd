"""Where each exercise stands: its dose step in each phase, its range, whether it is left
out for now, and the dose the person last did of it.

`Journey` owns one `Doses` and reads its dictionaries directly in its hot loop (a year of
history replays in under a millisecond); the moves that touch every exercise of a phase at
once (entering a phase, easing off, planning the day) live here.
"""

from __future__ import annotations

from datetime import date
from enum import Enum

from lumbar.domain.decisions import Decision, Fact
from lumbar.domain.dosage import Exposure, clean_change, entry_step
from lumbar.domain.dose import Dose
from lumbar.domain.model import PlannedExercise, Range
from lumbar.domain.program import Program
from lumbar.domain.rules import RuleId

FRESH: Exposure = (0, 0)


class Entry(Enum):
    """How a phase is entered, which sets the dose each exercise starts at."""

    FORWARD = "forward"
    """Through the gate: at most one gentle step over what the person last did."""
    BACK = "back"
    """Back a phase (pain, a screening flag): nothing over what the person last did."""
    FIRST = "first"
    """After a long gap: the phase's first steps."""


class Doses:
    """Every exercise's dose step, range and availability, for one person."""

    def __init__(self, program: Program) -> None:
        self.program = program
        self.steps: dict[tuple[int, str], tuple[Dose, ...]] = {
            (phase.number, p.exercise_id): p.steps
            for phase in program.phases
            for p in phase.prescriptions
        }
        self.top_step = {key: len(steps) - 1 for key, steps in self.steps.items()}
        self.exposure: dict[tuple[int, str], Exposure] = {}
        self.last_change: dict[tuple[int, str], Decision | RuleId] = {}
        """Dose changes made at the latest session of each exercise in each phase: a
        decision, or the rule of a clean session's change (`dosage.clean_step`), whose
        decision is made when a plan shows it (`prescribe`)."""
        self.last_done: dict[str, tuple[int, int]] = {}
        """The (phase, dose step) each exercise was last done at, up to the last phase
        change (`flush`)."""
        self.done_at: dict[tuple[int, str], Exposure] = {}
        """Since the last phase change: where each exercise stood when last done (the hot
        loop keeps the tuple it has, and `flush` sorts them at the next change)."""
        self.reduced: dict[str, Decision] = {}
        """Exercises at reduced range, with the decision that reduced them."""
        self.withdrawn: dict[str, Decision] = {}
        """Exercises left out of the plan for now, with the decision that left them out."""

    def enter(self, phase: int, entry: Entry) -> None:
        """Set the dose of each exercise of `phase` as the person enters it (item 6 of the
        rules: entering a phase never raises a dose by more than one gentle step)."""
        thresholds = self.program.thresholds
        for prescription in self.program.phase(phase).prescriptions:
            exercise_id = prescription.exercise_id
            key = (phase, exercise_id)
            self.last_change.pop(key, None)
            if entry is Entry.FIRST:
                self.exposure[key] = FRESH
                continue
            last = self._last_dose(exercise_id)
            current = self.exposure.get(key)
            step = entry_step(
                prescription.steps,
                last=last,
                current=None if current is None else current[0],
                rise=entry is Entry.FORWARD,
                thresholds=thresholds,
            )
            self.exposure[key] = (step, 0)
            if last is not None:
                facts: dict[str, Fact] = {
                    "exercise": exercise_id,
                    "phase": phase,
                    "dose": prescription.steps[step],
                    "last_dose": last,
                }
                self.last_change[key] = Decision(RuleId.DOSAGE_PHASE_ENTRY, facts)

    def flush(self) -> None:
        """At a phase change: what was done since the last one is what was done last."""
        for (phase, exercise_id), exposure in self.done_at.items():
            self.last_done[exercise_id] = (phase, exposure[0])
        self.done_at.clear()

    def _last_dose(self, exercise_id: str) -> Dose | None:
        """The dose the person last did of the exercise (None: never, or only outside the
        program's phases, where it has no dose)."""
        done = self.last_done.get(exercise_id)
        if done is None:
            return None
        steps = self.steps.get((done[0], exercise_id))
        return None if steps is None else steps[min(done[1], len(steps) - 1)]

    def ease(self, phase: int, on: date, *, flare: bool) -> None:
        """One dose step lower for every exercise of the phase (a flare-up, a gap), each
        with a fresh run of clean sessions; a flare-up says so at each exercise."""
        for prescription in self.program.phase(phase).prescriptions:
            key = (phase, prescription.exercise_id)
            step = max(0, self.exposure.get(key, FRESH)[0] - 1)
            self.exposure[key] = (step, 0)
            self.last_change.pop(key, None)
            if flare:
                facts: dict[str, Fact] = {
                    "exercise": key[1],
                    "on": on,
                    "dose": prescription.steps[step],
                }
                self.last_change[key] = Decision(RuleId.DOSAGE_FLARE, facts)

    def end_clean_runs(self, exercise_id: str) -> None:
        """Bad pain ends the exercise's run of clean sessions in every phase, not only this
        one: after a step back a phase, full range and the next dose come only after
        `clean_sessions_to_step_up` clean sessions since the pain (dosage.restore_range)."""
        for key, (step, streak) in self.exposure.items():
            if key[1] == exercise_id and streak:
                self.exposure[key] = (step, 0)

    def return_withdrawn(self, on: date, last_bad_pain: date | None) -> None:
        """Exercises left out come back after `withdrawal_days` without bad pain."""
        if not self.withdrawn or last_bad_pain is None:
            return
        if (on - last_bad_pain).days >= self.program.thresholds.withdrawal_days:
            self.withdrawn.clear()

    def prescribe(self, phase: int) -> tuple[PlannedExercise, ...]:
        """The phase's exercises at their current dose step and range, except those
        withdrawn for now."""
        planned = []
        for prescription in self.program.phase(phase).prescriptions:
            exercise_id = prescription.exercise_id
            if exercise_id in self.withdrawn:
                continue
            key = (phase, exercise_id)
            step = min(
                self.exposure.get(key, FRESH)[0],
                len(prescription.steps) - 1,  # pragma: no mutate (dosage never goes past it)
            )
            reduced = self.reduced.get(exercise_id)
            change = self.last_change.get(key)
            if isinstance(change, RuleId):
                clean_needed = self.program.thresholds.clean_sessions_to_step_up
                change = clean_change(
                    change, exercise_id, phase, prescription.steps, step, clean_needed
                )
            decisions = tuple(d for d in (reduced, change) if d is not None)
            planned.append(
                PlannedExercise(
                    exercise_id,
                    prescription.steps[step],
                    Range.REDUCED if reduced is not None else Range.FULL,
                    step,
                    decisions,
                    version=prescription.steps[step].variant,
                    warm_up=prescription.warm_up,
                )
            )
        return tuple(planned)

    def left_out(self, phase: int) -> tuple[Decision, ...]:
        """Why each exercise of the phase withdrawn for now is not in the plan."""
        return tuple(
            self.withdrawn[p.exercise_id]
            for p in self.program.phase(phase).prescriptions
            if p.exercise_id in self.withdrawn
        )
