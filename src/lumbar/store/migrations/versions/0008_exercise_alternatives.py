"""The alternative a person chose for an exercise (issue #14): the version on a chair or
standing that they do instead, for good, because they cannot get down to the floor or
kneel. The rules count it as the exercise itself; only what is taught changes.

Records kept before this migration have no rows: every exercise is taught as it was.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exercise_alternatives",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("exercise_id", sa.String(length=60), nullable=False),
        sa.Column("alternative", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_exercise_alternatives_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_id", "exercise_id", name=op.f("pk_exercise_alternatives")),
    )


def downgrade() -> None:
    op.drop_table("exercise_alternatives")
