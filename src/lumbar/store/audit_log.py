"""The audit log read a page at a time, filtered (issue #19): the admin's page loaded the
whole log on every view, which grows with every record a clinician opens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from lumbar.domain.access import AuditEntry
from lumbar.store.clinic_tables import audit_log


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditFilter:
    """Which entries: by these actors only (an admin's clinic; None: every one), and by one
    actor, one patient, one action, from `since` and before `before` (UTC), when given."""

    actor_ids: list[int] | None = None
    actor: int | None = None
    patient: int | None = None
    action: str | None = None
    since: datetime | None = None
    before: datetime | None = None


def audit_page(
    connection: Connection, which: AuditFilter, *, offset: int, limit: int
) -> tuple[list[AuditEntry], int]:
    """One page of the matching entries, newest first, and how many match in all."""
    conditions: list[ColumnElement[bool]] = []
    if which.actor_ids is not None:
        conditions.append(audit_log.c.actor_id.in_(which.actor_ids))
    if which.actor is not None:
        conditions.append(audit_log.c.actor_id == which.actor)
    if which.patient is not None:
        conditions.append(audit_log.c.patient_id == which.patient)
    if which.action is not None:
        conditions.append(audit_log.c.action == which.action)
    if which.since is not None:
        conditions.append(audit_log.c.at >= which.since)
    if which.before is not None:
        conditions.append(audit_log.c.at < which.before)
    total = connection.execute(
        select(func.count()).select_from(audit_log).where(*conditions)
    ).scalar_one()
    query = (
        select(audit_log)
        .where(*conditions)
        .order_by(audit_log.c.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return [AuditEntry(**row._mapping) for row in connection.execute(query)], int(total)
