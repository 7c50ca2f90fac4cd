"""The calendar as iCalendar (RFC 5545), through `usecases.handouts.calendar` and `lumbar calendar`,
read back with the `icalendar` library: what each event holds, that sessions follow the plan
(also after a regression), the reminder options, their refusals, and the private address."""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar, Component

from lumbar.content.load import Content
from lumbar.domain.model import Kind
from lumbar.store.database import Store, sqlite_url
from lumbar.usecases import handouts
from lumbar.usecases.person import Person
from tests.builders import START, Follower
from tests.cli.conftest import Cli
from tests.handouts import steps

# The command-line fixtures (`cli`, and `started`: a program started on Monday 2 November
# 2026, training on Monday, Wednesday and Friday).

PRODID = "-//lumbar//home exercise program//EN"
SERVER = "http://127.0.0.1:8765"
ADDRESS = re.compile(r"http://127\.0\.0\.1:8765/calendar/([A-Za-z0-9_-]{32})\.ics")


@pytest.fixture
def services(started: Cli, db_path: Path, content: Content) -> Iterator[Person]:
    """The use cases on the database the command line started."""
    store = Store(sqlite_url(db_path))
    yield Person(store, content)
    store.dispose()


# Helpers.


def _calendar(cli: Cli, *args: str, on: int = 0) -> str:
    outcome = cli("calendar", *args, "--date", steps.iso(on))
    assert outcome.code == 0, outcome.stderr
    return outcome.stdout


def _events(text: str) -> list[Component]:
    calendar = Calendar.from_ical(text)
    return [c for c in calendar.subcomponents if c.name == "VEVENT"]


def _of(kind: str, events: list[Component]) -> list[Component]:
    return [e for e in events if str(_get(e, "UID")).startswith(f"{kind}-")]


def _get(component: Component, name: str) -> Any:
    """A property of an event or alarm (the `icalendar` value: `.dt`, a recurrence, text)."""
    return component[name]


def _start(event: Component) -> Any:
    return _get(event, "DTSTART").dt


def _date(event: Component) -> date:
    """The day an event falls on, whether it has a time (sessions, breaks) or not."""
    start = _start(event)
    return start.date() if isinstance(start, datetime) else start


def _session_days(events: list[Component]) -> list[date]:
    return [_date(e) for e in _of("session", events)]


def _reminders(cli: Cli) -> dict[str, Any] | None:
    outcome = cli("export")
    assert outcome.code == 0, outcome.stderr
    found: dict[str, Any] | None = outcome.json().get("reminders")
    return found


def _planned_session_days(services: Person, on: date, weeks: int) -> list[date]:
    """The days a person who does every session from `on` would train, by the day's plan."""
    history = services.history()
    program = services.program_for(history.profile)
    horizon = on + timedelta(weeks=weeks)
    last = history.events[-1].on
    missed = {last + timedelta(days=d) for d in range((on - last).days)}
    follower = Follower(program, history, skip=missed)
    follower.follow(horizon - timedelta(days=1))
    return [
        p.on
        for p in follower.plans
        if p.kind is Kind.SESSION and not p.completed and on <= p.on < horizon
    ]


def _follow_to_the_regression(cli: Cli) -> None:
    """Phase 1 on days 0, 2, 4; phase 2 from day 7; sharp pain on bird-dog on day 9 (full
    range), so it comes back at reduced range on day 11."""
    for offset in (0, 2, 4, 7):
        steps.log(cli, offset)
    steps.log(cli, 9, {"bird-dog": "sharp"})


# The document.


def test_the_calendar_is_an_icalendar_2_document_from_lumbar(started: Cli) -> None:
    calendar = Calendar.from_ical(_calendar(started))

    assert calendar.name == "VCALENDAR"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]) == PRODID
    assert str(calendar["X-WR-CALNAME"]) == "lumbar: back exercises"


def test_every_event_has_a_uid_stamp_start_summary_and_an_alarm(started: Cli) -> None:
    events = _events(_calendar(started))

    assert {str(_get(e, "UID")).split("-")[0] for e in events} == {
        "session",
        "checkin",
        "posture",
    }  # no review in the first four weeks: it falls on day 28, the horizon
    for event in events:
        for name in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "DESCRIPTION"):
            assert name in event, (name, event.to_ical())
        alarms = [c for c in event.subcomponents if c.name == "VALARM"]
        assert len(alarms) == 1, event.to_ical()
        assert str(_get(alarms[0], "ACTION")) == "DISPLAY"
        assert "TRIGGER" in alarms[0] and str(_get(alarms[0], "DESCRIPTION"))
    uids = [str(_get(e, "UID")) for e in events]
    assert len(uids) == len(set(uids))
    stamps = {_get(e, "DTSTAMP").dt for e in events}  # the day it was made, in UTC (RFC 5545)
    assert {(s.replace(tzinfo=None), s.utcoffset()) for s in stamps} == {
        (datetime(2026, 11, 2, 0, 0), timedelta(0))
    }


