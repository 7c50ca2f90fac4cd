"""Graded exposure within a phase: a little more after clean sessions, a step back after pain.

The steps themselves are data (each exercise's dose steps per phase, in the content files);
this module only decides when to move between them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lumbar.domain.decisions import Decision, Fact
from lumbar.domain.dose import Dose
from lumbar.domain.rules import RuleId

if TYPE_CHECKING:
    from lumbar.domain.program import Program, Thresholds

Exposure = tuple[int, int]
"""Where one exercise stands in one phase: (dose step, run of clean sessions).

A plain tuple rather than a dataclass: the engine builds one for every exercise of every
session when it replays a year of history, and a tuple is many times cheaper to build.
"""


def after_clean_session(
    exposure: Exposure,
    exercise_id: str,
    phase: int,
    steps: tuple[Dose, ...],
    reduced: bool,
    clean_needed: int,
) -> tuple[Exposure, Decision | None]:
    """A session of the exercise without bad pain.

    After `clean_needed` in a row, an exercise at reduced range goes back to full range first;
    one at full range steps up a dose, until the last step of `steps` (the phase's). The
    decision names the dose it leads to.
    """
    exposure, rule = clean_step(exposure, len(steps) - 1, reduced, clean_needed)
    if rule is None:
        return exposure, None
    return exposure, clean_change(rule, exercise_id, phase, steps, exposure[0], clean_needed)


def clean_step(
    exposure: Exposure, top_step: int, reduced: bool, clean_needed: int
) -> tuple[Exposure, RuleId | None]:
    """`after_clean_session` without the decision's facts: the engine calls this for every
    exercise of every session it replays, and builds the decision (`clean_change`) only for
    the change a plan shows, the latest of each exercise. (Positional arguments: the
    engine's hot loop.)"""
    step, streak = exposure
    streak += 1
    if streak < clean_needed:
        return (step, streak), None
    if reduced:
        return (step, 0), RuleId.DOSAGE_RESTORE_RANGE
    if step < top_step:
        return (step + 1, 0), RuleId.DOSAGE_STEP_UP
    return (step, streak), None


def clean_change(
    rule: RuleId,
    exercise_id: str,
    phase: int,
    steps: tuple[Dose, ...],
    step: int,
    clean_needed: int,
) -> Decision:
    """The decision of a change `clean_step` made, with its facts: full range again, or the
    dose step `step` of `steps` (a change comes after exactly `clean_needed` clean sessions,
    since each change starts a fresh count)."""
    if rule == RuleId.DOSAGE_RESTORE_RANGE:
        restored: dict[str, Fact] = {"exercise": exercise_id, "clean_sessions": clean_needed}
        return Decision(rule, restored)
    facts: dict[str, Fact] = {
        "exercise": exercise_id,
        "phase": phase,
        "step": step,
        "clean_sessions": clean_needed,
        "dose": steps[step],
    }
    return Decision(rule, facts)


def after_bad_pain(
    exposure: Exposure, exercise_id: str, phase: int, steps: tuple[Dose, ...]
) -> tuple[Exposure, Decision | None]:
    """Bad pain on the exercise: one dose step back (not below the first) and a fresh count."""
    step = exposure[0]
    if step == 0:
        return (0, 0), None
    facts: dict[str, Fact] = {
        "exercise": exercise_id,
        "phase": phase,
        "step": step - 1,
        "dose": steps[step - 1],
    }
    return (step - 1, 0), Decision(RuleId.DOSAGE_STEP_BACK, facts)


def work(dose: Dose) -> float:
    """What a dose asks, to compare two doses of one exercise: sets x reps x hold x load,
    each counted as 1 where the dose has none (the issue's "sets x reps x hold", with the
    load for phase 3's weighted work)."""
    return dose.sets * (dose.reps or 1) * (dose.hold_seconds or 1) * (dose.load_lb or 1)


def rise_pct(before: Dose, after: Dose) -> float:
    """How much more `after` asks than `before`, in percent (negative when less)."""
    return (work(after) / work(before) - 1) * 100


def volume(dose: Dose) -> float:
    """The work of a dose without its load: sets x reps x hold."""
    return dose.sets * (dose.reps or 1) * (dose.hold_seconds or 1)


def step_rise_pct(before: Dose, after: Dose) -> float:
    """How much more a step asks, in percent: its work, or, into another version of the
    exercise, its volume (sets x reps x hold without the load: `gentle`)."""
    if before.variant == after.variant:
        return rise_pct(before, after)
    return (volume(after) / volume(before) - 1) * 100


def gentle(before: Dose, after: Dose, thresholds: Thresholds) -> bool:
    """Whether going from `before` to `after` is one gentle step: the work rises by at most
    `dose_rise_pct` and the load by at most `load_step_lb` (a new load counts whole).

    A step into another version of the exercise (the side plank from the knees onto the
    feet, the lunge's twist taking a weight) is harder in kind, which work cannot measure:
    its volume (`volume`, without the load) may rise by no more than `dose_rise_pct`, and a
    first weight may be as heavy as `first_load_lb`, the lightest the program uses.
    """
    load_rise = (after.load_lb or 0) - (before.load_lb or 0)
    load_limit = thresholds.load_step_lb
    if before.variant != after.variant and before.load_lb is None:
        load_limit = thresholds.first_load_lb
    bound = thresholds.dose_rise_pct + _ROUNDING
    within = step_rise_pct(before, after) <= bound  # pragma: no mutate (never exactly equal)
    return within and load_rise <= load_limit


_ROUNDING = 1e-9
"""Work is a product of whole numbers and halves: a rise exactly at the bound is allowed."""


def entry_step(
    steps: tuple[Dose, ...],
    *,
    last: Dose | None,
    current: int | None,
    rise: bool,
    thresholds: Thresholds,
) -> int:
    """The dose step an exercise starts at when the person enters a phase.

    `last` is the dose the person last did of the exercise (None: never, so the first
    step), `current` the step they had reached in this phase before (after a step back
    a phase they come back to it at most). Entering a phase forward (`rise`) allows one
    gentle step over `last`; going back a phase allows none. Never a step above both:
    when even the first step is above, the first step (the content's ladders are checked
    so that this never happens for an exercise carried from the phase before).

    Entering a phase never changes the version of the exercise (`Dose.variant`): the step
    is one of the version the person last did, or the first step where the new phase does
    not have that version (the hip hinge's stick drill before the weighted hinge).
    """
    if last is None or all(dose.variant != last.variant for dose in steps):
        return 0
    found = 0
    for index, dose in enumerate(steps):
        if dose.variant != last.variant:
            continue
        if rise:
            allowed = gentle(last, dose, thresholds)
        else:
            allowed = work(dose) <= work(last) and (dose.load_lb or 0) <= (last.load_lb or 0)
        if allowed:
            found = index
    return found if current is None else min(found, current)


def steep_steps(program: Program) -> tuple[Decision, ...]:
    """Each dose step of the program that rises more than one gentle step over the step
    before it, and each first step of a phase that rises more than one gentle step over
    the first step of the same exercise in the phase before (so that whoever enters the
    phase has a gentle step to start at, `entry_step`)."""
    found: list[Decision] = []
    thresholds = program.thresholds
    first_steps: dict[str, Dose] = {}
    for phase in program.phases:
        for prescription in phase.prescriptions:
            exercise_id = prescription.exercise_id
            steps = prescription.steps
            pairs = [(index, steps[index - 1], steps[index]) for index in range(1, len(steps))]
            if exercise_id in first_steps:
                pairs.insert(0, (0, first_steps[exercise_id], steps[0]))
            for index, before, after in pairs:
                if not gentle(before, after, thresholds):
                    facts: dict[str, Fact] = {
                        "exercise": exercise_id,
                        "phase": phase.number,
                        "step": index + 1,
                        "rise_pct": round(step_rise_pct(before, after), 1),
                        "max_pct": thresholds.dose_rise_pct,
                    }
                    found.append(Decision(RuleId.CONTENT_GENTLE_STEPS, facts))
        for prescription in phase.prescriptions:
            first_steps[prescription.exercise_id] = prescription.steps[0]
    return tuple(found)
