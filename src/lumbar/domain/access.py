"""Who may see whose data on a clinic's server (when sign-in slows down: throttle.py).

Pure rules over accounts and times the caller passes in. A patient sees their own record; a
clinician sees the patients they invited, and no one else's; an admin manages accounts and
reads the audit log, and never sees clinical data. Everything not allowed here is refused.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum


class Role(StrEnum):
    PATIENT = "patient"
    CLINICIAN = "clinician"
    ADMIN = "admin"


@dataclass(frozen=True, slots=True, kw_only=True)
class Account:
    id: int
    email: str
    role: Role
    clinic_id: int | None
    clinician_id: int | None
    """A patient's clinician (the one who invited them); None for everyone else."""
    active: bool = True
    name: str | None = None
    """A patient's name, as their clinician entered it in the invitation; None for staff
    and for patients who joined before invitations asked for it."""
    birth_date: date | None = None


@dataclass(frozen=True, slots=True)
class SignedIn:
    """A signed-in account, and the session's token against cross-site requests."""

    account: Account
    csrf_token: str
    must_enrol: bool = False
    """A staff account whose clinic requires a second factor it has not set up yet: it
    may only set one up (or sign out)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditEntry:
    """One access to a patient's record (or an admin's change to an account), as logged."""

    id: int
    at: datetime
    actor_id: int
    actor_role: str
    action: str
    patient_id: int | None
    target: str


@dataclass(frozen=True, slots=True)
class Message:
    """One message in a patient's thread with their clinician."""

    id: int
    sender_id: int
    at: datetime
    body: str
    read_at: datetime | None = None
    """When the other side first opened the thread after it came; None: not yet."""


def may_see_patient(viewer: Account, patient: Account) -> bool:
    """Whether `viewer` may read or change `patient`'s clinical record."""
    if not viewer.active or patient.role is not Role.PATIENT:
        return False
    if viewer.role is Role.PATIENT:
        return viewer.id == patient.id
    if viewer.role is Role.CLINICIAN:
        return patient.clinician_id == viewer.id
    return False


def may_manage(admin: Account, account: Account) -> bool:
    """Whether `admin` may change `account` (disable it, make a reset link): same clinic."""
    return (
        admin.active
        and admin.role is Role.ADMIN
        and admin.clinic_id is not None
        and admin.clinic_id == account.clinic_id
    )


# The first throttle, per address only: after this many failed attempts within the window,
# the address is refused until the oldest of them leaves the window. Sign-in and `/join` use
# throttle.py now (issue #19: this one let anyone lock an owner out); what still uses this
# one (checks made by a signed-in account) should move there too.
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)


def sign_in_refused_until(failures: list[datetime], now: datetime) -> datetime | None:
    """When sign-in opens again for an address, or None when it is open now."""
    recent = sorted(at for at in failures if now - at < FAILURE_WINDOW)
    if len(recent) < MAX_FAILURES:
        return None
    return recent[-MAX_FAILURES] + FAILURE_WINDOW


MIN_PASSWORD = 10
MAX_PASSWORD = 200
EMAIL = re.compile(r"^[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+$")
"""Something@somewhere.tld, without spaces or control characters: an address to sign in
with, not a full RFC 5322 check (a reset link is the real test of an address)."""


def normal_email(email: str) -> str:
    """An address as it is stored and looked up: NFKC (a Kelvin sign is a K, a full-width
    letter the letter), case folded, without surrounding spaces. Mail goes to the stored
    address, never to the one typed."""
    return unicodedata.normalize("NFKC", email.strip()).casefold()


def email_problem(email: str) -> str | None:
    """What is wrong with an email address, or None when it will do."""
    if len(email) > 254 or not EMAIL.fullmatch(email):
        return f"{email!r} is not an email address"
    return None


def password_problem(password: str) -> str | None:
    """What is wrong with a new password, or None. Length is what matters (NIST SP 800-63B):
    no rules about character classes."""
    if len(password) < MIN_PASSWORD:
        return f"a password needs at least {MIN_PASSWORD} characters"
    if len(password) > MAX_PASSWORD:
        return f"a password can have at most {MAX_PASSWORD} characters"
    return None


@dataclass(frozen=True, slots=True)
class Device:
    """A phone (or other device) paired with the app on a person's own computer."""

    id: int
    name: str
    paired_at: datetime
    last_seen: datetime
    revoked_at: datetime | None

    @property
    def live(self) -> bool:
        return self.revoked_at is None
