"""The tables, as SQLAlchemy Core metadata: the one definition Alembic migrations follow."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    text,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

people = Table(
    "people",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("start_date", Date, nullable=False),
    Column("age", Integer, nullable=False),
    Column("pain_weeks", Integer, nullable=True),
    Column("training_days", String(40), nullable=False),
    Column("revision", Integer, nullable=False, server_default=text("0")),
    CheckConstraint("age >= 18", name="adult"),
)
"""`revision` rises with every write of the person's history (see store/cache.py)."""

psfs_activities = Table(
    "psfs_activities",
    metadata,
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("activity", String(200), nullable=False),
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
    Column("on_date", Date, nullable=False),
    Column("kind", String(10), nullable=False),
    CheckConstraint("kind IN ('session', 'checkin')", name="kind"),
    Index("ix_events_person_date", "person_id", "on_date", "id"),
)
"""One row per thing recorded; `id` is the order it was recorded in."""

session_exercises = Table(
    "session_exercises",
    metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("exercise_id", String(60), nullable=False),
    Column("pain", String(10), nullable=False),
    CheckConstraint("pain IN ('none', 'ache', 'sharp', 'radiating')", name="pain"),
)

checkins = Table(
    "checkins",
    metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("pain", Integer, nullable=True),
    Column("cleared_by_clinician", Boolean, nullable=False),
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

session_drafts = Table(
    "session_drafts",
    metadata,
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Column("on_date", Date, nullable=False),
    Column("position", Integer, primary_key=True),
    Column("exercise_id", String(60), nullable=False),
    Column("pain", String(10), nullable=False),
    CheckConstraint("pain IN ('none', 'ache', 'sharp', 'radiating')", name="pain"),
)
"""The answers of the one session a person has in progress (at most one: its day is kept
so that a draft left from an earlier day is recognised and discarded)."""

problem_reports = Table(
    "problem_reports",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
    Column("on_date", Date, nullable=False),
    Column("kind", String(30), nullable=False),
    Column("note", String(1000), nullable=False, server_default=""),
    CheckConstraint("kind IN ('pain_after_session', 'fall', 'other')", name="kind"),
    Index("ix_problem_reports_person_date", "person_id", "on_date", "id"),
)
"""The adverse-event log: what went wrong, for the clinician to read (issue #5)."""

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
