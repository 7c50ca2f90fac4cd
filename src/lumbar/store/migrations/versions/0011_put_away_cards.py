"""The milestone cards a person has put away on Today (issue #17): a new phase, the
review's result, a recovery, the end of the program each get a card until it is put away.

Records kept before this migration have no rows: every milestone of the last two weeks
shows its card once.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "put_away_cards",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("card", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_put_away_cards_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_id", "card", name=op.f("pk_put_away_cards")),
    )


def downgrade() -> None:
    op.drop_table("put_away_cards")
