"""Accounts, sign-in sessions, one-time tokens and the audit log, on a connection the caller
holds inside one transaction (`Store.transaction()`).

Tokens (sessions, reset links, invitations) are stored as their SHA-256 only: whoever reads
the database cannot use them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, text, update
from sqlalchemy.engine import Connection

from lumbar.domain.access import Account, AuditEntry, Message, Role, SignedIn
from lumbar.store.handovers import add_prescription_change
from lumbar.store.tables import (
    audit_log,
    auth_sessions,
    clinics,
    login_failures,
    messages,
    one_time_tokens,
    people,
    prescriptions,
    users,
)
from lumbar.store.touched import touch
from lumbar.store.unread import recount


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _account(row: Any) -> Account:
    return Account(
        id=row.id,
        email=row.email,
        role=Role(row.role),
        clinic_id=row.clinic_id,
        clinician_id=row.clinician_id,
        active=bool(row.active),
        name=row.name,
        birth_date=row.birth_date,
    )


ACCOUNT_COLUMNS = (
    users.c.id,
    users.c.email,
    users.c.role,
    users.c.clinic_id,
    users.c.clinician_id,
    users.c.active,
    users.c.name,
    users.c.birth_date,
)


def add_clinic(connection: Connection, name: str) -> int:
    return int(
        connection.execute(insert(clinics).values(name=name).returning(clinics.c.id)).scalar_one()
    )


def clinic_named(connection: Connection, name: str) -> int | None:
    found = connection.execute(select(clinics.c.id).where(clinics.c.name == name)).first()
    return None if found is None else int(found.id)


def add_user(
    connection: Connection,
    *,
    email: str,
    password_hash: str | None,
    role: Role,
    clinic_id: int | None,
    clinician_id: int | None,
    now: datetime,
    name: str | None = None,
    birth_date: date | None = None,
) -> Account:
    new_id = connection.execute(
        insert(users)
        .values(
            email=email,
            password_hash=password_hash,
            role=role.value,
            clinic_id=clinic_id,
            clinician_id=clinician_id,
            active=True,
            created_at=now,
            name=name,
            birth_date=birth_date,
        )
        .returning(users.c.id)
    ).scalar_one()
    if role is Role.PATIENT:
        touch(connection, int(new_id))
    return Account(
        id=int(new_id),
        email=email,
        role=role,
        clinic_id=clinic_id,
        clinician_id=clinician_id,
        name=name,
        birth_date=birth_date,
    )


def account(connection: Connection, user_id: int) -> Account | None:
    row = connection.execute(ACCOUNT, {"user_id": user_id}).first()
    return None if row is None else _account(row)


ACCOUNT = select(*ACCOUNT_COLUMNS).where(users.c.id == bindparam("user_id"))
"""Built once: every write of a clinic's patient reads their account (the concern summary)."""


def account_by_email(connection: Connection, email: str) -> tuple[Account, str | None] | None:
    row = connection.execute(
        select(*ACCOUNT_COLUMNS, users.c.password_hash).where(users.c.email == email)
    ).first()
    return None if row is None else (_account(row), row.password_hash)


def accounts(connection: Connection, clinic_id: int | None = None) -> list[Account]:
    query = select(*ACCOUNT_COLUMNS).order_by(users.c.id)
    if clinic_id is not None:
        query = query.where(users.c.clinic_id == clinic_id)
    return [_account(row) for row in connection.execute(query)]


def patients_of(connection: Connection, clinician_id: int) -> list[Account]:
    query = (
        select(*ACCOUNT_COLUMNS)
        .where(users.c.clinician_id == clinician_id, users.c.role == Role.PATIENT.value)
        .order_by(users.c.id)
    )
    return [_account(row) for row in connection.execute(query)]


def set_password(connection: Connection, user_id: int, password_hash: str) -> None:
    connection.execute(
        update(users).where(users.c.id == user_id).values(password_hash=password_hash)
    )


def set_active(connection: Connection, user_id: int, active: bool) -> None:
    connection.execute(update(users).where(users.c.id == user_id).values(active=active))


# Sign-in sessions.


def add_session(
    connection: Connection,
    token: str,
    *,
    user_id: int,
    csrf_token: str,
    now: datetime,
    expires_at: datetime,
) -> None:
    connection.execute(
        insert(auth_sessions).values(
            token_hash=digest(token),
            user_id=user_id,
            csrf_token=csrf_token,
            created_at=now,
            expires_at=expires_at,
        )
    )


def session(connection: Connection, token: str, now: datetime) -> SignedIn | None:
    """The signed-in account behind a cookie's token, if the session is current and the
    account active."""
    row = connection.execute(
        select(*ACCOUNT_COLUMNS, auth_sessions.c.csrf_token)
        .join(users, users.c.id == auth_sessions.c.user_id)
        .where(
            auth_sessions.c.token_hash == digest(token),
            auth_sessions.c.expires_at > now,
            auth_sessions.c.pending.is_(False),  # waiting for a second factor: not signed in
        )
    ).first()
    if row is None or not row.active:
        return None
    return SignedIn(_account(row), row.csrf_token)


def end_session(connection: Connection, token: str) -> None:
    connection.execute(delete(auth_sessions).where(auth_sessions.c.token_hash == digest(token)))


