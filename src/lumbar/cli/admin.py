"""`lumbar admin ...`: a clinic server's accounts, from the command line of the server.

Whoever can run these can read the database anyway; they are how the first admin and
clinicians are made, and how a reset link is given where no mail server is set up.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from lumbar.cli.options import DateOption, DbOption, JsonOption

if TYPE_CHECKING:
    from lumbar.usecases.accounts import Accounts

app = typer.Typer(
    help="Accounts of a clinic's server (accounts mode): create, list, disable, reset links, "
    "invitations, the audit log.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

BaseUrlOption = Annotated[
    str,
    typer.Option(
        "--base-url",
        metavar="URL",
        help="The server's address as users reach it, to print whole links.",
    ),
]
DEFAULT_BASE = "http://127.0.0.1:8000"


@contextmanager
def _accounts(db: str | None) -> Iterator[Accounts]:
    """The accounts of the database, whose connections are closed when the command is done
    (a PostgreSQL server would otherwise hold them until the process ends)."""
    from lumbar.cli.options import open_store
    from lumbar.usecases.accounts import Accounts

    store = open_store(db)
    try:
        yield Accounts(store)
    finally:
        store.dispose()


def _now() -> datetime:
    from lumbar.usecases.accounts import now_utc

    return now_utc()


def _emit(document: object) -> None:
    import json

    sys.stdout.write(json.dumps(document, indent=2) + "\n")


@app.command("create-user")
def create_user(
    email: Annotated[str, typer.Argument(help="The account's email address.")],
    role: Annotated[
        str, typer.Option("--role", metavar="patient|clinician|admin", help="What they do.")
    ],
    clinic: Annotated[
        str | None,
        typer.Option("--clinic", metavar="NAME", help="The clinic of a clinician or an admin."),
    ] = None,
    clinician: Annotated[
        str | None,
        typer.Option("--clinician", metavar="EMAIL", help="A patient's clinician."),
    ] = None,
    password_stdin: Annotated[
        bool,
        typer.Option(
            "--password-stdin",
            help="Read the password from standard input; without it, a one-time link to "
            "choose one is printed.",
        ),
    ] = False,
    base_url: BaseUrlOption = DEFAULT_BASE,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Make an account: a clinician or admin of a clinic, or a clinician's patient."""
    password = sys.stdin.readline().rstrip("\n") if password_stdin else None
    now = _now()
    link = None
    with _accounts(db) as accounts:
        made = accounts.create_user(
            email, password, role, now, clinic=clinic, clinician_email=clinician
        )
        if password is None:
            link = f"{base_url.rstrip('/')}/reset/{accounts.reset_link(made.email, now)}"
    if json:
        _emit({"id": made.id, "email": made.email, "role": made.role.value, "link": link})
        return
    typer.echo(f"Made {made.role.value} account {made.id} for {made.email}.")
    if link:
        typer.echo(f"To choose a password (once, within an hour): {link}")


@app.command("users")
def users(db: DbOption = None, json: JsonOption = False) -> None:
    """List every account."""
    with _accounts(db) as accounts:
        found = accounts.accounts()
    if json:
        _emit(
            [
                {"id": a.id, "email": a.email, "role": a.role.value, "active": a.active}
                for a in found
            ]
        )
        return
    for a in found:
        state = "" if a.active else " (disabled)"
        typer.echo(f"{a.id:>5}  {a.role.value:<9}  {a.email}{state}")


