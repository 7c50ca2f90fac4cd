"""What a person has to lift, and the unit they read weights in (issue #17).

`people.unit` is "kg" or "lb"; `equipment` holds one row per weight (dumbbells or a
kettlebell, with the amount in the unit written on it) and one for a resistance band.

Records kept before this migration read kilograms and no equipment ("nothing"): phase 3
then uses household loads, weighed out, instead of weights the person may not have.

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.add_column(
            sa.Column("unit", sa.String(length=2), nullable=False, server_default="kg")
        )
        batch.create_check_constraint(op.f("ck_people_unit"), "unit IN ('kg', 'lb')")
    op.create_table(
        "equipment",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("amount", sa.Float(), nullable=True),
        sa.Column("unit", sa.String(length=2), nullable=True),
        sa.CheckConstraint(
            "(kind = 'band' AND amount IS NULL AND unit IS NULL) OR "
            "(kind IN ('dumbbells', 'kettlebell') AND amount > 0 AND unit IN ('kg', 'lb'))",
            name=op.f("ck_equipment_item"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_equipment_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_id", "position", name=op.f("pk_equipment")),
    )


def downgrade() -> None:
    op.drop_table("equipment")
    with op.batch_alter_table("people") as batch:
        batch.drop_constraint(op.f("ck_people_unit"), type_="check")
        batch.drop_column("unit")
