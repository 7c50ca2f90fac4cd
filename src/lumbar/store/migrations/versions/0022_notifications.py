"""Notifications (issue #20): what a clinician has read, and the mail they want.

- `messages.read_at`, `messages.read_by`: when the other side of the thread first opened it
  after the message came. Messages from before read as new: nobody has marked them.
- `problem_reads`: the problem reports the patient's clinician has opened.
- `mail_settings`: a clinician's opt-out of the alert mail and of the daily digest.
- `mailed_concerns`: the concerns already mailed, so none is mailed twice.

Revision ID: 0022
Revises: 0021
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("read_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("read_by", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_messages_read_by_users"), "users", ["read_by"], ["id"], ondelete="SET NULL"
        )
    op.create_table(
        "problem_reads",
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("read_by", sa.Integer(), nullable=True),
        sa.Column("read_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["problem_reports.id"],
            name=op.f("fk_problem_reads_report_id_problem_reports"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["read_by"],
            ["users.id"],
            name=op.f("fk_problem_reads_read_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("report_id", name=op.f("pk_problem_reads")),
    )
    op.create_table(
        "mail_settings",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("alerts", sa.Boolean(), nullable=False),
        sa.Column("digest", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_mail_settings_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_mail_settings")),
    )
    op.create_table(
        "mailed_concerns",
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("concern", sa.String(120), nullable=False),
        sa.Column("mailed_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('alert', 'digest')", name=op.f("ck_mailed_concerns_kind")),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["users.id"],
            name=op.f("fk_mailed_concerns_patient_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("patient_id", "kind", "concern", name=op.f("pk_mailed_concerns")),
    )


def downgrade() -> None:
    op.drop_table("mailed_concerns")
    op.drop_table("mail_settings")
    op.drop_table("problem_reads")
    with op.batch_alter_table("messages") as batch:
        batch.drop_constraint(op.f("fk_messages_read_by_users"), type_="foreignkey")
        batch.drop_column("read_by")
        batch.drop_column("read_at")
