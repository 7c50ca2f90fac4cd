"""A person's tables: their profile, history, the records beside it and what is in
progress (a session, the intake's steps)."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    text,
)

from lumbar.store.metadata import metadata

people = Table(
    "people",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("start_date", Date, nullable=False),
    Column("age", Integer, nullable=False),
    Column("pain_weeks", Integer, nullable=True),
    Column("training_days", String(40), nullable=False),
    Column("revision", Integer, nullable=False, server_default=text("0")),
    Column("unit", String(2), nullable=False, server_default="kg"),
    CheckConstraint("age >= 18", name="adult"),
    CheckConstraint("unit IN ('kg', 'lb')", name="unit"),
)
"""`revision` rises with every write of the person's history (see store/cache.py)."""

psfs_activities = Table(
    "psfs_activities",
    metadata,
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("activity", String(200), nullable=False),
)

earlier_training_days = Table(
    "earlier_training_days",
    metadata,
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Column("until_date", Date, primary_key=True),
    Column("training_days", String(40), nullable=False),
)
"""The days a person chose before each change: in force up to (not including) `until_date`.
`people.training_days` holds from the last change on."""

exercise_alternatives = Table(
    "exercise_alternatives",
    metadata,
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Column("exercise_id", String(60), primary_key=True),
    Column("alternative", String(60), nullable=False),
)
"""The version on a chair or standing that a person does instead of an exercise."""

put_away_cards = Table(
    "put_away_cards",
    metadata,
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Column("card", String(40), primary_key=True),
)
"""The milestone cards a person has put away on Today (`Milestone.key`): not part of their
record, only of what Today shows (issue 17)."""

equipment = Table(
    "equipment",
    metadata,
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("kind", String(12), nullable=False),
    Column("amount", Float, nullable=True),
    Column("unit", String(2), nullable=True),
    CheckConstraint(
        "(kind = 'band' AND amount IS NULL AND unit IS NULL) OR "
        "(kind IN ('dumbbells', 'kettlebell') AND amount > 0 AND unit IN ('kg', 'lb'))",
        name="item",
    ),
)
"""What a person has to lift (issue #17): each weight with the unit written on it, and a
resistance band; no rows is nothing at all. `people.unit` is the unit they read weights in."""

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
    Column("on_date", Date, nullable=False),
    Column("kind", String(10), nullable=False),
    Column("deleted_on", Date, nullable=True),
    CheckConstraint("kind IN ('session', 'checkin', 'clearance')", name="kind"),
    Index("ix_events_person_date", "person_id", "on_date", "id"),
)
"""One row per thing recorded; `id` is the order it was recorded in. A deleted record stays,
with the day it was deleted: the history reads past it (issue #15)."""

session_exercises = Table(
    "session_exercises",
    metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("exercise_id", String(60), nullable=False),
    Column("pain", String(10), nullable=False),
    Column("version", String(60), nullable=True),
    Column("comment", String(280), nullable=True),
    Column("camera", Text, nullable=True),
    CheckConstraint("pain IN ('none', 'ache', 'sharp', 'radiating')", name="pain"),
)
"""`version`: the alternative done instead for that session only (a swap), else NULL.
`comment`: the person's own words on the exercise for their clinician (issue #20), or NULL.
`camera`: the camera's summary of the exercise as JSON text (issue #21, store/camera.py), or
NULL when the camera was not used."""

_SKIP_REASONS = "reason IN ('no_equipment', 'no_time', 'floor', 'other')"

session_skips = Table(
    "session_skips",
    metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("exercise_id", String(60), nullable=False),
    Column("reason", String(20), nullable=False),
    Column("note", String(120), nullable=False, server_default=""),
    CheckConstraint(_SKIP_REASONS, name="reason"),
)
"""The exercises of a session skipped, with the reason (issue #17): apart from the pain
answers, so a skip is never read as one."""

checkins = Table(
    "checkins",
    metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("pain", Integer, nullable=True),
    Column("screened", Boolean, nullable=False, server_default=text("false")),
    Column("follow_up", Boolean, nullable=False, server_default=text("false")),
    CheckConstraint("pain BETWEEN 0 AND 10", name="pain"),
)

checkin_psfs = Table(
    "checkin_psfs",
    metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("score", Integer, nullable=False),
    CheckConstraint("score BETWEEN 0 AND 10", name="score"),
)

checkin_symptoms = Table(
    "checkin_symptoms",
    metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("code", String(40), primary_key=True),
)

clearances = Table(
    "clearances",
    metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("cleared_by", String(200), nullable=False),
    Column("confirmed", Boolean, nullable=False),
)
"""A clinician's clearance (issue #14): who cleared, in words, and whether a clinician
recorded it with their own account (`confirmed`) or the person told us."""

