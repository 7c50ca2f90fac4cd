"""The daily digest's day (issue #20): the last day each clinician was sent it, so that the
server's own daily job, a timer's `lumbar admin send-digest` and a second server on the same
database send it once a day at most, across restarts. No row: not sent yet.

Revision ID: 0026
Revises: 0025
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "digest_days",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_digest_days_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_digest_days")),
    )


def downgrade() -> None:
    op.drop_table("digest_days")
