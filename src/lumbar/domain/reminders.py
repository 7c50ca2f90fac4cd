"""What a calendar of the coming weeks holds: sessions, check-ins, the review, posture breaks,
and the milestones of the weeks just gone.

A projection of the plan, not a second schedule: session days come from the same rule as
the day's plan (`schedule.coming_sessions`), assuming each planned session is done, and the
exercises from the next session's plan. So the calendar follows the plan as it changes: a
regression, a paused program or a new check-in show in the next calendar drawn. Every entry
carries facts, not sentences; the shell words them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import date, time, timedelta

from lumbar.domain.dose import Dose
from lumbar.domain.model import CheckIn, History, Kind, Milestone, SessionLog, TrainingDays
from lumbar.domain.plan import plan_day, program_status
from lumbar.domain.program import Program
from lumbar.domain.rules import RuleId
from lumbar.domain.schedule import coming_sessions

WORKDAYS = frozenset(range(5))


@dataclass(frozen=True, slots=True)
class Reminders:
    """When the person wants to be reminded: sessions at a time of day, and posture breaks
    every so many minutes through their working hours on their working days."""

    session_time: time = time(18, 0)
    work_days: frozenset[int] = WORKDAYS
    work_start: time = time(9, 0)
    work_end: time = time(17, 0)
    break_minutes: int = 60
    """0 turns the posture breaks off."""

    def problems(self) -> list[str]:
        """What is wrong with these settings, by field name (empty when they are fine)."""
        found = []
        if self.work_start >= self.work_end:
            found.append("work_end: the working day must end after it starts")
        if self.break_minutes and not 20 <= self.break_minutes <= 240:
            found.append("break_minutes: a break every 20 to 240 minutes, or 0 for none")
        if not self.work_days <= frozenset(range(7)):
            found.append("work_days: days are 0 (Monday) to 6 (Sunday)")
        return found


def parse_clock(text: str) -> time:
    """ "7:30" or "18:00" as a time of day; ValueError with the reason otherwise."""
    hours, colon, minutes = text.strip().partition(":")
    digits = (hours + minutes).isascii() and hours.isdigit() and minutes.isdigit()
    if not colon or not digits or len(minutes) != 2:
        raise ValueError(f"{text.strip()!r} is not a time like 07:30 or 18:00")
    if not (0 <= int(hours) <= 23 and 0 <= int(minutes) <= 59):
        raise ValueError(f"{text.strip()!r} is not a time of day")
    return time(int(hours), int(minutes))


class EntryKind(enum.StrEnum):
    SESSION = "session"
    CHECKIN = "checkin"
    REVIEW = "review"
    POSTURE = "posture"
    PAUSED = "paused"
    MILESTONE = "milestone"


@dataclass(frozen=True, slots=True, kw_only=True)
class Entry:
    kind: EntryKind
    on: date
    at: time | None
    """None for an entry of the whole day."""
    minutes: int
    phase: int | None = None
    exercises: tuple[str, ...] = ()
    loads: tuple[tuple[str, Dose], ...] = ()
    """The exercises done with a load, each with its dose (the load the person has)."""
    tip: int = 0  # pragma: no mutate (read for posture breaks only, and they set it)
    """Which posture tip (they take turns)."""
    milestone: Milestone | None = None
    """What a milestone's entry marks (a new phase, the review, the end of the program)."""
    repeat_on: frozenset[int] = frozenset()
    """Weekdays it repeats on, until `until` (posture breaks)."""
    until: date | None = None
    sequence: int = 0
    """How many times this entry's content changed as the records came in (sessions only:
    the other entries' content never changes), for iCalendar's SEQUENCE."""
    changed_on: date | None = None
    """The day of the record that last changed it (the program's start when none did)."""


SESSION_MINUTES = 30
POSTURE_TIPS = 3


_REVIEW_WAITING = {RuleId.OUTCOMES_REVIEW_DUE, RuleId.OUTCOMES_REVIEW_MISSED}


def calendar_entries(
    on: date, history: History, program: Program, reminders: Reminders, *, weeks: int = 4
) -> list[Entry]:
    """The entries from `on` for `weeks` weeks, in date and time order."""
    horizon = on + timedelta(weeks=weeks)
    status = program_status(on, history, program)
    entries: list[Entry] = []
    if any(alert.level.blocks for alert in status.alerts):
        entries.append(Entry(kind=EntryKind.PAUSED, on=on, at=None, minutes=0, phase=status.phase))
    else:
        days = status.training_days or program.training_days
        sequence, changed_on = session_revisions(on, history, program, reminders)
        entries += [
            replace(e, sequence=sequence, changed_on=changed_on)
            for e in _sessions(on, horizon, history, program, reminders, days)
        ]
    entries += _checkins(on, horizon, history, program)
    review = history.profile.start + timedelta(days=program.thresholds.review_after_days)
    waiting = any(a.rule in _REVIEW_WAITING for a in status.alerts)
    if waiting and review < on:
        # Due and not yet done: the review's check-in is asked for today (issue #13).
        review = on
    if on <= review < horizon:
        entries.append(Entry(kind=EntryKind.REVIEW, on=review, at=None, minutes=0))
    entries += _posture_breaks(on, horizon, reminders)
    # The milestones of the weeks just gone stay in the calendar, on their days.
    kept_from = on - timedelta(weeks=weeks)
    entries += [
        Entry(kind=EntryKind.MILESTONE, on=m.on, at=None, minutes=0, milestone=m)
        for m in status.milestones
        if m.on >= kept_from
    ]
    return sorted(entries, key=lambda e: (e.on, e.at or time(0), e.kind))


