"""The calendar as calendar apps read it again and again: a second, independent reader
(`recurring-ical-events` over `icalendar`, which expands what clients expand) over calendars
made on different days, so the same occurrence keeps its UID and importing twice doubles
nothing; and SEQUENCE and LAST-MODIFIED, which move when an event's content changes (a
regression retitles the sessions) and stay put when it does not (RFC 5545, 3.8.7)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any

import recurring_ical_events
from icalendar import Calendar, Component

from tests.cli.conftest import Cli
from tests.handouts import steps

# The command-line fixtures (`started`: a program started on Monday 2 November 2026,
# training on Monday, Wednesday and Friday).


def _calendar(cli: Cli, on: int) -> str:
    outcome = cli("calendar", "--date", steps.iso(on))
    assert outcome.code == 0, outcome.stderr
    return outcome.stdout


def _occurrences(text: str, first: date, last: date) -> set[tuple[str, datetime]]:
    """Every occurrence from `first` to `last` as (UID, start), as a client expands them."""
    calendar = Calendar.from_ical(text)
    found = recurring_ical_events.of(calendar).between(first, last + timedelta(days=1))
    return {(str(_get(e, "UID")), _as_datetime(_get(e, "DTSTART").dt)) for e in found}


def _get(component: Component, name: str) -> Any:
    """A property of an event (the `icalendar` value: `.dt`, text)."""
    return component[name]


def _per_start(occurrences: set[tuple[str, datetime]]) -> dict[datetime, int]:
    """How many events start at each time (a check-in and a milestone may share a day)."""
    counted: dict[datetime, int] = defaultdict(int)
    for _, start in occurrences:
        counted[start] += 1
    return dict(counted)


def _as_datetime(start: date | datetime) -> datetime:
    return start if isinstance(start, datetime) else datetime.combine(start, time(0, 0))


def _by_uid(text: str) -> dict[str, Component]:
    calendar = Calendar.from_ical(text)
    return {str(_get(e, "UID")): e for e in calendar.walk("VEVENT")}


def _without_stamp(event: Component) -> bytes:
    """The event's bytes but for DTSTAMP, the day the calendar was made."""
    lines = event.to_ical().splitlines()
    return b"\n".join(line for line in lines if not line.startswith(b"DTSTAMP"))


def _sequence(event: Component) -> int:
    return int(_get(event, "SEQUENCE"))


def _modified(event: Component) -> Any:
    return _get(event, "LAST-MODIFIED").dt


def test_two_calendars_from_different_days_share_every_occurrence_they_both_hold(
    started: Cli,
) -> None:
    steps.log(started, 0)
    steps.log(started, 2)
    wednesday = _calendar(started, 2)
    friday = _calendar(started, 4)  # before Friday's session: the same plan, 2 days on
    first, last = steps.day(4), steps.day(29)  # the days both calendars cover

    earlier, later = _occurrences(wednesday, first, last), _occurrences(friday, first, last)

    assert earlier == later  # the same occurrences, under the same UIDs
    union = earlier | later  # a calendar app that imported both files
    assert _per_start(union) == _per_start(later), "an occurrence twice"
    breaks_on_friday = [u for u, s in union if u.startswith("posture-") and s.date() == first]
    assert len(breaks_on_friday) == 7  # 10:00 to 16:00, once each


def test_a_posture_break_keeps_its_uid_whichever_day_the_calendar_was_made(
    started: Cli,
) -> None:
    friday = steps.day(4)
    uids = [
        {u for u in _by_uid(_calendar(started, on)) if u.startswith(f"posture-{friday}")}
        for on in (0, 1, 4)
    ]

    assert uids[0] == uids[1] == uids[2]
    assert len(uids[0]) == 7


def test_a_regression_raises_the_sessions_sequence_and_last_modified(started: Cli) -> None:
    for offset in (0, 2, 4, 7):
        steps.log(started, offset)
    steps.log(started, 9, {"bird-dog": "sharp"})  # at reduced range on day 11
    before = _by_uid(_calendar(started, 11))

    steps.log(started, 11, {"bird-dog": "sharp"})  # sharp again: back to phase 1
    same_day, next_day = _by_uid(_calendar(started, 11)), _by_uid(_calendar(started, 12))

    monday = f"session-{steps.day(14)}T1800@lumbar"
    was = before[monday]
    assert str(_get(was, "SUMMARY")) == "Back exercises (phase 2)"
    for after in (same_day, next_day):
        now = after[monday]
        assert str(_get(now, "SUMMARY")) == "Back exercises (phase 1)"
        assert _sequence(now) > _sequence(was)
        assert _modified(now) > _modified(was)
        assert _modified(now) == datetime.combine(steps.day(11), time(0, 0)).astimezone(
            _modified(now).tzinfo
        )
    assert _get(now, "DTSTAMP").dt > _get(was, "DTSTAMP").dt


def test_an_unchanged_event_is_the_same_bytes_but_for_its_stamp(started: Cli) -> None:
    for offset in (0, 2, 4, 7):
        steps.log(started, offset)
    before = _by_uid(_calendar(started, 8))
    steps.log(started, 9)  # a session as planned: the phase and exercises stay
    after = _by_uid(_calendar(started, 10))

    kept = sorted(set(before) & set(after))
    assert {u.split("-")[0] for u in kept} >= {"session", "posture", "milestone"}
    for uid in kept:
        assert _without_stamp(after[uid]) == _without_stamp(before[uid]), uid
        assert _get(after[uid], "DTSTAMP").dt > _get(before[uid], "DTSTAMP").dt
    assert all(_sequence(after[u]) == 0 for u in kept if not u.startswith("session-"))


def test_a_first_calendar_has_sequence_0_and_the_programs_start_as_last_modified(
    started: Cli,
) -> None:
    events = _by_uid(_calendar(started, 0)).values()

    assert {_sequence(e) for e in events} == {0}
    sessions = [e for e in events if str(_get(e, "UID")).startswith("session-")]
    assert sessions
    assert {_modified(e).date() for e in sessions} == {steps.day(0)}
