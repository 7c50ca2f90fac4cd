"""What the Progress page draws (`domain/progress.py`): the pain and PSFS series, their
targets, and the adherence calendar of whole weeks (done, partial, missed, rest, planned,
paused, before the start)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from lumbar.domain.model import CheckIn, History, SessionLog
from lumbar.domain.progress import Day, Progress, Score, progress_report
from lumbar.domain.reminders import EntryKind, Reminders, calendar_entries
from tests.builders import START, Follower, clearance, day, history, intake, profile, program

PROGRAM = program()
SHIPPED = PROGRAM.thresholds


def _days(report: Progress, first: date, last: date) -> list[Day]:
    """The calendar's days from `first` to `last`, both included."""
    return [c.day for c in report.calendar if first <= c.on <= last]


# The series and their targets.


def test_the_pain_series_holds_every_rating_up_to_and_including_the_day_asked_about() -> None:
    h = history(CheckIn(day(7), pain=4, psfs=(5, 5, 5)), CheckIn(day(14), pain=3))

    assert progress_report(day(6), h, PROGRAM).pain == (Score(START, 6),)
    assert progress_report(day(7), h, PROGRAM).pain == (Score(START, 6), Score(day(7), 4))
    assert progress_report(day(13), h, PROGRAM).pain == (Score(START, 6), Score(day(7), 4))


def test_the_psfs_series_is_the_mean_of_each_rating_to_two_decimals() -> None:
    h = history(CheckIn(day(7), pain=4, psfs=(5, 5, 6)), CheckIn(day(8), pain=4))

    report = progress_report(day(8), h, PROGRAM)

    assert report.psfs == (Score(START, 4.0), Score(day(7), 5.33))  # (4+5+3)/3, (5+5+6)/3


@pytest.mark.parametrize(
    ("baseline", "percent", "target"),
    [
        (6, SHIPPED.on_track_pain_pct, 4.2),  # the shipped 30%: 6 less 1.8
        (8, 42.0, 4.6),  # a clinician's 42%: 8 less 3.36 is 4.64, shown as 4.6
        (10, 100.0, 0.0),
    ],
)
def test_the_pain_target_is_the_baseline_less_the_on_track_percent_to_one_decimal(
    baseline: int, percent: float, target: float
) -> None:
    prescribed = replace(PROGRAM, thresholds=replace(SHIPPED, on_track_pain_pct=percent))
    h = history(first=intake(pain=baseline))

    report = progress_report(START, h, prescribed)

    assert report.pain_target == target
    assert report.pain_target_pct == percent


@pytest.mark.parametrize(
    ("psfs", "target"),
    [
        ((4, 5, 3), 6.0),  # a mean of 4 plus the shipped gain of 2
        ((5, 5, 6), 7.33),  # 5.333... plus 2
        ((9, 9, 8), 10.0),  # 10.67 is past the top of the scale
    ],
)
def test_the_psfs_target_is_the_baseline_mean_plus_the_detectable_change_within_the_scale(
    psfs: tuple[int, ...], target: float
) -> None:
    assert SHIPPED.psfs_gain == 2
    h = history(first=intake(psfs=psfs))

    assert progress_report(START, h, PROGRAM).psfs_target == target


# The calendar's weeks.


def test_the_calendar_shows_the_last_six_whole_weeks_monday_to_sunday() -> None:
    on = day(60)  # a Friday, more than eight weeks after the start
    h = Follower(PROGRAM, history()).follow(on)

    calendar = progress_report(on, h, PROGRAM).calendar

    dates = [c.on for c in calendar]
    assert dates == [date(2026, 11, 23) + timedelta(days=i) for i in range(42)]
    assert dates[0].strftime("%a") == "Mon" and dates[-1].strftime("%a") == "Sun"
    assert dates[-1] == on + timedelta(days=2)  # the Sunday of the week asked about


def test_the_calendar_begins_with_the_week_the_program_started() -> None:
    wednesday = day(2)
    h = history(who=profile(start=wednesday))

    calendar = progress_report(wednesday, h, PROGRAM).calendar

    assert [(c.on, c.day) for c in calendar] == [
        (day(0), Day.OUTSIDE),
        (day(1), Day.OUTSIDE),
        (day(2), Day.PLANNED),  # today's session
        (day(3), Day.REST),
        (day(4), Day.PLANNED),
        (day(5), Day.REST),
        (day(6), Day.REST),
    ]