def session_revisions(
    on: date, history: History, program: Program, reminders: Reminders
) -> tuple[int, date]:
    """How many times the coming sessions' content (phase, exercises, loads) changed, and
    the day of the record that last changed it: the calendar as it would have been drawn on
    each day a record was made, with the records up to that day, compared with the one
    before. Counted from the records, not a clock, so the same records always give the same
    answer, and a record that changes the sessions (a regression) adds one. A day when the
    program was paused has no sessions and changes nothing."""
    changes, changed_on, before = 0, history.profile.start, None
    for day in sorted({e.on for e in history.events if e.on <= on}):
        seen = History(history.profile, tuple(e for e in history.events if e.on <= day))
        now = _session_content(day, seen, program, reminders)
        if now is None:
            continue
        if before is not None and now != before:
            changes, changed_on = changes + 1, day
        before = now
    return changes, changed_on


def _session_content(
    on: date, history: History, program: Program, reminders: Reminders
) -> tuple[object, ...] | None:
    """What the coming sessions would say if drawn on `on`; None when there are none."""
    status = program_status(on, history, program)
    if any(alert.level.blocks for alert in status.alerts):
        return None
    days = status.training_days or program.training_days
    found = _sessions(on, on + timedelta(weeks=2), history, program, reminders, days)
    return None if not found else (found[0].phase, found[0].exercises, found[0].loads)


def _sessions(
    on: date,
    horizon: date,
    history: History,
    program: Program,
    reminders: Reminders,
    days: TrainingDays,
) -> list[Entry]:
    sessions = [e.on for e in history.events if isinstance(e, SessionLog)]
    done_today = bool(sessions) and sessions[-1] == on
    # Not mutated: after today's session no session is due today or tomorrow, so starting a
    # day earlier or later finds the same sessions.
    first = on + timedelta(days=1) if done_today else on  # pragma: no mutate (see above)
    coming = coming_sessions(
        first,
        horizon - timedelta(days=1),
        sessions=sessions,
        days=days,
        anchor=history.profile.start,
    )
    if not coming:
        return []
    # Not mutated: every coming day is planned on the same recorded history, so the next
    # session's plan and the one after it agree on the phase and the exercises.
    plan = plan_day(coming[0], history, program)  # pragma: no mutate (see above)
    if plan.kind is not Kind.SESSION:
        return []
    exercises = tuple(e.exercise_id for e in plan.exercises)
    loads = tuple((e.exercise_id, e.dose) for e in plan.exercises if e.dose.load_lb is not None)
    return [
        Entry(
            kind=EntryKind.SESSION,
            on=day,
            at=reminders.session_time,
            minutes=SESSION_MINUTES,
            phase=plan.phase,
            exercises=exercises,
            loads=loads,
        )
        for day in coming
    ]


def _checkins(on: date, horizon: date, history: History, program: Program) -> list[Entry]:
    # As the check-in alert counts (outcomes.checkin_due): from the last pain rating.
    last = max(e.on for e in history.events if isinstance(e, CheckIn) and e.pain is not None)
    every = timedelta(days=program.thresholds.checkin_interval_days)
    due = max(last + every, on)
    entries = []
    while due < horizon:
        entries.append(Entry(kind=EntryKind.CHECKIN, on=due, at=None, minutes=0))
        due += every
    return entries


def _posture_breaks(on: date, horizon: date, reminders: Reminders) -> list[Entry]:
    if not reminders.break_minutes or not reminders.work_days:
        return []
    first = next(
        (
            on + timedelta(days=d)
            for d in range(7)  # pragma: no mutate (day 7 has day 0's weekday)
            if (on + timedelta(days=d)).weekday() in reminders.work_days
        ),
        None,
    )
    if first is None or first >= horizon:
        return []
    entries = []
    start = reminders.work_start.hour * 60 + reminders.work_start.minute + reminders.break_minutes
    end = reminders.work_end.hour * 60 + reminders.work_end.minute
    for index, minute in enumerate(range(start, end, reminders.break_minutes)):
        entries.append(
            Entry(
                kind=EntryKind.POSTURE,
                on=first,
                at=time(minute // 60, minute % 60),
                minutes=5,
                tip=index % POSTURE_TIPS,
                repeat_on=reminders.work_days,
                until=horizon - timedelta(days=1),
            )
        )
    return entries
