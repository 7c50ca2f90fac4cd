"""Reset links (issue #19, finding 6): made so that a newer one leaves no older one working,
sent to the address the account has (never the address as typed), and asked for from the
sign-in page ("Forgot your password?") within limits, with an answer that takes the same
time whether or not the address has an account.

`/forgot` once mailed the address as typed (`KATE@...` written with a Kelvin sign), answered
known addresses later than unknown ones, and sent as many mails as it was asked for. Now
the request itself does the same work for every address (`note_forgot`: one count per
client address); the look-up, the link and the mail are done after the answer is sent
(`reset_mail`, from a background task of the web app).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from lumbar.domain.access import email_problem, normal_email
from lumbar.errors import UserError
from lumbar.store import accounts as rows
from lumbar.store import throttle as counts
from lumbar.store import tokens

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from lumbar.store.database import Store

RESET_LIFETIME = timedelta(hours=1)
MAILS_PER_PERSON = 3
"""Reset links made for one account within FORGOT_WINDOW; past it, asking sends nothing."""
FORGOTS_PER_CLIENT = 10
"""Requests for reset links from one client address within FORGOT_WINDOW."""
FORGOT_WINDOW = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class ResetMail:
    to: str
    """The account's stored address."""
    token: str


def new_reset(connection: Connection, user_id: int, now: datetime) -> str:
    """A one-time token to choose a new password, valid for an hour; every older link of
    the account stops working."""
    tokens.void_resets(connection, user_id, now)
    token = secrets.token_urlsafe(32)
    rows.add_token(
        connection,
        token,
        purpose="reset",
        user_id=user_id,
        clinician_id=None,
        now=now,
        expires_at=now + RESET_LIFETIME,
    )
    return token


def note_forgot(store: Store, client: str, now: datetime) -> None:
    """Count one request for a reset link from this client address, or refuse it when the
    address asked too often within the hour. The same work whatever address was typed."""
    with store.transaction() as tx:
        counts.lock(tx.connection, f"client:{client}")
        counts.forget_old(tx.connection, now)
        asked = counts.count(tx.connection, kind="forgot", client=client, since=now - FORGOT_WINDOW)
        if asked < FORGOTS_PER_CLIENT:
            counts.add(tx.connection, kind="forgot", email="", client=client, now=now)
    if asked >= FORGOTS_PER_CLIENT:
        raise UserError("too many requests for reset links from your network: try again later")


def reset_mail(store: Store, email: str, now: datetime) -> ResetMail | None:
    """A reset link for the active account with this address (looked up as NFKC, case
    folded), to be sent to the address the account has; None for an unknown or disabled
    address, or an account that was sent MAILS_PER_PERSON links within the hour."""
    email = normal_email(email)
    if email_problem(email) is not None:
        return None
    with store.transaction() as tx:
        found = rows.account_by_email(tx.connection, email)
        if found is None or not found[0].active:
            return None
        account = found[0]
        if tokens.resets_since(tx.connection, account.id, now - FORGOT_WINDOW) >= MAILS_PER_PERSON:
            return None
        return ResetMail(account.email, new_reset(tx.connection, account.id, now))
