"""The arithmetic of the clinic server's daily jobs (domain/daily.py), for every moment:
the next run is the first moment after the given one at the set time, never more than a
day away; a server that starts after today's time and has not run today runs at once."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lumbar.domain.daily import first_run, next_run, parse_time_of_day

moments = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1))
times = st.times()


@given(moments, times)
def test_the_next_run_is_the_first_moment_after_at_the_set_time(after: datetime, at: time) -> None:
    run = next_run(after, at)
    assert run.time() == at
    assert after < run <= after + timedelta(days=1)
    # No moment at that time of day lies between: the one a day earlier is not after.
    assert run - timedelta(days=1) <= after


@given(moments, times)
def test_the_next_run_after_a_run_is_a_day_later(after: datetime, at: time) -> None:
    run = next_run(after, at)
    assert next_run(run, at) == run + timedelta(days=1)


@given(moments, times, st.one_of(st.none(), st.dates()))
def test_a_server_starting_late_runs_todays_job_at_once_unless_it_ran_today(
    now: datetime, at: time, last_day: date | None
) -> None:
    run = first_run(now, at, last_day)
    passed = datetime.combine(now.date(), at) <= now
    if passed and last_day != now.date():
        assert run == now
    else:
        assert run == next_run(now, at) and run > now


def test_the_examples_a_reader_checks_by_hand() -> None:
    nine = time(9, 0)
    assert next_run(datetime(2026, 12, 4, 8, 59), nine) == datetime(2026, 12, 4, 9, 0)
    assert next_run(datetime(2026, 12, 4, 9, 0), nine) == datetime(2026, 12, 5, 9, 0)
    assert next_run(datetime(2026, 12, 31, 23, 0), nine) == datetime(2027, 1, 1, 9, 0)
    assert first_run(datetime(2026, 12, 4, 10, 0), nine, None) == datetime(2026, 12, 4, 10, 0)
    assert first_run(datetime(2026, 12, 4, 10, 0), nine, date(2026, 12, 4)) == datetime(
        2026, 12, 5, 9, 0
    )


@given(times)
def test_every_time_of_day_written_as_hh_mm_is_read_back(at: time) -> None:
    assert parse_time_of_day(at.strftime("%H:%M")) == at.replace(second=0, microsecond=0)


@pytest.mark.parametrize(
    "text", ["", "7", "7:5", "24:00", "12:60", "-1:00", "07:00:00", "seven", "٠٧:٠٠", " : "]
)
def test_what_is_not_a_time_of_day_is_refused(text: str) -> None:
    assert parse_time_of_day(text) is None


def test_an_hour_of_one_digit_is_read() -> None:
    assert parse_time_of_day("7:05") == time(7, 5)
    assert parse_time_of_day(" 23:59 ") == time(23, 59)
