"""One-time tokens beyond taking one (store/accounts.py adds and takes them): whether an
invitation is open, and reset links made void or counted, on a connection the caller holds
inside one transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.engine import Connection

from lumbar.store.accounts import digest
from lumbar.store.tables import one_time_tokens as tokens


def open_invitation(connection: Connection, code: str, now: datetime) -> int | None:
    """The inviting clinician's id while the invitation can be used, else None. Reading
    it uses nothing up: `take_token` does, when the account is made."""
    row = connection.execute(
        select(tokens.c.clinician_id).where(
            tokens.c.token_hash == digest(code),
            tokens.c.purpose == "invite",
            tokens.c.used_at.is_(None),
            tokens.c.expires_at > now,
        )
    ).first()
    return None if row is None or row.clinician_id is None else int(row.clinician_id)


def void_resets(connection: Connection, user_id: int, now: datetime) -> None:
    """Every reset link of the account still open is used up (marked used now): a newer
    link, or a new password, leaves no older link working."""
    connection.execute(
        update(tokens)
        .where(
            tokens.c.user_id == user_id,
            tokens.c.purpose == "reset",
            tokens.c.used_at.is_(None),
        )
        .values(used_at=now)
    )


def resets_since(connection: Connection, user_id: int, since: datetime) -> int:
    """How many reset links were made for the account since then (used or not)."""
    query = select(func.count()).where(
        tokens.c.user_id == user_id, tokens.c.purpose == "reset", tokens.c.created_at > since
    )
    return int(connection.execute(query).scalar_one())
