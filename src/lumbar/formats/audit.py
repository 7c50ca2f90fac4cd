"""The audit log as CSV and JSON, the same columns wherever it is exported."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from lumbar.domain.access import AuditEntry

COLUMNS = ("id", "at", "actor", "role", "action", "patient", "target")


def audit_row(entry: AuditEntry) -> list[Any]:
    return [
        entry.id,
        entry.at.isoformat(),
        entry.actor_id,
        entry.actor_role,
        entry.action,
        entry.patient_id,
        entry.target,
    ]


def audit_json(entry: AuditEntry) -> dict[str, Any]:
    return dict(zip(COLUMNS, audit_row(entry), strict=True))


def audit_csv(entries: Iterable[AuditEntry]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(audit_row(entry) for entry in entries)
    return out.getvalue()
