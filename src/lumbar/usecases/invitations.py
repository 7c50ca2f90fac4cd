"""Invitations that travel (issue #20): made, mailed to the patient or shown once on screen
(with a QR code), listed while pending, sent again or revoked.

An invitation's code is stored as its digest only, so a link cannot be shown twice: sending
it again makes a new code for the same invitation (its `ref` stays), and the old link stops
working in the same statement. A clinician sees and handles their own invitations, an admin
those of every clinician of their clinic; anyone else is told there is no such invitation,
and nothing is written. Each invitation, resend and revocation goes into the audit log.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from lumbar.domain.access import Account, Role
from lumbar.errors import NotAllowed, UserError
from lumbar.store import accounts as rows
from lumbar.store import invitations as invites
from lumbar.store.invitations import Pending
from lumbar.usecases import identity
from lumbar.usecases.accounts import Accounts
from lumbar.usecases.joining import INVITE_LIFETIME
from lumbar.usecases.mail import MailError

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from lumbar.usecases.mail import Mailer

NOT_FOUND = "no such invitation among yours"
ADMIN_BY_MAIL = (
    "an admin sends an invitation again by email only, and this one cannot be mailed "
    "(no address, or no mail server): its clinician can send it again"
)
REF = re.compile(r"[A-Za-z0-9_-]{1,24}")
"""What a ref can be: anything else is no invitation's, and is not sent to the database
(PostgreSQL refuses a NUL character in text). Refs are made as 16 hex digits, which never
begin with "-" (a command would read that as an option)."""


@dataclass(frozen=True, slots=True)
class Made:
    """A new link for an invitation: its code is here once, and nowhere else."""

    code: str
    invitation: Pending
    clinic: str | None


@dataclass(frozen=True, slots=True)
class Listed:
    """A pending invitation as the list shows it: expired ones stay, to be sent again."""

    invitation: Pending
    expired: bool


class Delivery(StrEnum):
    MAILED = "mailed"
    NO_ADDRESS = "no-address"
    """No address was given: the link is shown on screen."""
    NO_SERVER = "no-server"
    """The server has no mail server set up: the link is shown on screen."""
    FAILED = "failed"
    """The mail server refused: the link is shown on screen, with why."""


@dataclass(frozen=True, slots=True)
class Sent:
    how: Delivery
    problem: str | None = None


def optional_address(raw: str | None) -> str | None:
    """The patient's address, normal, or None when none was given; UserError (field
    `email`) when it is not one."""
    if raw is None or not raw.strip():
        return None
    return identity.checked_address(raw)


def invite(
    accounts: Accounts,
    clinician: Account,
    now: datetime,
    *,
    name: str,
    born: str | date,
    email: str | None = None,
    on: date | None = None,
) -> Made:
    """A new patient's invitation from this clinician, valid for 14 days. `on`: the
    server's day (`serve --date`), which the date of birth may not be after; `now`'s
    without it."""
    if clinician.role is not Role.CLINICIAN or not clinician.active:
        raise NotAllowed("only a clinician invites patients")
    name, birth = identity.patient_name(name), identity.birth_date(born, on or now.date())
    address = optional_address(email)
    code, ref = secrets.token_urlsafe(16), secrets.token_hex(8)
    with accounts.store.transaction() as tx:
        invites.add_invitation(
            tx.connection,
            code,
            clinician_id=clinician.id,
            name=name,
            birth_date=birth,
            now=now,
            expires_at=now + INVITE_LIFETIME,
            ref=ref,
            email=address,
        )
        _audit(tx.connection, clinician, now, f"invitation {ref}: made")
        return _made(tx.connection, code, ref)


def pending(accounts: Accounts, viewer: Account, now: datetime) -> list[Listed]:
    """A clinician's pending invitations, or an admin's clinic's, newest first."""
    with accounts.store.reading() as connection:
        if viewer.role is Role.CLINICIAN:
            found = invites.pending(connection, clinician_id=viewer.id)
        elif viewer.role is Role.ADMIN:
            found = invites.pending(connection, clinic_id=viewer.clinic_id)
        else:
            raise NotAllowed("only staff see invitations")
    return [Listed(i, i.expires_at <= now) for i in found]


