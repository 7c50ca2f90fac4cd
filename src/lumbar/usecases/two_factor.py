"""A second factor for staff accounts (issue #19): TOTP (RFC 6238) codes from an
authenticator app, and ten single-use recovery codes.

Enrolment makes a secret (shown once, as text and as a QR code), which counts only once a
code from it is confirmed; the confirmation gives the recovery codes, shown once and stored
as their SHA-256. From then on a right password gives only a *pending* session (five
minutes, good for nothing but the code page); the code turns it into a real one. Wrong codes
count as failed sign-ins of the address, throttled the same way, and a code is used once.

Secrets are stored encrypted (Fernet, from `cryptography`) with a key kept outside the
database (`LUMBAR_SECRET_KEY`, or a key file beside it): a copy of the database alone does
not give them away. Recovery codes are random (50 bits), so SHA-256 is enough for them.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from lumbar.domain.access import Account, Role
from lumbar.domain.staff import is_staff
from lumbar.errors import NotAllowed, UserError
from lumbar.store import accounts as rows
from lumbar.store import staff_sign_in as staff_rows
from lumbar.usecases import throttle
from lumbar.usecases.accounts import Accounts, NewSession, new_session

if TYPE_CHECKING:
    from cryptography.fernet import Fernet

ISSUER = "lumbar"
RECOVERY_CODES = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
"""No 0/o, 1/l/i: codes are read off paper and typed."""


class CodeRefused(UserError):
    """A wrong, used or late code, or too many wrong ones: one message for all."""


@dataclass(frozen=True, slots=True)
class Enrolment:
    secret: str
    """Base32, for typing into an authenticator app."""
    uri: str
    """otpauth:// URI, for the QR code."""


@dataclass(frozen=True, slots=True)
class FactorStatus:
    enrolled: bool
    required: bool
    recovery_left: int


class Sealer:
    """Encrypts TOTP secrets with a key kept outside the database."""

    def __init__(self, key: bytes | None) -> None:
        """`key` None: a server given no key (PostgreSQL without LUMBAR_SECRET_KEY), where
        two-step sign-in cannot be set up."""
        from cryptography.fernet import Fernet

        self._fernet: Fernet | None = None if key is None else Fernet(key)

    @classmethod
    def ephemeral(cls) -> Sealer:
        """A key that lives as long as the process (tests; a server given no key)."""
        from cryptography.fernet import Fernet

        return cls(Fernet.generate_key())

    def seal(self, secret: str) -> str:
        if self._fernet is None:
            raise UserError(
                "two-step sign-in cannot be set up on this server yet: whoever runs it must "
                "give it a key (LUMBAR_SECRET_KEY)"
            )
        return self._fernet.encrypt(secret.encode()).decode()

    def open(self, sealed: str) -> str | None:
        """The secret, or None when the key is not the one it was sealed with."""
        from cryptography.fernet import InvalidToken

        if self._fernet is None:
            return None
        try:
            return self._fernet.decrypt(sealed.encode()).decode()
        except InvalidToken:
            return None


def sealer_of(accounts: Accounts) -> Sealer:
    """The accounts' sealer; without one (tests), a key for as long as the process runs."""
    found = accounts.sealer
    if not isinstance(found, Sealer):
        found = Sealer.ephemeral()
        accounts.sealer = found
    return found


def status(accounts: Accounts, who: Account) -> FactorStatus:
    with accounts.store.reading() as connection:
        factor = staff_rows.factor(connection, who.id)
        required = staff_rows.requires_two_factor(connection, who.clinic_id)
        left = staff_rows.recovery_codes_left(connection, who.id)
    return FactorStatus(factor is not None and factor.confirmed, required, left)


def begin(accounts: Accounts, who: Account, now: datetime) -> Enrolment:
    """A new secret for `who` (replacing any not yet confirmed). An account already enrolled
    keeps its factor: it is reset on the server (`lumbar admin reset-two-factor`)."""
    import pyotp

    if not is_staff(who.role):
        raise NotAllowed("two-step sign-in is for clinicians and admins")
    secret = pyotp.random_base32()
    with accounts.store.transaction() as tx:
        factor = staff_rows.factor(tx.connection, who.id)
        if factor is not None and factor.confirmed:
            raise UserError("two-step sign-in is already set up for this account")
        staff_rows.set_factor(
            tx.connection, who.id, sealer_of(accounts).seal(secret), confirmed_at=None
        )
    uri = pyotp.TOTP(secret).provisioning_uri(name=who.email, issuer_name=ISSUER)
    return Enrolment(secret, uri)


