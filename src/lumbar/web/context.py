"""What every route needs from the app: whose record it is about, and the day it is."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable
from contextvars import ContextVar
from functools import partial
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from lumbar.domain.schedule import FIRST_DAY, LAST_DAY
from lumbar.errors import UserError
from lumbar.usecases import checkins, problems, program
from lumbar.usecases.person import Person
from lumbar.usecases.program import EmergencyAtIntake

T = TypeVar("T")

ALERTING: set[Callable[..., Any]] = {checkins.record, problems.report, program.start}
"""The use cases that can record an emergency or urgent sign (a check-in's, a problem's
follow-up questions, the intake's): after one, on a clinic's server, the patient's clinician
may be mailed at once (usecases/alerts.py). A route's own step that screens adds itself
with `alerting`."""


def alerting(use_case: Callable[..., T]) -> Callable[..., T]:
    """Mark a route's own writing step as one that can record a sign (see ALERTING)."""
    ALERTING.add(use_case)
    return use_case


_after_alerting: ContextVar[Callable[[], None] | None] = ContextVar("after_alerting", default=None)
"""What to run after an alerting write in this request (set by `person` in accounts mode)."""


async def person(request: Request) -> Person:
    """The record the request is about: the signed-in patient's (local mode: the one
    person's).

    `async` so that FastAPI calls it on the event loop instead of in its thread pool."""
    state = request.app.state
    found = Person(
        state.store,
        state.content,
        state.person_of(request),
        clinic=state.accounts is not None,
        today=state.clock(),
    )
    if found.clinic:
        _after_alerting.set(partial(_alert, request, found.id))
    return found


def _alert(request: Request, patient_id: int) -> None:
    from lumbar.usecases import alerts
    from lumbar.usecases.accounts import now_utc
    from lumbar.web.templating import public_url

    state = request.app.state
    base = public_url(request)
    alerts.alert(
        state.store,
        state.content,
        state.mailer,
        patient_id,
        base_url=base,
        on=state.clock(),
        now=now_utc(),
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
    try:
        queued = p.on_writer(use_case, *args)
        if queued is not None:
            done = await asyncio.wrap_future(queued)
        else:
            done = await run_in_threadpool(use_case, *args)
    except EmergencyAtIntake:
        await _alerted(use_case)  # the refused intake kept its emergency for the clinician
        raise
    await _alerted(use_case)
    return done


async def _alerted(use_case: Callable[..., Any]) -> None:
    """After a write that may have raised a sign: mail the clinician (when they want it)."""
    after = _after_alerting.get()
    while isinstance(use_case, partial):
        use_case = use_case.func
    if after is None or use_case not in ALERTING:
        return
    try:
        await run_in_threadpool(after)
    except Exception:
        # The patient's answer is committed: a failed alert must not tell them otherwise
        # (they would send it again). The dashboard shows it; the digest mails it.
        logging.getLogger(__name__).exception("the alert after a patient's write failed")
