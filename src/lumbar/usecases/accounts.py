"""The use cases of accounts mode: accounts, signing in and out, reset links, invitations.
Who may see which patient and the audit log are in `audit.py`, messages in `messages.py`,
each over the same `Accounts`.

The web app and `lumbar admin` are thin shells over these. Every use case takes the time it
is about (UTC, without a zone) and writes at most one transaction; a refusal raises
UserError before anything is written, except a failed sign-in, which is recorded on purpose
(it is what the throttle counts).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from lumbar.domain.access import (
    MAX_PASSWORD,
    Account,
    Role,
    SignedIn,
    may_manage,
    password_problem,
)
from lumbar.domain.staff import STAFF_IDLE
from lumbar.errors import NotAllowed, UserError, refuse_control_characters
from lumbar.store import accounts as rows
from lumbar.store import invitations, tokens
from lumbar.store.beside import forget_calendar_token
from lumbar.usecases import identity, staff_sessions, throttle
from lumbar.usecases.joining import Joining
from lumbar.usecases.reset_links import new_reset

if TYPE_CHECKING:
    from argon2 import PasswordHasher
    from sqlalchemy.engine import Connection

    from lumbar.store.database import Store

SESSION_LIFETIME = timedelta(hours=12)
"""A sign-in lasts a working day; then the browser asks for the password again."""
LARGEST_ID = 2**31 - 1
"""Account ids are 32-bit integers on PostgreSQL. A larger number (from an address such as
`/api/v1/clinic/patients/99999999999999999999`) is no account's id, and asking either
database about it fails (out of range on PostgreSQL, past 2**63 - 1 on SQLite), so it is
looked up as what it is: no such account."""


class SignInRefused(UserError):
    """Wrong address or password, or too many attempts: one message for all, so that the
    answer does not tell which addresses have accounts."""


@dataclass(frozen=True, slots=True)
class NewSession:
    token: str
    """Goes into the cookie; only its hash is stored."""
    signed_in: SignedIn
    pending: bool = False
    """The password was right, and the account's second factor is asked next: `token` is a
    pending session's (usecases/two_factor.py), good for nothing else."""


def default_hasher() -> PasswordHasher:
    """argon2id with argon2-cffi's defaults (RFC 9106's second recommended setting)."""
    from argon2 import PasswordHasher

    return PasswordHasher()


