"""The API's shape of a clinic's program template (issue #20)."""

from __future__ import annotations

from pydantic import Field

from lumbar.formats.prescription import PrescriptionDocument
from lumbar.formats.shapes.base import Shape


class ProgramTemplate(Shape):
    id: int
    name: str = Field(description="Unique within the clinic.")
    updated_at: str = Field(description="When it was saved or renamed (UTC, ISO 8601).")
    document: PrescriptionDocument = Field(
        description="The prescription it holds, as a patient's (checked by the safety rules "
        "when saved, and again when a patient is started from it)."
    )
