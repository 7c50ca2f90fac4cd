"""What is new for a clinician and a patient (issue #20): unread messages and problem
reports, marked read when the reader opens them.

A clinician opening a patient's page reads their thread and their problem reports; a
patient opening their messages reads their clinician's. Access has been checked (and
logged) by `usecases/audit.py:patient_for` before any of this runs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from lumbar.domain.access import Account, Message, Role
from lumbar.errors import UserError
from lumbar.store import accounts as rows
from lumbar.store import notifications as kept
from lumbar.store import unread as unread_rows
from lumbar.store.database import Store
from lumbar.store.notifications import NOTHING_NEW, MailSettings, Unread

__all__ = ["NOTHING_NEW", "MailSettings", "Opened", "Unread"]


NAMED_ELSEWHERE = 10
"""The patients not on the page shown whom the dashboard's notice names (the rest counted)."""


@dataclass(frozen=True, slots=True)
class Waiting:
    """What is new from all of a clinician's patients, for the dashboard: a message from a
    patient on page 2 (or left out by a search or a filter) is not missed on page 1."""

    unread: dict[int, Unread]
    """Each patient's counts, for the patients shown and every other."""
    elsewhere: list[Account]
    """The first few patients with something new who are not on the page shown, by id."""
    more: int = 0
    """How many others not on the page shown have something new (not named)."""


def waiting(store: Store, clinician: Account, shown: Iterable[Account]) -> Waiting:
    """Everything unread from the clinician's patients (`shown` are the ones on the page;
    the clinician's access is to their own patients, by their own id), as their concern
    summaries keep it (store/unread.py): one query over the clinician's rows."""
    on_page = {p.id for p in shown}
    with store.reading() as connection:
        found = {p: Unread(*n) for p, n in unread_rows.waiting(connection, clinician.id).items()}
        others = [p for p in found if p not in on_page]
        named = [rows.account(connection, p) for p in others[:NAMED_ELSEWHERE]]
    elsewhere = [a for a in named if a is not None]
    return Waiting(found, elsewhere, len(others) - len(elsewhere))


def unread_of(store: Store, patient: Account) -> Unread:
    """One patient's unread messages and problem reports, counted (the dashboard lists
    everyone's from their concern summaries, which keep the same counts)."""
    with store.reading() as connection:
        return kept.unread_counts(connection, [patient.id]).get(patient.id, NOTHING_NEW)


@dataclass(frozen=True, slots=True)
class Opened:
    """What a reader saw as new when they opened a thread or a patient's page."""

    thread: list[Message]
    new_messages: frozenset[int] = frozenset()
    """The ids of the messages that were unread until now."""
    new_reports: tuple[bool, ...] = ()
    """For each of the patient's problem reports, in the order they are listed, whether it
    was unread until now (empty when the reader does not mark reports read)."""


def open_thread(
    store: Store, reader: Account, patient: Account, now: datetime, *, mark: bool = True
) -> Opened:
    """The patient's thread as `reader` sees it; what the other side sent is read from now.
    Only the patient and their own clinician mark it read (an admin looking does not), and
    only when `mark`: a HEAD request shows what is new and marks nothing (it is safe)."""
    marks = _marks(reader, patient)
    with store.transaction() as tx:
        connection = tx.connection
        new = (
            kept.mark_thread_read(connection, patient.id, reader.id, now, mark=mark)
            if marks
            else set()
        )
        return Opened(rows.thread(connection, patient.id), frozenset(new))


def open_patient(
    store: Store, reader: Account, patient: Account, now: datetime, *, mark: bool = True
) -> Opened:
    """A clinician opens a patient's page: their thread and their problem reports are read
    from now; what was new is said once, on this page (with `mark` false, said and not
    marked: a HEAD request)."""
    marks = _marks(reader, patient) and reader.role is Role.CLINICIAN
    with store.transaction() as tx:
        connection = tx.connection
        if not marks:
            return Opened(rows.thread(connection, patient.id))
        new = kept.mark_thread_read(connection, patient.id, reader.id, now, mark=mark)
        reports = kept.mark_problems_read(connection, patient.id, reader.id, now, mark=mark)
        flags = tuple(i in reports for i in kept.report_ids(connection, patient.id))
        return Opened(rows.thread(connection, patient.id), frozenset(new), flags)


def _marks(reader: Account, patient: Account) -> bool:
    return reader.id == patient.id or reader.id == patient.clinician_id


def mail_settings(store: Store, clinician: Account) -> MailSettings:
    with store.reading() as connection:
        return kept.mail_settings_of(connection, clinician.id)


def set_mail_settings(store: Store, clinician: Account, settings: MailSettings) -> None:
    """A clinician's choice of the alert mail and the digest; others get no such mail."""
    if clinician.role is not Role.CLINICIAN:
        raise UserError("only a clinician gets mail about their patients")
    with store.transaction() as tx:
        kept.set_mail_settings(tx.connection, clinician.id, settings)
