"""`lumbar serve --accounts`'s daily jobs (issue #20): its options, and the jobs they make.

A clinic that runs the server and nothing else gets the concern summaries computed again
after midnight and, where a mail server is set up, the daily digest at 07:00; a clinic that
keeps its own timers (`lumbar admin refresh-summaries`, `lumbar admin send-digest`) turns
them off with `--no-background-jobs`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from lumbar.usecases.daily_jobs import DailyJobs
    from lumbar.usecases.mail import Mailer
    from lumbar.usecases.person import Person

DIGEST_AT = dt.time(7, 0)
"""The digest's time when a mail server is set up and `--digest-at` is not given."""

DigestAtOption = Annotated[
    str | None,
    typer.Option(
        "--digest-at",
        metavar="HH:MM",
        help="With --accounts: the time of day (24-hour, by this computer's clock) the "
        "daily digest is mailed to clinicians, or 'off' (default 07:00 where a mail server "
        "is set up; none without one).",
    ),
]
NoJobsOption = Annotated[
    bool,
    typer.Option(
        "--no-background-jobs",
        help="With --accounts: do not compute the concern summaries again after midnight "
        "nor mail the daily digest; for a clinic that runs `lumbar admin refresh-summaries` "
        "and `lumbar admin send-digest` from its own timers.",
    ),
]


def refuse_without_accounts(accounts: bool, digest_at: str | None, no_jobs: bool) -> None:
    from lumbar.errors import UserError

    if (digest_at is not None or no_jobs) and not accounts:
        raise UserError("--digest-at and --no-background-jobs are for a server with --accounts")


def daily_jobs(
    person: Person,
    day: Callable[[], dt.date],
    mailer: Mailer | None,
    *,
    digest_at: str | None,
    no_jobs: bool,
    public_url: str | None,
    allowed_hosts: Sequence[str],
    allow_http: bool,
) -> DailyJobs | None:
    """The server's daily jobs as its options set them, or None (`--no-background-jobs`).
    Refused clearly: a time that is not one, a digest without a mail server."""
    from lumbar.domain.daily import parse_time_of_day
    from lumbar.errors import UserError
    from lumbar.usecases.daily_jobs import DailyJobs, Digest

    if no_jobs:
        if digest_at is not None:
            raise UserError(
                "--digest-at: the daily digest is a background job, which "
                "--no-background-jobs turns off (send it with `lumbar admin send-digest`)"
            )
        return None
    at = DIGEST_AT if mailer is not None else None
    if digest_at is not None and digest_at.strip().casefold() != "off":
        at = parse_time_of_day(digest_at)
        if at is None:
            raise UserError(
                "--digest-at: give a time of day as HH:MM, such as 07:00, or off "
                f"(got {digest_at!r})"
            )
        if mailer is None:
            raise UserError(
                "--digest-at: no mail server is set up (LUMBAR_SMTP_URL, LUMBAR_MAIL_FROM; see "
                "docs/deploy.md), so there is no digest to send"
            )
    elif digest_at is not None:
        at = None
    digest = None
    if at is not None and mailer is not None:
        scheme = "http" if allow_http else "https"
        base = public_url or f"{scheme}://{allowed_hosts[0]}"
        digest = Digest(mailer, base.rstrip("/"), at)
    return DailyJobs(person.store, person.content, day, digest=digest)
