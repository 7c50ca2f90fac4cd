"""Calendar tokens kept as their SHA-256 (issue #19), like sign-in, reset and invitation
tokens: a copy of the database no longer opens anyone's calendar. Each address that exists
keeps working (the token in it hashes to what is now stored); a disabled account's address
is dropped, as disabling one now does.

Revision ID: 0017
Revises: 0014
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0014"
branch_labels = None
depends_on = None

REMINDERS = sa.table(
    "reminders", sa.column("person_id", sa.Integer), sa.column("calendar_token", sa.String)
)
USERS = sa.table("users", sa.column("id", sa.Integer), sa.column("active", sa.Boolean))


def upgrade() -> None:
    connection = op.get_bind()
    held = connection.execute(
        sa.select(REMINDERS.c.person_id, REMINDERS.c.calendar_token).where(
            REMINDERS.c.calendar_token.is_not(None)
        )
    ).all()
    for person, token in held:
        connection.execute(
            sa.update(REMINDERS)
            .where(REMINDERS.c.person_id == person)
            .values(calendar_token=hashlib.sha256(token.encode()).hexdigest())
        )
    disabled = sa.select(USERS.c.id).where(USERS.c.active.is_(False))
    connection.execute(
        sa.update(REMINDERS).where(REMINDERS.c.person_id.in_(disabled)).values(calendar_token=None)
    )


def downgrade() -> None:
    # A digest cannot be turned back into its token: the addresses are dropped (each person
    # makes a new one).
    op.execute(sa.update(REMINDERS).values(calendar_token=None))
