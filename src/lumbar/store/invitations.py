"""Invitations of new patients: one-time tokens (`one_time_tokens`, purpose "invite") that
also hold who the patient is, as their clinician entered it, for the account made when the
invitation is accepted. On a connection the caller holds inside one transaction.

Like every token, an invitation's code is stored as its SHA-256 only (`accounts.digest`).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection

from lumbar.store.accounts import digest
from lumbar.store.tables import clinics, one_time_tokens, users

INVITE = "invite"


@dataclass(frozen=True, slots=True)
class Invitation:
    clinician_id: int
    name: str | None
    birth_date: date | None


def add_invitation(
    connection: Connection,
    code: str,
    *,
    clinician_id: int,
    name: str,
    birth_date: date,
    now: datetime,
    expires_at: datetime,
    ref: str | None = None,
    email: str | None = None,
) -> None:
    """`ref` names the invitation in the pending list (made here when not given); `email`
    is where it is mailed."""
    connection.execute(
        insert(one_time_tokens).values(
            token_hash=digest(code),
            purpose=INVITE,
            user_id=None,
            clinician_id=clinician_id,
            created_at=now,
            expires_at=expires_at,
            name=name,
            birth_date=birth_date,
            ref=ref or secrets.token_hex(8),
            email=email,
        )
    )


def take_invitation(connection: Connection, code: str, now: datetime) -> Invitation | None:
    """Use an invitation: who it is for and from, or None when it is unknown, used, expired
    or revoked. Marking it used in the same statement means two uses cannot both succeed."""
    row = connection.execute(
        update(one_time_tokens)
        .where(
            one_time_tokens.c.token_hash == digest(code),
            one_time_tokens.c.purpose == INVITE,
            one_time_tokens.c.used_at.is_(None),
            one_time_tokens.c.expires_at > now,
            one_time_tokens.c.clinician_id.is_not(None),
        )
        .values(used_at=now)
        .returning(
            one_time_tokens.c.clinician_id, one_time_tokens.c.name, one_time_tokens.c.birth_date
        )
    ).first()
    return None if row is None else Invitation(int(row.clinician_id), row.name, row.birth_date)


def revoke_invitations_of(connection: Connection, clinician_id: int) -> None:
    """Every invitation of this clinician not yet accepted stops working (their account was
    disabled: nobody may join as their patient through a link they can no longer answer
    for). Accepted ones are kept: they say when each patient joined."""
    connection.execute(
        delete(one_time_tokens).where(
            one_time_tokens.c.purpose == INVITE,
            one_time_tokens.c.clinician_id == clinician_id,
            one_time_tokens.c.used_at.is_(None),
        )
    )


@dataclass(frozen=True, slots=True)
class Pending:
    """An invitation not yet accepted (nor revoked), as its clinician's list shows it."""

    ref: str
    clinician_id: int
    clinician_email: str
    name: str | None
    birth_date: date | None
    email: str | None
    invited_at: datetime
    expires_at: datetime


_PENDING = (
    select(
        one_time_tokens.c.ref,
        one_time_tokens.c.clinician_id,
        users.c.email.label("clinician_email"),
        one_time_tokens.c.name,
        one_time_tokens.c.birth_date,
        one_time_tokens.c.email,
        one_time_tokens.c.created_at.label("invited_at"),
        one_time_tokens.c.expires_at,
    )
    .join(users, users.c.id == one_time_tokens.c.clinician_id)
    .where(
        one_time_tokens.c.purpose == INVITE,
        one_time_tokens.c.used_at.is_(None),
        one_time_tokens.c.ref.is_not(None),
    )
)


def pending(
    connection: Connection, *, clinician_id: int | None = None, clinic_id: int | None = None
) -> list[Pending]:
    """The invitations not yet accepted of one clinician, or of every clinician of a clinic
    (an admin's list), newest first; expired ones too (they can be sent again)."""
    query = _PENDING
    if clinician_id is not None:
        query = query.where(one_time_tokens.c.clinician_id == clinician_id)
    if clinic_id is not None:
        query = query.where(users.c.clinic_id == clinic_id)
    query = query.order_by(one_time_tokens.c.created_at.desc(), one_time_tokens.c.ref)
    return [Pending(**row._mapping) for row in connection.execute(query)]


def pending_one(connection: Connection, ref: str) -> tuple[Pending, int | None] | None:
    """One invitation not yet accepted, and the clinic of its clinician; None if there is
    none by that name (or it was accepted or revoked)."""
    row = connection.execute(
        _PENDING.add_columns(users.c.clinic_id).where(one_time_tokens.c.ref == ref)
    ).first()
    if row is None:
        return None
    fields = dict(row._mapping)
    clinic_id = fields.pop("clinic_id")
    return Pending(**fields), clinic_id


def renew(connection: Connection, ref: str, code: str, *, expires_at: datetime) -> bool:
    """Give a pending invitation a new code: the old one stops working in the same
    statement (its digest is replaced). False when it was accepted meanwhile."""
    result = connection.execute(
        update(one_time_tokens)
        .where(
            one_time_tokens.c.ref == ref,
            one_time_tokens.c.purpose == INVITE,
            one_time_tokens.c.used_at.is_(None),
        )
        .values(token_hash=digest(code), expires_at=expires_at)
    )
    return result.rowcount == 1


def revoke(connection: Connection, ref: str) -> bool:
    """A pending invitation stops working (it is deleted); False when there was none."""
    result = connection.execute(
        delete(one_time_tokens).where(
            one_time_tokens.c.ref == ref,
            one_time_tokens.c.purpose == INVITE,
            one_time_tokens.c.used_at.is_(None),
        )
    )
    return result.rowcount == 1


def clinic_name(connection: Connection, clinic_id: int | None) -> str | None:
    """The name an invitation's mail signs with."""
    if clinic_id is None:
        return None
    name: str | None = connection.execute(
        select(clinics.c.name).where(clinics.c.id == clinic_id)
    ).scalar()
    return name
