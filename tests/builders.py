"""Seeded builders for tests and benchmarks: people, histories, and a person who follows
the program day by day, answering pain check-ins as a test scripts them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from lumbar.content.load import default_content
from lumbar.domain.loads import Equipment, Unit, Weight, WeightKind
from lumbar.domain.model import (
    CheckIn,
    Clearance,
    DayPlan,
    Event,
    ExerciseResult,
    History,
    Kind,
    Pain,
    Profile,
    SessionLog,
    TrainingDays,
)
from lumbar.domain.plan import plan_day
from lumbar.domain.program import Program
from lumbar.domain.schedule import DEFAULT_DAYS

START = date(2026, 11, 2)
"""A Monday."""
ACTIVITIES = ("lift groceries", "sit through a film", "garden for an hour")


def program(days: TrainingDays = DEFAULT_DAYS) -> Program:
    return default_content().program.with_training_days(days)


NOTHING = Equipment()
"""No weights, no band: phase 3 uses household loads."""
RACK = Equipment(tuple(Weight(WeightKind.DUMBBELLS, 10 + 2.5 * n, Unit.LB) for n in range(7)))
"""Dumbbells of every weight the program's steps ask for (10 to 25 lb, 2.5 lb apart): the
program's doses as they are, loads included (domain/equipment.py changes none)."""


def profile(
    *,
    start: date = START,
    age: int = 42,
    pain_weeks: int | None = 10,
    days: TrainingDays = DEFAULT_DAYS,
    activities: tuple[str, ...] = ACTIVITIES,
    equipment: Equipment = NOTHING,
    unit: Unit = Unit.KG,
) -> Profile:
    return Profile(start, age, pain_weeks, days, activities, equipment=equipment, unit=unit)


def intake(
    *,
    on: date = START,
    pain: int = 6,
    psfs: tuple[int, ...] = (4, 5, 3),
    symptoms: tuple[str, ...] = (),
) -> CheckIn:
    return CheckIn(on, pain, psfs, symptoms, screened=True)


def clearance(on: date, *codes: str, by: str = "Dr Rao", confirmed: bool = False) -> Clearance:
    """A clinician's clearance of the alerts named (a record of its own)."""
    return Clearance(on, codes, by, confirmed)


def history(*events: Event, who: Profile | None = None, first: CheckIn | None = None) -> History:
    who = who or profile()
    first = first or intake(on=who.start)
    return History.of(who, [first, *events])


def session(on: date, *results: tuple[str, Pain]) -> SessionLog:
    return SessionLog(on, tuple(ExerciseResult(e, p) for e, p in results))


def day(offset: int) -> date:
    return START + timedelta(days=offset)


PainScript = Callable[[date, str], Pain]
Checkins = dict[date, tuple[int | None, tuple[int, ...] | None]]
"""Weekly check-ins by day: (pain, PSFS scores), either left out as None."""
Extras = dict[date, Sequence[Event]]
"""Other events (symptoms, clearances) by day."""


def no_pain(_on: date, _exercise: str) -> Pain:
    return Pain.NONE


@dataclass
class Follower:
    """A person who does every planned session, reporting pain as `pain` says.

    `checkins` maps a day to (pain, psfs) for the weekly check-ins; `extra` adds events
    (symptoms, clearances) on given days before that day's session. With `weekly`, the
    person also rates their pain `weekly` every 7 days from the start (days 7, 14, ...),
    on the days `checkins` leaves free: the phase gate asks for a recent check-in
    (progression.not_fresh), so a follower without them stays in phase 2 from week 2.
    """

    program: Program
    history: History
    pain: PainScript = no_pain
    checkins: Checkins = field(default_factory=dict)
    extra: Extras = field(default_factory=dict)
    skip: set[date] = field(default_factory=set)
    plans: list[DayPlan] = field(default_factory=list)
    weekly: int | None = None

    def follow(self, until: date) -> History:
        current = self.history.events[-1].on
        while current <= until:
            self._live(current)
            current += timedelta(days=1)
        return self.history

    def _weekly_day(self, on: date) -> bool:
        days = (on - self.history.profile.start).days
        return days > 0 and days % 7 == 0

    def _live(self, on: date) -> None:
        events = list(self.history.events)
        if on in self.checkins:
            rating, psfs = self.checkins[on]
            events.append(CheckIn(on, rating, psfs))
        elif self.weekly is not None and self._weekly_day(on):
            events.append(CheckIn(on, self.weekly))
        events.extend(self.extra.get(on, ()))
        self.history = History.of(self.history.profile, events)
        plan = plan_day(on, self.history, self.program)
        self.plans.append(plan)
        if plan.kind is not Kind.SESSION or plan.completed or on in self.skip:
            return
        results = []
        for planned in plan.exercises:
            pain = self.pain(on, planned.exercise_id)
            results.append(ExerciseResult(planned.exercise_id, pain))
            if pain is Pain.RADIATING:
                break
        self.history = History.of(self.history.profile, [*events, SessionLog(on, tuple(results))])


def a_year_of_history(days: TrainingDays = DEFAULT_DAYS) -> tuple[History, Program]:
    """A person who follows the program for a year with a few aches and weekly check-ins."""
    chosen = program(days)

    def pain(on: date, exercise: str) -> Pain:
        return Pain.ACHE if (on.toordinal() + len(exercise)) % 9 == 0 else Pain.NONE

    weekly: dict[date, tuple[int | None, tuple[int, ...] | None]] = {
        START + timedelta(days=7 * week): (max(1, 6 - week // 3), (5, 6, 4))
        for week in range(1, 53)
    }
    follower = Follower(chosen, history(who=profile(days=days)), pain=pain, checkins=weekly)
    return follower.follow(START + timedelta(days=364)), chosen
