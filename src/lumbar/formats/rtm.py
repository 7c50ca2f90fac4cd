"""A patient's remote-monitoring report as CSV (for a billing system or a spreadsheet), as
HTML for its PDF (tagged, formats/pdf.py) and as the API's JSON: one row per 30-day period,
then the time log. The CSV and the JSON take their periods' fields from one function, so
that they cannot count differently."""

from __future__ import annotations

import csv
import functools
import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lumbar.content.wording import format_date
from lumbar.domain.rtm import Period, Report, TimeEntry

if TYPE_CHECKING:
    from jinja2 import Environment

TEMPLATES = Path(__file__).parent / "templates"
COLUMNS = (
    "period_start",
    "period_end",
    "complete",
    "days_with_data",
    "minutes_logged",
    "messages_sent",
    "messages_received",
    "prescription_changes",
)


def period_fields(p: Period) -> dict[str, Any]:
    """One period under COLUMNS (days as YYYY-MM-DD, `complete` a bool)."""
    values = (
        p.start.isoformat(),
        p.end.isoformat(),
        p.complete,
        p.data_days,
        p.minutes,
        p.messages_sent,
        p.messages_received,
        p.prescription_changes,
    )
    return dict(zip(COLUMNS, values, strict=True))


def report_csv(report: Report) -> str:
    """The periods, one a row, under COLUMNS; the time log follows after a blank line, so
    that a spreadsheet opens both."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for p in report.periods:
        fields = period_fields(p)
        fields["complete"] = "yes" if p.complete else "no"
        writer.writerow(fields.values())
    writer.writerow([])
    writer.writerow(["date", "minutes", "clinician", "note"])
    for e in report.entries:
        if e.minutes is not None:
            who = report.names.get(e.clinician_id, str(e.clinician_id))
            writer.writerow([e.on.isoformat(), e.minutes, who, e.note])
    return out.getvalue()


def entries_json(report: Report) -> list[dict[str, Any]]:
    """The time log as the API gives it (formats/shapes/monitoring.py `TimeOut`)."""
    return [
        {"id": e.id, "clinician": e.clinician_id, "date": e.on.isoformat(),
         "minutes": e.minutes, "note": e.note}
        for e in report.entries
    ]  # fmt: skip


def monitoring_json(report: Report, timer: TimeEntry | None) -> dict[str, Any]:
    """The report as the API gives it (formats/shapes/monitoring.py `Monitoring`), with the
    asking clinician's running `timer`."""
    periods = [
        {"number": number, **period_fields(p)} for number, p in enumerate(report.periods, start=1)
    ]
    running = None
    if timer is not None and timer.started_at is not None:
        running = {"started_at": timer.started_at.isoformat(), "date": timer.on.isoformat()}
    return {
        "date": report.on.isoformat(),
        "started": None if report.started is None else report.started.isoformat(),
        "periods": periods,
        "entries": entries_json(report),
        "timer": running,
    }


@functools.cache
def _environment() -> Environment:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    environment = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"])
    )
    environment.filters["long_date"] = format_date
    return environment


def report_html(report: Report) -> str:
    return _environment().get_template("rtm.html").render(report=report)
