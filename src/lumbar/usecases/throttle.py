"""The throttles of sign-in and of invitations (domain/throttle.py), over the counts in the
database: one attempt is checked and counted in the transaction the caller holds.

An attempt that may go ahead is counted as a failure before its password is checked, in
the transaction that checked the count, and forgiven (`succeeded`) when the password is
right: attempts sent together cannot all pass the check before any of them is counted. An
attempt made to wait is not counted, so waiting out a limit is not prolonged by trying.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import TYPE_CHECKING

from lumbar.domain.throttle import Limit, Wait, attempt_wait
from lumbar.store import throttle as counts

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection


def check(
    connection: Connection,
    *,
    kind: str,
    email: str,
    client: str,
    now: datetime,
    count: bool = True,
) -> Wait | None:
    """The wait this attempt must make, or None after counting it as a failure (`count`
    False: the caller counts it with `failed` if it fails)."""
    counts.lock(connection, f"client:{client}", f"email:{email}")
    counts.forget_old(connection, now)
    wait = attempt_wait(counts.failures(connection, email=email, client=client, now=now), now)
    if wait is None and count:
        failed(connection, kind=kind, email=email, client=client, now=now)
    return wait


def failed(connection: Connection, *, kind: str, email: str, client: str, now: datetime) -> None:
    counts.add(connection, kind=kind, email=email, client=client, now=now)


def succeeded(connection: Connection, *, email: str, client: str, now: datetime) -> None:
    counts.succeeded(connection, email=email, client=client, now=now)


def words(wait: Wait, now: datetime, email: str = "") -> str:
    """What the person is told; every wait says "too many attempts" (the web answers 429).
    The same words whether or not the address has an account."""
    minutes = max(1, math.ceil((wait.until - now).total_seconds() / 60))
    later = f"try again in {minutes} " + ("minute" if minutes == 1 else "minutes")
    if wait.limit in (Limit.PAIR, Limit.ACCOUNT) and email:
        return f"too many attempts to sign in as {email}: {later}"
    if wait.limit is Limit.EVERYONE:
        return f"too many attempts on this server right now: {later}"
    return f"too many attempts from your network: {later}"