clearance_codes = Table(
    "clearance_codes",
    metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("code", String(40), primary_key=True),
)
"""The alerts a clearance names: it clears those, and only those."""

session_drafts = Table(
    "session_drafts",
    metadata,
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Column("on_date", Date, nullable=False),
    Column("position", Integer, primary_key=True),
    Column("exercise_id", String(60), nullable=False),
    Column("pain", String(10), nullable=False),
    Column("version", String(60), nullable=True),
    Column("comment", String(280), nullable=True),
    Column("camera", Text, nullable=True),
    CheckConstraint("pain IN ('none', 'ache', 'sharp', 'radiating')", name="pain"),
)
"""The answers of the one session a person has in progress (at most one: its day is kept
so that a draft left from an earlier day is recognised and discarded)."""

session_draft_skips = Table(
    "session_draft_skips",
    metadata,
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Column("on_date", Date, nullable=False),
    Column("position", Integer, primary_key=True),
    Column("exercise_id", String(60), nullable=False),
    Column("reason", String(20), nullable=False),
    Column("note", String(120), nullable=False, server_default=""),
    CheckConstraint(_SKIP_REASONS, name="reason"),
)
"""The exercises skipped so far in the session in progress (`session_drafts` holds its
answers)."""

problem_reports = Table(
    "problem_reports",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
    Column("on_date", Date, nullable=False),
    Column("kind", String(30), nullable=False),
    Column("note", String(1000), nullable=False, server_default=""),
    Column("deleted_on", Date, nullable=True),
    CheckConstraint("kind IN ('pain_after_session', 'fall', 'other')", name="kind"),
    Index("ix_problem_reports_person_date", "person_id", "on_date", "id"),
)
"""The adverse-event log: what went wrong, for the clinician to read (issue #5)."""

corrections = Table(
    "corrections",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
    Column("record", String(20), nullable=False),
    Column("action", String(10), nullable=False),
    Column("on_date", Date, nullable=False),
    Column("by_user", Integer, nullable=True),
    Column("before", Text, nullable=True),
    Column("undone_on", Date, nullable=True),
    CheckConstraint("action IN ('edit', 'delete')", name="action"),
    Index("ix_corrections_person_record", "person_id", "record", "id"),
)
"""Every edit and delete of a record (issue #15): which record ("s12": its kind's letter and
id), on which day, by which account (None: the person on their own machine), and for an
edit what the record said before (JSON, formats/archive.py), so that it can be undone.
`undone_on` marks one taken back. `before` is None for an edit carried in from an export,
which keeps the day of a correction but not what it replaced."""

devices = Table(
    "devices",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(60), nullable=False),
    Column("secret_hash", String(64), nullable=False, unique=True),
    Column("paired_at", DateTime, nullable=False),
    Column("last_seen", DateTime, nullable=False),
    Column("revoked_at", DateTime, nullable=True),
)
"""The phones (or other devices) a person paired with the app on their own computer (local
mode, issue #16). The device's cookie holds a random secret; only its SHA-256 is stored,
so a copy of the database does not let another device in. Times are UTC."""

pairings = Table(
    "pairings",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("created_at", DateTime, nullable=False),
    Column("expires_at", DateTime, nullable=False),
    Column("used_at", DateTime, nullable=True),
)
"""One-time pairing links, shown as a QR code on the computer: each pairs one device,
once, within minutes."""

reminders = Table(
    "reminders",
    metadata,
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Column("session_time", String(5), nullable=False),
    Column("work_days", String(40), nullable=False),
    Column("work_start", String(5), nullable=False),
    Column("work_end", String(5), nullable=False),
    Column("break_minutes", Integer, nullable=False),
    Column("calendar_token", String(64), nullable=True, unique=True),
)
"""When to remind, and the secret in the calendar subscription's address (None until the
person asks for one). Times are "HH:MM" in the person's own clock."""


# Accounts mode (issue #6): a clinic's server. Times are UTC, without a zone attached. A
# patient's clinical rows (people, events...) carry their user id as the person id.

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("person_id", Integer, primary_key=True),
    Column("key", String(128), primary_key=True),
    Column("response", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
)
"""The answer given to a write sent with an Idempotency-Key, written in the same transaction
as the write: a client that retries after a timeout gets the same answer, and nothing is
written twice."""

intake_drafts = Table(
    "intake_drafts",
    metadata,
    Column("person_id", Integer, primary_key=True),
    Column("answers", Text, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)
"""The intake's answers so far, as typed (issue #17): the intake is asked in steps, and a
person who goes back, reloads or comes back tomorrow finds what they wrote. No foreign
key: the person's row is written only when the program starts, which deletes the draft."""
