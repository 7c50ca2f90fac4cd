"""Invitations that travel (issue #20): a list of pending invitations to resend or revoke.

- `one_time_tokens.ref`: an invitation's handle in addresses such as
  `/clinic/invitations/REF/resend`. The token itself is stored as its digest only, and a
  resend replaces that digest, so the row needs a name of its own that stays; filled in
  for the invitations already pending.
- `one_time_tokens.email`: the address the invitation is mailed to (optional).

Revision ID: 0020
Revises: 0019
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("one_time_tokens", sa.Column("ref", sa.String(length=24), nullable=True))
    op.add_column("one_time_tokens", sa.Column("email", sa.String(length=254), nullable=True))
    op.create_index("ix_one_time_tokens_ref", "one_time_tokens", ["ref"], unique=True)
    tokens = sa.table(
        "one_time_tokens",
        sa.column("token_hash", sa.String),
        sa.column("purpose", sa.String),
        sa.column("ref", sa.String),
    )
    connection = op.get_bind()
    pending = connection.execute(
        sa.select(tokens.c.token_hash).where(tokens.c.purpose == "invite")
    ).scalars()
    for token_hash in list(pending):
        connection.execute(
            sa.update(tokens)
            .where(tokens.c.token_hash == token_hash)
            .values(ref=secrets.token_hex(8))
        )


def downgrade() -> None:
    op.drop_index("ix_one_time_tokens_ref", table_name="one_time_tokens")
    with op.batch_alter_table("one_time_tokens") as batch:
        batch.drop_column("email")
        batch.drop_column("ref")
