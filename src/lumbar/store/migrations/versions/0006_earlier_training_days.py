"""The training days chosen before each change, with the day of the change: adherence
counts each past day against the days in force on it (docs/rules.md, issue #13).

Records kept before this migration have no such rows: nothing recorded when their days
changed, so their current days count from the start, as they did before.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "earlier_training_days",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("until_date", sa.Date(), nullable=False),
        sa.Column("training_days", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_earlier_training_days_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_id", "until_date", name=op.f("pk_earlier_training_days")),
    )


def downgrade() -> None:
    op.drop_table("earlier_training_days")
