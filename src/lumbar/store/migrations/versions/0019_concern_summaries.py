"""The dashboard at practice scale (issue #20): `concern_summaries`, one row per patient.

Each patient's concerns, kept by every write of their record (usecases/summaries.py), so a
clinician's dashboard is one indexed query. The upgrade makes a row for every patient who
has an account, marked not yet computed (`computed_on` None): the first listing of their
clinician's dashboard computes them, in one transaction, with the same rules as every write.

Revision ID: 0019
Revises: 0018
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

NOT_COMPUTED_RANK = 99
"""Any rank: a row not yet computed is computed before it is listed."""


def upgrade() -> None:
    summaries = op.create_table(
        "concern_summaries",
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=True),
        sa.Column("clinician_id", sa.Integer(), nullable=True),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(30), nullable=False),
        sa.Column("findings", sa.Text(), nullable=False),
        sa.Column("last_active", sa.Date(), nullable=True),
        sa.Column("pain", sa.Text(), nullable=False),
        sa.Column("started", sa.Boolean(), nullable=False),
        sa.Column("name", sa.String(200), nullable=True),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("sort_name", sa.String(254), nullable=False),
        sa.Column("search", sa.String(500), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=True),
        sa.Column("computed_on", sa.Date(), nullable=True),
        sa.Column("steady_until", sa.Date(), nullable=True),
        sa.Column("unread_messages", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("unread_problems", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["users.id"],
            name=op.f("fk_concern_summaries_patient_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("patient_id", name=op.f("pk_concern_summaries")),
    )
    assert summaries is not None
    op.create_index(
        "ix_concern_summaries_list",
        "concern_summaries",
        ["clinician_id", "rank", "sort_name", "patient_id"],
    )
    op.create_index(
        "ix_concern_summaries_level", "concern_summaries", ["clinician_id", "level", "sort_name"]
    )
    op.create_index("ix_concern_summaries_name", "concern_summaries", ["clinic_id", "sort_name"])
    connection = op.get_bind()
    patients = connection.execute(
        sa.text("SELECT id, email, name, clinic_id, clinician_id FROM users WHERE role = 'patient'")
    ).all()
    if patients:
        op.bulk_insert(
            summaries,
            [
                {
                    "patient_id": p.id,
                    "clinic_id": p.clinic_id,
                    "clinician_id": p.clinician_id,
                    "rank": NOT_COMPUTED_RANK,
                    "level": "none",
                    "findings": "[]",
                    "pain": "[]",
                    "started": False,
                    "name": p.name,
                    "email": p.email,
                    "sort_name": (p.name or p.email).casefold(),
                    "search": f"{p.name or ''} {p.email}".casefold(),
                }
                for p in patients
            ],
        )


def downgrade() -> None:
    op.drop_table("concern_summaries")
