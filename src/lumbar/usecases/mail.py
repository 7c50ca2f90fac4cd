"""Sending one-time links by email, where the clinic has a mail server.

Set LUMBAR_SMTP_URL to the server: `smtp://HOST:PORT` (plain, for a relay on the same
machine or network), `smtp+starttls://USER:PASSWORD@HOST:587`, or `smtps://USER:PASSWORD@
HOST:465`; and LUMBAR_MAIL_FROM to the sender's address. Without them nothing is sent, and
links are given by an admin (the Accounts page, `lumbar admin reset-link`).
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from lumbar.errors import UserError

SMTP_VARIABLE = "LUMBAR_SMTP_URL"
FROM_VARIABLE = "LUMBAR_MAIL_FROM"
TIMEOUT_S = 15
SCHEMES = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}


class MailError(UserError):
    """The mail server could not take the message; the message says why."""


@dataclass(frozen=True, slots=True)
class Mailer:
    scheme: str
    host: str
    port: int
    username: str | None
    password: str | None
    sender: str

    @classmethod
    def from_environment(cls, environ: Mapping[str, str]) -> Mailer | None:
        """The configured mail server, or None; a malformed setting is refused clearly."""
        url = environ.get(SMTP_VARIABLE, "").strip()
        if not url:
            return None
        parts = urlsplit(url)
        if parts.scheme not in SCHEMES or not parts.hostname:
            raise UserError(
                f"{SMTP_VARIABLE}: {url!r} is not smtp://HOST:PORT, smtp+starttls://... "
                "or smtps://..."
            )
        sender = environ.get(FROM_VARIABLE, "").strip()
        if "@" not in sender:
            raise UserError(f"{FROM_VARIABLE}: give the address mail is sent from")
        return cls(
            scheme=parts.scheme,
            host=parts.hostname,
            port=parts.port or SCHEMES[parts.scheme],
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            sender=sender,
        )

    def send(self, to: str, subject: str, body: str) -> None:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = to
        message["Subject"] = subject
        message.set_content(body)
        try:
            if self.scheme == "smtps":
                context = ssl.create_default_context()
                with smtplib.SMTP_SSL(
                    self.host, self.port, timeout=TIMEOUT_S, context=context
                ) as server:
                    self._deliver(server, message)
                return
            with smtplib.SMTP(self.host, self.port, timeout=TIMEOUT_S) as server:
                if self.scheme == "smtp+starttls":
                    server.starttls(context=ssl.create_default_context())
                self._deliver(server, message)
        except (OSError, smtplib.SMTPException) as error:
            raise MailError(
                f"the mail server at {self.host}:{self.port} refused: {error}"
            ) from error

    def _deliver(self, server: smtplib.SMTP, message: EmailMessage) -> None:
        if self.username is not None:
            server.login(self.username, self.password or "")
        server.send_message(message)


def reset_message(link: str) -> tuple[str, str]:
    """The subject and text of a reset link's email, in lumbar's own words."""
    return (
        "Choose a new password for lumbar",
        "Someone asked to set a new password for your lumbar account.\n\n"
        f"To choose one, open this link within the next hour:\n{link}\n\n"
        "If it was not you, you can ignore this message: your password stays as it is.\n",
    )
