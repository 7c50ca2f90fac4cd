"""A patient's remote-monitoring (RTM) report, period by period (issue #20).

US practices bill remote therapeutic monitoring per 30-day period: the days the patient's
data arrived, and the clinician's time and interactions in that period. This counts them
from what the caller read (dates only: pure, no clock); the billing thresholds are the
practice's to apply, so none is asserted here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from lumbar.domain.access import Account

PERIOD_DAYS = 30


@dataclass(frozen=True, slots=True)
class Period:
    """One 30-day period, from `start` to `end` (both included)."""

    start: date
    end: date
    data_days: int
    """Days on which the patient recorded something (a session, a check-in, a problem)."""
    minutes: int
    """The clinician time logged against the patient on days of the period."""
    messages_sent: int
    """Messages from the clinic to the patient."""
    messages_received: int
    """Messages from the patient."""
    prescription_changes: int
    complete: bool
    """False for the period `today` is in: its numbers may still grow."""


def periods(
    start: date,
    today: date,
    *,
    data_days: Iterable[date],
    minutes: Iterable[tuple[date, int]],
    messages: Iterable[tuple[date, bool]],
    changes: Iterable[date],
) -> list[Period]:
    """Every period from `start` up to the one holding `today` (none when `start` is after
    it). `messages` are (day, sent by the patient); `changes` the days a prescription was
    saved. What falls before `start` or after `today` is in no period."""
    if start > today:
        return []
    count = (today - start).days // PERIOD_DAYS + 1

    def index(day: date) -> int | None:
        if day < start or day > today:
            return None
        return (day - start).days // PERIOD_DAYS

    days: list[set[date]] = [set() for _ in range(count)]
    spent = [0] * count
    sent = [0] * count
    received = [0] * count
    changed = [0] * count
    for day in data_days:
        if (i := index(day)) is not None:
            days[i].add(day)
    for day, amount in minutes:
        if (i := index(day)) is not None:
            spent[i] += amount
    for day, from_patient in messages:
        if (i := index(day)) is not None:
            if from_patient:
                received[i] += 1
            else:
                sent[i] += 1
    for day in changes:
        if (i := index(day)) is not None:
            changed[i] += 1
    found = []
    for i in range(count):
        first = start + timedelta(days=i * PERIOD_DAYS)
        last = first + timedelta(days=PERIOD_DAYS - 1)
        found.append(
            Period(
                first,
                last,
                len(days[i]),
                spent[i],
                sent[i],
                received[i],
                changed[i],
                complete=last < today,
            )
        )
    return found


@dataclass(frozen=True, slots=True)
class TimeEntry:
    """Time a clinician logged against a patient."""

    id: int
    clinician_id: int
    on: date
    minutes: int | None
    """None: a timer still running, since `started_at`."""
    note: str
    started_at: datetime | None


@dataclass(frozen=True, slots=True)
class Report:
    """A patient's remote monitoring, as the report shows it."""

    patient: Account
    on: date
    started: date | None
    """The program's first day (None: not started, and no period yet)."""
    periods: list[Period]
    entries: list[TimeEntry]
    """Every time entry, timers still running included (they count no minutes)."""
    names: dict[int, str]
    """Clinician id → how the report names them."""