class Accounts(Joining):
    def __init__(
        self,
        store: Store,
        hasher: PasswordHasher | None = None,
        *,
        staff_idle: timedelta = STAFF_IDLE,
        sealer: object | None = None,
    ) -> None:
        self.store = store
        self.hasher = hasher or default_hasher()
        self.staff_idle = staff_idle
        """How long a clinician's or admin's session lasts without a request."""
        self.sealer = sealer
        """What encrypts TOTP secrets (usecases/two_factor.py:Sealer)."""

    # Accounts.

    def create_user(
        self,
        email: str,
        password: str | None,
        role: Role | str,
        now: datetime,
        *,
        clinic: str | None = None,
        clinician_email: str | None = None,
    ) -> Account:
        """A new account. Clinicians and admins belong to a clinic (created on first use);
        a patient made here is attached to a clinician, in that clinician's clinic."""
        email = _normal(email)
        role = _role(role)
        problem = identity.address_problem(email, new=True)
        if problem is None and password is not None:
            problem = password_problem(password)
        if problem is not None:
            raise UserError(problem)
        hashed = None if password is None else self.hasher.hash(password)
        with identity.unique_address(email), self.store.transaction() as tx:
            connection = tx.connection
            if rows.account_by_email(connection, email) is not None:
                raise UserError(f"there is already an account for {email}")
            clinician_id = None
            clinic_id = None
            if role is Role.PATIENT:
                if clinician_email is None:
                    raise UserError("a patient needs a clinician: give the clinician's email")
                found = rows.account_by_email(connection, _normal(clinician_email))
                if found is None or found[0].role is not Role.CLINICIAN:
                    raise UserError(f"{clinician_email} is not a clinician's account")
                clinician_id = found[0].id
                clinic_id = found[0].clinic_id
            else:
                if not clinic or not clinic.strip():
                    raise UserError(f"a {role.value} belongs to a clinic: give its name")
                name = clinic.strip()
                refuse_control_characters(name, field="clinic")
                clinic_id = rows.clinic_named(connection, name) or rows.add_clinic(connection, name)
            return rows.add_user(
                connection,
                email=email,
                password_hash=hashed,
                role=role,
                clinic_id=clinic_id,
                clinician_id=clinician_id,
                now=now,
            )

    def account(self, user_id: int) -> Account | None:
        with self.store.reading() as connection:
            return account_by_id(connection, user_id)

    def accounts(self, viewer: Account | None = None) -> list[Account]:
        """Every account (the command line), or those of an admin's clinic."""
        with self.store.reading() as connection:
            if viewer is None:
                return rows.accounts(connection)
            if viewer.role is not Role.ADMIN:
                raise NotAllowed("only an admin manages accounts")
            return rows.accounts(connection, viewer.clinic_id)

    def set_active(self, email: str, active: bool) -> Account:
        """Disable (or enable again) an account, from the server's command line; disabling
        also signs it out everywhere. (An admin's page uses `manage`.)"""
        with self.store.transaction() as tx:
            target = self._by_email(tx.connection, email)
            _switch(tx.connection, target.id, active)
            return rows.account(tx.connection, target.id) or target

    def managed(self, admin: Account, user_id: int) -> Account:
        """An account of the admin's clinic, by id; any other is refused as not found."""
        with self.store.transaction() as tx:
            target = account_by_id(tx.connection, user_id)
        if target is None or not may_manage(admin, target):
            raise NotAllowed("no such account in your clinic")
        return target

    def manage(
        self, admin: Account, user_id: int, now: datetime, *, active: bool | None = None
    ) -> tuple[Account, str | None]:
        """An admin's change to an account of their clinic, by id: enable or disable it
        (`active`), or else make a reset link. Written to the audit log."""
        with self.store.transaction() as tx:
            target = account_by_id(tx.connection, user_id)
            if target is None or not may_manage(admin, target):
                raise NotAllowed("no such account in your clinic")
            if target.id == admin.id and active is False:
                raise UserError("you cannot disable your own account")
            patient = target.id if target.role is Role.PATIENT else None
            if active is not None:
                _switch(tx.connection, target.id, active)
                what = f"{'enable' if active else 'disable'} account {target.id}"
                token = None
            else:
                token = new_reset(tx.connection, target.id, now)
                what = f"reset link for account {target.id}"
            rows.add_audit(
                tx.connection, now=now, actor=admin, action="write", patient_id=patient, target=what
            )
            return rows.account(tx.connection, target.id) or target, token

    # Signing in and out.

    def sign_in(self, email: str, password: str, now: datetime, *, client: str = "") -> NewSession:
        """`client`: the address the request came from, for the throttle (usecases/
        throttle.py): failures from one address slow that address down, not the owner."""
        email = _normal(email)
        if identity.address_problem(email, new=False) or len(password) > MAX_PASSWORD:
            # Not an address any account has (nor one the database could hold), or a
            # password longer than any account's (hashing megabytes would tie up the
            # server): the same answer as a wrong password, and nothing to count.
            raise SignInRefused("that email and password do not match an account")
        with self.store.transaction() as tx:
            wait = throttle.check(
                tx.connection, kind="sign-in", email=email, client=client, now=now
            )
        if wait is not None:
            raise SignInRefused(throttle.words(wait, now, email))
        found = self._check(email, password)
        if found is None:
            raise SignInRefused("that email and password do not match an account")
        with self.store.transaction() as tx:
            if held := staff_sessions.pending(tx.connection, found.id, now):
                # The failure counted above stays until the code is right: the codes are
                # throttled with the passwords (usecases/two_factor.py).
                return NewSession(held, SignedIn(found, ""), pending=True)
            throttle.succeeded(tx.connection, email=email, client=client, now=now)
            return new_session(tx.connection, found, now)

    def start_session(self, account: Account, now: datetime) -> NewSession:
        """A session for an account just made (by an invitation): no second hash."""
        with self.store.transaction() as tx:
            return new_session(tx.connection, account, now)

    def _check(self, email: str, password: str) -> Account | None:
        """The account when the password is right. The hash is checked outside any
        transaction (it takes a fifth of a second on purpose) and against a dummy hash when
        the address is unknown, so that the time taken does not reveal which addresses
        exist."""
        from argon2.exceptions import InvalidHashError, VerificationError

        with self.store.transaction() as tx:
            found = rows.account_by_email(tx.connection, email)
        stored = found[1] if found is not None else None
        try:
            self.hasher.verify(stored or self._dummy, password)
        except (VerificationError, InvalidHashError):
            return None
        if found is None or stored is None or not found[0].active:
            return None
        return found[0]

    @property
    def _dummy(self) -> str:
        cached: str | None = getattr(self, "_dummy_hash", None)
        if cached is None:
            cached = self.hasher.hash(secrets.token_urlsafe(16))
            self._dummy_hash = cached
        return cached

    def session(self, token: str, now: datetime) -> SignedIn | None:
        return staff_sessions.current(self.store, token, now, self.staff_idle)

    def sign_out(self, token: str) -> None:
        with self.store.transaction() as tx:
            rows.end_session(tx.connection, token)

    # Reset links (invitations: `Joining`).

    def reset_link(self, email: str, now: datetime, *, active_only: bool = False) -> str:
        """A one-time token to set a new password, valid for an hour (`lumbar admin
        reset-link` shows it where no mail server is set up; an admin's page uses `manage`).
        `active_only`: refuse a disabled account (asked from the sign-in page)."""
        with self.store.transaction() as tx:
            target = self._by_email(tx.connection, email)
            if active_only and not target.active:
                raise UserError(f"{email} is disabled")
            return new_reset(tx.connection, target.id, now)

    def reset_password(self, token: str, password: str, now: datetime) -> Account:
        problem = password_problem(password)
        if problem is not None:
            raise UserError(problem)
        hashed = self.hasher.hash(password)
        with self.store.transaction() as tx:
            taken = rows.take_token(tx.connection, token, purpose="reset", now=now)
            if taken is None or taken[0] is None:
                raise UserError("this reset link is not valid: it was used, or it expired")
            rows.set_password(tx.connection, taken[0], hashed)
            tokens.void_resets(tx.connection, taken[0], now)  # every other link of theirs too
            rows.end_sessions_of(tx.connection, taken[0])
            rows.clear_failures(tx.connection, _email_of(tx.connection, taken[0]))
            found = rows.account(tx.connection, taken[0])
            assert found is not None
            return found

    def _by_email(self, connection: Connection, email: str) -> Account:
        if identity.address_problem(_normal(email), new=False) is not None:
            raise UserError(f"there is no account for {email!r}")
        found = rows.account_by_email(connection, _normal(email))
        if found is None:
            raise UserError(f"there is no account for {email}")
        return found[0]