def test_session_events_fall_on_the_planned_days_at_the_session_time(
    started: Cli, services: Person
) -> None:
    events = _events(_calendar(started))

    sessions = _of("session", events)
    assert _session_days(events) == _planned_session_days(services, START, 4)
    assert [d.weekday() for d in _session_days(events)] == [0, 2, 4] * 4
    for event in sessions:
        start, end = _start(event), _get(event, "DTEND").dt
        assert start.time() == time(18, 0) and start.tzinfo is None  # floating: local time
        assert end - start == timedelta(minutes=30)
        assert str(_get(event, "SUMMARY")) == "Back exercises (phase 1)"
        alarm = next(c for c in event.subcomponents if c.name == "VALARM")
        assert _get(alarm, "TRIGGER").dt == timedelta(minutes=-15)
        assert str(_get(event, "UID")) == f"session-{start.date().isoformat()}T1800@lumbar"


def test_each_session_names_the_exercises_of_the_plan_for_its_day(
    started: Cli, content: Content
) -> None:
    sessions = _of("session", _events(_calendar(started)))

    for event in sessions:
        plan = steps.plan(started, _start(event).date())
        names = ", ".join(content.catalogue[e["id"]].name for e in plan["exercises"])
        assert f"Today's exercises: {names}." in str(_get(event, "DESCRIPTION"))


def test_check_ins_are_all_day_events_a_week_apart_with_an_alarm_at_nine(started: Cli) -> None:
    checkins = _of("checkin", _events(_calendar(started)))

    assert [_start(e) for e in checkins] == [steps.day(7), steps.day(14), steps.day(21)]
    for event in checkins:
        assert _get(event, "DTEND").dt == _start(event) + timedelta(days=1)
        alarm = next(c for c in event.subcomponents if c.name == "VALARM")
        assert _get(alarm, "TRIGGER").dt == timedelta(hours=9)


def test_the_review_shows_once_the_horizon_reaches_day_28(started: Cli) -> None:
    reviews = _of("review", _events(_calendar(started, "--weeks", "5")))

    assert [_start(e) for e in reviews] == [steps.day(28)]
    assert str(_get(reviews[0], "SUMMARY")) == "lumbar: four-week review"


def test_posture_breaks_are_one_event_a_break_on_each_working_day_until_the_horizon(
    started: Cli,
) -> None:
    breaks = _of("posture", _events(_calendar(started)))

    working_days = [steps.day(d) for d in range(28) if steps.day(d).weekday() < 5]
    assert [_start(e) for e in breaks] == [
        datetime.combine(d, time(h, 0)) for d in working_days for h in range(10, 17)
    ]
    for event in breaks:
        assert "RRULE" not in event  # each occurrence its own event, with its own UID
        start = _start(event)
        assert str(_get(event, "UID")) == f"posture-{start:%Y-%m-%dT%H%M}@lumbar"
        assert _get(event, "DTEND").dt - start == timedelta(minutes=5)
        assert str(_get(event, "SUMMARY")) == "Posture break"
    first_day = [e for e in breaks if _date(e) == START]
    assert len({str(_get(e, "DESCRIPTION")) for e in first_day}) == 3  # the tips take turns


@pytest.mark.parametrize(("weeks", "sessions"), [(1, 3), (12, 36)])
def test_weeks_sets_how_far_ahead(started: Cli, weeks: int, sessions: int) -> None:
    events = _events(_calendar(started, "--weeks", str(weeks)))

    assert len(_of("session", events)) == sessions
    assert all(_date(e) < steps.day(7 * weeks) for e in events)
    last_working_day = max(d for d in map(steps.day, range(7 * weeks)) if d.weekday() < 5)
    assert max(_date(e) for e in _of("posture", events)) == last_working_day


def test_the_same_data_and_day_give_the_same_bytes(started: Cli, services: Person) -> None:
    first = _calendar(started)

    assert _calendar(started) == first
    assert handouts.calendar(services, START) == first
    assert _calendar(started, on=1) != first  # another day, another calendar


def test_once_todays_session_is_recorded_the_calendar_starts_at_the_next(
    started: Cli, services: Person
) -> None:
    steps.log(started, 0)

    days = _session_days(_events(_calendar(started)))

    assert days[0] == steps.day(2)
    assert days == _planned_session_days(services, START, 4)


# Following the plan as it changes.


