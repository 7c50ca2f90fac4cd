"""What every route needs from the app: whose record it is about, and the day it is."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from lumbar.domain.schedule import FIRST_DAY, LAST_DAY
from lumbar.errors import UserError
from lumbar.usecases.person import Person

T = TypeVar("T")


async def person(request: Request) -> Person:
    """The record the request is about: the signed-in patient's (local mode: the one
    person's).

    `async` so that FastAPI calls it on the event loop instead of in its thread pool."""
    state = request.app.state
    return Person(
        state.store,
        state.content,
        state.person_of(request),
        clinic=state.accounts is not None,
        today=state.clock(),
    )


PersonDep = Annotated[Person, Depends(person)]


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


async def write(p: Person, use_case: Callable[..., T], *args: Any) -> T:
    """Run a use case that writes, where the database writes best.

    SQLite has one writer at a time: its writes go to the store's writer thread, which
    commits those that arrive together in one transaction, with one sync to disk, and
    answers each once it is committed (store/batches.py). Databases with concurrent
    writers (PostgreSQL) get the thread pool. Every write of a person's record comes through
    here.
    """
    queued = p.on_writer(use_case, *args)
    if queued is not None:
        return await asyncio.wrap_future(queued)
    return await run_in_threadpool(use_case, *args)
