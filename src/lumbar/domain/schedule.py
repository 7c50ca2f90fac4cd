"""The schedule: program sessions on chosen days, never two days in a row.

D1 asks for 3-4 sessions a week on non-consecutive days. On a calendar week Sunday and Monday
are consecutive too, so fixed weekdays hold at most 3; "every other day" gives 3 and 4 in
alternate weeks. A missed session is not lost: it moves to the next day that keeps a rest day
after the last completed session.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from lumbar.domain.decisions import Decision
from lumbar.domain.model import WEEKDAY_NAMES, TrainingDays

MIN_DAYS_PER_WEEK = 3
"""D1: 3-4 sessions a week. Fixed weekdays with rest days between can hold 3 at most."""

MAX_DAYS_PER_WEEK = 3
"""Four non-consecutive weekdays do not fit in a week (Sunday to Monday is consecutive)."""

DEFAULT_DAYS = TrainingDays(weekdays=frozenset({0, 2, 4}))
"""Monday, Wednesday, Friday."""

_ONE_DAY = timedelta(days=1)


def training_days_from_names(names: Iterable[str]) -> TrainingDays:
    """`["mon", "wed", "fri"]` or `["every-other-day"]`; raises ValueError for an unknown name."""
    cleaned = [name.strip().lower() for name in names if name.strip()]
    if cleaned == ["every-other-day"]:
        return TrainingDays(every_other_day=True)
    unknown = [name for name in cleaned if name not in WEEKDAY_NAMES]
    if unknown:
        raise ValueError(
            f"unknown day {unknown[0]!r}: use mon, tue, wed, thu, fri, sat, sun or every-other-day"
        )
    return TrainingDays(weekdays=frozenset(WEEKDAY_NAMES.index(name) for name in cleaned))


def refuse_training_days(days: TrainingDays) -> Decision | None:
    """Why a choice of days is refused, or None when it keeps a rest day between sessions."""
    if days.every_other_day:
        return None
    for day in sorted(days.weekdays):
        following = (day + 1) % 7
        if following in days.weekdays:
            return Decision(
                "schedule.no_consecutive_days",
                {"pair": (WEEKDAY_NAMES[day], WEEKDAY_NAMES[following])},
            )
    count = len(days.weekdays)
    if not MIN_DAYS_PER_WEEK <= count <= MAX_DAYS_PER_WEEK:
        return Decision(
            "schedule.sessions_per_week",
            {"count": count, "min": MIN_DAYS_PER_WEEK, "max": MAX_DAYS_PER_WEEK},
        )
    return None


def is_training_day(day: date, days: TrainingDays, anchor: date) -> bool:
    """Whether `day` is one of the chosen days; every-other-day counts from `anchor`."""
    if days.every_other_day:
        return (day - anchor).days % 2 == 0
    return day.weekday() in days.weekdays


def first_training_day(on_or_after: date, days: TrainingDays, anchor: date) -> date:
    day = on_or_after
    while not is_training_day(day, days, anchor):
        day += _ONE_DAY
    return day


def due_date(last_session: date | None, days: TrainingDays, anchor: date) -> date:
    """The day the next session is planned for: the first training day after the last one."""
    if last_session is None:
        return first_training_day(anchor, days, anchor)
    return first_training_day(last_session + _ONE_DAY, days, anchor)


def session_due(
    on: date, *, last_session: date | None, days: TrainingDays, anchor: date
) -> Decision | None:
    """The decision that `on` holds a session, or None when it is a rest day."""
    due = due_date(last_session, days, anchor)
    if on < due or (last_session is not None and on <= last_session + _ONE_DAY):
        return None
    if on == due:
        return Decision("schedule.training_day", {"days": days.label})
    return Decision("schedule.moved_session", {"due": due})


def next_session_after(
    on: date, *, last_session: date | None, days: TrainingDays, anchor: date
) -> date:
    """The first day after `on` that holds a session, if no session is done before it."""
    candidate = max(due_date(last_session, days, anchor), on + _ONE_DAY)
    if last_session is not None and candidate <= last_session + _ONE_DAY:
        candidate = last_session + 2 * _ONE_DAY
    return candidate


def rest_decision(on: date, *, last_session: date | None, next_session: date | None) -> Decision:
    if last_session is not None and on == last_session + _ONE_DAY:
        return Decision(
            "schedule.rest_after_session",
            {"last_session": last_session, "next_session": next_session},
        )
    return Decision("schedule.rest_day", {"next_session": next_session})


def count_training_days(start: date, end: date, days: TrainingDays, anchor: date) -> int:
    """How many training days fall in [start, end)."""
    span = (end - start).days
    if span <= 0:
        return 0
    if days.every_other_day:
        first = start + timedelta(days=(start - anchor).days % 2)
        return 0 if first >= end else ((end - first).days + 1) // 2
    weeks, remainder = divmod(span, 7)
    first_weekday = start.weekday()
    extra = sum(1 for i in range(remainder) if (first_weekday + i) % 7 in days.weekdays)
    return weeks * len(days.weekdays) + extra
