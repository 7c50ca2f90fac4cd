"""Who may see which patient, and the audit log of every access to a patient's record.

A clinician's access is checked and logged in one transaction (`patient_for`), so no read
of a record goes unlogged; the log itself cannot be changed (database triggers)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from lumbar.domain.access import Account, AuditEntry, Role, may_see_patient
from lumbar.errors import NotAllowed
from lumbar.store import accounts as rows
from lumbar.store.audit_log import AuditFilter, audit_page
from lumbar.usecases.accounts import Accounts, account_by_id


class Action(StrEnum):
    """What an access did: a read shows the record, a write changes it; a refused one
    asked for a patient who is not the viewer's (or no patient at all), and was answered
    as if there were none (issue #19: such probes were not logged)."""

    READ = "read"
    WRITE = "write"
    REFUSED = "refused"


def patient_for(
    accounts: Accounts,
    viewer: Account,
    patient_id: int,
    now: datetime,
    *,
    action: Action,
    target: str,
) -> Account:
    """The patient, when `viewer` may see them; the access is written to the audit log in
    the same transaction when the viewer is not the patient. Anyone else gets the same
    refusal as for a patient who does not exist, and the refusal is logged too (committed
    before it is raised): an admin sees who looked for records that are not theirs."""
    with accounts.store.transaction() as tx:
        patient = account_by_id(tx.connection, patient_id)
        allowed = patient is not None and may_see_patient(viewer, patient)
        if patient is None or viewer.id != patient.id:
            rows.add_audit(
                tx.connection,
                now=now,
                actor=viewer,
                action=action.value if allowed else Action.REFUSED.value,
                patient_id=None if patient is None else patient.id,
                target=target,
            )
    if patient is None or not allowed:
        raise NotAllowed("no such patient among yours")
    return patient


def patients(accounts: Accounts, clinician: Account) -> list[Account]:
    """A clinician's own patients (those they invited)."""
    if clinician.role is not Role.CLINICIAN:
        raise NotAllowed("only a clinician has patients")
    with accounts.store.reading() as connection:
        return rows.patients_of(connection, clinician.id)


def log(
    accounts: Accounts,
    actor: Account,
    action: Action,
    target: str,
    now: datetime,
    patient_id: int | None,
) -> None:
    """Write one entry (a clinician's dashboard logs each patient it shows)."""
    with accounts.store.transaction() as tx:
        rows.add_audit(
            tx.connection,
            now=now,
            actor=actor,
            action=action.value,
            patient_id=patient_id,
            target=target,
        )


def entries(accounts: Accounts, viewer: Account | None = None) -> list[AuditEntry]:
    """Every entry (the server's command line), or those by accounts of an admin's clinic."""
    with accounts.store.reading() as connection:
        if viewer is None:
            return rows.audit_entries(connection)
        if viewer.role is not Role.ADMIN:
            raise NotAllowed("only an admin reads the audit log")
        ids = [a.id for a in rows.accounts(connection, viewer.clinic_id)]
        return rows.audit_entries(connection, ids)


PAGE_SIZE = 50
"""Entries on one page of the admin's view of the log."""


@dataclass(frozen=True, slots=True)
class AuditQuery:
    """What an admin asks of the log: the page (from 1, newest first), and optionally one
    actor, one patient, one action, and the days from `since` to `until` (UTC, both
    included)."""

    page: int = 1
    actor: int | None = None
    patient: int | None = None
    action: Action | None = None
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True, slots=True)
class AuditPage:
    entries: list[AuditEntry]
    total: int
    """How many entries match, on every page."""
    pages: int


def entries_page(accounts: Accounts, viewer: Account, query: AuditQuery) -> AuditPage:
    """One page of the entries by accounts of an admin's clinic that match the query."""
    if viewer.role is not Role.ADMIN:
        raise NotAllowed("only an admin reads the audit log")
    with accounts.store.reading() as connection:
        which = AuditFilter(
            actor_ids=[a.id for a in rows.accounts(connection, viewer.clinic_id)],
            actor=query.actor,
            patient=query.patient,
            action=None if query.action is None else query.action.value,
            since=None if query.since is None else datetime.combine(query.since, time()),
            before=_day_after(query.until),
        )
        offset = (query.page - 1) * PAGE_SIZE
        found, total = audit_page(connection, which, offset=offset, limit=PAGE_SIZE)
    return AuditPage(found, total, max(1, -(-total // PAGE_SIZE)))


def _day_after(day: date | None) -> datetime | None:
    """The start of the day after `day`: entries before it are on or before `day`."""
    if day is None or day == date.max:
        return None
    return datetime.combine(day + timedelta(days=1), time())