# Past days: done, missed, moved.


def test_a_session_on_a_rest_day_stands_in_for_one_missed_session_of_its_week() -> None:
    """Week 2: Monday missed, so the sessions moved to Tuesday and Thursday; Saturday's and
    Sunday's were missed too. Two moved sessions cover two of the three training days."""
    follower = Follower(PROGRAM, history(), skip={day(7), day(12), day(13)})
    h = follower.follow(day(15))
    assert [e.on for e in h.events if isinstance(e, SessionLog)] == [
        day(0), day(2), day(4), day(8), day(10), day(14),
    ]  # fmt: skip

    report = progress_report(day(15), h, PROGRAM)

    assert _days(report, day(7), day(13)) == [
        Day.REST,  # Monday: Tuesday's session stands in for it
        Day.DONE,
        Day.REST,  # Wednesday: Thursday's session stands in for it
        Day.DONE,
        Day.MISSED,  # Friday: nothing is left to stand in for it
        Day.REST,
        Day.REST,
    ]


def test_one_session_on_a_rest_day_stands_in_for_one_missed_session_only() -> None:
    follower = Follower(PROGRAM, history(), skip={day(7), day(10), day(11), day(12), day(13)})
    h = follower.follow(day(15))

    report = progress_report(day(15), h, PROGRAM)

    assert _days(report, day(7), day(13)) == [
        Day.REST,  # Monday: Tuesday's session stands in for it
        Day.DONE,
        Day.MISSED,
        Day.REST,
        Day.MISSED,
        Day.REST,
        Day.REST,
    ]


# Paused days.


def test_a_pause_shows_from_the_alert_to_the_day_before_the_clearance() -> None:
    h = history(CheckIn(day(1), symptoms=("fever",)), clearance(day(3), "fever"))

    report = progress_report(day(3), h, PROGRAM)

    assert _days(report, day(0), day(3)) == [
        Day.MISSED,  # Monday, before the fever
        Day.PAUSED,
        Day.PAUSED,
        Day.PLANNED,  # cleared today: today's (moved) session is planned again
    ]


def test_a_pause_not_yet_cleared_shows_on_every_day_to_the_end_of_the_week() -> None:
    h = history(CheckIn(day(1), symptoms=("fever",)))

    report = progress_report(day(2), h, PROGRAM)

    assert _days(report, day(0), day(6)) == [Day.MISSED] + [Day.PAUSED] * 6


# The coming days.


def test_the_coming_days_plan_the_next_session_and_the_training_days_after_it() -> None:
    monday = day(7)
    h = Follower(PROGRAM, history()).follow(monday)

    report = progress_report(monday, h, PROGRAM)

    assert _days(report, monday, day(13)) == [
        Day.DONE,
        Day.REST,
        Day.PLANNED,  # Wednesday, the next session
        Day.REST,
        Day.PLANNED,  # Friday
        Day.REST,
        Day.REST,
    ]


def test_a_training_day_before_a_moved_next_session_is_a_rest_day() -> None:
    """Monday missed, its session done on Tuesday: Wednesday is the day after a session, and
    the next session is Thursday's (moved)."""
    tuesday = day(8)
    h = Follower(PROGRAM, history(), skip={day(7)}).follow(tuesday)

    report = progress_report(tuesday, h, PROGRAM)

    assert report.status.next_session == day(10)
    assert _days(report, day(9), day(10)) == [Day.REST, Day.PLANNED]


def _coming_sessions(on: date, h: History) -> list[date]:
    """The session days of the calendar of the coming weeks (the reminders' projection)."""
    entries = calendar_entries(on, h, PROGRAM, Reminders(break_minutes=0), weeks=1)
    return [e.on for e in entries if e.kind is EntryKind.SESSION]


def test_after_a_moved_session_the_coming_days_keep_a_rest_day_after_each_session() -> None:
    tuesday = day(8)
    h = Follower(PROGRAM, history(), skip={day(7)}).follow(tuesday)
    assert _coming_sessions(tuesday, h)[:2] == [day(10), day(12)]  # Thursday, Saturday

    report = progress_report(tuesday, h, PROGRAM)

    assert _days(report, day(9), day(13)) == [
        Day.REST,
        Day.PLANNED,  # Thursday (moved from Wednesday)
        Day.REST,  # Friday: the day after Thursday's session
        Day.PLANNED,  # Saturday (moved from Friday)
        Day.REST,
    ]
