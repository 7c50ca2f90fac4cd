"""Handover and remote monitoring (issue #20).

- `handovers`: a patient moved from one clinician to another of the same clinic.
- `monitoring_time`: the minutes a clinician logged against a patient (a running timer has
  no minutes yet).
- `prescription_changes`: each save of a patient's prescription (the monitoring report's
  interactions). Those saved before this migration are not known: none is made up.

Revision ID: 0024
Revises: 0023
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def _user(column: str, table: str, ondelete: str = "CASCADE") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["users.id"], name=op.f(f"fk_{table}_{column}_users"), ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "handovers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("from_id", sa.Integer(), nullable=False),
        sa.Column("to_id", sa.Integer(), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        _user("patient_id", "handovers"),
        _user("from_id", "handovers"),
        _user("to_id", "handovers"),
        _user("by_id", "handovers", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handovers")),
    )
    op.create_index("ix_handovers_patient", "handovers", ["patient_id", "id"])
    op.create_table(
        "monitoring_time",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("clinician_id", sa.Integer(), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(500), nullable=False, server_default=""),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "minutes IS NULL OR (minutes > 0 AND minutes <= 1440)",
            name=op.f("ck_monitoring_time_minutes"),
        ),
        _user("patient_id", "monitoring_time"),
        _user("clinician_id", "monitoring_time"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_time")),
    )
    op.create_index("ix_monitoring_time_patient", "monitoring_time", ["patient_id", "on_date"])
    op.create_table(
        "prescription_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("clinician_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        _user("patient_id", "prescription_changes"),
        _user("clinician_id", "prescription_changes"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prescription_changes")),
    )
    op.create_index("ix_prescription_changes_patient", "prescription_changes", ["patient_id", "at"])


def downgrade() -> None:
    for table in ("prescription_changes", "monitoring_time", "handovers"):
        op.drop_table(table)
