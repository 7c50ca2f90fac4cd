"""The unread counts kept in the concern summaries (issue #20): what each patient sent that
their clinician has not opened yet, counted again in the same transaction as every write
that changes it, so that the dashboard lists them from its one indexed query.

A message from the patient, the clinician's opening of their page (store/notifications.py)
and every write that computes a patient's row again (usecases/summaries.py:refresh, which
a problem report, its correction and a handover cause) call `recount`. It counts from the
messages and reports themselves rather than adding one, so the row cannot drift from
`store/notifications.py:unread_counts`, whatever wrote before it.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.engine import Connection

from lumbar.store.notification_tables import problem_reads
from lumbar.store.tables import concern_summaries, messages, problem_reports

s = concern_summaries

UNREAD_MESSAGE = and_(messages.c.sender_id == messages.c.patient_id, messages.c.read_at.is_(None))
"""A message is unread for the clinician: the patient's, not opened yet (theirs to the
patient are never counted). The one definition, for the kept rows and the live count
(`store/notifications.py:unread_counts`)."""
REPORTS_AND_READS = problem_reports.outerjoin(
    problem_reads, problem_reads.c.report_id == problem_reports.c.id
)
UNREAD_REPORT = and_(problem_reports.c.deleted_on.is_(None), problem_reads.c.report_id.is_(None))
"""A problem report is unread: not deleted, and not opened (over `REPORTS_AND_READS`)."""

UNREAD_MESSAGES = (
    select(func.count())
    .select_from(messages)
    .where(messages.c.patient_id == s.c.patient_id, UNREAD_MESSAGE)
    .scalar_subquery()
)
"""The patient's messages their clinician has not read (theirs to the patient not counted)."""

UNREAD_PROBLEMS = (
    select(func.count())
    .select_from(REPORTS_AND_READS)
    .where(problem_reports.c.person_id == s.c.patient_id, UNREAD_REPORT)
    .scalar_subquery()
)
"""The patient's problem reports, not deleted, that their clinician has not opened."""


def recount(connection: Connection, patient_ids: Iterable[int], *, locked: bool = False) -> None:
    """Count again these patients' unread messages and problem reports into their rows (a
    patient without a row has nothing to keep). On PostgreSQL the rows are locked first,
    in one order, so that the counting statement that follows sees what a transaction
    writing the same patient at once committed while this one waited (counted in the
    waiting statement, its snapshot would be older than the other's message); `locked`:
    an earlier statement of this transaction has locked them already (the upsert of
    `store/summaries.py:write`)."""
    ids = sorted(set(patient_ids))
    if not ids:
        return
    if not locked and connection.dialect.name == "postgresql":  # SQLite: one writer at a time
        connection.execute(
            select(s.c.patient_id)
            .where(s.c.patient_id.in_(ids))
            .order_by(s.c.patient_id)
            .with_for_update()
        ).all()
    connection.execute(
        update(s)
        .where(s.c.patient_id.in_(ids))
        .values(unread_messages=UNREAD_MESSAGES, unread_problems=UNREAD_PROBLEMS)
    )


def miscounted(connection: Connection) -> list[int]:
    """The patients whose row does not say what their messages and reports do: none, when
    every write kept them; the rows of a database written before the counts were kept."""
    differs = or_(s.c.unread_messages != UNREAD_MESSAGES, s.c.unread_problems != UNREAD_PROBLEMS)
    return list(connection.execute(select(s.c.patient_id).where(differs)).scalars())


def waiting(connection: Connection, clinician_id: int) -> dict[int, tuple[int, int]]:
    """The clinician's patients with something unread → their unread messages and problem
    reports, as their rows keep them: one pass over the clinician's rows by the index the
    dashboard lists them with, whichever page each patient is on."""
    query = (
        select(s.c.patient_id, s.c.unread_messages, s.c.unread_problems)
        .where(
            s.c.clinician_id == clinician_id,
            or_(s.c.unread_messages > 0, s.c.unread_problems > 0),
        )
        .order_by(s.c.patient_id)
    )
    return {r.patient_id: (r.unread_messages, r.unread_problems) for r in connection.execute(query)}
