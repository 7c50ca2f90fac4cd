"""Joining by a clinician's invitation: the invitation is checked before anything else,
and the answers do not tell which addresses have accounts (issue #19, finding 2).

`/join` said "there is already an account for ..." to anyone, ran an argon2 hash before
checking anything, and was not throttled. Now an unknown or used invitation is refused
first, with nothing hashed and nothing said about addresses, and counted against the
client address like a failed sign-in (usecases/throttle.py); an address that has an
account gets the same words as any other refusal of a good invitation; the use case that
makes the account (`Accounts.accept_invite`) hashes the password last.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from lumbar.errors import UserError
from lumbar.store import tokens
from lumbar.usecases import throttle

if TYPE_CHECKING:
    from lumbar.store.database import Store

INVITATION_INVALID = "this invitation is not valid: it was used, or it expired"
INVITATION_UNUSABLE = (
    "this invitation could not be used with that address: if you already have an account, "
    "sign in; otherwise ask your clinician"
)


def check_invitation(store: Store, code: str, now: datetime, *, client: str = "") -> None:
    """Refuse an invitation that cannot be used (unknown, used, expired) or a client
    address that has failed too often; a refused invitation is counted as a failure of
    that address. Nothing is used up: the account is made by `accept_invite`."""
    with store.transaction() as tx:
        wait = throttle.check(
            tx.connection, kind="join", email="", client=client, now=now, count=False
        )
        clinician = None if wait is not None else tokens.open_invitation(tx.connection, code, now)
        if wait is None and clinician is None:
            throttle.failed(tx.connection, kind="join", email="", client=client, now=now)
    if wait is not None:
        raise UserError(throttle.words(wait, now))
    if clinician is None:
        raise UserError(INVITATION_INVALID)
