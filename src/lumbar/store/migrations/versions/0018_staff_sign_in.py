"""Staff sign-in (issue #19): idle sessions end, and a second factor for staff.

- `auth_sessions.last_seen_at`: when the session last made a request (written at most once
  a minute), so that a staff session ends after a while without one.
- `auth_sessions.pending`: a password checked, the second factor not yet: such a session
  opens nothing but the page that asks for the code.
- `users.totp_secret` (encrypted, see usecases/two_factor.py), `totp_confirmed_at` (None
  while enrolment is not confirmed) and `totp_last_step` (a code is used once).
- `recovery_codes`: ten single-use codes per enrolled account, as their SHA-256.
- `clinics.require_two_factor`: the admin's setting that makes every staff account enrol.

Revision ID: 0018
Revises: 0017
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("auth_sessions") as batch:
        batch.add_column(sa.Column("last_seen_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("pending", sa.Boolean(), nullable=False, server_default="0"))
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("totp_secret", sa.String(300), nullable=True))
        batch.add_column(sa.Column("totp_confirmed_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("totp_last_step", sa.Integer(), nullable=True))
    with op.batch_alter_table("clinics") as batch:
        batch.add_column(
            sa.Column("require_two_factor", sa.Boolean(), nullable=False, server_default="0")
        )
    op.create_table(
        "recovery_codes",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_recovery_codes_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "code_hash", name=op.f("pk_recovery_codes")),
    )


def downgrade() -> None:
    # Without batch mode: SQLite (3.35 and later) drops a column in place, where a batch
    # would copy `clinics` and `users`, which other tables' foreign keys refer to.
    op.drop_table("recovery_codes")
    op.drop_column("clinics", "require_two_factor")
    for column in ("totp_last_step", "totp_confirmed_at", "totp_secret"):
        op.drop_column("users", column)
    for column in ("pending", "last_seen_at"):
        op.drop_column("auth_sessions", column)
