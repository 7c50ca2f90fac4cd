"""Changing one's own password while signed in (issue #19), for every role.

The current password is asked again (a browser left signed in must not let anyone take the
account over), and wrong ones are counted and slowed down exactly like failed sign-ins: the
same failures, per address, in the same window. A changed password ends every other session
of the account; this one is renewed (a new cookie token and CSRF token), and the change is
written to the audit log.
"""

from __future__ import annotations

from datetime import datetime

from lumbar.domain.access import FAILURE_WINDOW, MAX_PASSWORD, password_problem
from lumbar.domain.access import sign_in_refused_until as refused_until
from lumbar.errors import UserError
from lumbar.store import accounts as rows
from lumbar.store import staff_sign_in as staff_rows
from lumbar.usecases.accounts import Accounts, NewSession, new_session


class WrongPassword(UserError):
    """The current password given is not the account's, or too many were wrong."""


def change_password(
    accounts: Accounts, token: str, current: str, new: str, now: datetime
) -> NewSession:
    """Set a new password for the account signed in with `token`. Refused, with nothing
    written but the counted failure, when the current password is wrong."""
    who = accounts.session(token, now)
    if who is None:
        raise UserError("sign in first")
    account = who.account
    if not current:
        raise WrongPassword("enter your current password", field="current_password")
    problem = password_problem(new)
    if problem is not None:
        raise UserError(problem, field="new_password")
    if new == current:
        raise UserError(
            "the new password is the same as the current one: choose another",
            field="new_password",
        )
    with accounts.store.transaction() as tx:
        rows.lock_address(tx.connection, account.email)
        until = refused_until(
            rows.failures(tx.connection, account.email, now - FAILURE_WINDOW), now
        )
        if until is not None:
            minutes = max(1, int((until - now).total_seconds() // 60) + 1)
            raise WrongPassword(
                f"too many wrong passwords: try again in {minutes} "
                + ("minute" if minutes == 1 else "minutes"),
                field="current_password",
            )
        # Counted first, forgiven below when right (as sign-in does): attempts sent
        # together cannot all pass the check before any is counted.
        rows.add_failure(tx.connection, account.email, now)
        stored = staff_rows.password_hash(tx.connection, account.id)
    if not _verified(accounts, stored, current):
        raise WrongPassword("that is not your current password", field="current_password")
    hashed = accounts.hasher.hash(new)
    with accounts.store.transaction() as tx:
        rows.clear_failures(tx.connection, account.email)
        rows.set_password(tx.connection, account.id, hashed)
        rows.end_sessions_of(tx.connection, account.id)
        renewed = new_session(tx.connection, account, now)
        rows.add_audit(
            tx.connection,
            now=now,
            actor=account,
            action="write",
            patient_id=None,
            target=f"password changed for account {account.id}",
        )
    return renewed


def _verified(accounts: Accounts, stored: str | None, password: str) -> bool:
    """Checked outside any transaction (argon2 takes a fifth of a second on purpose)."""
    from argon2.exceptions import InvalidHashError, VerificationError

    if stored is None or len(password) > MAX_PASSWORD:
        return False
    try:
        return bool(accounts.hasher.verify(stored, password))
    except (VerificationError, InvalidHashError):
        return False
