"""When a clinic's server runs its daily jobs (issue #20): the arithmetic of "every day at
this time", kept apart from any clock so that it can be checked for every moment.

A moment here is the server's own wall-clock time, without a zone: the server's day (its
`--date`, or today) with the time of day of its clock. A job set for 09:00 runs at the
first 09:00 after it last ran; a server that starts after today's 09:00 and has not run it
today runs it at once (`first_run`), so a restart in the morning does not skip a day.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

REFRESH_AT = time(0, 5)
"""Shortly after midnight: when the concern summaries that the new day makes stale are
computed again (a few minutes late, so that a clock a little behind is in the new day too)."""


def next_run(after: datetime, at: time) -> datetime:
    """The first moment strictly after `after` whose time of day is `at`: today's, if it is
    still to come, else tomorrow's."""
    today = datetime.combine(after.date(), at)
    return today if today > after else datetime.combine(after.date() + timedelta(days=1), at)


def first_run(now: datetime, at: time, last_day: date | None) -> datetime:
    """When a job set for `at` runs next, given the day it last ran (None: not yet by this
    server): today's run at once if its time has passed and it has not run today, else the
    next one."""
    today = datetime.combine(now.date(), at)
    if today <= now and last_day != now.date():
        return now
    return next_run(now, at)


def parse_time_of_day(text: str) -> time | None:
    """`HH:MM` (24-hour) as a time of day, or None when it is not one."""
    hours, colon, minutes = text.strip().partition(":")
    digits = set("0123456789")
    if not colon or not hours or set(hours + minutes) - digits or len(minutes) != 2:
        return None
    if len(hours) > 2 or not (0 <= int(hours) <= 23 and 0 <= int(minutes) <= 59):
        return None
    return time(int(hours), int(minutes))