def now_utc() -> datetime:
    """The time stamps of accounts mode (sessions, tokens, the audit log): UTC, without a
    zone. Read by the shells (the web app, `lumbar admin`), passed to the use cases."""
    return datetime.now(UTC).replace(tzinfo=None)


def new_session(connection: Connection, account: Account, now: datetime) -> NewSession:
    """A signed-in session for `account`, in the caller's transaction: its cookie token (stored
    hashed) and its CSRF token, lasting SESSION_LIFETIME."""
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    rows.add_session(
        connection,
        token,
        user_id=account.id,
        csrf_token=csrf,
        now=now,
        expires_at=now + SESSION_LIFETIME,
    )
    return NewSession(token, SignedIn(account, csrf))


def _switch(connection: Connection, user_id: int, active: bool) -> None:
    rows.set_active(connection, user_id, active)
    if not active:
        rows.end_sessions_of(connection, user_id)
        invitations.revoke_invitations_of(connection, user_id)
        # A calendar app holds the address without signing in: it stops too (issue #19).
        forget_calendar_token(connection, user_id)


def account_by_id(connection: Connection, user_id: int) -> Account | None:
    """The account with this id, or None (also for a number no id can be)."""
    if not 0 < user_id <= LARGEST_ID:
        return None
    return rows.account(connection, user_id)


def _normal(email: str) -> str:
    return identity.normal_address(email)


def _role(role: Role | str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise UserError(
            f"{role!r} is not a role: choose patient, clinician or admin", field="role"
        ) from None


def _email_of(connection: Connection, user_id: int) -> str:
    found = rows.account(connection, user_id)
    return "" if found is None else found.email