def test_after_a_regression_the_sessions_follow_the_new_plan(
    started: Cli, services: Person, content: Content
) -> None:
    _follow_to_the_regression(started)
    before = _calendar(started, on=11)
    assert "bird-dog" in [e["id"] for e in steps.plan(started, steps.day(11))["exercises"]]
    phase_2 = _of("session", _events(before))
    assert str(_get(phase_2[0], "SUMMARY")) == "Back exercises (phase 2)"
    assert content.catalogue["bird-dog"].name in str(_get(phase_2[0], "DESCRIPTION"))

    steps.log(started, 11, {"bird-dog": "sharp"})  # sharp again at reduced range: back to phase 1
    after = _calendar(started, on=11)

    assert after != before
    status = started("status", "--date", steps.iso(12), "--json").json()
    assert status["phase"] == 1
    assert status["phase_history"][-1]["rule"] == "regression.revert_phase"
    sessions = _of("session", _events(after))
    assert _session_days(_events(after)) == _planned_session_days(services, steps.day(11), 4)
    assert {str(_get(e, "SUMMARY")) for e in sessions} == {"Back exercises (phase 1)"}
    for event in sessions:
        plan = steps.plan(started, _start(event).date())
        assert plan["phase"] == 1
        names = ", ".join(content.catalogue[e["id"]].name for e in plan["exercises"])
        assert f"Today's exercises: {names}." in str(_get(event, "DESCRIPTION"))
        assert content.catalogue["bird-dog"].name not in str(_get(event, "DESCRIPTION"))


def test_the_milestones_of_the_weeks_gone_are_all_day_events_on_their_days(
    started: Cli,
) -> None:
    _follow_to_the_regression(started)  # phase 2 from day 7 (Monday 9 November)
    events = _events(_calendar(started, on=11))
    milestones = _of("milestone", events)
    assert [str(_get(e, "UID")) for e in milestones] == ["milestone-phase_up-2026-11-09@lumbar"]
    (phase_2,) = milestones
    assert _start(phase_2) == steps.day(7)
    assert str(_get(phase_2, "SUMMARY")) == "lumbar: A new phase"
    assert "Phase 2 starts today" in str(_get(phase_2, "DESCRIPTION"))
    assert [c for c in phase_2.subcomponents if c.name == "VALARM"] == [], "nothing to ring for"
    # Back a phase on day 11: its own event, the new phase's kept.
    steps.log(started, 11, {"bird-dog": "sharp"})
    uids = [str(_get(e, "UID")) for e in _of("milestone", _events(_calendar(started, on=12)))]
    assert uids == [
        "milestone-phase_up-2026-11-09@lumbar",
        "milestone-phase_back-2026-11-13@lumbar",
    ]
    # Four weeks on, gone from the calendar.
    assert _of("milestone", _events(_calendar(started, on=11 + 29))) == []


def test_a_paused_program_shows_the_pause_instead_of_sessions(started: Cli) -> None:
    assert started("checkin", "--symptom", "fever", "--date", steps.iso(1)).code == 0

    events = _events(_calendar(started, on=1))

    assert _of("session", events) == []
    paused = _of("paused", events)
    assert [_start(e) for e in paused] == [steps.day(1)]
    assert str(_get(paused[0], "SUMMARY")) == "lumbar: program paused"


# The reminder options.


def test_the_options_change_the_events_and_are_saved(started: Cli) -> None:
    changed = _calendar(
        started,
        "--at", "07:30", "--work", "08:00-16:00", "--breaks", "45", "--work-days", "mon,tue",
    )  # fmt: skip

    events = _events(changed)
    assert {_start(e).time() for e in _of("session", events)} == {time(7, 30)}
    breaks = _of("posture", events)
    assert [_start(e).time() for e in breaks if _date(e) == START] == [
        time(8, 45), time(9, 30), time(10, 15), time(11, 0), time(11, 45),
        time(12, 30), time(13, 15), time(14, 0), time(14, 45), time(15, 30),
    ]  # fmt: skip
    assert {_date(e).weekday() for e in breaks} == {0, 1}
    assert _calendar(started) == changed  # saved: the next calendar keeps them
    assert _reminders(started) == {
        "session_time": "07:30",
        "work_days": ["mon", "tue"],
        "work_start": "08:00",
        "work_end": "16:00",
        "break_minutes": 45,
    }


def test_breaks_0_turns_the_posture_breaks_off(started: Cli) -> None:
    events = _events(_calendar(started, "--breaks", "0"))

    assert _of("posture", events) == []
    assert _of("session", events) and _of("checkin", events)


