"""The rows of staff sign-in (issue #19): when a session was last used, sessions waiting for
a second factor, TOTP secrets, recovery codes and the clinic's setting that requires them.

Over the tables of store/clinic_tables.py, on a connection the caller holds inside one
transaction. Session tokens and recovery codes are stored as their SHA-256 only
(`accounts.digest`); a TOTP secret arrives here already encrypted (usecases/two_factor.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.engine import Connection

from lumbar.domain.access import SignedIn
from lumbar.domain.staff import must_enrol
from lumbar.store.accounts import ACCOUNT_COLUMNS, _account, digest
from lumbar.store.quick_read import QuickRead
from lumbar.store.tables import auth_sessions, clinics, recovery_codes, users

if TYPE_CHECKING:
    from lumbar.store.database import Store


@dataclass(frozen=True, slots=True)
class LiveSession:
    """A session as a request finds it: who, and when it was last used."""

    signed_in: SignedIn
    last_seen: datetime
    pending: bool


LIVE_SESSION = (
    select(
        *ACCOUNT_COLUMNS,
        auth_sessions.c.csrf_token,
        auth_sessions.c.created_at,
        auth_sessions.c.last_seen_at,
        auth_sessions.c.pending,
        users.c.totp_confirmed_at,
        clinics.c.require_two_factor,
    )
    .join(users, users.c.id == auth_sessions.c.user_id)
    .outerjoin(clinics, clinics.c.id == users.c.clinic_id)
    .where(
        auth_sessions.c.token_hash == bindparam("token_hash"),
        auth_sessions.c.expires_at > bindparam("now", type_=auth_sessions.c.expires_at.type),
    )
)
"""The sign-in behind a token's digest: one read by the table's primary key, and the rows
of its account and clinic by theirs. Built once: every request of a clinic's server asks it."""
QUICK_LIVE_SESSION = QuickRead(LIVE_SESSION)


def live_session(connection: Connection, token: str, now: datetime) -> LiveSession | None:
    """The session behind a cookie's token, if it has not reached its absolute end and the
    account is active (pending or not: the caller decides what a pending one may open)."""
    row = connection.execute(LIVE_SESSION, {"token_hash": digest(token), "now": now}).first()
    return _live(row)


def quick_live_session(store: Store, token: str, now: datetime) -> LiveSession | None:
    """`live_session` as a request's guard asks it: one statement, outside any transaction
    (store/quick_read.py)."""
    return _live(QUICK_LIVE_SESSION.first(store, token_hash=digest(token), now=now))


def _live(row: Any) -> LiveSession | None:
    if row is None or not row.active:
        return None
    account = _account(row)
    enrol = must_enrol(
        account.role,
        required=bool(row.require_two_factor),
        enrolled=row.totp_confirmed_at is not None,
    )
    return LiveSession(
        SignedIn(account, row.csrf_token, must_enrol=enrol),
        row.last_seen_at or row.created_at,
        bool(row.pending),
    )


def seen(connection: Connection, token: str, now: datetime) -> None:
    connection.execute(
        update(auth_sessions)
        .where(auth_sessions.c.token_hash == digest(token))
        .values(last_seen_at=now)
    )


def add_pending(
    connection: Connection, token: str, *, user_id: int, now: datetime, expires_at: datetime
) -> None:
    """A session that waits for the second factor (no CSRF token: it can change nothing)."""
    connection.execute(
        insert(auth_sessions).values(
            token_hash=digest(token),
            user_id=user_id,
            csrf_token="",
            created_at=now,
            expires_at=expires_at,
            last_seen_at=now,
            pending=True,
        )
    )


def end_other_sessions(connection: Connection, user_id: int, keep: str) -> None:
    """Every session of the account but the one whose token is `keep`."""
    connection.execute(
        delete(auth_sessions).where(
            auth_sessions.c.user_id == user_id, auth_sessions.c.token_hash != digest(keep)
        )
    )


def password_hash(connection: Connection, user_id: int) -> str | None:
    row = connection.execute(select(users.c.password_hash).where(users.c.id == user_id)).first()
    return None if row is None else row.password_hash


# TOTP.


@dataclass(frozen=True, slots=True)
class Factor:
    secret: str
    """Encrypted."""
    confirmed: bool
    last_step: int | None


def factor(connection: Connection, user_id: int) -> Factor | None:
    row = connection.execute(
        select(users.c.totp_secret, users.c.totp_confirmed_at, users.c.totp_last_step).where(
            users.c.id == user_id
        )
    ).first()
    if row is None or row.totp_secret is None:
        return None
    return Factor(row.totp_secret, row.totp_confirmed_at is not None, row.totp_last_step)


def has_factor(connection: Connection, user_id: int) -> bool:
    """Whether the account's second factor is set up (and confirmed)."""
    found = factor(connection, user_id)
    return found is not None and found.confirmed


def set_factor(
    connection: Connection, user_id: int, secret: str | None, *, confirmed_at: datetime | None
) -> None:
    connection.execute(
        update(users)
        .where(users.c.id == user_id)
        .values(totp_secret=secret, totp_confirmed_at=confirmed_at, totp_last_step=None)
    )
    connection.execute(delete(recovery_codes).where(recovery_codes.c.user_id == user_id))


def use_step(connection: Connection, user_id: int, step: int) -> bool:
    """Record the time step of a code just accepted; False when it (or a later one) was
    already used, so that one code cannot sign in twice."""
    done = connection.execute(
        update(users)
        .where(
            users.c.id == user_id,
            (users.c.totp_last_step.is_(None)) | (users.c.totp_last_step < step),
        )
        .values(totp_last_step=step)
    )
    return done.rowcount == 1


def add_recovery_codes(connection: Connection, user_id: int, codes: list[str]) -> None:
    connection.execute(delete(recovery_codes).where(recovery_codes.c.user_id == user_id))
    connection.execute(
        insert(recovery_codes),
        [{"user_id": user_id, "code_hash": digest(code)} for code in codes],
    )


def use_recovery_code(connection: Connection, user_id: int, code: str, now: datetime) -> bool:
    done = connection.execute(
        update(recovery_codes)
        .where(
            recovery_codes.c.user_id == user_id,
            recovery_codes.c.code_hash == digest(code),
            recovery_codes.c.used_at.is_(None),
        )
        .values(used_at=now)
    )
    return done.rowcount == 1


def recovery_codes_left(connection: Connection, user_id: int) -> int:
    query = select(recovery_codes.c.code_hash).where(
        recovery_codes.c.user_id == user_id, recovery_codes.c.used_at.is_(None)
    )
    return len(connection.execute(query).all())


def requires_two_factor(connection: Connection, clinic_id: int | None) -> bool:
    if clinic_id is None:
        return False
    row = connection.execute(
        select(clinics.c.require_two_factor).where(clinics.c.id == clinic_id)
    ).first()
    return row is not None and bool(row.require_two_factor)


def set_requires_two_factor(connection: Connection, clinic_id: int, required: bool) -> None:
    connection.execute(
        update(clinics).where(clinics.c.id == clinic_id).values(require_two_factor=required)
    )
