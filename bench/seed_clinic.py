"""Seed a clinic for the benchmarks (issue #20): clinicians, each with their patients, each
patient with a year of history (by default 10 clinicians x 2,000 patients: 20,000).

Writing 20,000 years through the use cases would take hours (every session checks the
rules against the history so far), so the seeding is a faithful bulk path:

1. The clinic, its clinicians and one patient, the template, are written through the use
   cases themselves (`Accounts.create_user`, `program.start`, `sessions.log`,
   `checkins.record`): a year of a program followed as planned (every training day done,
   no pain, a check-in each week; simulated by `tests.builders.Follower`).
2. Every other patient is a copy of the template's rows: every row of every table that
   belongs to the template (found from the schema itself: the rows whose foreign key to
   `users` or `people` names the template, and the rows of those rows' events), inserted in
   bulk with the patient's own ids (a new account id, new event ids, a new email). A row
   that names the template's clinician names the patient's own clinician instead.

So the rows are the rows the use cases write, table by table; tests/bench/test_seed_clinic.py
checks that a copied patient reads back through the use cases (history, today's plan,
status, the clinician's overview) exactly as the template does, on SQLite and PostgreSQL.
Tables added later (a stored concern summary, say) are copied too, if their rows name the
patient by a foreign key to `users` or `people`.

Run: `.venv/bin/python bench/seed_clinic.py --db URL [--clinicians 10] [--patients 2000]`
(a PostgreSQL URL, or sqlite:////path/to/file.db). It prints the time it took and the size
of the database.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lumbar.domain.model import CheckIn, SessionLog  # noqa: E402
from tests import builders  # noqa: E402
from tests.builders import START, Follower  # noqa: E402

PASSWORD = "correct horse battery"
CLINIC = "Bench Clinic"
BATCH = 200
"""Patients copied per transaction."""


def clinician_email(n: int) -> str:
    return f"pt{n}@bench.example"


def patient_email(clinician: int, n: int) -> str:
    return f"patient{clinician}-{n}@bench.example"


@dataclass(frozen=True)
class Seeded:
    template: int
    """The account id of the patient written through the use cases."""
    clinicians: list[int]
    patients: dict[int, list[int]]
    """Each clinician's patients (account ids), the template first for the first one."""
    seconds: float


def year_of_events(weeks: int) -> list[CheckIn | SessionLog]:
    """A program followed as planned for `weeks` weeks after the intake: every session, no
    pain, a check-in each week."""
    weekly: dict[date, tuple[int | None, tuple[int, ...] | None]] = {
        START + timedelta(weeks=week): (5, (5, 6, 4)) for week in range(1, weeks)
    }
    follower = Follower(builders.program(), builders.history(), checkins=weekly)
    lived = follower.follow(START + timedelta(weeks=weeks) - timedelta(days=1))
    return [e for e in lived.events[1:] if isinstance(e, CheckIn | SessionLog)]


