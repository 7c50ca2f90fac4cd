"""When a sign-in ends for want of use, and when staff must give a second factor.

Pure rules over the times and settings the caller passes in. Staff (clinicians and admins)
reach many patients' records, so their sessions end after a short while without a request
(a screen left signed in at a shared desk); a patient's own session lasts its 12 hours.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from lumbar.domain.access import Role

STAFF_IDLE = timedelta(minutes=30)
"""A staff session ends after this long without a request (LUMBAR_STAFF_IDLE_MINUTES)."""
SEEN_EVERY = timedelta(minutes=1)
"""How often a session's last request is written: not on every request, which would make
every page view a write."""
PENDING_LIFETIME = timedelta(minutes=5)
"""How long a checked password waits for its second factor."""


def is_staff(role: Role) -> bool:
    return role is not Role.PATIENT


def idle_out(role: Role, last_seen: datetime, now: datetime, staff_idle: timedelta) -> bool:
    """Whether a session has gone unused too long: only staff sessions idle out. The last
    request is recorded up to SEEN_EVERY late, so a session may last that much longer."""
    return is_staff(role) and now - last_seen >= staff_idle


def seen_due(last_seen: datetime, now: datetime) -> bool:
    """Whether this request's time should be written as the session's last."""
    return now - last_seen >= SEEN_EVERY


def must_enrol(role: Role, *, required: bool, enrolled: bool) -> bool:
    """Whether an account must set up its second factor before anything else: a staff
    account of a clinic that requires one, not yet enrolled."""
    return is_staff(role) and required and not enrolled
