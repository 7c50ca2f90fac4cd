"""Throttling by client address as well as by account (issue #19): failed sign-ins keep the
client address they came from and what they were (a sign-in, a use of an invitation, a
request for a reset link, or a sign-in that worked), so that failures from elsewhere no
longer lock an account's owner out.

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("login_failures", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("client", sa.String(length=64), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("kind", sa.String(length=10), server_default="sign-in", nullable=False)
        )
        batch_op.create_check_constraint(
            op.f("ck_login_failures_kind"), "kind IN ('sign-in', 'join', 'forgot', 'success')"
        )
        batch_op.create_index("ix_login_failures_client_at", ["client", "at"], unique=False)
        batch_op.create_index("ix_login_failures_at", ["at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("login_failures", schema=None) as batch_op:
        batch_op.drop_index("ix_login_failures_at")
        batch_op.drop_index("ix_login_failures_client_at")
        batch_op.drop_constraint(op.f("ck_login_failures_kind"), type_="check")
        batch_op.drop_column("kind")
        batch_op.drop_column("client")
