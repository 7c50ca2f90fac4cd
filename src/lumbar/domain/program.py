"""The program: phases, exercises and their dose steps, gates, thresholds and training days.

One data object with defaults from the content files, so that a physical therapist can
prescribe a variant. Whatever the variant, a Program cannot be built if it breaks a safety
rule: no loaded spinal flexion, no hamstring stretching, light loads only, no consecutive
training days.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import ClassVar, TypeVar

from lumbar.domain.decisions import Decision, Fact
from lumbar.domain.loads import KG_PER_LB, HouseholdLoad
from lumbar.domain.model import Dose, Exercise, SpinalFlexion, TrainingDays
from lumbar.domain.routine import RoutineExercise, routine_load_problem, routine_problem
from lumbar.domain.rules import RuleId
from lumbar.domain.schedule import refuse_training_days


class UnsafeProgram(ValueError):
    """A program that breaks a safety rule; `refusals` says which rule and for what."""

    def __init__(self, refusals: tuple[Decision, ...]) -> None:
        self.refusals = refusals
        super().__init__("; ".join(f"{d.rule} {dict(d.facts)}" for d in refusals))


@dataclass(frozen=True, slots=True)
class Prescription:
    """An exercise in a phase, with its dose steps from the first (baseline) to the last."""

    exercise_id: str
    steps: tuple[Dose, ...]
    warm_up: bool = False
    """Done first, at a low dose, to prepare for the rest (phase 3's cat-cow and bridge)."""

    def __post_init__(self) -> None:
        if not self.steps:
            raise ValueError(f"{self.exercise_id}: a prescription needs at least one dose step")


@dataclass(frozen=True, slots=True)
class Phase:
    number: int
    name: str
    goal: str
    prescriptions: tuple[Prescription, ...]

    def prescription(self, exercise_id: str) -> Prescription | None:
        for prescription in self.prescriptions:
            if prescription.exercise_id == exercise_id:
                return prescription
        return None


@dataclass(frozen=True, slots=True, kw_only=True)
class Gate:
    """What a phase asks before the next one (D1-6, D1-7): a week, sessions, no bad pain.

    The numbers are the program's (content/program.toml, explained in docs/rules.md); a
    clinician may prescribe others within `LIMITS`. There is no default here, so nothing
    runs on numbers other than those the program ships or a clinician chose.
    """

    min_days: int
    """Days in the phase before the next one opens (D1-6: a full week)."""
    min_sessions: int
    """Complete sessions in the phase before the next one opens."""
    pain_free_days: int
    """Days without sharp or radiating pain before the next phase (D1-7)."""
    checkin_within_days: int
    """The next phase opens only with a weekly check-in (pain rated) this recent: the gate
    judges fresh evidence."""
    last_session_within_days: int
    """...and only when the session before was this recent (after a longer gap, see the
    gap thresholds)."""

    LIMITS: ClassVar[Mapping[str, tuple[float, float]]] = {
        "min_days": (1, 90),
        "min_sessions": (1, 30),
        "pain_free_days": (1, 90),
        "checkin_within_days": (1, 31),
        "last_session_within_days": (2, 31),
    }
    """The range a clinician may set each number in, both ends included."""

    def __post_init__(self) -> None:
        _check_numbers(self, self.LIMITS)


@dataclass(frozen=True, slots=True, kw_only=True)
class Thresholds:
    """The numbers behind the rules (defaults: clinical-evidence.md), in
    content/program.toml; a clinician may prescribe others within `LIMITS`."""

    clean_sessions_to_step_up: int
    """Graded exposure: consecutive sessions of an exercise without bad pain before more."""
    radiating_window_days: int
    """Pain down the leg in two sessions this close together raises a see-a-clinician alert."""
    checkin_interval_days: int
    """The weekly check-in."""
    review_after_days: int
    """D1-14: the 4-week review."""
    review_grace_days: int
    """No check-in this many days after the review fell due: see a clinician (we can't tell)."""
    min_adherence_pct: float
    """Below this share of planned sessions, the review says so instead of referring
    (never instead of a referral for worse pain)."""
    on_track_pain_pct: float
    """Ostelo 2008, Farrar 2001: 30% is the meaningful-improvement threshold."""
    better_pain_points: int
    """...or 2 points on the 0-10 scale (the NPRS MCID, Ostelo 2008)."""
    suggest_pain_pct: float
    """D1-14's lower bound: 20-30% suggests an assessment; under 20% refers."""
    worse_pain_points: int
    """Pain this many points above the baseline at a check-in is worse, whatever the PSFS."""
    worse_pain_pct: float
    """...as is pain this much above the baseline, in percent."""
    psfs_gain: float
    """PSFS minimum detectable change on the mean (Stratford 1995); a fall this large is
    worse function."""
    psfs_ceiling: float
    """Above this baseline PSFS, the score cannot gain `psfs_gain`: pain decides."""
    low_baseline_pain: int
    """At or below this baseline pain, a 30% change is under a point: judge by PSFS alone."""
    recovered_pain: int
    """Pain at or below this, with PSFS at or above `recovered_psfs`, is recovery
    (Kamper 2010: NRS 0-1)."""
    recovered_psfs: float
    """See `recovered_pain`."""
    referral_repeat_days: int
    """After a clinician clears a review referral, the next review is this much later."""
    flare_above_baseline: int
    """A weekly pain more than this many points above the baseline is a flare (brief C8)."""
    flare_pain: int
    """...as is a weekly pain above this that is higher than the week before (C8: >5/10)."""
    persistent_pain_sessions: int
    """Bad pain in this many of the last `persistent_pain_window` sessions: see a clinician."""
    persistent_pain_window: int
    """See `persistent_pain_sessions`."""
    withdrawal_days: int
    """An exercise withdrawn after bad pain at reduced range comes back after this many days
    without bad pain (or when a clinician clears the person)."""
    gap_dose_days: int
    """This many days or more without a session (between two sessions): one dose step lower."""
    gap_phase_days: int
    """This many or more: one phase lower, from its first dose step."""
    dose_rise_pct: float
    """The most a dose step raises the work of an exercise (sets x reps x hold x load), in
    percent: entering a phase never raises an exercise by more (brief §5d: ~10% a week)."""
    load_step_lb: float
    """The smallest load a person can add (2.5 lb, about 1 kg): the most a step raises a load."""
    first_load_lb: float
    """The heaviest first weight: a harder version of an exercise that takes a weight where
    the version before had none (the lunge's twist) starts at no more (phase 3's lightest
    weight, 10 lb: seed 000)."""

    LIMITS: ClassVar[Mapping[str, tuple[float, float]]] = {
        "clean_sessions_to_step_up": (1, 10),
        "radiating_window_days": (1, 90),
        "checkin_interval_days": (1, 31),
        "review_after_days": (7, 180),
        "review_grace_days": (1, 31),
        "min_adherence_pct": (0, 100),
        "on_track_pain_pct": (0, 100),
        "better_pain_points": (1, 10),
        "suggest_pain_pct": (0, 100),
        "worse_pain_points": (1, 10),
        "worse_pain_pct": (1, 100),
        "psfs_gain": (0.1, 10),
        "psfs_ceiling": (0, 10),
        "low_baseline_pain": (0, 10),
        "recovered_pain": (0, 10),
        "recovered_psfs": (0, 10),
        "referral_repeat_days": (1, 365),
        "flare_above_baseline": (0, 10),
        "flare_pain": (0, 10),
        "persistent_pain_sessions": (1, 20),
        "persistent_pain_window": (1, 20),
        "withdrawal_days": (1, 90),
        "gap_dose_days": (2, 90),
        "gap_phase_days": (2, 180),
        "dose_rise_pct": (1, 50),
        "load_step_lb": (0.5, 10),
        "first_load_lb": (1, 15),
    }
    """The range a clinician may set each number in, both ends included."""

    def __post_init__(self) -> None:
        _check_numbers(self, self.LIMITS)
        for lower, upper in (
            ("suggest_pain_pct", "on_track_pain_pct"),
            ("persistent_pain_sessions", "persistent_pain_window"),
            ("gap_dose_days", "gap_phase_days"),
        ):
            if getattr(self, lower) > getattr(self, upper):
                raise OutOfOrder(lower, upper)


class OutOfOrder(ValueError):
    """Two thresholds that must keep an order (the pain bands) do not."""

    def __init__(self, lower: str, upper: str) -> None:
        super().__init__(f"{lower} must not be above {upper}")
        self.names = (upper, lower)


N = TypeVar("N", Gate, Thresholds)


def numbers_from(kind: type[N], table: Mapping[str, object]) -> N:
    """A gate or thresholds from a table of numbers (a content file, a prescription),
    refusing a name it does not have or a number left out, as ValueError."""
    names = [field.name for field in fields(kind)]
    unknown = sorted(set(table) - set(names))
    if unknown:
        raise ValueError(f"there is no {unknown[0]!r} (there are {', '.join(names)})")
    missing = [name for name in names if name not in table]
    if missing:
        raise ValueError(f"{missing[0]} is missing")
    whole = {field.name for field in fields(kind) if field.type == "int"}
    values = {
        # 28.0 days are 28 days (a form or a JSON client may send either).
        name: int(value)
        if name in whole and isinstance(value, float) and value.is_integer()
        else value
        for name, value in table.items()
    }
    return kind(**values)  # type: ignore[arg-type]


def _check_numbers(values: Gate | Thresholds, limits: Mapping[str, tuple[float, float]]) -> None:
    """Refuse a number of the wrong kind (a whole number where days are counted; never a
    bool) or outside its limits, naming it."""
    for field in fields(values):
        value = getattr(values, field.name)
        whole = field.type == "int"
        if isinstance(value, bool) or not isinstance(value, int if whole else (int, float)):
            kind = "a whole number" if whole else "a number"
            raise ValueError(f"{field.name} must be {kind} (got {value!r})")
        low, high = limits[field.name]
        if not low <= value <= high:
            raise ValueError(f"{field.name} must be from {low:g} to {high:g} (got {value:g})")


@dataclass(frozen=True, slots=True, kw_only=True)
class Program:
    exercises: Mapping[str, Exercise]
    phases: tuple[Phase, ...]
    gate: Gate
    thresholds: Thresholds
    training_days: TrainingDays
    daily_routine: tuple[RoutineExercise, ...]
    """The optional routine of rest days, each exercise at its own dose (domain/routine.py)."""
    max_load_lb: int
    """D1-5: light weights of 10-25 lb in phase 3."""
    maintenance_per_week: int = 2
    """Sessions a week once the program is complete (`schedule.maintenance`)."""
    household_loads: tuple[HouseholdLoad, ...] = ()
    """Things from home, weighed out, that stand in for weights (content/household.toml):
    each within the program's range of weights (`content.household_range`)."""

    def __post_init__(self) -> None:
        _check_structure(self)
        refusals = safety_refusals(self)
        if refusals:
            raise UnsafeProgram(refusals)
        # After the safety rules, so that a load on the routine's cat-cow is refused as a
        # load in flexion; a load on any other of its exercises is refused here.
        problem = routine_load_problem(self.daily_routine)
        if problem is not None:
            raise ValueError(problem)

    @property
    def last_phase(self) -> int:
        return len(self.phases)

    def phase(self, number: int) -> Phase:
        return self.phases[number - 1]

    def with_training_days(self, days: TrainingDays) -> Program:
        return replace(self, training_days=days)


def _check_structure(program: Program) -> None:
    numbers = [phase.number for phase in program.phases]
    if numbers != list(range(1, len(numbers) + 1)):
        raise ValueError(f"phases must be numbered 1, 2, 3... (got {numbers})")
    used = [p.exercise_id for phase in program.phases for p in phase.prescriptions]
    for exercise_id in used:
        if exercise_id not in program.exercises:
            raise ValueError(f"unknown exercise {exercise_id!r} in the program")
    problem = routine_problem(program.daily_routine, program.exercises)
    if problem is not None:
        raise ValueError(problem)


def safety_refusals(program: Program) -> tuple[Decision, ...]:
    """Every safety rule the program breaks; empty for a safe program."""
    refusals: list[Decision] = []
    for exercise in program.exercises.values():
        refusals.extend(exercise_refusals(exercise, max_load_lb=program.max_load_lb))
    for phase in program.phases:
        for prescription in phase.prescriptions:
            exercise = program.exercises[prescription.exercise_id]
            refusals.extend(
                _dose_refusals(exercise, prescription.steps, max_load_lb=program.max_load_lb)
            )
    for item in program.daily_routine:
        # The routine's doses go through the same rules as the phases' (no load in flexion).
        exercise = program.exercises[item.exercise_id]
        refusals.extend(_dose_refusals(exercise, (item.dose,), max_load_lb=program.max_load_lb))
    days = refuse_training_days(program.training_days)
    if days is not None:
        refusals.append(days)
    unique = {(d.rule, tuple(d.facts.items())): d for d in refusals}
    return tuple(unique.values())


def exercise_refusals(exercise: Exercise, *, max_load_lb: int) -> list[Decision]:
    """The safety rules a catalogue entry breaks, including those of its default doses."""
    refusals: list[Decision] = []
    # `Exercise` already refuses loaded flexion when it is built; this second check is kept
    # on purpose, so that no program can hold one even if an exercise was forced past it.
    if exercise.spinal_flexion is SpinalFlexion.LOADED:
        refusals.append(Decision(RuleId.CONTENT_NO_LOADED_FLEXION, {"exercise": exercise.id}))
    if "hamstrings" in exercise.stretches:
        refusals.append(Decision(RuleId.CONTENT_NO_HAMSTRING_STRETCH, {"exercise": exercise.id}))
    for steps in exercise.doses.values():
        refusals.extend(_dose_refusals(exercise, steps, max_load_lb=max_load_lb))
    return refusals


def _dose_refusals(
    exercise: Exercise, steps: tuple[Dose, ...], *, max_load_lb: int
) -> list[Decision]:
    refusals: list[Decision] = []
    for dose in steps:
        if dose.load_lb is None:
            continue
        if exercise.spinal_flexion is not SpinalFlexion.NONE:
            refusals.append(Decision(RuleId.CONTENT_NO_LOAD_IN_FLEXION, {"exercise": exercise.id}))
        if dose.load_lb > max_load_lb:
            facts: dict[str, Fact] = {
                "exercise": exercise.id,
                "load_lb": dose.load_lb,
                "max_lb": max_load_lb,
            }
            refusals.append(Decision(RuleId.CONTENT_MAX_LOAD, facts))
    return refusals


def load_range_lb(program: Program) -> tuple[float, float]:
    """The weights the program's steps ask for: from the lightest of its loaded steps (10 lb;
    without one, the first weight a harder version may take) to the most (25 lb)."""
    loads = [
        dose.load_lb
        for phase in program.phases
        for prescription in phase.prescriptions
        for dose in prescription.steps
        if dose.load_lb is not None
    ]
    low = min(loads) if loads else program.thresholds.first_load_lb
    return low, float(program.max_load_lb)


def household_refusals(program: Program) -> list[Decision]:
    """The household loads outside the program's range of weights (content.household_range).
    Checked when the content loads: a clinician's prescription keeps the shipped loads, and
    the dose of each step is fitted to them (domain/equipment.py), never the other way."""
    low, high = load_range_lb(program)
    return [
        Decision(RuleId.CONTENT_HOUSEHOLD_RANGE, {"household": load.id, "kg": load.kg})
        for load in program.household_loads
        if not within(load.lb, low, high)
    ]


def within(lb: float, low_lb: float, high_lb: float) -> bool:
    """In the range as people read it, to a tenth of a kilogram (10 to 25 lb is 4.5 to
    11.3 kg: a 4.5 kg weight is in it)."""
    return tenths_of_kg(low_lb) <= tenths_of_kg(lb) <= tenths_of_kg(high_lb)


def tenths_of_kg(lb: float) -> float:
    return round(lb * KG_PER_LB, 1)
