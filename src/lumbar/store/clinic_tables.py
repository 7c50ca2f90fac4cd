"""A clinic's tables (accounts mode): clinics, accounts and their sign-ins, tokens, the
audit log, prescriptions, messages, and what a clinician must act on."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    text,
)

from lumbar.store.metadata import metadata

clinics = Table(
    "clinics",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("require_two_factor", Boolean, nullable=False, server_default=text("false")),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(254), nullable=False, unique=True),
    Column("password_hash", String(200), nullable=True),
    Column("role", String(10), nullable=False),
    Column("clinic_id", ForeignKey("clinics.id"), nullable=True),
    Column("clinician_id", ForeignKey("users.id"), nullable=True),
    Column("active", Boolean, nullable=False, server_default=text("true")),
    Column("created_at", DateTime, nullable=False),
    Column("totp_secret", String(300), nullable=True),
    Column("totp_confirmed_at", DateTime, nullable=True),
    Column("totp_last_step", Integer, nullable=True),
    Column("name", String(200), nullable=True),
    Column("birth_date", Date, nullable=True),
    CheckConstraint("role IN ('patient', 'clinician', 'admin')", name="role"),
    Index("ix_users_clinician", "clinician_id"),
)
"""Everyone who signs in. Emails are stored lower-cased; a patient's `clinician_id` is the
clinician who invited them, and the only one who sees their data. A patient's `name` and
`birth_date` are what that clinician entered in the invitation (None for those who joined
before invitations asked for them)."""

auth_sessions = Table(
    "auth_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("expires_at", DateTime, nullable=False),
    Column("last_seen_at", DateTime, nullable=True),
    Column("pending", Boolean, nullable=False, server_default=text("false")),
    Index("ix_auth_sessions_user", "user_id"),
)
"""Signed-in browsers. The cookie holds a random token; only its SHA-256 is stored, so a
copy of the database does not let anyone sign in. `last_seen_at` (the last request, written
at most once a minute; None: not since `created_at`) ends idle staff sessions; a `pending`
session has passed the password but not yet the second factor, and opens nothing else."""

recovery_codes = Table(
    "recovery_codes",
    metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("code_hash", String(64), primary_key=True),
    Column("used_at", DateTime, nullable=True),
)
"""A staff account's single-use codes for when its authenticator is lost (SHA-256 only)."""

login_failures = Table(
    "login_failures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(254), nullable=False),
    Column("at", DateTime, nullable=False),
    Column("client", String(64), nullable=False, server_default=""),
    Column("kind", String(10), nullable=False, server_default="sign-in"),
    CheckConstraint("kind IN ('sign-in', 'join', 'forgot', 'success')", name="kind"),
    Index("ix_login_failures_email_at", "email", "at"),
    Index("ix_login_failures_client_at", "client", "at"),
    Index("ix_login_failures_at", "at"),
)
"""What the throttles count (domain/throttle.py), in the database so that every server
process counts the same: failed sign-ins (`sign-in`, per typed address and client address)
and uses of invitations (`join`), requests for reset links (`forgot`), and the client
addresses an account signed in from (`success`, one row per account and address). Named
for its first use, the failed sign-ins."""

one_time_tokens = Table(
    "one_time_tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("purpose", String(10), nullable=False),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=True),
    Column("clinician_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=True),
    Column("created_at", DateTime, nullable=False),
    Column("expires_at", DateTime, nullable=False),
    Column("used_at", DateTime, nullable=True),
    Column("name", String(200), nullable=True),
    Column("birth_date", Date, nullable=True),
    Column("ref", String(24), nullable=True),
    Column("email", String(254), nullable=True),
    CheckConstraint("purpose IN ('reset', 'invite')", name="purpose"),
    Index("ix_one_time_tokens_ref", "ref", unique=True),
)
"""Password-reset links (for `user_id`) and patient invitations (from `clinician_id`, for
the patient of `name` and `birth_date`, which the new account takes). An invitation's `ref`
names it in the pending list (its digest changes when it is sent again); `email` is where
it was mailed (issue #20)."""

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime, nullable=False),
    Column("actor_id", Integer, nullable=False),
    Column("actor_role", String(10), nullable=False),
    Column("action", String(10), nullable=False),
    Column("patient_id", Integer, nullable=True),
    Column("target", String(300), nullable=False),
    CheckConstraint("action IN ('read', 'write', 'refused')", name="action"),
    Index("ix_audit_log_patient", "patient_id", "id"),
)
"""Every read and write of a patient's data by a clinician or an admin, and every request
for a patient that was refused (`refused`: not theirs, or no such patient). Append-only: the
migration adds triggers that refuse UPDATE and DELETE. No foreign keys, so that nothing
done to an account can change what the log says."""

prescriptions = Table(
    "prescriptions",
    metadata,
    Column("patient_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("clinician_id", ForeignKey("users.id"), nullable=False),
    Column("program", Text, nullable=False),
    Column("notes", Text, nullable=False, server_default=""),
    Column("updated_at", DateTime, nullable=False),
)
"""A clinician's program for one patient, as the JSON of `content/prescription.py`."""

messages = Table(
    "messages",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("patient_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("sender_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("at", DateTime, nullable=False),
    Column("body", String(2000), nullable=False),
    Column("read_at", DateTime, nullable=True),
    Column("read_by", ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Index("ix_messages_patient", "patient_id", "id"),
)
"""Short messages between a patient and their clinician: one thread per patient. `read_at`
is when the other side first opened the thread after it came (None: not yet), `read_by`
who did."""

clearance_requests = Table(
    "clearance_requests",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("patient_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("on_date", Date, nullable=False),
    Column("codes", String(1000), nullable=False),
    Column("seen_by", String(200), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("closed_at", DateTime, nullable=True),
    Column("closed_by", ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Column("outcome", String(10), nullable=True),
    CheckConstraint("outcome IN ('cleared', 'declined')", name="outcome"),
    Index("ix_clearance_requests_patient", "patient_id", "id"),
)
"""A patient's "a clinician has seen me" on a clinic's server: a request for their clinician,
who clears (or not). `codes` are the alerts it concerns, comma-separated; it changes nothing
in the program by itself."""

intake_emergencies = Table(
    "intake_emergencies",
    metadata,
    Column("patient_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("on_date", Date, primary_key=True),
    Column("code", String(40), primary_key=True),
    Column("created_at", DateTime, nullable=False),
    Column("cleared_by", ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Column("cleared_at", DateTime, nullable=True),
)
"""An emergency sign answered at the intake of an invited patient: no program starts, but
their clinician must learn of it. Once the clinician has cleared it, the patient's intake
may report it and start (with a clearance in the clinician's name)."""

acknowledgements = Table(
    "acknowledgements",
    metadata,
    Column("patient_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("code", String(40), primary_key=True),
    Column("since", Date, primary_key=True),
    Column("clinician_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("at", DateTime, nullable=False),
)
"""A clinician has seen an emergency or urgent alert (its code, and the day it was raised):
the dashboard stops putting it at the top, though it stands until cleared."""
