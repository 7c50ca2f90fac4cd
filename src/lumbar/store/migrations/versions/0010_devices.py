"""Devices paired with the app on a person's own computer (issue #16): a phone on the same
network, let in by a cookie whose secret is stored hashed, and the one-time pairing links
that pair them.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "devices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("paired_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_devices")),
        sa.UniqueConstraint("secret_hash", name=op.f("uq_devices_secret_hash")),
    )
    op.create_table(
        "pairings",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_pairings")),
    )


def downgrade() -> None:
    op.drop_table("pairings")
    op.drop_table("devices")
