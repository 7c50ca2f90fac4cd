"""Two changes of issue #19.

Calendar tokens kept as their SHA-256, like sign-in, reset and invitation tokens: a copy of
the database no longer opens anyone's calendar. Each address that exists keeps working (the
token in it hashes to what is now stored); a disabled account's address is dropped, as
disabling one now does.

The audit log's actions widen to `refused`: a clinician's request for a patient who is not
theirs is logged. On SQLite the table is rebuilt to widen its check (its rows copied as
they are), and its append-only triggers made again on the new table.

Revision ID: 0017
Revises: 0016
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

REMINDERS = sa.table(
    "reminders", sa.column("person_id", sa.Integer), sa.column("calendar_token", sa.String)
)
USERS = sa.table("users", sa.column("id", sa.Integer), sa.column("active", sa.Boolean))


NEW_ACTIONS = "action IN ('read', 'write', 'refused')"
APPEND_ONLY = "the audit log is append-only"


def _audit_log(action_check: str) -> sa.Table:
    """The audit log as Alembic rebuilds it on SQLite (with the `action` check given)."""
    return sa.Table(
        "audit_log",
        sa.MetaData(),
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("actor_role", sa.String(length=10), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=True),
        sa.Column("target", sa.String(length=300), nullable=False),
        sa.CheckConstraint(action_check, name="ck_audit_log_action"),
        sa.Index("ix_audit_log_patient", "patient_id", "id"),
    )


def _widen_audit_actions() -> None:
    if op.get_bind().dialect.name != "sqlite":
        # PostgreSQL changes the check in place; the triggers stay.
        op.drop_constraint(op.f("ck_audit_log_action"), "audit_log", type_="check")
        op.create_check_constraint(op.f("ck_audit_log_action"), "audit_log", NEW_ACTIONS)
        return
    # Copying the rows inserts them (no trigger refuses that), and dropping the old table
    # fires no DELETE trigger; the triggers go with the old table and are made again.
    with op.batch_alter_table("audit_log", recreate="always", copy_from=_audit_log(NEW_ACTIONS)):
        pass
    for change in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER audit_log_no_{change.lower()} BEFORE {change} ON audit_log "
            f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END"
        )


def upgrade() -> None:
    _widen_audit_actions()
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
    # The audit log keeps its wider check: its `refused` rows cannot be removed (it is
    # append-only), and an older lumbar never writes one. A digest cannot be turned back
    # into its token: the addresses are dropped (each person makes a new one).
    op.execute(sa.update(REMINDERS).values(calendar_token=None))
