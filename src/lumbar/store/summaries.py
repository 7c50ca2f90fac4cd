"""The concern summaries (issue #20): written by usecases/summaries.py inside the write
that changes them, listed a page at a time by one indexed query."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import and_, func, insert, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from lumbar.domain.access import Account
from lumbar.store.accounts import ACCOUNT_COLUMNS, _account
from lumbar.store.tables import audit_log, concern_summaries, people, users

s = concern_summaries


@dataclass(frozen=True, slots=True)
class SummaryRow:
    """What one patient's row holds, as usecases/summaries.py computed it."""

    patient_id: int
    clinic_id: int | None
    clinician_id: int | None
    rank: int
    level: str
    findings: str
    last_active: date | None
    pain: str
    started: bool
    name: str | None
    email: str
    revision: int | None
    computed_on: date
    steady_until: date | None


def write(connection: Connection, rows: Sequence[SummaryRow]) -> None:
    """Write these patients' rows, in one statement: a new one inserted, one kept updated
    (its unread counts as they were). An upsert, so that two transactions that compute the
    same patient's row at once (two views of a dashboard on a new day, a view and the
    patient's own write) both succeed: on PostgreSQL the later one waits for the earlier,
    and each computed the patient's concerns after locking their history's row."""
    if not rows:
        return
    values = [
        {
            **{name: getattr(r, name) for name in SummaryRow.__slots__},
            "sort_name": (r.name or r.email).casefold(),
            "search": f"{r.name or ''} {r.email}".casefold(),
        }
        for r in rows
    ]
    connection.execute(_upsert(connection.dialect.name), values)


@cache
def _upsert(dialect: str) -> Any:
    """The upsert `write` runs, built once per dialect: building it (its `excluded` columns)
    cost a tenth of the summary's upkeep on every write."""
    from sqlalchemy.dialects import postgresql, sqlite

    statement: Any = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(s)
    kept = {
        name: statement.excluded[name]
        for name in (*SummaryRow.__slots__, "sort_name", "search")
        if name != "patient_id"
    }
    return statement.on_conflict_do_update(index_elements=[s.c.patient_id], set_=kept)


def stale(connection: Connection, clinician_id: int, today: date) -> list[int]:
    """The clinician's patients whose row is missing or no longer right on `today`: not yet
    computed, computed for another day than today and past the day it could change
    (`steady_until`), or made before a write that did not keep it (another revision of the
    history, another clinician, name or address). One pass over the clinician's patients,
    by their index."""
    changed = or_(
        s.c.patient_id.is_(None),
        s.c.computed_on.is_(None),
        s.c.computed_on > today,
        and_(s.c.computed_on < today, s.c.steady_until.is_not(None), s.c.steady_until <= today),
        s.c.clinician_id.is_distinct_from(users.c.clinician_id),
        s.c.clinic_id.is_distinct_from(users.c.clinic_id),
        s.c.revision.is_distinct_from(people.c.revision),
        s.c.name.is_distinct_from(users.c.name),
        s.c.email != users.c.email,
    )
    query = (
        select(users.c.id)
        .select_from(
            users.outerjoin(s, s.c.patient_id == users.c.id).outerjoin(
                people, people.c.id == users.c.id
            )
        )
        .where(users.c.clinician_id == clinician_id, users.c.role == "patient", changed)
        .order_by(users.c.id)
    )
    return [int(r.id) for r in connection.execute(query)]


@dataclass(frozen=True, slots=True)
class Listed:
    """One line of the dashboard: the account as it is now, and its kept summary."""

    account: Account
    rank: int
    level: str
    findings: str
    last_active: date | None
    pain: str
    started: bool
    unread_messages: int
    unread_problems: int


def listing(
    connection: Connection,
    clinician_id: int,
    *,
    search: str = "",
    levels: Sequence[str] = (),
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[Listed], int]:
    """One page of the clinician's patients, gravest concern first, then by name, and how
    many match in all. `search` is a case-folded piece of a name or an address."""
    conditions: list[ColumnElement[bool]] = [s.c.clinician_id == clinician_id]
    if levels:
        conditions.append(s.c.level.in_(list(levels)))
    if search:
        escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(s.c.search.like(f"%{escaped}%", escape="\\"))
    total = connection.execute(select(func.count()).select_from(s).where(*conditions)).scalar_one()
    query = (
        select(
            *ACCOUNT_COLUMNS,
            s.c.rank,
            s.c.level,
            s.c.findings,
            s.c.last_active,
            s.c.pain,
            s.c.started,
            s.c.unread_messages,
            s.c.unread_problems,
        )
        .select_from(s.join(users, users.c.id == s.c.patient_id))
        .where(*conditions)
        .order_by(s.c.rank, s.c.sort_name, s.c.patient_id)
        .offset(offset)
        .limit(limit)
    )
    found = [
        Listed(
            account=_account(r),
            rank=r.rank,
            level=r.level,
            findings=r.findings,
            last_active=r.last_active,
            pain=r.pain,
            started=bool(r.started),
            unread_messages=r.unread_messages,
            unread_problems=r.unread_problems,
        )
        for r in connection.execute(query)
    ]
    return found, int(total)


def add_audits(
    connection: Connection,
    *,
    now: datetime,
    actor: Account,
    action: str,
    target: str,
    patient_ids: Sequence[int],
) -> None:
    """One entry per patient shown, in one statement (a dashboard view of 50 patients was 50
    transactions)."""
    if not patient_ids:
        return
    common: dict[str, Any] = {
        "at": now,
        "actor_id": actor.id,
        "actor_role": actor.role.value,
        "action": action,
        "target": target[:300],
    }
    connection.execute(insert(audit_log), [{**common, "patient_id": p} for p in patient_ids])
