"""Invitations of new patients: one-time tokens (`one_time_tokens`, purpose "invite") that
also hold who the patient is, as their clinician entered it, for the account made when the
invitation is accepted. On a connection the caller holds inside one transaction.

Like every token, an invitation's code is stored as its SHA-256 only (`accounts.digest`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, insert, update
from sqlalchemy.engine import Connection

from lumbar.store.accounts import digest
from lumbar.store.tables import one_time_tokens

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
) -> None:
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
