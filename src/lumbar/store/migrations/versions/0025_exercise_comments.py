"""The patient's comment per exercise (issue #20): their own words on an exercise, kept with
its pain answer for their clinician, in the session recorded (`session_exercises`) and the
session in progress (`session_drafts`). Answers kept before this migration have none.

Revision ID: 0025
Revises: 0024
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("session_exercises", sa.Column("comment", sa.String(length=280), nullable=True))
    op.add_column("session_drafts", sa.Column("comment", sa.String(length=280), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("session_drafts") as batch:
        batch.drop_column("comment")
    with op.batch_alter_table("session_exercises") as batch:
        batch.drop_column("comment")
