"""Problem reports (the adverse-event log) and reminder settings with the calendar token.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "problem_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("note", sa.String(length=1000), server_default="", nullable=False),
        sa.CheckConstraint(
            "kind IN ('pain_after_session', 'fall', 'other')",
            name=op.f("ck_problem_reports_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_problem_reports_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_problem_reports")),
    )
    op.create_index(
        "ix_problem_reports_person_date", "problem_reports", ["person_id", "on_date", "id"]
    )
    op.create_table(
        "reminders",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("session_time", sa.String(length=5), nullable=False),
        sa.Column("work_days", sa.String(length=40), nullable=False),
        sa.Column("work_start", sa.String(length=5), nullable=False),
        sa.Column("work_end", sa.String(length=5), nullable=False),
        sa.Column("break_minutes", sa.Integer(), nullable=False),
        sa.Column("calendar_token", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_reminders_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_reminders")),
        sa.UniqueConstraint("calendar_token", name=op.f("uq_reminders_calendar_token")),
    )


def downgrade() -> None:
    op.drop_table("reminders")
    op.drop_index("ix_problem_reports_person_date", table_name="problem_reports")
    op.drop_table("problem_reports")
