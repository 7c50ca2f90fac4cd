"""A revision number on each person, raised by every write of their history.

It lets a long-running server keep a person's history (and the day's plan) in memory and
know, with one small query, whether any process has changed it since.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.add_column(
            sa.Column("revision", sa.Integer(), nullable=False, server_default=sa.text("0"))
        )


def downgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.drop_column("revision")
