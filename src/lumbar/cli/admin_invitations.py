"""`lumbar admin invitations|resend-invitation|revoke-invitation`: the pending invitations
of a clinic's server (issue #20), from the server's command line.

Each command acts as the staff account it names, under the same rules as their pages: a
clinician handles their own invitations, an admin those of their clinic (and sends one
again by email only); the audit log records that account.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Annotated

import typer

from lumbar.cli.admin import DEFAULT_BASE, BaseUrlOption, _accounts, _emit, _now, app
from lumbar.cli.options import DbOption, JsonOption

if TYPE_CHECKING:
    from lumbar.domain.access import Account
    from lumbar.usecases.accounts import Accounts

StaffArgument = Annotated[
    str, typer.Argument(help="The clinician's or admin's email address, acting.")
]
RefArgument = Annotated[str, typer.Argument(help="The invitation's id (`admin invitations`).")]


def _staff(accounts: Accounts, email: str) -> Account:
    from lumbar.errors import UserError
    from lumbar.usecases.identity import normal_address

    found = [a for a in accounts.accounts() if a.email == normal_address(email)]
    if not found:
        raise UserError(f"there is no account for {email}")
    return found[0]


def invitations(staff: StaffArgument, db: DbOption = None, json: JsonOption = False) -> None:
    """The pending invitations of a clinician, or of an admin's clinic."""
    from lumbar.usecases import invitations as use

    with _accounts(db) as accounts:
        listed = use.pending(accounts, _staff(accounts, staff), _now())
    rows = [
        {
            "id": i.invitation.ref,
            "name": i.invitation.name,
            "email": i.invitation.email,
            "clinician": i.invitation.clinician_email,
            "invited_at": i.invitation.invited_at.isoformat(),
            "expires_at": i.invitation.expires_at.isoformat(),
            "expired": i.expired,
        }
        for i in listed
    ]
    if json:
        _emit(rows)
        return
    if not rows:
        typer.echo("No invitations are waiting to be accepted.")
    for item in listed:
        i = item.invitation
        state = "expired" if item.expired else "until"
        typer.echo(
            f"{i.ref}  {i.name or 'name not given'}  {i.email or '-'}  "
            f"invited {i.invited_at.date()}, {state} {i.expires_at.date()}"
        )


def resend_invitation(
    staff: StaffArgument,
    ref: RefArgument,
    send: Annotated[
        bool,
        typer.Option(
            "--send",
            help="Email the new link to the patient's address (needs LUMBAR_SMTP_URL and "
            "LUMBAR_MAIL_FROM) instead of printing it.",
        ),
    ] = False,
    base_url: BaseUrlOption = DEFAULT_BASE,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """A new link for a pending invitation (valid for 14 days); the old one stops working."""
    from lumbar.errors import UserError
    from lumbar.usecases import invitations as use
    from lumbar.usecases.mail import Mailer

    mailer = Mailer.from_environment(os.environ) if send else None
    if send and mailer is None:
        raise UserError("--send: no mail server is set up (LUMBAR_SMTP_URL)")
    with _accounts(db) as accounts:
        made = use.resend(accounts, _staff(accounts, staff), ref, _now(), can_mail=send)
    link = f"{base_url.rstrip('/')}/join/{made.code}"
    if send:
        sent = use.deliver(mailer, made, link)
        if sent.how is not use.Delivery.MAILED:
            raise UserError(sent.problem or "this invitation has no address to mail it to")
        if json:
            _emit({"id": ref, "sent": made.invitation.email})
        else:
            typer.echo(f"Sent a new link to {made.invitation.email}.")
        return
    if json:
        _emit({"id": ref, "code": made.code, "link": link})
        return
    typer.echo(link)


def revoke_invitation(
    staff: StaffArgument, ref: RefArgument, db: DbOption = None, json: JsonOption = False
) -> None:
    """Stop a pending invitation's link working."""
    from lumbar.usecases import invitations as use

    with _accounts(db) as accounts:
        use.revoke(accounts, _staff(accounts, staff), ref, _now())
    if json:
        _emit({"id": ref, "revoked": True})
        return
    typer.echo(f"Revoked invitation {ref}.")


def register() -> None:
    """Add these commands to `lumbar admin` (cli/main.py calls it once)."""
    app.command("invitations")(invitations)
    app.command("resend-invitation")(resend_invitation)
    app.command("revoke-invitation")(revoke_invitation)