def seed(
    url: str, clinicians: int, patients: int, *, weeks: int = 52, progress: bool = False
) -> Seeded:
    """The clinic in the (new, empty) database at `url`."""
    from argon2 import PasswordHasher

    from lumbar.content.load import default_content
    from lumbar.formats.intake import IntakeAnswers
    from lumbar.store.database import Store
    from lumbar.usecases import checkins, program, sessions
    from lumbar.usecases.accounts import Accounts, now_utc
    from lumbar.usecases.person import Person
    from tests.web.conftest import ANSWERS

    started = time.perf_counter()
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    answers = IntakeAnswers.model_validate_json(json.dumps(ANSWERS))
    store = Store(url)
    try:
        accounts = Accounts(store, cheap)
        now = now_utc()
        staff = [
            accounts.create_user(clinician_email(c), PASSWORD, "clinician", now, clinic=CLINIC).id
            for c in range(clinicians)
        ]
        template = accounts.create_user(
            patient_email(0, 0), PASSWORD, "patient", now, clinician_email=clinician_email(0)
        )
        last = START + timedelta(weeks=weeks)  # the day the clinic is seeded up to
        person = Person(store, default_content(), template.id, clinic=True, today=last)
        with store.transaction():
            program.start(person, answers, START)
        for event in year_of_events(weeks):
            with store.transaction():  # one commit per event, as a patient's day writes
                if isinstance(event, SessionLog):
                    entries = [(r.exercise_id, r.pain) for r in event.results]
                    sessions.log(person, event.on, entries)
                else:
                    checkins.record(person, event.on, pain=event.pain, psfs=event.psfs)
        if progress:
            print(f"template written in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        wanted = [(c, n) for c in range(clinicians) for n in range(patients) if (c, n) != (0, 0)]
        made: dict[int, list[int]] = {staff[0]: [template.id]}
        with Copier(store, template.id, staff[0]) as copier:
            for first in range(0, len(wanted), BATCH):
                batch = wanted[first : first + BATCH]
                ids = copier.copy([(patient_email(c, n), staff[c]) for c, n in batch])
                for (c, _), new in zip(batch, ids, strict=True):
                    made.setdefault(staff[c], []).append(new)
                if progress:
                    done = first + len(batch) + 1
                    took = time.perf_counter() - started
                    print(f"{done} patients, {took:.0f} s", file=sys.stderr)
    finally:
        store.dispose()
    return Seeded(template.id, staff, made, time.perf_counter() - started)


class Copier:
    """Copies one patient's rows, in bulk, as other patients of other clinicians."""

    def __init__(self, store: Any, template: int, clinician: int) -> None:
        self.store = store
        self.template = template
        self.clinician = clinician

    def __enter__(self) -> Copier:
        from sqlalchemy import select

        from lumbar.store.tables import metadata

        self.plan: list[tuple[Any, str, list[dict[str, Any]]]] = []
        """(table, how its rows belong to the template, the template's rows), parents first."""
        with self.store.reading() as connection:
            for table in metadata.sorted_tables:
                how = _belongs(table)
                if how is None:
                    continue
                rows = [dict(row._mapping) for row in connection.execute(select(table))]
                rows = [row for row in rows if self._of_template(table, how, row)]
                if rows:
                    self.plan.append((table, how, rows))
            self.events = {
                row["id"] for table, _, rows in self.plan if table.name == "events" for row in rows
            }
        self.plan = [
            (table, how, [r for r in rows if how != "event" or r["event_id"] in self.events])
            for table, how, rows in self.plan
        ]
        return self

    def __exit__(self, *_: object) -> None:
        return None

    def _of_template(self, table: Any, how: str, row: dict[str, Any]) -> bool:
        if how == "event":
            return True  # filtered once the template's events are known
        if how == "id":
            return bool(row["id"] == self.template)
        return any(bool(row[column] == self.template) for column in _patient_columns(table))

    def copy(self, new: list[tuple[str, int]]) -> list[int]:
        """Copy the template as each (email, clinician id): the new patients' account ids."""
        from sqlalchemy import func, insert, select

        with self.store.transaction() as tx:
            connection = tx.connection
            next_id: dict[str, int] = {}
            for table, _, _ in self.plan:
                if _surrogate(table) or table.name == "users":
                    top = connection.execute(select(func.max(table.c.id))).scalar() or 0
                    next_id[table.name] = int(top) + 1
            created: list[int] = []
            batches: dict[str, list[dict[str, Any]]] = {}
            for email, clinician in new:
                patient = next_id["users"]  # the account's id is its record's (people) too
                next_id["users"] += 1
                ids: dict[str, dict[int, int]] = {}
                for table, how, rows in self.plan:
                    mapped = ids.setdefault(table.name, {})
                    out = batches.setdefault(table.name, [])
                    for row in rows:
                        copy = dict(row)
                        if how == "id":
                            copy["id"] = patient
                        elif _surrogate(table):
                            mapped[row["id"]] = copy["id"] = next_id[table.name]
                            next_id[table.name] += 1
                        if how == "event":
                            copy["event_id"] = ids["events"][row["event_id"]]
                        if table.name == "users":
                            copy["email"], copy["clinician_id"] = email, clinician
                        for column in _patient_columns(table):
                            if copy[column] == self.template:
                                copy[column] = patient
                        out.append(copy)
                created.append(patient)
            for table, _, _ in self.plan:
                rows = batches[table.name]
                for first in range(0, len(rows), 5000):
                    connection.execute(insert(table), rows[first : first + 5000])
            if connection.dialect.name == "postgresql":
                for table, _, _ in self.plan:
                    if _surrogate(table) or table.name == "users":
                        connection.exec_driver_sql(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                            f"(SELECT max(id) FROM {table.name}))"
                        )
        return created


def _belongs(table: Any) -> str | None:
    """How a table's rows belong to a patient: "id" (users, people: the row is the
    patient), "patient" (a foreign key names them), "event" (a row of one of their
    events), or None (not a patient's: clinics, content, sign-in sessions)."""
    if table.name in ("users", "people"):
        return "id"
    if table.name in ("auth_sessions", "throttle", "audit_log"):
        return None  # sign-ins and the clinic's log are not part of a record
    if _patient_columns(table):
        return "patient"
    if "event_id" in table.c and any(
        fk.column.table.name == "events" for fk in table.c.event_id.foreign_keys
    ):
        return "event"
    return None


def _patient_columns(table: Any) -> list[str]:
    """The columns that name a patient: a foreign key to people, or to users (but a
    patient's clinician, who stays the clinic's)."""
    found = []
    for column in table.c:
        for fk in column.foreign_keys:
            target = fk.column.table.name
            if target == "people" or (target == "users" and "clinician" not in column.name):
                found.append(column.name)
    if table.name == "users":
        return []
    return found


def _surrogate(table: Any) -> bool:
    """Whether the table's key is a number of its own (given anew to each copy)."""
    keys = list(table.primary_key.columns)
    return len(keys) == 1 and keys[0].name == "id" and table.name not in ("people", "users")


def database_size(url: str) -> int:
    """Bytes on disk: the SQLite file (and its WAL), or pg_database_size."""
    from lumbar.store.database import Store

    store = Store(url)
    try:
        if store.sqlite_path is not None:
            path = store.sqlite_path
            wal = path.with_name(path.name + "-wal")
            return path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
        with store.engine.connect() as connection:
            size = connection.exec_driver_sql("SELECT pg_database_size(current_database())")
            return int(size.scalar() or 0)
    finally:
        store.dispose()


def rows_per_table(url: str) -> Iterator[tuple[str, int]]:
    from sqlalchemy import func, select

    from lumbar.store.database import Store
    from lumbar.store.tables import metadata

    store = Store(url)
    try:
        with store.reading() as connection:
            for table in metadata.sorted_tables:
                yield (
                    table.name,
                    int(connection.execute(select(func.count()).select_from(table)).scalar() or 0),
                )
    finally:
        store.dispose()


def main() -> None:
    assert __doc__ is not None
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="the database URL (new and empty)")
    parser.add_argument("--clinicians", type=int, default=10)
    parser.add_argument("--patients", type=int, default=2000, help="patients per clinician")
    parser.add_argument("--weeks", type=int, default=52, help="weeks of history each")
    args = parser.parse_args()
    seeded = seed(args.db, args.clinicians, args.patients, weeks=args.weeks, progress=True)
    size = database_size(args.db)
    total = sum(len(p) for p in seeded.patients.values())
    print(
        f"seeded {args.clinicians} clinicians and {total} patients with {args.weeks} weeks "
        f"each in {seeded.seconds:.1f} s; the database is {size / 1e6:.0f} MB"
    )
    rows = dict(rows_per_table(args.db))
    print("rows: " + ", ".join(f"{name} {n}" for name, n in rows.items() if n))
    print(f"started {date.today()}")


if __name__ == "__main__":
    main()
