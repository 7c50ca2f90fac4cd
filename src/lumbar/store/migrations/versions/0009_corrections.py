"""Corrections (issue #15): a record can be edited or deleted, and the change undone.

A deleted record stays in its table with the day it was deleted (`deleted_on`): the
history reads past it, the record list shows it as deleted, and an undo brings it back in
its place. Every edit and delete is a row of `corrections`, with what the record said
before an edit, so that it can be undone and a clinician can see what was corrected when.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("events", sa.Column("deleted_on", sa.Date(), nullable=True))
    op.add_column("problem_reports", sa.Column("deleted_on", sa.Date(), nullable=True))
    op.create_table(
        "corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("record", sa.String(length=20), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("by_user", sa.Integer(), nullable=True),
        sa.Column("before", sa.Text(), nullable=True),
        sa.Column("undone_on", sa.Date(), nullable=True),
        sa.CheckConstraint("action IN ('edit', 'delete')", name=op.f("ck_corrections_action")),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_corrections_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_corrections")),
    )
    op.create_index("ix_corrections_person_record", "corrections", ["person_id", "record", "id"])


def downgrade() -> None:
    op.drop_index("ix_corrections_person_record", table_name="corrections")
    op.drop_table("corrections")
    with op.batch_alter_table("problem_reports") as batch:
        batch.drop_column("deleted_on")
    with op.batch_alter_table("events") as batch:
        batch.drop_column("deleted_on")
