"""Correcting what was recorded (issue #15): the corrections themselves, kept so that each
can be undone and a clinician can see what was corrected when, and the problem reports
edited or deleted (a deleted record stays, marked with the day). The events of the history
are changed by store/writes.py, which writes their rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Integer, bindparam, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import BindParameter

from lumbar.domain.model import ProblemKind, ProblemReport
from lumbar.store.history import as_date
from lumbar.store.tables import (
    corrections,
    problem_reports,
)
from lumbar.store.touched import touch

_PERSON: BindParameter[int] = bindparam("person", type_=Integer)
_ID: BindParameter[int] = bindparam("record_id", type_=Integer)
STORED_PROBLEMS = (
    select(
        problem_reports.c.id,
        problem_reports.c.on_date,
        problem_reports.c.kind,
        problem_reports.c.note,
        problem_reports.c.deleted_on,
    )
    .where(problem_reports.c.person_id == _PERSON)
    .order_by(problem_reports.c.on_date, problem_reports.c.id)
)
SET_PROBLEM = (
    update(problem_reports)
    .where(problem_reports.c.person_id == _PERSON, problem_reports.c.id == _ID)
    .values(on_date=bindparam("on"), kind=bindparam("kind"), note=bindparam("note"))
)
MARK_PROBLEM = (
    update(problem_reports)
    .where(problem_reports.c.person_id == _PERSON, problem_reports.c.id == _ID)
    .values(deleted_on=bindparam("deleted"))
)
ADD_CORRECTION = insert(corrections).returning(corrections.c.id)
CORRECTIONS = (
    select(corrections).where(corrections.c.person_id == _PERSON).order_by(corrections.c.id)
)
UNDONE = (
    update(corrections)
    .where(corrections.c.person_id == _PERSON, corrections.c.id == _ID)
    .values(undone_on=bindparam("on"))
)


@dataclass(frozen=True, slots=True)
class StoredProblem:
    id: int
    report: ProblemReport
    deleted_on: date | None


@dataclass(frozen=True, slots=True)
class Correction:
    """One edit or delete of a record, as `corrections` keeps it."""

    id: int
    record: str
    action: str
    on: date
    by_user: int | None
    before: str | None
    undone_on: date | None


class CorrectingHistory:
    """The part of a `store.writes.Transaction` that keeps corrections and changes problem
    reports (an event is changed by the Transaction, which writes an event's rows)."""

    connection: Connection

    def stored_problems(self, person: int) -> list[StoredProblem]:
        rows = self.connection.execute(STORED_PROBLEMS, {"person": person}).all()
        return [
            StoredProblem(
                r.id,
                ProblemReport(as_date(r.on_date), ProblemKind(r.kind), r.note),
                None if r.deleted_on is None else as_date(r.deleted_on),
            )
            for r in rows
        ]

    def replace_problem(self, person: int, problem_id: int, report: ProblemReport) -> None:
        self.connection.execute(
            SET_PROBLEM,
            {
                "person": person,
                "record_id": problem_id,
                "on": report.on,
                "kind": report.kind.value,
                "note": report.note,
            },
        )
        touch(self.connection, person)

    def mark_problem_deleted(self, person: int, problem_id: int, on: date | None) -> None:
        self.connection.execute(
            MARK_PROBLEM, {"person": person, "record_id": problem_id, "deleted": on}
        )
        touch(self.connection, person)

    def add_correction(
        self,
        person: int,
        record: str,
        action: str,
        *,
        on: date,
        by_user: int | None,
        before: str | None,
    ) -> int:
        found = self.connection.execute(
            ADD_CORRECTION,
            {
                "person_id": person,
                "record": record,
                "action": action,
                "on_date": on,
                "by_user": by_user,
                "before": before,
            },
        )
        return int(found.scalar_one())

    def corrections(self, person: int) -> list[Correction]:
        rows = self.connection.execute(CORRECTIONS, {"person": person}).all()
        return [
            Correction(
                r.id,
                r.record,
                r.action,
                as_date(r.on_date),
                r.by_user,
                r.before,
                None if r.undone_on is None else as_date(r.undone_on),
            )
            for r in rows
        ]

    def mark_undone(self, person: int, correction_id: int, on: date) -> None:
        self.connection.execute(UNDONE, {"person": person, "record_id": correction_id, "on": on})
