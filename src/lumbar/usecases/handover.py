"""Handing a clinician's patients over to another clinician of the same clinic (issue #20):
by an admin (a clinician leaves, or is away) or by the clinician themselves.

A patient's messages and history are theirs, so they follow the patient: only who their
clinician is changes. Every move is written to the audit log (one entry per patient) and
to `handovers`, which the patient's pages read to say who their clinician now is. A
refusal writes nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from lumbar.domain.access import Account, Role
from lumbar.domain.handover import may_hand_over, receiver_problem
from lumbar.errors import NotAllowed, UserError
from lumbar.store import accounts as rows
from lumbar.store import handovers as store
from lumbar.usecases.accounts import Accounts, account_by_id
from lumbar.usecases.rtm import stop_at_handover

NOTICE_DAYS = 30
"""How long a patient's pages say their clinician changed."""


@dataclass(frozen=True, slots=True)
class Moved:
    patients: list[Account]
    to: Account


def source_of(accounts: Accounts, actor: Account, source_id: int) -> Account:
    """The clinician whose patients `actor` may move; anyone else is not found."""
    with accounts.store.reading() as connection:
        source = account_by_id(connection, source_id)
    if source is None or not may_hand_over(actor, source):
        raise NotAllowed("no such clinician in your clinic")
    return source


def receivers(accounts: Accounts, source: Account) -> list[Account]:
    """The clinicians who may take `source`'s patients: the clinic's other active ones."""
    assert source.clinic_id is not None
    with accounts.store.reading() as connection:
        return [
            a
            for a in rows.accounts(connection, source.clinic_id)
            if receiver_problem(source, a) is None
        ]


def patients_of(accounts: Accounts, source: Account) -> list[Account]:
    with accounts.store.reading() as connection:
        return rows.patients_of(connection, source.id)


def move(
    accounts: Accounts,
    actor: Account,
    source_id: int,
    to_id: int,
    now: datetime,
    *,
    on: date | None = None,
    patient_ids: Sequence[int] | None = None,
) -> Moved:
    """Move `source_id`'s patients (all, or those of `patient_ids`, each of whom must be
    theirs) to clinician `to_id`, in one transaction. `on`: the server's day (`serve
    --date`), the day the patients are told they moved on; `now`'s without it. The audit
    log keeps `now`, as every entry does."""
    moved_at = now if on is None else datetime.combine(on, now.time())
    with accounts.store.transaction() as tx:
        connection = tx.connection
        source = account_by_id(connection, source_id)
        if source is None or not may_hand_over(actor, source):
            raise NotAllowed("no such clinician in your clinic")
        target = account_by_id(connection, to_id)
        problem = receiver_problem(source, target)
        if problem is not None:
            raise UserError(problem, field="to")
        assert target is not None
        theirs = rows.patients_of(connection, source.id)
        if patient_ids is not None:
            wanted = set(patient_ids)
            if not wanted:
                raise UserError("choose at least one patient to hand over", field="patients")
            known = {p.id for p in theirs}
            if not wanted <= known:
                raise UserError(
                    f"only {_name(source)}'s own patients can be handed over by them",
                    field="patients",
                )
            theirs = [p for p in theirs if p.id in wanted]
        if not theirs:
            raise UserError(f"{_name(source)} has no patients to hand over", field="patients")
        store.move(connection, [p.id for p in theirs], to_id=target.id)
        for patient in theirs:
            stop_at_handover(connection, patient.id, source.id, now)
            store.add_handover(
                connection,
                patient_id=patient.id,
                from_id=source.id,
                to_id=target.id,
                by_id=actor.id,
                at=moved_at,
            )
            rows.add_audit(
                connection,
                now=now,
                actor=actor,
                action="write",
                patient_id=patient.id,
                target=f"handover of patient {patient.id} from clinician {source.id} "
                f"to clinician {target.id}",
            )
        return Moved(theirs, target)


@dataclass(frozen=True, slots=True)
class Notice:
    """What a patient's pages say after a handover: who their clinician is now."""

    clinician: str
    since: date


def notice(accounts: Accounts, patient: Account, today: date) -> Notice | None:
    """The patient's last handover, while it is recent, to their current clinician."""
    if patient.role is not Role.PATIENT or patient.clinician_id is None:
        return None
    with accounts.store.reading() as connection:
        last = store.last_handover(connection, patient.id)
        if last is None or last.to_id != patient.clinician_id:
            return None
        if today - last.at.date() > timedelta(days=NOTICE_DAYS):
            return None
        clinician = rows.account(connection, last.to_id)
    return None if clinician is None else Notice(_name(clinician), last.at.date())


def patient_counts(accounts: Accounts, admin: Account) -> dict[int, int]:
    """Each clinician of the admin's clinic → how many patients they have."""
    if admin.role is not Role.ADMIN or admin.clinic_id is None:
        raise NotAllowed("only an admin manages accounts")
    with accounts.store.reading() as connection:
        return store.patient_counts(connection, admin.clinic_id)


def _name(clinician: Account) -> str:
    """How a clinician is named to others: staff accounts have an address, not a name."""
    return clinician.name or clinician.email
