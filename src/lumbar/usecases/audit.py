"""Who may see which patient, and the audit log of every access to a patient's record.

A clinician's access is checked and logged in one transaction (`patient_for`), so no read
of a record goes unlogged; the log itself cannot be changed (database triggers)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from lumbar.domain.access import Account, AuditEntry, Role, may_see_patient
from lumbar.store import accounts as rows
from lumbar.usecases.accounts import Accounts, NotAllowed, account_by_id


class Action(StrEnum):
    """What an access did: a read shows the record, a write changes it."""

    READ = "read"
    WRITE = "write"


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
    refusal as for a patient who does not exist."""
    with accounts.store.transaction() as tx:
        patient = account_by_id(tx.connection, patient_id)
        if patient is None or not may_see_patient(viewer, patient):
            raise NotAllowed("no such patient among yours")
        if viewer.id != patient.id:
            rows.add_audit(
                tx.connection,
                now=now,
                actor=viewer,
                action=action.value,
                patient_id=patient.id,
                target=target,
            )
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
