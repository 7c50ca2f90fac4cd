"""A clinic's program templates (issue #20): named prescriptions its clinicians reuse."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Table, Text, UniqueConstraint

from lumbar.store.metadata import metadata

program_templates = Table(
    "program_templates",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("clinic_id", ForeignKey("clinics.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(100), nullable=False),
    Column("program", Text, nullable=False),
    Column("created_by", ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Column("updated_at", DateTime, nullable=False),
    UniqueConstraint("clinic_id", "name"),
)
"""A prescription document (`formats/prescription.py`'s JSON) under a name, for one clinic:
its clinicians start patients from it. The name is unique within the clinic."""
