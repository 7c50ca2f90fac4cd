"""Who a patient is (issue #19): the name and date of birth their clinician enters when
inviting them, kept with the invitation until it is accepted, then with the account.

Both are nullable: patients who joined before were invited without them (their clinician
reads "name not given"), and only an invitation holds them among the one-time tokens.

Revision ID: 0016
Revises: 0015
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("users", "one_time_tokens"):
        op.add_column(table, sa.Column("name", sa.String(length=200), nullable=True))
        op.add_column(table, sa.Column("birth_date", sa.Date(), nullable=True))


def downgrade() -> None:
    for table in ("users", "one_time_tokens"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("birth_date")
            batch.drop_column("name")
