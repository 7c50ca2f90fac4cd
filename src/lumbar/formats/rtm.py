"""A patient's remote-monitoring report as CSV (for a billing system or a spreadsheet) and as
HTML for its PDF (tagged, formats/pdf.py): one row per 30-day period, then the time log."""

from __future__ import annotations

import csv
import functools
import io
from pathlib import Path
from typing import TYPE_CHECKING

from lumbar.content.wording import format_date
from lumbar.domain.rtm import Report

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


def report_csv(report: Report) -> str:
    """The periods, one a row, under COLUMNS; the time log follows after a blank line, so
    that a spreadsheet opens both."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for p in report.periods:
        writer.writerow(
            [
                p.start.isoformat(),
                p.end.isoformat(),
                "yes" if p.complete else "no",
                p.data_days,
                p.minutes,
                p.messages_sent,
                p.messages_received,
                p.prescription_changes,
            ]
        )
    writer.writerow([])
    writer.writerow(["date", "minutes", "clinician", "note"])
    for e in report.entries:
        if e.minutes is not None:
            who = report.names.get(e.clinician_id, str(e.clinician_id))
            writer.writerow([e.on.isoformat(), e.minutes, who, e.note])
    return out.getvalue()


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