def confirm(accounts: Accounts, who: Account, code: str, now: datetime) -> list[str]:
    """Confirm enrolment with a code from the app; the recovery codes, shown once."""
    with accounts.store.transaction() as tx:
        factor = staff_rows.factor(tx.connection, who.id)
    if factor is None or factor.confirmed:
        raise UserError("start setting up two-step sign-in again", field="code")
    step = _matching_step(accounts, factor.secret, code, now)
    if step is None:
        raise CodeRefused(
            "that code is not right: check the app's clock, and try again", field="code"
        )
    codes = [_recovery_code() for _ in range(RECOVERY_CODES)]
    with accounts.store.transaction() as tx:
        staff_rows.set_factor(tx.connection, who.id, factor.secret, confirmed_at=now)
        staff_rows.use_step(tx.connection, who.id, step)
        staff_rows.add_recovery_codes(tx.connection, who.id, [_plain(c) for c in codes])
        rows.add_audit(
            tx.connection,
            now=now,
            actor=who,
            action="write",
            patient_id=None,
            target=f"two-step sign-in set up for account {who.id}",
        )
    return codes


def enrolled(accounts: Accounts, user_id: int) -> bool:
    with accounts.store.reading() as connection:
        factor = staff_rows.factor(connection, user_id)
    return factor is not None and factor.confirmed


def finish(
    accounts: Accounts, token: str, code: str, now: datetime, *, client: str = ""
) -> NewSession:
    """Turn a pending session into a signed-in one with a code from the app or a recovery
    code. Wrong codes count with the wrong passwords, in the same throttle (usecases/
    throttle.py, per account and `client` address): the password's attempt stays counted
    until the code is right, so a thief with the password gets no more guesses."""
    with accounts.store.reading() as connection:
        found = staff_rows.live_session(connection, token, now) if token else None
    if found is None or not found.pending:
        raise CodeRefused("this sign-in has expired: enter your email and password again")
    who = found.signed_in.account
    with accounts.store.transaction() as tx:
        wait = throttle.check(
            tx.connection, kind="sign-in", email=who.email, client=client, now=now
        )
        if wait is not None:
            raise CodeRefused(f"too many wrong codes: {throttle.words(wait, now).split(': ')[-1]}")
        factor = staff_rows.factor(tx.connection, who.id)
    if factor is None or not factor.confirmed:
        raise CodeRefused("this sign-in has expired: enter your email and password again")
    cleaned = _plain(code)
    step = _matching_step(accounts, factor.secret, cleaned, now) if cleaned.isdigit() else None
    with accounts.store.transaction() as tx:
        if step is not None:
            accepted = staff_rows.use_step(tx.connection, who.id, step)
        else:
            accepted = staff_rows.use_recovery_code(tx.connection, who.id, cleaned, now)
        if not accepted:
            raise CodeRefused("that code is not right, or was already used")
        throttle.succeeded(tx.connection, email=who.email, client=client, now=now)
        rows.end_session(tx.connection, token)
        return new_session(tx.connection, who, now)


def reset(accounts: Accounts, email: str) -> Account:
    """Remove an account's second factor (`lumbar admin`, on the server: a lost phone and
    lost recovery codes). Its sessions end; it enrols again at its next sign-in when its
    clinic requires it."""
    with accounts.store.transaction() as tx:
        found = rows.account_by_email(tx.connection, email.strip().lower())
        if found is None or found[0].role is Role.PATIENT:
            raise UserError(f"there is no staff account for {email}")
        staff_rows.set_factor(tx.connection, found[0].id, None, confirmed_at=None)
        rows.end_sessions_of(tx.connection, found[0].id)
        return found[0]


def require(accounts: Accounts, admin: Account, required: bool, now: datetime) -> None:
    """An admin's clinic setting: every staff account must use a second factor."""
    if admin.role is not Role.ADMIN or admin.clinic_id is None:
        raise NotAllowed("only an admin changes the clinic's settings")
    with accounts.store.transaction() as tx:
        staff_rows.set_requires_two_factor(tx.connection, admin.clinic_id, required)
        rows.add_audit(
            tx.connection,
            now=now,
            actor=admin,
            action="write",
            patient_id=None,
            target=f"two-step sign-in {'required' if required else 'optional'} for the clinic",
        )


def _matching_step(accounts: Accounts, sealed: str, code: str, now: datetime) -> int | None:
    """The time step whose code `code` is (this one or the one either side, for clocks a
    little apart), or None."""
    import pyotp

    secret = sealer_of(accounts).open(sealed)
    code = code.strip().replace(" ", "")
    if secret is None or len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    at = (now if now.tzinfo else now.replace(tzinfo=UTC)).timestamp()
    step = int(at // totp.interval)
    for candidate in (step, step - 1, step + 1):
        if secrets.compare_digest(totp.generate_otp(candidate), code):
            return candidate
    return None


def _plain(code: str) -> str:
    """A code as stored and compared: no spaces or dashes, lower case."""
    return "".join(code.split()).replace("-", "").lower()[:40]


def _recovery_code() -> str:
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"
