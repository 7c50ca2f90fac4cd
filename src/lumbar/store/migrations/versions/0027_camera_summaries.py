"""The camera's summary of an exercise (issue #21): the reps or seconds held it counted and
the form checks that failed, kept with the exercise's pain answer in the session recorded
(`session_exercises.camera`) and in the session in progress (`session_drafts.camera`), as
compact JSON text (`{"reps": 8, "held_seconds": null, "faults": {"hips-low": 2},
"tracked_seconds": 41}`). Answers kept before this migration have none (NULL).

A column rather than a table of its own: the history is read in one query per kind of row
(store/history.py), and a column keeps a session's exercises one row each with nothing
joined, while a table of faults would add a query (or a join that repeats each exercise per
fault) to every read of every person's history, for a summary no rule reads. Text rather
than a JSON type: SQLite and PostgreSQL read it back alike, and no query looks inside it.

Revision ID: 0027
Revises: 0026
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("session_exercises", sa.Column("camera", sa.Text(), nullable=True))
    op.add_column("session_drafts", sa.Column("camera", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("session_drafts") as batch:
        batch.drop_column("camera")
    with op.batch_alter_table("session_exercises") as batch:
        batch.drop_column("camera")
