"""What the calendar of the coming weeks holds (`domain/reminders.py`): sessions on the plan's
days, weekly check-ins, the four-week review, posture breaks, a pause; and the settings'
own checks."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lumbar.content.load import Content
from lumbar.domain.model import CheckIn, History, Kind, Level, Pain, Range, TrainingDays
from lumbar.domain.plan import plan_day, program_status
from lumbar.domain.program import Program
from lumbar.domain.reminders import (
    WORKDAYS,
    Entry,
    EntryKind,
    Reminders,
    calendar_entries,
    parse_clock,
)
from tests.builders import START, Follower, clearance, day, history, profile, program

NO_BREAKS = Reminders(break_minutes=0)
"""The defaults without posture breaks, where a test looks only at the other entries."""


def _of(kind: EntryKind, entries: list[Entry]) -> list[Entry]:
    return [e for e in entries if e.kind is kind]


def _days(kind: EntryKind, entries: list[Entry]) -> list[date]:
    return [e.on for e in _of(kind, entries)]


def _offsets(kind: EntryKind, entries: list[Entry]) -> list[int]:
    return [(e.on - START).days for e in _of(kind, entries)]


def _bird_dog_hurts_twice(on: date, exercise: str) -> Pain:
    """Sharp pain on bird-dog in phase 2: at full range on day 9 (Wednesday of week 2), then
    again at reduced range on day 11 (Friday), which takes the person back to phase 1."""
    if exercise == "bird-dog" and on in (day(9), day(11)):
        return Pain.SHARP
    return Pain.NONE


# Sessions.


def test_sessions_fall_on_the_training_days_at_the_session_time() -> None:
    reminders = Reminders(session_time=time(7, 30), break_minutes=0)

    entries = calendar_entries(START, history(), program(), reminders)

    sessions = _of(EntryKind.SESSION, entries)
    assert _offsets(EntryKind.SESSION, entries) == [0, 2, 4, 7, 9, 11, 14, 16, 18, 21, 23, 25]
    assert {s.on.weekday() for s in sessions} == {0, 2, 4}
    assert all(s.at == time(7, 30) and s.minutes == 30 for s in sessions)
    assert all(s.phase == 1 for s in sessions)


def test_a_rest_day_always_separates_two_sessions() -> None:
    days = TrainingDays(every_other_day=True)
    chosen = program(days)
    h = history(who=profile(days=days))

    entries = calendar_entries(START, h, chosen, NO_BREAKS, weeks=6)

    dates = _days(EntryKind.SESSION, entries)
    assert dates[0] == START
    assert {(b - a).days for a, b in zip(dates, dates[1:], strict=False)} == {2}
    assert len(dates) == 21


def test_the_calendar_starts_with_todays_session_while_it_is_not_recorded() -> None:
    entries = calendar_entries(START, history(), program(), NO_BREAKS)

    assert _days(EntryKind.SESSION, entries)[0] == START


def test_the_calendar_starts_with_the_next_session_once_todays_is_recorded() -> None:
    h = Follower(program(), history()).follow(day(0))

    entries = calendar_entries(day(0), h, program(), NO_BREAKS)

    assert _offsets(EntryKind.SESSION, entries)[:3] == [2, 4, 7]


def test_on_a_rest_day_the_calendar_starts_with_the_next_session() -> None:
    h = Follower(program(), history()).follow(day(0))

    entries = calendar_entries(day(1), h, program(), NO_BREAKS)

    assert _offsets(EntryKind.SESSION, entries)[:2] == [2, 4]


def test_a_missed_session_moves_to_today_and_the_week_shifts_to_keep_rest_days() -> None:
    """Monday done, Wednesday missed: on Thursday the session is due, then Saturday (the
    week's third), then the next Monday (schedule.moved_session)."""
    h = Follower(program(), history()).follow(day(0))
    thursday = day(3)
    assert plan_day(thursday, h, program()).decisions[0].rule == "schedule.moved_session"

    entries = calendar_entries(thursday, h, program(), NO_BREAKS)

    assert _offsets(EntryKind.SESSION, entries)[:4] == [3, 5, 7, 9]


def test_session_entries_carry_the_exercises_and_phase_of_the_next_sessions_plan(
    content: Content,
) -> None:
    entries = calendar_entries(START, history(), program(), NO_BREAKS)

    first = plan_day(START, history(), program())
    for entry in _of(EntryKind.SESSION, entries):
        assert entry.phase == first.phase == 1
        assert entry.exercises == tuple(e.exercise_id for e in first.exercises)
    assert all(e in content.catalogue for e in _of(EntryKind.SESSION, entries)[0].exercises)


def test_after_a_regression_the_sessions_follow_the_plan_of_their_days() -> None:
    chosen = program()
    follower = Follower(chosen, history(), pain=_bird_dog_hurts_twice)
    before = follower.follow(day(9))
    after = follower.follow(day(11))
    # What the rules decided: bad pain at full range reduced bird-dog's range on day 9,
    # and bad pain again at reduced range on day 11 took the person back to phase 1.
    friday = next(p for p in follower.plans if p.on == day(11))
    bird_dog = next(e for e in friday.exercises if e.exercise_id == "bird-dog")
    assert bird_dog.range is Range.REDUCED
    change = program_status(day(12), after, chosen).phase_history[-1]
    assert (change.on, change.decision.rule) == (day(11), "regression.revert_phase")

    in_phase_2 = _of(EntryKind.SESSION, calendar_entries(day(10), before, chosen, NO_BREAKS))
    in_phase_1 = _of(EntryKind.SESSION, calendar_entries(day(12), after, chosen, NO_BREAKS))

    assert {e.phase for e in in_phase_2} == {2}
    assert {e.phase for e in in_phase_1} == {1}
    assert "bird-dog" in in_phase_2[0].exercises
    assert "bird-dog" not in in_phase_1[0].exercises
    # The calendar assumes each session is done; the plan of a day asked about on the same
    # history assumes none is until then. They agree until two weeks pass without a session,
    # where that plan resumes a phase lower (regression.after_gap).
    gap_days = chosen.thresholds.gap_phase_days
    for h, entries in ((before, in_phase_2), (after, in_phase_1)):
        last = h.events[-1].on
        near = [e for e in entries if (e.on - last).days - 1 < gap_days]
        assert len(near) >= 5
        for entry in near:
            planned = plan_day(entry.on, h, chosen)
            assert planned.kind is Kind.SESSION, entry.on
            assert entry.phase == planned.phase, entry.on
            assert entry.exercises == tuple(e.exercise_id for e in planned.exercises), entry.on
    [far] = [e for e in in_phase_2 if (e.on - day(9)).days - 1 == gap_days + 1]
    dropped = plan_day(far.on, before, chosen)
    assert (far.phase, dropped.phase) == (2, 1)
    assert "regression.after_gap" in [d.rule for d in dropped.decisions]


# Check-ins and the review.


def test_check_ins_fall_every_seven_days_after_the_intake() -> None:
    entries = calendar_entries(START, history(), program(), NO_BREAKS)

    assert _offsets(EntryKind.CHECKIN, entries) == [7, 14, 21]
    assert all(e.at is None for e in _of(EntryKind.CHECKIN, entries))


def test_a_check_in_is_a_whole_day_entry_with_no_time_and_no_duration() -> None:
    entries = calendar_entries(START, history(), program(), NO_BREAKS, weeks=3)

    assert _of(EntryKind.CHECKIN, entries) == [
        Entry(kind=EntryKind.CHECKIN, on=day(7), at=None, minutes=0),
        Entry(kind=EntryKind.CHECKIN, on=day(14), at=None, minutes=0),
    ]


def test_check_ins_count_from_the_last_check_in() -> None:
    h = history(CheckIn(day(9), pain=5, psfs=(5, 5, 5)))

    entries = calendar_entries(day(10), h, program(), NO_BREAKS)

    assert _offsets(EntryKind.CHECKIN, entries) == [16, 23, 30, 37]


def test_an_overdue_check_in_is_due_today_then_weekly() -> None:
    entries = calendar_entries(day(10), history(), program(), NO_BREAKS)

    assert _offsets(EntryKind.CHECKIN, entries) == [10, 17, 24, 31]


def test_the_next_check_in_is_when_the_app_says_one_is_due() -> None:
    """A pain check-in on day 7, then a symptom report (no pain rating) on day 10: the app
    says a check-in is due from day 14 (outcomes.checkin_due); the calendar should agree."""
    h = history(
        CheckIn(day(7), pain=5, psfs=(5, 5, 5)),
        CheckIn(day(10), symptoms=("leg_numbness",)),
    )
    due = next(a for a in program_status(day(14), h, program()).alerts if a.code == "checkin_due")
    assert due.since == day(14)

    entries = calendar_entries(day(10), h, program(), NO_BREAKS)

    assert _days(EntryKind.CHECKIN, entries)[0] == due.since


@pytest.mark.parametrize(
    ("on", "weeks", "shown"),
    [
        (day(0), 4, False),  # the horizon (day 28) is not part of the calendar
        (day(0), 5, True),
        (day(1), 4, True),
        (day(28), 1, True),  # the review's own day
        (day(29), 4, False),  # already past, and done (a check-in on day 28)
    ],
)
def test_the_review_falls_on_the_start_plus_28_days_within_the_horizon(
    on: date, weeks: int, shown: bool
) -> None:
    reviewed = history(CheckIn(day(28), pain=4, psfs=(5, 5, 4)))
    entries = calendar_entries(on, reviewed, program(), NO_BREAKS, weeks=weeks)

    reviews = _of(EntryKind.REVIEW, entries)
    assert reviews == (
        [Entry(kind=EntryKind.REVIEW, on=day(28), at=None, minutes=0)] if shown else []
    )


@pytest.mark.parametrize("on", [day(29), day(34), day(35), day(50)])
def test_a_review_still_waiting_for_its_check_in_is_on_the_calendar_today(on: date) -> None:
    entries = calendar_entries(on, history(), program(), NO_BREAKS, weeks=1)

    assert _of(EntryKind.REVIEW, entries) == [
        Entry(kind=EntryKind.REVIEW, on=on, at=None, minutes=0)
    ]


# Posture breaks.


def test_posture_breaks_are_one_weekly_entry_per_break_time_on_the_working_days() -> None:
    entries = calendar_entries(START, history(), program(), Reminders())

    breaks = _of(EntryKind.POSTURE, entries)
    assert [b.at for b in breaks] == [time(h, 0) for h in range(10, 17)]
    assert {b.on for b in breaks} == {START}
    assert all(b.repeat_on == WORKDAYS and b.until == day(27) for b in breaks)
    assert all(b.minutes == 5 for b in breaks)
    assert [b.tip for b in breaks] == [0, 1, 2, 0, 1, 2, 0]


def test_posture_breaks_follow_the_working_hours_interval_and_days() -> None:
    reminders = Reminders(
        work_days=frozenset({1, 3}), work_start=time(8, 0), work_end=time(16, 0), break_minutes=45
    )

    breaks = _of(EntryKind.POSTURE, calendar_entries(START, history(), program(), reminders))

    assert [b.at for b in breaks] == [
        time(8, 45), time(9, 30), time(10, 15), time(11, 0), time(11, 45),
        time(12, 30), time(13, 15), time(14, 0), time(14, 45), time(15, 30),
    ]  # fmt: skip
    assert {b.on for b in breaks} == {day(1)}  # the first working day: Tuesday
    assert {b.repeat_on for b in breaks} == {frozenset({1, 3})}


def test_from_a_weekend_the_posture_breaks_begin_on_the_next_working_day() -> None:
    saturday = day(5)

    breaks = _of(EntryKind.POSTURE, calendar_entries(saturday, history(), program(), Reminders()))

    assert {b.on for b in breaks} == {day(7)}
    assert {b.until for b in breaks} == {saturday + timedelta(days=27)}


@pytest.mark.parametrize(
    "reminders", [Reminders(break_minutes=0), Reminders(work_days=frozenset())]
)
def test_no_posture_breaks_when_they_are_off(reminders: Reminders) -> None:
    entries = calendar_entries(START, history(), program(), reminders)

    assert _of(EntryKind.POSTURE, entries) == []
    assert _of(EntryKind.SESSION, entries)  # the rest of the calendar is still there


_MINUTES_OF_DAY = st.integers(min_value=0, max_value=24 * 60 - 1)


@st.composite
def _valid_reminders(draw: st.DrawFn) -> Reminders:
    start, end = sorted(draw(st.lists(_MINUTES_OF_DAY, min_size=2, max_size=2, unique=True)))
    return Reminders(
        session_time=time(*divmod(draw(_MINUTES_OF_DAY), 60)),
        work_days=draw(st.frozensets(st.integers(min_value=0, max_value=6), min_size=1)),
        work_start=time(*divmod(start, 60)),
        work_end=time(*divmod(end, 60)),
        break_minutes=draw(st.integers(min_value=20, max_value=240)),
    )


_PROGRAM: Program = program()
_HISTORY: History = history()


@settings(max_examples=60, deadline=None)
@given(reminders=_valid_reminders(), offset=st.integers(min_value=0, max_value=60))
def test_posture_breaks_fall_strictly_inside_the_working_hours_at_the_interval(
    reminders: Reminders, offset: int
) -> None:
    assert reminders.problems() == []
    on = START + timedelta(days=offset)

    breaks = _of(EntryKind.POSTURE, calendar_entries(on, _HISTORY, _PROGRAM, reminders))

    def minute(t: time) -> int:
        return t.hour * 60 + t.minute

    start, end, every = (
        minute(reminders.work_start),
        minute(reminders.work_end),
        reminders.break_minutes,
    )
    times = [minute(b.at) for b in breaks if b.at is not None]
    assert len(times) == len(breaks)
    assert all(start < t < end for t in times)
    assert times == list(range(start + every, end, every))  # none missing, none extra
    assert all(
        b.on.weekday() in reminders.work_days and on <= b.on < on + timedelta(7) for b in breaks
    )


# A paused program.


@pytest.mark.parametrize("level", [Level.URGENT, Level.EMERGENCY])
def test_a_paused_program_shows_the_pause_instead_of_sessions(
    content: Content, level: Level
) -> None:
    code = next(s.code for s in content.symptoms.values() if s.level is level)
    h = history(CheckIn(day(1), symptoms=(code,)))
    assert plan_day(day(2), h, program()).kind is Kind.BLOCKED

    entries = calendar_entries(day(2), h, program(), Reminders())

    assert _of(EntryKind.SESSION, entries) == []
    assert _of(EntryKind.PAUSED, entries) == [
        Entry(kind=EntryKind.PAUSED, on=day(2), at=None, minutes=0, phase=1)
    ]
    assert _of(EntryKind.CHECKIN, entries)  # the weekly check-in still asks how it is going
    assert _of(EntryKind.POSTURE, entries)  # breaks are not exercise: they stay


def test_sessions_come_back_once_a_clinician_has_cleared_the_pause() -> None:
    h = history(CheckIn(day(1), symptoms=("fever",)), clearance(day(3), "fever"))

    entries = calendar_entries(day(3), h, program(), NO_BREAKS)

    assert _of(EntryKind.PAUSED, entries) == []
    assert _offsets(EntryKind.SESSION, entries)[:3] == [3, 5, 7]


def test_entries_are_in_date_and_time_order() -> None:
    entries = calendar_entries(day(3), history(), program(), Reminders(session_time=time(6, 0)))

    keys = [(e.on, e.at or time(0)) for e in entries]
    assert keys == sorted(keys)


def test_whole_day_entries_come_before_a_session_at_half_past_midnight() -> None:
    monday = day(7)  # a training day, and the first weekly check-in

    entries = calendar_entries(START, history(), program(), Reminders(session_time=time(0, 30)))

    on_monday = [(e.kind, e.at) for e in entries if e.on == monday]
    assert on_monday == [(EntryKind.CHECKIN, None), (EntryKind.SESSION, time(0, 30))]


@pytest.mark.parametrize(("weeks", "empty"), [(0, True), (1, False)])
def test_a_calendar_of_no_weeks_is_empty_even_on_a_working_day(weeks: int, empty: bool) -> None:
    monday = day(7)  # a training day, a check-in and a working day

    entries = calendar_entries(monday, history(), program(), Reminders(), weeks=weeks)

    assert (entries == []) is empty
    if not empty:
        assert {e.kind for e in entries} == {
            EntryKind.SESSION,
            EntryKind.CHECKIN,
            EntryKind.POSTURE,
        }


# The settings' own checks.


def test_the_default_reminders_are_fine() -> None:
    defaults = Reminders()

    assert defaults.problems() == []
    assert (defaults.session_time, defaults.work_start, defaults.work_end) == (
        time(18, 0),
        time(9, 0),
        time(17, 0),
    )
    assert defaults.work_days == frozenset(range(5)) and defaults.break_minutes == 60


@pytest.mark.parametrize(
    ("reminders", "problem"),
    [
        (
            Reminders(work_start=time(17, 0), work_end=time(9, 0)),
            "work_end: the working day must end after it starts",
        ),
        (
            Reminders(work_start=time(9, 0), work_end=time(9, 0)),
            "work_end: the working day must end after it starts",
        ),
        (
            Reminders(break_minutes=19),
            "break_minutes: a break every 20 to 240 minutes, or 0 for none",
        ),
        (
            Reminders(break_minutes=241),
            "break_minutes: a break every 20 to 240 minutes, or 0 for none",
        ),
        (
            Reminders(break_minutes=-5),
            "break_minutes: a break every 20 to 240 minutes, or 0 for none",
        ),
        (Reminders(work_days=frozenset({0, 7})), "work_days: days are 0 (Monday) to 6 (Sunday)"),
    ],
)
def test_reminders_name_what_is_wrong_by_field(reminders: Reminders, problem: str) -> None:
    assert reminders.problems() == [problem]


@pytest.mark.parametrize("minutes", [0, 20, 240])
def test_breaks_of_0_20_and_240_minutes_are_fine(minutes: int) -> None:
    assert Reminders(break_minutes=minutes).problems() == []


def test_every_problem_is_listed_in_field_order() -> None:
    wrong = Reminders(work_start=time(18, 0), break_minutes=5, work_days=frozenset({9}))

    assert [p.partition(":")[0] for p in wrong.problems()] == [
        "work_end",
        "break_minutes",
        "work_days",
    ]


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("7:30", time(7, 30)),
        ("07:30", time(7, 30)),
        ("18:00", time(18, 0)),
        ("0:00", time(0, 0)),
        ("23:59", time(23, 59)),
        (" 06:05 ", time(6, 5)),
    ],
)
def test_parse_clock_reads_a_time_of_day(text: str, parsed: time) -> None:
    assert parse_clock(text) == parsed


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("25:00", "'25:00' is not a time of day"),
        ("24:00", "'24:00' is not a time of day"),
        ("12:60", "'12:60' is not a time of day"),
        ("7", "'7' is not a time like 07:30 or 18:00"),
        ("7:3", "'7:3' is not a time like 07:30 or 18:00"),
        ("07h30", "'07h30' is not a time like 07:30 or 18:00"),
        ("-1:00", "'-1:00' is not a time like 07:30 or 18:00"),
        ("7:30pm", "'7:30pm' is not a time like 07:30 or 18:00"),
        ("12:00:00", "'12:00:00' is not a time like 07:30 or 18:00"),
        ("", "'' is not a time like 07:30 or 18:00"),
        ("  ", "'' is not a time like 07:30 or 18:00"),
    ],
)
def test_parse_clock_refuses_anything_else_with_the_reason(text: str, reason: str) -> None:
    with pytest.raises(ValueError) as refused:
        parse_clock(text)

    assert str(refused.value) == reason


def test_parse_clock_refuses_a_superscript_digit_with_the_reason() -> None:
    with pytest.raises(ValueError, match="is not a time"):
        parse_clock("²:00")


@given(minutes=_MINUTES_OF_DAY)
def test_parse_clock_reads_back_every_time_it_writes(minutes: int) -> None:
    written = time(*divmod(minutes, 60))

    assert parse_clock(written.strftime("%H:%M")) == written


def test_a_session_on_the_last_day_of_the_calendar_is_in_it() -> None:
    """From Tuesday, one week ahead ends on the next Monday, a training day."""
    lived = Follower(program(), history()).follow(day(0))
    entries = calendar_entries(day(1), lived, program(), NO_BREAKS, weeks=1)
    assert _offsets(EntryKind.SESSION, entries) == [2, 4, 7]