@app.command("reset-two-factor")
def reset_two_factor(
    email: Annotated[str, typer.Argument(help="The clinician's or admin's email address.")],
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Remove a staff account's two-step sign-in (a lost phone and lost recovery codes):
    its sessions end, and it sets up a new one when it signs in again."""
    from lumbar.usecases import two_factor

    with _accounts(db) as accounts:
        changed = two_factor.reset(accounts, email)
    if json:
        _emit({"id": changed.id, "email": changed.email, "two_factor": False})
        return
    typer.echo(f"Two-step sign-in is off for {changed.email}; they were signed out everywhere.")


def _set_active(email: str, active: bool, db: str | None, json: bool) -> None:
    with _accounts(db) as accounts:
        changed = accounts.set_active(email, active)
    if json:
        _emit({"id": changed.id, "email": changed.email, "active": changed.active})
        return
    typer.echo(f"{changed.email} is {'active' if changed.active else 'disabled'}.")


@app.command("disable")
def disable(
    email: Annotated[str, typer.Argument(help="The account's email address.")],
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Disable an account and sign it out everywhere (its records stay)."""
    _set_active(email, False, db, json)


@app.command("enable")
def enable(
    email: Annotated[str, typer.Argument(help="The account's email address.")],
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Enable a disabled account again."""
    _set_active(email, True, db, json)


@app.command("reset-link")
def reset_link(
    email: Annotated[str, typer.Argument(help="The account's email address.")],
    base_url: BaseUrlOption = DEFAULT_BASE,
    send: Annotated[
        bool,
        typer.Option(
            "--send",
            help="Email the link to the account's address (needs LUMBAR_SMTP_URL and "
            "LUMBAR_MAIL_FROM) instead of printing it.",
        ),
    ] = False,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Print a one-time link to choose a new password (valid for an hour), or email it."""
    from lumbar.errors import UserError
    from lumbar.usecases.mail import Mailer, reset_message

    mailer = Mailer.from_environment(os.environ) if send else None
    if send and mailer is None:
        raise UserError("--send: no mail server is set up (LUMBAR_SMTP_URL)")
    from lumbar.domain.access import normal_email

    with _accounts(db) as accounts:
        token = accounts.reset_link(email, _now())
        # To the address the account has, never the one typed here.
        to = next(a.email for a in accounts.accounts() if a.email == normal_email(email))
    link = f"{base_url.rstrip('/')}/reset/{token}"
    if mailer is not None:
        mailer.send(to, *reset_message(link))
        if json:
            _emit({"sent": to})
        else:
            typer.echo(f"Sent a link to {to}.")
        return
    if json:
        _emit({"link": link})
        return
    typer.echo(link)


@app.command("invite")
def invite(
    clinician: Annotated[str, typer.Argument(help="The inviting clinician's email address.")],
    name: Annotated[str, typer.Option("--name", metavar="NAME", help="The patient's name.")],
    born: Annotated[
        str, typer.Option("--born", metavar="YYYY-MM-DD", help="The patient's date of birth.")
    ],
    base_url: BaseUrlOption = DEFAULT_BASE,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Print a one-time link for a new patient of this clinician (valid for 14 days)."""
    from lumbar.errors import UserError
    from lumbar.usecases.identity import normal_address

    with _accounts(db) as accounts:
        found = [a for a in accounts.accounts() if a.email == normal_address(clinician)]
        if not found:
            raise UserError(f"there is no account for {clinician}")
        code = accounts.invite(found[0], _now(), name=name, born=born)
    link = f"{base_url.rstrip('/')}/join/{code}"
    if json:
        _emit({"code": code, "link": link})
        return
    typer.echo(link)


@app.command("move-patients")
def move_patients(
    source: Annotated[str, typer.Argument(help="The email of the clinician who has them.")],
    to: Annotated[str, typer.Argument(help="The email of the clinician who takes them.")],
    by: Annotated[
        str,
        typer.Option("--by", metavar="ADMIN_EMAIL", help="The admin of the clinic who moves them."),
    ],
    patient: Annotated[
        list[str] | None,
        typer.Option(
            "--patient", metavar="EMAIL", help="Move only this patient (repeat it); else all."
        ),
    ] = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Hand a clinician's patients over to another clinician of the same clinic (issue #20),
    in the name of an admin of that clinic (the audit log records who)."""
    from lumbar.errors import UserError
    from lumbar.usecases import handover
    from lumbar.usecases.identity import normal_address

    with _accounts(db) as accounts:
        every = {a.email: a for a in accounts.accounts()}

        def named(email: str) -> int:
            found = every.get(normal_address(email))
            if found is None:
                raise UserError(f"there is no account for {email}")
            return found.id

        admin = every.get(normal_address(by))
        if admin is None:
            raise UserError(f"there is no account for {by}")
        chosen = None if not patient else [named(e) for e in patient]
        moved = handover.move(accounts, admin, named(source), named(to), _now(), patient_ids=chosen)
    if json:
        _emit({"to": moved.to.email, "patients": [p.email for p in moved.patients]})
        return
    count = len(moved.patients)
    typer.echo(f"Moved {count} patient{'s' if count != 1 else ''} to {moved.to.email}.")


@app.command("refresh-summaries")
def refresh_summaries(
    db: DbOption = None, date: DateOption = None, json: JsonOption = False
) -> None:
    """Compute again the dashboard's concern summaries that the date has made stale (run it
    after midnight, so that no clinician's first view of the day waits for it)."""
    from lumbar.cli.options import Invocation, open_store
    from lumbar.content.load import default_content
    from lumbar.usecases import summaries

    on = Invocation(db, date, json).day
    store = open_store(db)
    try:
        done = summaries.refresh_all(store, default_content(), on)
    finally:
        store.dispose()
    if json:
        _emit({"date": on.isoformat(), "computed": done})
        return
    typer.echo(f"Computed again {done} patients' concern summaries for {on.isoformat()}.")


@app.command("audit")
def audit(
    out: Annotated[
        Path | None,
        typer.Option("--out", metavar="FILE.csv", help="Write the log as CSV to this file."),
    ] = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """The audit log: every read and write of a patient's record by a clinician or admin."""
    from lumbar.formats import audit as audit_format
    from lumbar.usecases import audit

    with _accounts(db) as accounts:
        entries = audit.entries(accounts)
    if json:
        _emit([audit_format.audit_json(e) for e in entries])
        return
    text = audit_format.audit_csv(entries)
    if out is not None:
        from lumbar.errors import UserError
        from lumbar.private_files import write_private

        if not out.parent.is_dir():
            raise UserError(f"cannot write {out}: the folder {out.parent} does not exist")
        write_private(out, text.encode("utf-8"))  # who saw whose record: 0600
        typer.echo(f"Wrote {len(entries)} entries to {out}")
        return
    sys.stdout.write(text)


@app.command("send-digest")
def send_digest(
    base_url: Annotated[
        str,
        typer.Option(
            "--base-url",
            metavar="URL",
            help="The server's address as clinicians reach it, for the links in the mail.",
        ),
    ],
    db: DbOption = None,
    date: DateOption = None,
    json: JsonOption = False,
) -> None:
    """Mail each clinician who wants it the patients with a concern new since their last
    digest (run it once a day, from a timer); the mail names no patient and no symptom.
    `--date` is the day the concerns are looked at on (default: today, in UTC)."""
    from lumbar.cli.arguments import parse_date
    from lumbar.content.load import default_content
    from lumbar.usecases import alerts
    from lumbar.usecases.mail import Mailer

    mailer = Mailer.from_environment(os.environ)
    if mailer is None:
        message = "No mail server is set up (LUMBAR_SMTP_URL): nothing sent."
        if json:
            _emit({"mails": 0, "patients": 0, "failed": [message]})
        else:
            typer.echo(message + " The dashboard shows every concern all the same.")
        return
    now = _now()
    on = parse_date(date, now.date())
    with _accounts(db) as accounts:
        done = alerts.send_digest(
            accounts.store, default_content(), mailer, base_url=base_url, on=on, now=now
        )
    if json:
        _emit({"mails": done.mails, "patients": done.patients, "failed": list(done.failed)})
    else:
        typer.echo(f"Sent {done.mails} digest(s), about {done.patients} patient(s).")
        for reason in done.failed:
            typer.echo(f"Not sent: {reason}", err=True)
    if done.failed:
        raise typer.Exit(1)
