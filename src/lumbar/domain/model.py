"""The program's vocabulary: what a person did, what the engine prescribes, what it decided.

Everything here is a frozen value. The engine never mutates history; it reads it and
returns new values, each carrying the decisions that produced it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from lumbar.domain.camera import CameraSummary
from lumbar.domain.decisions import Decision, Fact
from lumbar.domain.dose import Dose
from lumbar.domain.exercise import Exercise, SpinalFlexion
from lumbar.domain.loads import Equipment, Unit
from lumbar.domain.moments import Milestone, Moment, WeeklyGoal
from lumbar.domain.skips import SKIP_NOTE_MAX, Skip, SkipReason


class Pain(enum.StrEnum):
    """What a person felt during an exercise, in the words of the program's pain rules."""

    NONE = "none"
    ACHE = "ache"
    """Dull ache or muscle fatigue: the 'good' sensation of a muscle working."""
    SHARP = "sharp"
    """Sharp or stabbing: stop this exercise."""
    RADIATING = "radiating"
    """Travels down the leg: stop the whole session."""

    @property
    def is_bad(self) -> bool:
        return self is Pain.SHARP or self is Pain.RADIATING


class Level(enum.StrEnum):
    """How serious an alert is; every level but `info` stays until a clinician clears it."""

    EMERGENCY = "emergency"
    URGENT = "urgent"
    SEE_CLINICIAN = "see_clinician"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for the most serious, so alerts sort with the gravest first."""
        return _LEVEL_RANK[self]

    @property
    def needs_clearance(self) -> bool:
        return self is not Level.INFO

    @property
    def blocks(self) -> bool:
        """Emergency and urgent alerts stop the program until a clinician clears the person."""
        return self is Level.EMERGENCY or self is Level.URGENT


_LEVEL_RANK = {
    Level.EMERGENCY: 0,
    Level.URGENT: 1,
    Level.SEE_CLINICIAN: 2,
    Level.INFO: 3,  # pragma: no mutate (the last rank, only sorted by: 4 sorts the same)
}


class Kind(enum.StrEnum):
    """What kind of day the plan describes."""

    SESSION = "session"
    REST = "rest"
    BLOCKED = "blocked"


class Range(enum.StrEnum):
    FULL = "full"
    REDUCED = "reduced"


@dataclass(frozen=True, slots=True)
class TrainingDays:
    """The days a person trains: fixed weekdays (0 is Monday), or every other day."""

    weekdays: frozenset[int] = frozenset()
    every_other_day: bool = False

    @property
    def label(self) -> str:
        if self.every_other_day:
            return "every-other-day"
        return ",".join(WEEKDAY_NAMES[d] for d in sorted(self.weekdays))


WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""The days of the week as every file, form and command names them (0 is Monday)."""
WEEKDAY_FULL_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def weekday_number(name: str) -> int:
    """0 for "mon" or "Monday", ... 6 for "sun"; raises ValueError for anything else."""
    cleaned = name.strip().lower()
    if cleaned in WEEKDAY_FULL_NAMES:
        return WEEKDAY_FULL_NAMES.index(cleaned)
    return WEEKDAY_NAMES.index(cleaned)


@dataclass(frozen=True, slots=True)
class Profile:
    """What the intake recorded once: who the person is and when the program began."""

    start: date
    age: int
    pain_weeks: int | None
    """How long the current episode has lasted; None when the person did not say."""
    training_days: TrainingDays
    psfs_activities: tuple[str, ...]
    earlier_days: tuple[tuple[date, TrainingDays], ...] = ()
    """The days chosen before each change, as (until, days), oldest first: `days` were in
    force up to (not including) `until`. Adherence counts each past day against the days in
    force on it, so a change applies from its day forward."""
    alternatives: tuple[tuple[str, str], ...] = ()
    """(exercise id, alternative id): the versions the person chose to do instead, for
    good. The rules count them as the exercise itself."""
    equipment: Equipment = Equipment()
    """What the person has to lift (issue #17): phase 3's loads are bounded by it."""
    unit: Unit = Unit.KG
    """The unit the person reads weights in; only how weights are written depends on it."""

    def days_on(self, day: date, current: TrainingDays) -> TrainingDays:
        """The training days in force on `day` (`current` from the last change on)."""
        for until, days in self.earlier_days:
            if day < until:
                return days
        return current


