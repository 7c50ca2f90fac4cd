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

import secrets
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from lumbar.domain.access import Account, Role, password_problem
from lumbar.errors import NotAllowed, UserError
from lumbar.store import accounts as rows
from lumbar.store import invitations, tokens
from lumbar.usecases import identity, throttle

if TYPE_CHECKING:
    from argon2 import PasswordHasher

    from lumbar.store.database import Store

INVITE_LIFETIME = timedelta(days=14)

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


class Joining:
    """The use cases of an invitation, as part of `Accounts` (usecases/accounts.py): a
    clinician invites, the patient joins."""

    store: Store
    hasher: PasswordHasher

    def invite(self, clinician: Account, now: datetime, *, name: str, born: str | date) -> str:
        """An invitation code for a new patient of this clinician (valid for 14 days), who
        is `name`, born on `born`: the account made with it takes both."""
        if clinician.role is not Role.CLINICIAN or not clinician.active:
            raise NotAllowed("only a clinician invites patients")
        name, birth = identity.patient_name(name), identity.birth_date(born, now.date())
        code = secrets.token_urlsafe(16)
        with self.store.transaction() as tx:
            invitations.add_invitation(
                tx.connection,
                code,
                clinician_id=clinician.id,
                name=name,
                birth_date=birth,
                now=now,
                expires_at=now + INVITE_LIFETIME,
            )
        return code

    def accept_invite(
        self, code: str, email: str, password: str, now: datetime, *, client: str = ""
    ) -> Account:
        """A patient's account from a clinician's invitation. The invitation is checked
        first (`joining.check_invitation`: throttled per client address, nothing hashed);
        an address that has an account gets the same words as any other refusal; the
        password is hashed last, when nothing else can refuse."""
        email = identity.normal_address(email)
        check_invitation(self.store, code, now, client=client)
        problem = identity.address_problem(email, new=True) or password_problem(password)
        if problem is not None:
            raise UserError(problem)  # about what was typed, whoever has an account
        with self.store.transaction() as tx:
            taken = rows.account_by_email(tx.connection, email) is not None
            if taken:
                throttle.failed(tx.connection, kind="join", email="", client=client, now=now)
        if taken:
            raise UserError(INVITATION_UNUSABLE)
        hashed = self.hasher.hash(password)
        with identity.unique_address(email, INVITATION_UNUSABLE), self.store.transaction() as tx:
            taken_invitation = invitations.take_invitation(tx.connection, code, now)
            clinician = (
                None
                if taken_invitation is None
                else rows.account(tx.connection, taken_invitation.clinician_id)
            )
            if taken_invitation is None or clinician is None or not clinician.active:
                raise UserError(INVITATION_INVALID)
            return rows.add_user(
                tx.connection,
                email=email,
                password_hash=hashed,
                role=Role.PATIENT,
                clinic_id=clinician.clinic_id,
                clinician_id=clinician.id,
                now=now,
                name=taken_invitation.name,
                birth_date=taken_invitation.birth_date,
            )
