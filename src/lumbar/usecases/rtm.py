"""Remote monitoring for the chart (issue #20): the time a clinician logs against a patient
(by hand, or with a timer started and stopped on the patient's page) and the monthly report
of it, with the days the patient's data arrived and the interactions (messages, changes of
the prescription), per 30-day period from the start of the program.

Access to the patient is checked (and logged) by `audit.patient_for` before any of this
runs. A refusal raises UserError before anything is written.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import TYPE_CHECKING

from lumbar.content.load import Content
from lumbar.domain.access import Account
from lumbar.domain.handover import MINUTES_IN_A_DAY, NOTE_LIMIT, time_problem
from lumbar.domain.model import CheckIn, SessionLog
from lumbar.domain.rtm import Report, TimeEntry, periods
from lumbar.errors import NoProgram, UserError, refuse_hidden_characters
from lumbar.store import handovers as rows
from lumbar.store.accounts import account
from lumbar.store.database import Store
from lumbar.usecases import caseload

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection


def log_time(
    store: Store,
    clinician: Account,
    patient: Account,
    *,
    minutes: int,
    on: date,
    note: str,
    today: date,
    now: datetime,
) -> None:
    """Time spent on the patient's monitoring on day `on`: more than 0 minutes, at most a
    day's, not in the future; a note of at most 500 characters."""
    problem = time_problem(minutes, on, today)
    if problem is not None:
        raise UserError(problem, field="date" if on > today else "minutes")
    note = _note(note)
    with store.transaction() as tx:
        rows.add_time(
            tx.connection,
            patient_id=patient.id,
            clinician_id=clinician.id,
            on=on,
            minutes=minutes,
            note=note,
            now=now,
        )


def running(store: Store, clinician: Account, patient: Account) -> TimeEntry | None:
    """The clinician's timer on this patient, if one is running."""
    with store.reading() as connection:
        return rows.running_timer(connection, patient.id, clinician.id)


def start_timer(
    store: Store, clinician: Account, patient: Account, now: datetime, today: date
) -> None:
    """A timer from `now`, whose minutes are logged on `today` (the server's day) when it
    is stopped."""
    with store.transaction() as tx:
        rows.lock_timer(tx.connection, patient.id, clinician.id)
        if rows.running_timer(tx.connection, patient.id, clinician.id) is not None:
            raise UserError("the timer is already running: stop it first")
        rows.add_time(
            tx.connection,
            patient_id=patient.id,
            clinician_id=clinician.id,
            on=today,
            minutes=None,
            note="",
            now=now,
            started_at=now,
        )


def stop_timer(store: Store, clinician: Account, patient: Account, now: datetime) -> int:
    """Stop the running timer: the minutes it ran (a started minute counts whole), logged on
    the day it started. One left running over a day is refused: discard it and enter the
    time by hand."""
    with store.transaction() as tx:
        rows.lock_timer(tx.connection, patient.id, clinician.id)
        timer = rows.running_timer(tx.connection, patient.id, clinician.id)
        if timer is None or timer.started_at is None:
            raise UserError("no timer is running: start it first")
        minutes = _minutes_run(timer.started_at, now)
        if minutes > MINUTES_IN_A_DAY:
            raise UserError(
                "the timer ran for more than 24 hours: discard it and enter the time by hand"
            )
        rows.stop_timer(tx.connection, timer.id, minutes)
        return minutes


def stop_at_handover(
    connection: Connection, patient_id: int, clinician_id: int, now: datetime
) -> None:
    """Stop the timer the departing clinician left running on a patient handed over (else
    no one could: it is theirs, and the patient no longer is): its minutes are logged, or
    it is discarded when it ran over a day, as they would have to."""
    rows.lock_timer(connection, patient_id, clinician_id)
    timer = rows.running_timer(connection, patient_id, clinician_id)
    if timer is None or timer.started_at is None:
        return
    minutes = _minutes_run(timer.started_at, now)
    if minutes > MINUTES_IN_A_DAY:
        rows.drop_timer(connection, timer.id)
    else:
        rows.stop_timer(connection, timer.id, minutes)


def discard_timer(store: Store, clinician: Account, patient: Account) -> None:
    with store.transaction() as tx:
        rows.lock_timer(tx.connection, patient.id, clinician.id)
        timer = rows.running_timer(tx.connection, patient.id, clinician.id)
        if timer is None:
            raise UserError("no timer is running")
        rows.drop_timer(tx.connection, timer.id)


def _minutes_run(started_at: datetime, now: datetime) -> int:
    """The minutes a timer ran: a started minute counts whole."""
    return max(1, math.ceil((now - started_at).total_seconds() / 60))


def _note(note: str) -> str:
    text = " ".join(note.split())
    refuse_hidden_characters(text, field="note")
    if len(text) > NOTE_LIMIT:
        raise UserError(f"a note can be at most {NOTE_LIMIT} characters", field="note")
    return text


def report(store: Store, content: Content, patient: Account, today: date) -> Report:
    """The patient's monitoring, per 30-day period from the start of their program to the
    period holding `today`."""
    person = caseload.patient_record(store, content, patient, today=today)
    with store.transaction() as tx:
        try:
            history = person.history_in(tx)
        except NoProgram:
            history = None
        problems = tx.problems(patient.id)
        connection = tx.connection
        entries = rows.time_entries(connection, patient.id)
        messages = rows.message_times(connection, patient.id)
        changes = rows.prescription_change_times(connection, patient.id)
        staff = {e.clinician_id for e in entries}
        names = {i: a.name or a.email for i in staff if (a := account(connection, i)) is not None}
    if history is None:
        return Report(patient, today, None, [], entries, names)
    data = [e.on for e in history.events if isinstance(e, SessionLog | CheckIn)]
    found = periods(
        history.profile.start,
        today,
        data_days=[*data, *(p.on for p in problems)],
        minutes=[(e.on, e.minutes) for e in entries if e.minutes is not None],
        messages=[(at.date(), mine) for at, mine in messages],
        changes=[at.date() for at in changes],
    )
    return Report(patient, today, history.profile.start, found, entries, names)
