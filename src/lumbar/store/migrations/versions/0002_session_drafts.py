"""Session drafts: the pain answers of a session still in progress, so a reload resumes it.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "session_drafts",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("exercise_id", sa.String(length=60), nullable=False),
        sa.Column("pain", sa.String(length=10), nullable=False),
        sa.CheckConstraint(
            "pain IN ('none', 'ache', 'sharp', 'radiating')", name=op.f("ck_session_drafts_pain")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_session_drafts_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_id", "position", name=op.f("pk_session_drafts")),
    )


def downgrade() -> None:
    op.drop_table("session_drafts")
