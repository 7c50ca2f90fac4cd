"""A clinic's server in the API (accounts mode): who is signed in, a clinician's patients,
invitations, acknowledgements, messages, and an admin's accounts and audit log."""

from __future__ import annotations

import datetime as dt

from pydantic import ConfigDict, Field, StrictBool

from lumbar.formats.shapes.base import Shape
from lumbar.formats.shapes.settings import Problem
from lumbar.formats.shapes.status import Status

AT = "When, in UTC: ISO 8601 without a zone (2026-11-02T09:30:00.123456)."
"""Times as the store keeps them: not RFC 3339 `date-time` (which needs a zone), so a
string."""


class Me(Shape):
    """Who is signed in, with the token to send back in X-CSRF-Token."""

    id: int
    email: str
    role: str
    csrf_token: str


class Concern(Shape):
    """Why a patient may need the clinician, in the clinician's words."""

    concern: str
    text: str


class Patient(Shape):
    """One of a clinician's patients, as the dashboard lists them."""

    id: int
    email: str
    name: str | None = Field(
        description="The name the clinician entered in the invitation (null for patients "
        "who joined before invitations asked for it)."
    )
    birth_date: dt.date | None = Field(description="Their date of birth, as entered with it.")
    started: bool
    concerns: list[Concern]
    pain: list[float]
    unread_messages: int = Field(
        ge=0,
        description="Their messages to you that you have not read yet: opening their page "
        "in the clinic's pages reads them.",
    )
    unread_problems: int = Field(
        ge=0,
        description="Their problem reports that you have not opened yet (as above).",
    )


class PatientDetail(Patient):
    """One patient: the dashboard's line, their status (null before they start) and their
    problem reports."""

    status: Status | None
    problems: list[Problem]


class Cleared(Shape):
    """A patient's status once cleared (null before they start)."""

    status: Status | None


class Acknowledged(Shape):
    code: str
    since: dt.date


class Message(Shape):
    """One message of a thread; `from` is the sender's account id."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    id: int
    sender: int = Field(alias="from")
    at: str = Field(description=AT)
    body: str
    read_at: str | None = Field(
        default=None, description="When the other side first read it (as `at`); null: not yet."
    )


class Account(Shape):
    id: int
    email: str
    role: str
    active: bool


class AuditEntry(Shape):
    id: int
    at: str = Field(description=AT)
    actor: int
    role: str
    action: str
    patient: int | None
    target: str


class MailSettings(Shape):
    """Which mail a clinician gets about their patients (issue #20): an alert at once for
    an emergency or urgent sign, and a daily digest of new concerns. Neither says more than
    that a patient needs attention, with a link to their page."""

    alerts: StrictBool = Field(description="An alert at once for an emergency or urgent sign.")
    digest: StrictBool = Field(description="A daily digest of new concerns.")
