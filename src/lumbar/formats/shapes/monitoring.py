"""Remote monitoring in the API (issue #20): the time log, the clinician's timer on a
patient, and the report per 30-day period, with the fields of the report's CSV
(formats/rtm.py `COLUMNS`), so that the two read the same."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from lumbar.formats.shapes.base import Shape
from lumbar.formats.shapes.clinic import AT


class TimeOut(Shape):
    """One entry of the time log (a running timer has no minutes yet)."""

    id: int
    clinician: int
    date: dt.date
    minutes: int | None
    note: str


class MonitoringPeriod(Shape):
    """One 30-day period of the program, from its first day on (the CSV's row)."""

    number: int = Field(description="1 for the period starting on the program's first day.")
    period_start: dt.date
    period_end: dt.date = Field(description="Its last day (30 days, both included).")
    complete: bool = Field(
        description="False for the period holding today (by the server's clock): its "
        "figures may still grow."
    )
    days_with_data: int = Field(
        description="Days on which the patient recorded something (a session, a check-in, "
        "a problem report)."
    )
    minutes_logged: int = Field(
        description="Minutes the clinic's clinicians logged against the patient on days of "
        "the period (timers still running count none)."
    )
    messages_sent: int = Field(description="Messages from the clinic to the patient.")
    messages_received: int = Field(description="Messages from the patient.")
    prescription_changes: int = Field(description="Times the prescription was saved.")


class Timer(Shape):
    """The signed-in clinician's timer on this patient, running."""

    started_at: str = Field(description=AT)
    date: dt.date = Field(description="The day its minutes are logged on when it is stopped.")


class Monitoring(Shape):
    """A patient's remote monitoring, as the monthly report (PDF and CSV) counts it. The
    billing thresholds are the practice's to apply: none is asserted here."""

    date: dt.date = Field(description="Today, by the server's clock: the report runs to it.")
    started: dt.date | None = Field(
        description="The program's first day; null before the patient starts (then there "
        "is no period)."
    )
    periods: list[MonitoringPeriod] = Field(description="Every period, the first first.")
    entries: list[TimeOut] = Field(
        description="Every entry of the time log, by day, running timers included."
    )
    timer: Timer | None = Field(
        description="The signed-in clinician's running timer on this patient; null: none."
    )
