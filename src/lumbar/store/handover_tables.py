"""The tables of a patient's handover and of their remote-monitoring record (issue #20):
who moved a patient to which clinician, the time a clinician logged against a patient, and
each change of a patient's prescription (the prescription table keeps the latest only)."""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
)

from lumbar.store.metadata import metadata

handovers = Table(
    "handovers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("patient_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("from_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("to_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("by_id", ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Column("at", DateTime, nullable=False),
    Index("ix_handovers_patient", "patient_id", "id"),
)
"""A patient moved from one clinician to another of the same clinic (by an admin or the
clinician who had them): the patient is told who their clinician now is. The audit log
records each move too; this table is what the patient's pages read."""

monitoring_time = Table(
    "monitoring_time",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("patient_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("clinician_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("on_date", Date, nullable=False),
    Column("minutes", Integer, nullable=True),
    Column("note", String(500), nullable=False, server_default=""),
    Column("started_at", DateTime, nullable=True),
    Column("created_at", DateTime, nullable=False),
    CheckConstraint("minutes IS NULL OR (minutes > 0 AND minutes <= 1440)", name="minutes"),
    Index("ix_monitoring_time_patient", "patient_id", "on_date"),
)
"""Time a clinician spent on a patient's remote monitoring (US practices bill it as remote
therapeutic monitoring). An entry without `minutes` is a timer still running since
`started_at`; stopping it fills `minutes`."""

prescription_changes = Table(
    "prescription_changes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("patient_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("clinician_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("at", DateTime, nullable=False),
    Index("ix_prescription_changes_patient", "patient_id", "at"),
)
"""Each time a clinician saved a patient's prescription: the monitoring report counts them
as interactions."""
