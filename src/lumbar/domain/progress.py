"""What the progress page draws: pain and PSFS over time, the adherence calendar, the phases.

One function, `progress_report`, answers from the same replay as the plan, so the calendar
can never disagree with what the plan said on each day.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, timedelta

from lumbar.domain.journey import Journey
from lumbar.domain.model import (
    CheckIn,
    ExerciseResult,
    History,
    Kind,
    SessionLog,
    Status,
    TrainingDays,
)
from lumbar.domain.outcomes import psfs_score
from lumbar.domain.plan import status_of, walked
from lumbar.domain.program import Program
from lumbar.domain.schedule import coming_sessions, count_training_days

PROGRESS_WEEKS = 6
"""The weeks the progress page's calendar draws."""


class Day(enum.StrEnum):
    """How a day of the calendar went, or will go."""

    DONE = "done"
    PARTIAL = "partial"
    """A session with exercises left out."""
    MISSED = "missed"
    REST = "rest"
    PLANNED = "planned"
    PAUSED = "paused"
    """The program was paused by an alert that needs a clinician."""
    OUTSIDE = "outside"
    """Before the program started."""


@dataclass(frozen=True, slots=True)
class Score:
    on: date
    value: float


@dataclass(frozen=True, slots=True)
class CalendarDay:
    on: date
    day: Day


@dataclass(frozen=True, slots=True)
class BadPain:
    """A sharp or down-the-leg answer: the day, and the exercise it came after."""

    on: date
    result: ExerciseResult


@dataclass(frozen=True, slots=True, kw_only=True)
class Progress:
    status: Status
    pain: tuple[Score, ...]
    """Every pain score from the intake on, 0-10."""
    pain_target: float
    """The pain that would be a meaningful improvement: baseline less the on-track percent."""
    pain_target_pct: float
    psfs_target: float
    """The mean PSFS that would be a meaningful gain: baseline plus the detectable change."""
    psfs: tuple[Score, ...]
    """The mean PSFS score of each check-in that rated the activities, 0-10."""
    calendar: tuple[CalendarDay, ...]
    """Whole weeks, Monday to Sunday, ending with the week of the day asked about."""
    bad_pain: tuple[BadPain, ...] = ()
    """Every sharp or down-the-leg answer up to the day, oldest first: what the person
    reported, shown on the timeline beside the phases."""


def progress_report(
    on: date, history: History, program: Program, *, weeks: int = PROGRESS_WEEKS
) -> Progress:
    """Where the person stands on `on`, with the series and the calendar behind it: one walk
    of the history, read for the calendar before the status plans the day (which enters a
    session due today, and so changes the journey)."""
    journey = walked(on, history, program)
    before = _Walked.of(journey, on, weeks)
    status = status_of(journey, on)
    pain: list[Score] = []
    psfs: list[Score] = []
    bad: list[BadPain] = []
    for event in history.events:
        if event.on > on:
            break
        if isinstance(event, SessionLog):
            bad.extend(BadPain(event.on, r) for r in event.results if r.pain.is_bad)
        if isinstance(event, CheckIn):
            if event.pain is not None:
                pain.append(Score(event.on, event.pain))
            if event.psfs:
                psfs.append(Score(event.on, round(psfs_score(event.psfs), 2)))
    thresholds = program.thresholds
    target = round(before.baseline_pain * (1 - thresholds.on_track_pain_pct / 100), 1)
    psfs_target = round(min(before.baseline_psfs + thresholds.psfs_gain, 10.0), 2)
    calendar = _calendar(on, history, before, status)
    return Progress(
        status=status,
        pain=tuple(pain),
        pain_target=target,
        pain_target_pct=thresholds.on_track_pain_pct,
        psfs_target=psfs_target,
        psfs=tuple(psfs),
        calendar=calendar,
        bad_pain=tuple(bad),
    )


@dataclass(frozen=True, slots=True)
class _Walked:
    """What the calendar and the targets read of the journey walked to the day, taken before
    the day is planned."""

    first: date
    """The calendar's first day (a Monday); its last is the Sunday of the day's week."""
    last: date
    days: TrainingDays
    """The training days in force on the day."""
    in_force: dict[date, TrainingDays]
    """The training days in force on each day of the calendar up to the day asked about
    (the days after it are drawn from the schedule ahead)."""
    complete: frozenset[date]
    spans: tuple[tuple[date, date], ...]
    """The spans the program was paused: [first, end)."""
    baseline_pain: float
    baseline_psfs: float

    @classmethod
    def of(cls, journey: Journey, on: date, weeks: int) -> _Walked:
        start = journey.history.profile.start
        last = on + timedelta(days=6 - on.weekday())
        first = max(last - timedelta(days=7 * weeks - 1), start - timedelta(days=start.weekday()))
        spans = list(journey.blocked_spans)
        if journey.blocked_since is not None:
            # Not mutated: open past `last`, where the days stop, so `days=2` would draw the
            # same.
            spans.append((journey.blocked_since, last + timedelta(days=1)))  # pragma: no mutate
        calendar_days = (first + timedelta(days=i) for i in range((on - first).days + 1))
        return cls(
            first=first,
            last=last,
            days=journey.days_on(on),
            in_force={day: journey.days_on(day) for day in calendar_days},
            complete=frozenset(journey.complete_dates),
            spans=tuple(spans),
            baseline_pain=journey.measures.baseline_pain,
            baseline_psfs=journey.measures.baseline_psfs,
        )


def _calendar(
    on: date, history: History, walked: _Walked, status: Status
) -> tuple[CalendarDay, ...]:
    start = history.profile.start
    days = walked.days
    first, last = walked.first, walked.last
    sessions = {e.on for e in history.events if isinstance(e, SessionLog) and e.on <= on}
    complete = walked.complete
    spans = walked.spans

    def training(day: date) -> bool:
        return count_training_days(day, day + timedelta(days=1), walked.in_force[day], start) == 1

    # Ahead: the sessions the schedule holds if each is done on its day (today's too, when
    # it is still to do), so a moved session shifts the rest of its week as the reminders do.
    coming: set[date] = set()
    if status.next_session is not None:
        ahead = sorted(sessions)
        coming = set(coming_sessions(on, last, sessions=ahead, days=days, anchor=start))

    def paused(day: date) -> bool:
        return any(begin <= day < end for begin, end in spans)

    result: list[CalendarDay] = []
    day = first
    while day <= last:  # pragma: no mutate (day is a Monday, last a Sunday: never equal)
        week = [day + timedelta(days=i) for i in range(7)]
        # A session done on a rest day stands in for a missed one of the same week.
        moved = sum(1 for d in week if d in sessions and not training(d))
        for d in week:
            if d < start:
                kind = Day.OUTSIDE
            elif d in sessions:
                kind = Day.DONE if d in complete else Day.PARTIAL
            elif paused(d):
                kind = Day.PAUSED
            elif d == on:
                kind = Day.PLANNED if status.plan.kind is Kind.SESSION else Day.REST
            elif d > on:  # pragma: no mutate (d == on is taken above)
                kind = Day.PLANNED if d in coming else Day.REST
            elif training(d) and moved == 0:
                kind = Day.MISSED
            elif training(d):
                moved -= 1
                kind = Day.REST
            else:
                kind = Day.REST
            result.append(CalendarDay(d, kind))
        day += timedelta(days=7)
    return tuple(result)