@dataclass(frozen=True, slots=True)
class ExerciseResult:
    exercise_id: str
    pain: Pain
    version: str | None = None
    """The alternative done instead, for this session only (a swap: no dumbbell, no way
    down to the floor today); None when the exercise was done as planned. The pain answer
    is the alternative's, and counts as the exercise's (`dosage.swapped`)."""
    comment: str | None = None
    """The person's own words on the exercise, for their clinician (issue #20), at most
    `COMMENT_MAX` characters; None when they added none. No rule reads it."""
    camera: CameraSummary | None = None
    """What the camera counted of it (issue #21: reps or seconds held, form checks that
    failed), when the person used the camera. No rule reads it: it never overrides the pain
    answer or any safety rule (domain/camera.py)."""


COMMENT_MAX = 280
"""The longest comment kept with an exercise's answer: a few sentences, not a diary."""


@dataclass(frozen=True, slots=True)
class SessionLog:
    """A program session as it was done: each exercise with the pain reported after it,
    and the exercises skipped with their reasons (never among the results: a skip has no
    pain answer)."""

    on: date
    results: tuple[ExerciseResult, ...]
    skipped: tuple[Skip, ...] = ()


@dataclass(frozen=True, slots=True)
class CheckIn:
    """A check-in: weekly pain and PSFS, new symptoms, or the screening questions answered.

    The intake is the first check-in: its pain and PSFS scores are the baseline. `screened`
    says the person went through every screening question (with or without a symptom to
    report): it answers the re-screening asked at a phase change, or after pain down the
    leg or a problem report.
    """

    on: date
    pain: int | None = None
    psfs: tuple[int, ...] | None = None
    symptoms: tuple[str, ...] = ()
    screened: bool = False
    follow_up: bool = False
    """Recorded with a problem report (a fall, more pain after a session): the next session
    opens with the safety questions again."""


@dataclass(frozen=True, slots=True)
class Clearance:
    """A clinician's clearance of named alerts: a record of its own, never part of the one
    that reports a symptom, so it can only clear what was reported before it.

    `by` names who cleared, as free text ("Dr Rao", "my physical therapist"). `confirmed`
    is True when a clinician recorded it with their own account on a clinic's server; False
    when the person told us a clinician saw them (self-guided mode).
    """

    on: date
    codes: tuple[str, ...]
    by: str
    confirmed: bool = False


Event = SessionLog | CheckIn | Clearance


class ProblemKind(enum.StrEnum):
    """What went wrong, in the words of an adverse-event log."""

    PAIN_AFTER_SESSION = "pain_after_session"
    """More pain after a session than before it."""
    FALL = "fall"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class ProblemReport:
    """Something that went wrong, reported by the person for their clinician to read.

    It changes nothing in the program by itself: what needs the program to stop is asked
    by the screening questions of a check-in.
    """

    on: date
    kind: ProblemKind
    note: str = ""


@dataclass(frozen=True, slots=True)
class History:
    """Everything a person recorded, in the order it happened.

    `events` is ordered by date; events on the same date keep the order they were recorded in.
    The first event is the intake check-in, dated on the start of the program.
    """

    profile: Profile
    events: tuple[Event, ...]

    @classmethod
    def of(cls, profile: Profile, events: tuple[Event, ...] | list[Event]) -> History:
        """Build a history from events in recorded order (a stable sort keeps same-day order)."""
        return cls(profile, tuple(sorted(events, key=_event_date)))

    @property
    def baseline_scores(self) -> tuple[int, tuple[int, ...]]:
        """The intake's pain and PSFS ratings, which every review compares against."""
        first = self.events[0] if self.events else None
        if not isinstance(first, CheckIn) or first.pain is None or not first.psfs:
            raise ValueError("a history starts with the intake check-in (pain and PSFS)")
        return first.pain, first.psfs


