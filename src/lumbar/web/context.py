"""What every route needs from the app: the services and the day it is."""

from __future__ import annotations

import datetime as dt

from fastapi import Request

from lumbar.domain.schedule import FIRST_DAY, LAST_DAY
from lumbar.errors import UserError
from lumbar.services import Services


def services(request: Request) -> Services:
    found: Services = request.app.state.services
    return found


def today(request: Request) -> dt.date:
    day: dt.date = request.app.state.clock()
    return day


def day_or_today(request: Request, day: dt.date | None) -> dt.date:
    """The day a request names, or today; refused outside the years the calendar covers."""
    if day is None:
        return today(request)
    if not FIRST_DAY <= day <= LAST_DAY:
        raise UserError(f"date: {day.isoformat()} is outside {FIRST_DAY.year}-{LAST_DAY.year}")
    return day
