"""Skips and swaps (issue #17): an exercise of a session skipped with a reason (no
equipment, not enough time, can't get down to the floor, or another reason in a short
note), and an exercise done in one of its alternatives for that session only.

A skip is kept apart from the pain answers (`session_skips`, and `session_draft_skips` for
the session in progress), so a skip can never be read as one. A swap is the `version`
column of the answer it belongs to. Records kept before this migration have neither.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

REASONS = "reason IN ('no_equipment', 'no_time', 'floor', 'other')"


def upgrade() -> None:
    op.add_column("session_exercises", sa.Column("version", sa.String(length=60), nullable=True))
    op.add_column("session_drafts", sa.Column("version", sa.String(length=60), nullable=True))
    op.create_table(
        "session_skips",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("exercise_id", sa.String(length=60), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("note", sa.String(length=120), nullable=False, server_default=""),
        sa.CheckConstraint(REASONS, name=op.f("ck_session_skips_reason")),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_session_skips_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", "position", name=op.f("pk_session_skips")),
    )
    op.create_table(
        "session_draft_skips",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("exercise_id", sa.String(length=60), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("note", sa.String(length=120), nullable=False, server_default=""),
        sa.CheckConstraint(REASONS, name=op.f("ck_session_draft_skips_reason")),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_session_draft_skips_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_id", "position", name=op.f("pk_session_draft_skips")),
    )


def downgrade() -> None:
    op.drop_table("session_draft_skips")
    op.drop_table("session_skips")
    op.drop_column("session_drafts", "version")
    op.drop_column("session_exercises", "version")
