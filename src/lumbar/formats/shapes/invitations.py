"""Invitations in the API (issue #20): one just made or sent again, and the pending list."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from lumbar.formats.shapes.base import Shape
from lumbar.formats.shapes.clinic import AT


class Invitation(Shape):
    """A patient's invitation, just made or sent again: its code and join link are in this
    answer only (the server keeps their hash); null when an admin sent it again (then it
    went by email only)."""

    id: str = Field(description="Names the invitation in the pending list.")
    code: str | None
    url: str | None
    name: str
    birth_date: dt.date
    email: str | None = Field(description="The patient's address, if one was given.")
    expires_at: str = Field(description=AT)
    delivery: str = Field(
        description="mailed; or, the link not mailed: no-address, no-server, failed."
    )


class PendingInvitation(Shape):
    """An invitation not yet accepted nor revoked; an expired one stays, to be sent again."""

    id: str
    name: str | None
    birth_date: dt.date | None
    email: str | None
    clinician_email: str = Field(description="Who invited the patient.")
    invited_at: str = Field(description=AT)
    expires_at: str = Field(description=AT)
    expired: bool