def _event_date(event: Event) -> date:
    return event.on


@dataclass(frozen=True, slots=True)
class Alert:
    """Something the person must see: a red flag, a referral, a reminder."""

    level: Level
    code: str
    since: date
    decision: Decision

    @property
    def rule(self) -> str:
        return self.decision.rule


@dataclass(frozen=True, slots=True)
class PlannedExercise:
    exercise_id: str
    dose: Dose
    range: Range
    step: int
    """Which of the phase's dose steps this is, from 0."""
    decisions: tuple[Decision, ...] = ()
    version: str | None = None
    """Which version to teach (`Exercise.variants`, `Exercise.alternatives`): the person's
    chosen alternative, else the dose step's variant, else None for the exercise itself."""
    warm_up: bool = False
    """Part of the phase's warm-up, done first at a low dose."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DayPlan:
    """What a person should do on one day, and why."""

    on: date
    kind: Kind
    phase: int
    exercises: tuple[PlannedExercise, ...]
    daily: tuple[str, ...]
    """The optional short daily routine offered on rest days (exercise ids)."""
    alerts: tuple[Alert, ...]
    decisions: tuple[Decision, ...]
    next_session: date | None
    completed: bool = False
    """True when this day's session is already recorded."""


@dataclass(frozen=True, slots=True)
class PhaseChange:
    on: date
    from_phase: int | None
    to_phase: int
    decision: Decision


@dataclass(frozen=True, slots=True, kw_only=True)
class Improvement:
    """Where a person stands against their baseline; None wherever there is no data yet."""

    baseline_pain: int
    latest_pain: int | None
    pain_change_pct: float | None
    """Positive is better: (baseline - latest) / baseline x 100."""
    baseline_psfs: float
    latest_psfs: float | None
    psfs_change: float | None
    adherence_pct: float | None
    planned_sessions: int
    completed_sessions: int
    review: Decision | None
    review_on: date | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Status:
    on: date
    phase: int
    phase_started: date
    sessions_in_phase: int
    sessions_this_week: int
    improvement: Improvement
    phase_history: tuple[PhaseChange, ...]
    completed_on: date | None
    plan: DayPlan
    milestones: tuple[Milestone, ...] = ()
    """Every milestone up to the day, oldest first."""
    week: WeeklyGoal | None = None
    """None while the program is paused."""
    training_days: TrainingDays | None = None
    """The days that hold sessions from `on` on: the days chosen, or maintenance's."""

    @property
    def day_in_phase(self) -> int:
        return (self.on - self.phase_started).days + 1

    @property
    def next_session(self) -> date | None:
        return self.plan.next_session

    @property
    def alerts(self) -> tuple[Alert, ...]:
        return self.plan.alerts


__all__ = [
    "Alert",
    "CheckIn",
    "DayPlan",
    "Decision",
    "Dose",
    "Event",
    "Exercise",
    "COMMENT_MAX",
    "ExerciseResult",
    "Fact",
    "History",
    "Improvement",
    "Kind",
    "Level",
    "Milestone",
    "Moment",
    "Pain",
    "PhaseChange",
    "PlannedExercise",
    "ProblemKind",
    "ProblemReport",
    "Profile",
    "Range",
    "SessionLog",
    "SKIP_NOTE_MAX",
    "Skip",
    "SkipReason",
    "SpinalFlexion",
    "Status",
    "WeeklyGoal",
    "TrainingDays",
    "WEEKDAY_NAMES",
    "WEEKDAY_FULL_NAMES",
    "weekday_number",
]