def end_sessions_of(connection: Connection, user_id: int) -> None:
    connection.execute(delete(auth_sessions).where(auth_sessions.c.user_id == user_id))


# Throttling (the counts themselves: store/throttle.py).


def lock_address(connection: Connection, email: str) -> None:
    """Hold one address's sign-in count for the rest of the transaction, so that attempts
    sent together are counted one after the other. SQLite's BEGIN IMMEDIATE already does
    (one writer at a time); PostgreSQL takes a transaction-scoped advisory lock."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(hashtext(:email))"), {"email": email})


def add_failure(connection: Connection, email: str, now: datetime) -> None:
    connection.execute(insert(login_failures).values(email=email, at=now))


def failures(connection: Connection, email: str, since: datetime) -> list[datetime]:
    query = select(login_failures.c.at).where(
        login_failures.c.email == email,
        login_failures.c.at > since,
        login_failures.c.kind == "sign-in",  # not the addresses it signed in from
    )
    return [row.at for row in connection.execute(query)]


def clear_failures(connection: Connection, email: str) -> None:
    """Forget what the throttles counted for this account (a new password was chosen):
    its failed sign-ins, and the client addresses it signed in from."""
    connection.execute(delete(login_failures).where(login_failures.c.email == email))


# One-time tokens.


def add_token(
    connection: Connection,
    token: str,
    *,
    purpose: str,
    user_id: int | None,
    clinician_id: int | None,
    now: datetime,
    expires_at: datetime,
) -> None:
    connection.execute(
        insert(one_time_tokens).values(
            token_hash=digest(token),
            purpose=purpose,
            user_id=user_id,
            clinician_id=clinician_id,
            created_at=now,
            expires_at=expires_at,
        )
    )


def take_token(
    connection: Connection, token: str, *, purpose: str, now: datetime
) -> tuple[int | None, int | None] | None:
    """Use a one-time token: (user_id, clinician_id), or None when it is unknown, used or
    expired. Marking it used in the same statement means two uses cannot both succeed."""
    row = connection.execute(
        update(one_time_tokens)
        .where(
            one_time_tokens.c.token_hash == digest(token),
            one_time_tokens.c.purpose == purpose,
            one_time_tokens.c.used_at.is_(None),
            one_time_tokens.c.expires_at > now,
        )
        .values(used_at=now)
        .returning(one_time_tokens.c.user_id, one_time_tokens.c.clinician_id)
    ).first()
    return None if row is None else (row.user_id, row.clinician_id)


# The audit log.


def add_audit(
    connection: Connection,
    *,
    now: datetime,
    actor: Account,
    action: str,
    patient_id: int | None,
    target: str,
) -> None:
    connection.execute(
        insert(audit_log).values(
            at=now,
            actor_id=actor.id,
            actor_role=actor.role.value,
            action=action,
            patient_id=patient_id,
            target=target[:300],
        )
    )


def audit_entries(connection: Connection, actor_ids: list[int] | None = None) -> list[AuditEntry]:
    query = select(audit_log).order_by(audit_log.c.id)
    if actor_ids is not None:
        query = query.where(audit_log.c.actor_id.in_(actor_ids))
    return [AuditEntry(**row._mapping) for row in connection.execute(query)]


# Messages.


def add_message(
    connection: Connection, *, patient_id: int, sender_id: int, now: datetime, body: str
) -> None:
    connection.execute(
        insert(messages).values(patient_id=patient_id, sender_id=sender_id, at=now, body=body)
    )
    if sender_id == patient_id:  # new to their clinician's dashboard (issue #20)
        recount(connection, [patient_id])


def thread(connection: Connection, patient_id: int) -> list[Message]:
    query = (
        select(
            messages.c.id, messages.c.sender_id, messages.c.at, messages.c.body, messages.c.read_at
        )
        .where(messages.c.patient_id == patient_id)
        .order_by(messages.c.id)
    )
    return [
        Message(row.id, row.sender_id, row.at, row.body, row.read_at)
        for row in connection.execute(query)
    ]


# Prescriptions.


@dataclass(frozen=True, slots=True)
class StoredPrescription:
    text: str
    clinician_id: int
    updated_at: datetime


def prescription(connection: Connection, patient_id: int) -> StoredPrescription | None:
    row = connection.execute(
        select(
            prescriptions.c.program, prescriptions.c.clinician_id, prescriptions.c.updated_at
        ).where(prescriptions.c.patient_id == patient_id)
    ).first()
    return (
        None if row is None else StoredPrescription(row.program, row.clinician_id, row.updated_at)
    )


def set_prescription(
    connection: Connection, patient_id: int, *, text: str, clinician_id: int, now: datetime
) -> None:
    """Replace the patient's prescription, and raise their revision so that every cached
    plan (store/cache.py, the API's plan of the day) is made again under the new program."""
    connection.execute(delete(prescriptions).where(prescriptions.c.patient_id == patient_id))
    connection.execute(
        insert(prescriptions).values(
            patient_id=patient_id, clinician_id=clinician_id, program=text, updated_at=now
        )
    )
    connection.execute(
        update(people).where(people.c.id == patient_id).values(revision=people.c.revision + 1)
    )
    # Each save is an interaction of the monitoring report (issue #20).
    add_prescription_change(connection, patient_id, clinician_id, now)
    touch(connection, patient_id)
