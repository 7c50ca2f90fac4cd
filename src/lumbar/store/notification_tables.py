"""What a clinic's server keeps to tell a clinician what is new (issue #20): which problem
reports they have read, whether they want mail, and which concerns were mailed already.

A message's own read state is on the `messages` table (`read_at`, `read_by`)."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    String,
    Table,
)

from lumbar.store.metadata import metadata

problem_reads = Table(
    "problem_reads",
    metadata,
    Column("report_id", ForeignKey("problem_reports.id", ondelete="CASCADE"), primary_key=True),
    Column("read_by", ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Column("read_at", DateTime, nullable=False),
)
"""A problem report the patient's clinician has opened (a report without a row is new).
Beside `problem_reports` rather than on it: a person's tables know nothing of accounts."""

mail_settings = Table(
    "mail_settings",
    metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("alerts", Boolean, nullable=False),
    Column("digest", Boolean, nullable=False),
)
"""A clinician's choice of mail: an alert at once for an emergency or urgent sign, and the
daily digest of new concerns. No row: both (a clinician opts out)."""

mailed_concerns = Table(
    "mailed_concerns",
    metadata,
    Column("patient_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("kind", String(10), primary_key=True),
    Column("concern", String(120), primary_key=True),
    Column("mailed_at", DateTime, nullable=False),
    CheckConstraint("kind IN ('alert', 'digest')", name="kind"),
)
"""Each concern of a patient mailed to their clinician, once per kind of mail: an alert is
not sent twice for the same sign, nor a digest for the same concern. `concern` names the
concern and what makes it that one (the sign and the day it was raised), never a symptom in
words."""

digest_days = Table(
    "digest_days",
    metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("sent_on", Date, nullable=False),
)
"""The last day a clinician was sent the daily digest: one a day at most, however many
servers or timers send it, and across restarts (a sender claims the day before it mails)."""