def test_an_option_left_out_keeps_its_saved_value(started: Cli) -> None:
    _calendar(started, "--at", "06:45")

    _calendar(started, "--breaks", "30")

    saved = _reminders(started)
    assert saved is not None
    assert (saved["session_time"], saved["break_minutes"]) == ("06:45", 30)


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("--at", "25:00"), "--at: '25:00' is not a time of day"),
        (("--at", "half past six"), "--at: 'half past six' is not a time like 07:30 or 18:00"),
        (("--work", "17:00-09:00"), "--work: the working day must end after it starts"),
        (("--work", "0900"), "'0900': give the hours as HH:MM-HH:MM"),
        (("--work", "09:00-25:00"), "--work: '25:00' is not a time of day"),
        (("--breaks", "5"), "--breaks: a break every 20 to 240 minutes, or 0 for none"),
        (("--breaks", "241"), "--breaks: a break every 20 to 240 minutes, or 0 for none"),
        (("--work-days", "funday"), "is not a day (mon to sun)"),
        (("--at", "06:00", "--breaks", "5"), "--breaks: a break every 20 to 240 minutes"),
    ],
)
def test_bad_reminder_values_are_refused_and_nothing_is_saved(
    started: Cli, args: tuple[str, ...], fragment: str
) -> None:
    _calendar(started, "--at", "07:30")
    saved = _reminders(started)

    outcome = started("calendar", *args, "--date", steps.iso(0))

    steps.refused(outcome, fragment)
    assert _reminders(started) == saved


def test_hours_without_a_dash_name_the_work_option(started: Cli) -> None:
    outcome = started("calendar", "--work", "0900", "--date", steps.iso(0))

    steps.refused(outcome, "lumbar: --work: '0900': give the hours as HH:MM-HH:MM")


def test_the_first_refusal_saves_nothing_on_a_database_without_reminders(started: Cli) -> None:
    steps.refused(started("calendar", "--at", "25:00", "--date", steps.iso(0)), "--at")

    assert _reminders(started) is None


def test_more_than_12_weeks_is_refused(started: Cli) -> None:
    outcome = started("calendar", "--weeks", "13", "--date", steps.iso(0))

    steps.refused(outcome, "--weeks")


def test_no_calendar_before_a_program(cli: Cli) -> None:
    steps.refused(cli("calendar", "--date", steps.iso(0)), "no program yet")


# The private address.


def test_link_prints_the_address_once_and_new_link_makes_another(started: Cli) -> None:
    """Only the token's SHA-256 is stored (issue #19): the address is printed when it is
    made, and asking again says how to get a new one, and changes nothing."""
    first = started("calendar", "--link", "--server", SERVER)
    assert first.code == 0, first.stderr
    found = ADDRESS.fullmatch(first.stdout.strip())
    assert found is not None, first.stdout
    assert "BEGIN:VCALENDAR" not in first.stdout

    again = started("calendar", "--link", "--server", SERVER + "/")
    new = started("calendar", "--new-link", "--server", SERVER).stdout.strip()
    as_json = started("calendar", "--new-link", "--server", SERVER, "--json").json()

    assert again.code != 0
    assert "--new-link makes a new one" in again.stderr
    assert ADDRESS.fullmatch(new) is not None
    assert new != first.stdout.strip()
    assert ADDRESS.fullmatch(as_json["address"]) is not None
    assert as_json["address"] != new


def test_a_new_link_keeps_the_reminder_settings(started: Cli) -> None:
    _calendar(started, "--at", "07:30")
    saved = _reminders(started)

    assert started("calendar", "--new-link", "--server", SERVER).code == 0

    assert _reminders(started) == saved


def test_the_address_is_the_server_given_behind_a_path_too(started: Cli) -> None:
    outcome = started("calendar", "--link", "--server", "https://lumbar.example/me")

    assert outcome.code == 0, outcome.stderr
    assert re.fullmatch(
        r"https://lumbar\.example/me/calendar/[A-Za-z0-9_-]{32}\.ics", outcome.stdout.strip()
    )


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("--link",), "--server: give the address `lumbar serve` printed, e.g. --server http"),
        (("--new-link",), "--server: give the address `lumbar serve` printed"),
        (("--link", "--server", "127.0.0.1:8000"), "is not a server's address like http"),
        (("--link", "--server", "ftp://here"), "is not a server's address"),
        (("--link", "--server", "http://"), "is not a server's address"),
    ],
)
def test_a_link_without_the_servers_address_is_refused_and_no_new_one_made(
    started: Cli, db_path: Path, args: tuple[str, ...], fragment: str
) -> None:
    first = started("calendar", "--link", "--server", SERVER).stdout
    stored = _stored_token(db_path)

    steps.refused(started("calendar", *args), fragment)

    assert _stored_token(db_path) == stored
    assert stored == hashlib.sha256(first.strip()[-36:-4].encode()).hexdigest()


def _stored_token(db_path: Path) -> str:
    """What the database keeps of the calendar token (its SHA-256, issue #19)."""
    with closing(sqlite3.connect(db_path)) as connection:
        found: str = connection.execute("SELECT calendar_token FROM reminders").fetchone()[0]
    return found
