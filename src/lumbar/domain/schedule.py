"""The schedule: program sessions on chosen days, never two days in a row.

D1 asks for 3-4 sessions a week on non-consecutive days. On a calendar week Sunday and Monday
are consecutive too, so fixed weekdays hold at most 3; "every other day" gives 3 and 4 in
alternate weeks. A missed session moves to the next day that keeps a rest day after the last
completed session; with fixed weekdays it stays within its week, so no week holds more.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from lumbar.domain.decisions import Decision
from lumbar.domain.model import WEEKDAY_FULL_NAMES, WEEKDAY_NAMES, TrainingDays
from lumbar.domain.rules import RuleId

MIN_DAYS_PER_WEEK = 3
"""D1: 3-4 sessions a week. Fixed weekdays with rest days between can hold 3 at most."""

MAX_DAYS_PER_WEEK = 3
"""Four non-consecutive weekdays do not fit in a week (Sunday to Monday is consecutive)."""

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)
"""The days the engine plans for: far enough from `date.max` that looking ahead (the next
session, the review) never runs off the calendar."""

DEFAULT_DAYS = TrainingDays(weekdays=frozenset({0, 2, 4}))
"""Monday, Wednesday, Friday."""

_ONE_DAY = timedelta(days=1)
_LOOKAHEAD_DAYS = 15  # pragma: no mutate (no choice of days waits over 7 days)
"""Any valid choice of days holds a session within two weeks, whatever was missed."""


def training_days_from_names(names: Iterable[str]) -> TrainingDays:
    """`["mon", "wed", "fri"]` or `["every-other-day"]`; raises ValueError for an unknown name,
    or for every-other-day among other days."""
    cleaned = [_day_name(name) for name in names if name.strip()]
    if cleaned == ["every-other-day"]:
        return TrainingDays(every_other_day=True)
    if "every-other-day" in cleaned:
        # Not an unknown day (the message would list it as a choice): a choice of its own.
        raise ValueError(
            "every-other-day goes alone: give it by itself, or name the days (such as mon, "
            "wed, fri)"
        )
    unknown = [name for name in cleaned if name not in WEEKDAY_NAMES]
    if unknown:
        raise ValueError(
            f"unknown day {unknown[0]!r}: use mon, tue, wed, thu, fri, sat, sun or every-other-day"
        )
    return TrainingDays(weekdays=frozenset(WEEKDAY_NAMES.index(name) for name in cleaned))


def _day_name(name: str) -> str:
    """A day as a person may write it, as lumbar names it: "Monday" and "mon" are "mon",
    "every other day" is "every-other-day"."""
    said = " ".join(name.strip().lower().split())
    if said in WEEKDAY_FULL_NAMES:
        return WEEKDAY_NAMES[WEEKDAY_FULL_NAMES.index(said)]
    return said.replace(" ", "-") if said == "every other day" else said


def training_days_from_choice(choice: Iterable[str] | str) -> TrainingDays:
    """A choice of days as people give it: names, "mon,wed,fri", "Monday Wednesday Friday",
    or "every-other-day"; nothing chosen keeps the default days. Raises ValueError as
    `training_days_from_names`. The one reading of a choice of days: the intake's question,
    `lumbar days`, the web form and the files all come here."""
    if isinstance(choice, str):
        said = " ".join(choice.replace(",", " ").split())
        together = _day_name(said) == "every-other-day"
        names = [said] if together else said.split(" ")
    else:
        names = list(choice)
    if not [name for name in names if name.strip()]:
        return DEFAULT_DAYS
    return training_days_from_names(names)


def refuse_training_days(days: TrainingDays) -> Decision | None:
    """Why a choice of days is refused, or None when it keeps a rest day between sessions."""
    if days.every_other_day:
        return None
    for day in sorted(days.weekdays):
        following = (day + 1) % 7
        if following in days.weekdays:
            return Decision(
                RuleId.SCHEDULE_NO_CONSECUTIVE_DAYS,
                {"pair": (WEEKDAY_NAMES[day], WEEKDAY_NAMES[following])},
            )
    count = len(days.weekdays)
    if not MIN_DAYS_PER_WEEK <= count <= MAX_DAYS_PER_WEEK:
        return Decision(
            RuleId.SCHEDULE_SESSIONS_PER_WEEK,
            {"count": count, "min": MIN_DAYS_PER_WEEK, "max": MAX_DAYS_PER_WEEK},
        )
    return None


def maintenance_days(days: TrainingDays, per_week: int) -> TrainingDays:
    """The days of maintenance: `per_week` of the chosen days, spread over the week (of
    Monday, Wednesday and Friday, two are Monday and Friday). Every other day counts as
    Monday, Wednesday and Friday here: maintenance keeps to fixed days."""
    chosen = (0, 2, 4) if days.every_other_day else tuple(sorted(days.weekdays))
    if per_week >= len(chosen):
        return TrainingDays(weekdays=frozenset(chosen))
    if per_week == 1:
        return TrainingDays(weekdays=frozenset(chosen[:1]))
    last = len(chosen) - 1
    picked = {chosen[round(i * last / (per_week - 1))] for i in range(per_week)}
    return TrainingDays(weekdays=frozenset(picked))


def days_in_force(
    on: date, days: TrainingDays, *, maintained: Sequence[tuple[date, date]], per_week: int
) -> TrainingDays:
    """The days that hold sessions on `on`: the days chosen, or the maintenance days on a
    day of a `maintained` span ([first, end): from the day after a completing session until
    a gap took the person back a phase)."""
    if any(first <= on < end for first, end in maintained):
        return maintenance_days(days, per_week)
    return days


def session_due(
    on: date, *, sessions: Sequence[date], days: TrainingDays, anchor: date
) -> Decision | None:
    """The decision that `on` holds a session, or None when it is a rest day.

    `sessions` are the dates of the sessions recorded before `on`, in order. Never the day
    after a session. With fixed weekdays, a missed session moves to a later day of the same
    week (Monday to Sunday) and is dropped when the week ends, so a week never holds more
    sessions than the days chosen. With every other day, it moves to the next day that keeps
    a rest day after the last session.
    """
    last = sessions[-1] if sessions else None
    if last is not None and on <= last + _ONE_DAY:
        return None
    due = _due(on, last, sessions=sessions, days=days, anchor=anchor)
    if on == due:
        return Decision(RuleId.SCHEDULE_TRAINING_DAY, {"days": days.label})
    if due is not None:
        return Decision(RuleId.SCHEDULE_MOVED_SESSION, {"due": due})
    if on == anchor and last is None:
        # The first day holds a session whatever the days chosen: it was never the day after
        # one, and a person who has just started has something to do. Done, it is the week's
        # first session (the slot it fills is the week's next training day); not done, the
        # days chosen carry on as if it had not been offered.
        return Decision(RuleId.SCHEDULE_FIRST_DAY, {"days": days.label})
    return None


def _due(
    on: date, last: date | None, *, sessions: Sequence[date], days: TrainingDays, anchor: date
) -> date | None:
    """The day the session due on `on` was planned for (`on` itself, or an earlier day of
    its week), or None when none is due."""
    if days.every_other_day:
        # The rhythm carries on from the last session, wherever it fell.
        due = anchor if last is None else last + 2 * _ONE_DAY
        return None if on < due else due
    week_start = max(on - timedelta(days=on.weekday()), anchor)
    slots = [
        week_start + timedelta(days=offset)
        for offset in range((on - week_start).days + 1)
        if (week_start + timedelta(days=offset)).weekday() in days.weekdays
    ]
    done = len(sessions) - bisect_left(sessions, week_start)
    return None if done >= len(slots) else slots[done]


def next_session_after(
    on: date, *, sessions: Sequence[date], days: TrainingDays, anchor: date
) -> date:
    """The first day after `on` that holds a session, if no other session is done first."""
    for ahead in range(1, _LOOKAHEAD_DAYS + 1):  # pragma: no mutate (waits are 7 days at most)
        day = on + timedelta(days=ahead)
        if session_due(day, sessions=sessions, days=days, anchor=anchor) is not None:
            return day
    raise ValueError(f"no training day in the {_LOOKAHEAD_DAYS} days after {on}: {days}")


def coming_sessions(
    first: date, last: date, *, sessions: Sequence[date], days: TrainingDays, anchor: date
) -> list[date]:
    """The days from `first` to `last` that hold a session, if each one is done on its day:
    what the calendars show ahead (a moved session shifts the rest of its week)."""
    done = list(sessions)
    found: list[date] = []
    day = first
    while day <= last:
        if session_due(day, sessions=done, days=days, anchor=anchor) is not None:
            found.append(day)
            done.append(day)
        day += _ONE_DAY
    return found


def rest_decision(on: date, *, last_session: date | None, next_session: date | None) -> Decision:
    if last_session is not None and on == last_session + _ONE_DAY:
        return Decision(
            RuleId.SCHEDULE_REST_AFTER_SESSION,
            {"last_session": last_session, "next_session": next_session},
        )
    return Decision(RuleId.SCHEDULE_REST_DAY, {"next_session": next_session})


def count_training_days(start: date, end: date, days: TrainingDays, anchor: date) -> int:
    """How many training days fall in [start, end)."""
    span = (end - start).days
    if span <= 0:  # pragma: no mutate (a span of 0 counts 0 below as well)
        return 0
    if days.every_other_day:
        first = start + timedelta(days=(start - anchor).days % 2)
        return (
            0
            if first >= end  # pragma: no mutate (with first == end, the count below is 0 too)
            else ((end - first).days + 1) // 2
        )
    weeks, remainder = divmod(span, 7)
    first_weekday = start.weekday()
    extra = sum(1 for i in range(remainder) if (first_weekday + i) % 7 in days.weekdays)
    return weeks * len(days.weekdays) + extra


def count_days_in_force(
    first: date,
    end: date,
    earlier: Sequence[tuple[date, TrainingDays]],
    current: TrainingDays,
    anchor: date,
) -> int:
    """Training days in [first, end), each day counted by the days in force on it:
    `earlier` holds (until, days) for the days chosen before each change, oldest first, and
    `current` holds from the last change on."""
    total = 0
    begin = first
    for until, days in earlier:
        if until > begin and begin < end:
            stop = min(until, end)
            total += count_training_days(begin, stop, days, anchor)
            begin = stop
    if begin < end:
        total += count_training_days(begin, end, current, anchor)
    return total


def planned_in_force(
    start: date,
    until: date,
    *,
    earlier: Sequence[tuple[date, TrainingDays]],
    current: TrainingDays,
    maintained: Sequence[tuple[date, date]],
    per_week: int,
    paused: Sequence[tuple[date, date]],
) -> int:
    """Training days from `start` up to (not including) `until`, each counted against the
    days in force on it (a change of days counts from its day on; on a `maintained` day,
    the maintenance days of the days chosen then), except the `paused` spans ([first, end))."""
    kept = [(until_, maintenance_days(days, per_week)) for until_, days in earlier]
    kept_now = maintenance_days(current, per_week)

    def counted(first: date, end: date) -> int:
        total = count_days_in_force(first, end, earlier, current, start)
        for low, high in maintained:
            low, high = max(first, low), min(end, high)
            if low < high:
                total += count_days_in_force(low, high, kept, kept_now, start)
                total -= count_days_in_force(low, high, earlier, current, start)
        return total

    planned = counted(start, until)
    for first, last in paused:
        planned -= counted(first, min(last, until))
    return max(planned, 0)
