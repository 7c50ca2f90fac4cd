"""Outcome measures a clinic administers itself (issue #20).

- `outcome_scores`: the totals a clinician enters for a patient (STarT Back with its
  psychosocial subscale, ODI, RMDQ, MSK-HQ), each with the day the patient answered.

Revision ID: 0023
Revises: 0022
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outcome_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("measure", sa.String(20), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("subscale", sa.Integer(), nullable=True),
        sa.Column("entered_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_outcome_scores_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outcome_scores")),
    )
    op.create_index(
        "ix_outcome_scores_person_date", "outcome_scores", ["person_id", "on_date", "id"]
    )


def downgrade() -> None:
    op.drop_index("ix_outcome_scores_person_date", table_name="outcome_scores")
    op.drop_table("outcome_scores")