def resend(accounts: Accounts, viewer: Account, ref: str, now: datetime, *, can_mail: bool) -> Made:
    """A new link for a pending invitation (expired or not), valid for 14 days from now;
    the old link stops working. An admin's goes by email only (`can_mail`: the server has
    a mail server): a link shown to an admin would let them join as the patient."""
    code = secrets.token_urlsafe(16)
    with accounts.store.transaction() as tx:
        found = _yours(tx.connection, viewer, ref)
        if viewer.role is Role.ADMIN and (not can_mail or found.email is None):
            raise UserError(ADMIN_BY_MAIL)
        if not invites.renew(tx.connection, ref, code, expires_at=now + INVITE_LIFETIME):
            raise NotAllowed(NOT_FOUND)
        _audit(tx.connection, viewer, now, f"invitation {ref}: sent again")
        return _made(tx.connection, code, ref)


def revoke(accounts: Accounts, viewer: Account, ref: str, now: datetime) -> Pending:
    """A pending invitation stops working and leaves the list."""
    with accounts.store.transaction() as tx:
        found = _yours(tx.connection, viewer, ref)
        if not invites.revoke(tx.connection, ref):
            raise NotAllowed(NOT_FOUND)
        _audit(tx.connection, viewer, now, f"invitation {ref}: revoked")
        return found


def deliver(mailer: Mailer | None, made: Made, link: str) -> Sent:
    """Mail the link to the patient's address when there is one and a mail server; else
    say why not (the caller then shows the link once)."""
    if made.invitation.email is None:
        return Sent(Delivery.NO_ADDRESS)
    if mailer is None:
        return Sent(Delivery.NO_SERVER)
    subject, body = invitation_message(link, made.clinic, made.invitation.expires_at.date())
    try:
        mailer.send(made.invitation.email, subject, body)
    except MailError as refusal:
        return Sent(Delivery.FAILED, refusal.message)
    return Sent(Delivery.MAILED)


def invitation_message(link: str, clinic: str | None, until: date) -> tuple[str, str]:
    """The subject and text of an invitation's mail: who invites, the link and until when.
    Nothing about the patient (not even their name): a mistyped address must not tell a
    stranger anything about them."""
    who = clinic or "Your clinic"
    day = f"{until.day} {until:%B %Y}"
    return (
        f"An invitation to lumbar from {who}",
        f"{who} has invited you to make an account on lumbar.\n\n"
        f"To make it, open this link by {day}:\n{link}\n\n"
        "The link works once. If you were not expecting this message, you can ignore it.\n",
    )


def _yours(connection: Connection, viewer: Account, ref: str) -> Pending:
    """The invitation when the viewer may handle it: their own, or (an admin) one of their
    clinic's. Anyone else is refused as if it did not exist."""
    found = invites.pending_one(connection, ref) if REF.fullmatch(ref) else None
    if found is None or not viewer.active:
        raise NotAllowed(NOT_FOUND)
    invitation, clinic_id = found
    mine = (viewer.role is Role.CLINICIAN and invitation.clinician_id == viewer.id) or (
        viewer.role is Role.ADMIN and clinic_id == viewer.clinic_id
    )
    if not mine:
        raise NotAllowed(NOT_FOUND)
    return invitation


def _made(connection: Connection, code: str, ref: str) -> Made:
    found = invites.pending_one(connection, ref)
    assert found is not None  # written in this transaction
    invitation, clinic_id = found
    return Made(code, invitation, invites.clinic_name(connection, clinic_id))


def _audit(connection: Connection, actor: Account, now: datetime, what: str) -> None:
    rows.add_audit(connection, now=now, actor=actor, action="write", patient_id=None, target=what)
