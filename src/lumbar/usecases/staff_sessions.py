"""The parts of signing in that staff accounts add (issue #19): sessions that end when left
idle, and the pending session a right password gives an account with two-step sign-in.

Called by `Accounts.session` and `Accounts.sign_in` (usecases/accounts.py), over the same
store; kept here so that the accounts module stays about accounts.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from lumbar.domain.access import SignedIn
from lumbar.domain.staff import PENDING_LIFETIME, idle_out, seen_due
from lumbar.store import staff_sign_in as staff_rows

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from lumbar.store.database import Store


def current(store: Store, token: str, now: datetime, staff_idle: timedelta) -> SignedIn | None:
    """The signed-in account of a cookie's token: None when the session ended (its 12
    hours, or a staff session's idle limit) or still waits for a second factor. The time of
    the request is written at most once a minute."""
    found, due = look_up(store, token, now, staff_idle)
    if due:
        mark_seen(store, token, now)
    return found


def look_up(
    store: Store, token: str, now: datetime, staff_idle: timedelta
) -> tuple[SignedIn | None, bool]:
    """`current` without its write: the signed-in account, and whether the time of this
    request is due to be written (`mark_seen`). Every request of a clinic's server asks
    this first: one indexed read outside any transaction, on the connection a server keeps
    (SQLite) or a pooled one (store/quick_read.py), that waits for no writer."""
    if not token:
        return None, False
    found = staff_rows.quick_live_session(store, token, now)
    if found is None or found.pending:
        return None, False
    if idle_out(found.signed_in.account.role, found.last_seen, now, staff_idle):
        return None, False
    return found.signed_in, seen_due(found.last_seen, now)


def mark_seen(store: Store, token: str, now: datetime) -> None:
    """Write the time of a request (at most once a minute: `look_up` says when)."""
    with store.transaction() as tx:
        staff_rows.seen(tx.connection, token, now)


def reads_at_once(store: Store) -> bool:
    """Whether `look_up` is quick enough to ask without a thread: a SQLite file, read on
    the connection a server keeps open (a PostgreSQL read waits for the network)."""
    return store.sqlite_path is not None


def pending(connection: Connection, user_id: int, now: datetime) -> str | None:
    """For an account with two-step sign-in, the token of a session that waits for the code
    (five minutes); None for any other account."""
    if not staff_rows.has_factor(connection, user_id):
        return None
    token = secrets.token_urlsafe(32)
    staff_rows.add_pending(
        connection, token, user_id=user_id, now=now, expires_at=now + PENDING_LIFETIME
    )
    return token
