"""The records a person keeps beside their history: problem reports, reminder settings and
the calendar token (its SHA-256 only, like every token: issue #19), and the idempotency keys
of API writes.

The engine does not read them, so writing them does not raise the person's revision; an
export carries the problems and reminders but not the keys.
"""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import Integer, bindparam, delete, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import BindParameter

from lumbar.domain.model import WEEKDAY_NAMES, ProblemKind, ProblemReport
from lumbar.domain.reminders import Reminders
from lumbar.store.accounts import digest
from lumbar.store.tables import idempotency_keys, problem_reports, reminders, users
from lumbar.store.touched import touch

_PERSON: BindParameter[int] = bindparam("person", type_=Integer)
PROBLEMS = (
    select(problem_reports.c.on_date, problem_reports.c.kind, problem_reports.c.note)
    .where(problem_reports.c.person_id == _PERSON, problem_reports.c.deleted_on.is_(None))
    .order_by(problem_reports.c.on_date, problem_reports.c.id)
)
ADD_PROBLEM = insert(problem_reports).returning(problem_reports.c.id)
REMINDERS = select(reminders).where(reminders.c.person_id == _PERSON)
ADD_REMINDERS = insert(reminders)
SET_REMINDERS = update(reminders).where(reminders.c.person_id == _PERSON)
BY_TOKEN = select(reminders.c.person_id).where(reminders.c.calendar_token == bindparam("token"))
ACCOUNT_ACTIVE = select(users.c.active).where(users.c.id == _PERSON)
FORGET_TOKEN = update(reminders).where(reminders.c.person_id == _PERSON).values(calendar_token=None)
IDEMPOTENT_RESPONSE = select(idempotency_keys.c.response).where(
    idempotency_keys.c.person_id == _PERSON, idempotency_keys.c.key == bindparam("key")
)
ADD_IDEMPOTENT_RESPONSE = insert(idempotency_keys)
FORGET_IDEMPOTENT_RESPONSES = delete(idempotency_keys).where(
    idempotency_keys.c.person_id == _PERSON, idempotency_keys.c.created_at < bindparam("before")
)


class KeyTaken(Exception):
    """Another transaction stored a response under this person's Idempotency-Key first.

    The use cases look for the key after locking the person's row, so this happens only when
    a writer stored the key without that lock; the transaction is spoiled (PostgreSQL
    refuses anything more in it) and must be rolled back, which raising this does.
    """


class BesideHistory:
    """The part of a `store.writes.Transaction` that writes beside the history."""

    connection: Connection

    def problems(self, person: int) -> list[ProblemReport]:
        rows = self.connection.execute(PROBLEMS, {"person": person}).all()
        return [ProblemReport(r.on_date, ProblemKind(r.kind), r.note) for r in rows]

    def add_problem(self, person: int, report: ProblemReport) -> int:
        """Write a problem report; it returns the new report's id."""
        found = self.connection.execute(
            ADD_PROBLEM,
            {
                "person_id": person,
                "on_date": report.on,
                "kind": report.kind.value,
                "note": report.note,
            },
        )
        touch(self.connection, person)
        return int(found.scalar_one())

    def reminders(self, person: int) -> tuple[Reminders, str | None] | None:
        """The person's reminder settings and their calendar token's SHA-256 (None when
        there is no address), or None if never set."""
        row = self.connection.execute(REMINDERS, {"person": person}).first()
        if row is None:
            return None
        settings = Reminders(
            session_time=_time(row.session_time),
            work_days=frozenset(WEEKDAY_NAMES.index(n) for n in row.work_days.split(",") if n),
            work_start=_time(row.work_start),
            work_end=_time(row.work_end),
            break_minutes=row.break_minutes,
        )
        return settings, row.calendar_token

    def set_reminders(self, person: int, settings: Reminders, token_hash: str | None) -> None:
        """Write the settings, and the token's SHA-256 as `reminders` gave it (or a new
        token's, from `calendar_digest`)."""
        values = {
            "session_time": settings.session_time.strftime("%H:%M"),
            "work_days": ",".join(WEEKDAY_NAMES[d] for d in sorted(settings.work_days)),
            "work_start": settings.work_start.strftime("%H:%M"),
            "work_end": settings.work_end.strftime("%H:%M"),
            "break_minutes": settings.break_minutes,
            "calendar_token": token_hash,
        }
        if self.connection.execute(REMINDERS, {"person": person}).first() is None:
            self.connection.execute(ADD_REMINDERS, {"person_id": person, **values})
        else:
            self.connection.execute(SET_REMINDERS, {"person": person, **values})

    # Idempotency keys: the answer given to a write that a client may send again. Beside
    # the history, not part of it (an export leaves them out).

    def idempotent_response(self, person: int, key: str) -> str | None:
        """What was stored under the person's key, or None when the key is new."""
        found = self.connection.execute(
            IDEMPOTENT_RESPONSE, {"person": person, "key": key}
        ).scalar_one_or_none()
        return None if found is None else str(found)

    def add_idempotent_response(
        self, person: int, key: str, response: str, created_at: datetime
    ) -> None:
        """Store the response under the key, in the transaction of the write it answers.
        `created_at` is UTC without a zone, as every time of the accounts tables."""
        try:
            self.connection.execute(
                ADD_IDEMPOTENT_RESPONSE,
                {"person_id": person, "key": key, "response": response, "created_at": created_at},
            )
        except IntegrityError as error:
            raise KeyTaken(key) from error

    def forget_idempotent_responses(self, person: int, before: datetime) -> None:
        """Drop the person's keys stored before `before` (UTC without a zone): a client
        retries within minutes or, offline, days; the keys need not be kept for ever."""
        self.connection.execute(FORGET_IDEMPOTENT_RESPONSES, {"person": person, "before": before})

    def person_with_token(self, token: str, *, account: bool = False) -> int | None:
        """Whose calendar address holds `token`, or None. With `account` (a clinic's
        server), None as well when the person's account is disabled."""
        found = self.connection.execute(
            BY_TOKEN, {"token": calendar_digest(token)}
        ).scalar_one_or_none()
        if found is None:
            return None
        if account:
            active = self.connection.execute(ACCOUNT_ACTIVE, {"person": found}).scalar()
            if not active:
                return None
        return int(found)


def calendar_digest(token: str) -> str:
    """What is stored of a calendar token: its SHA-256, as of every other token. The address
    is a bearer secret; a copy of the database (a backup) must not open anyone's calendar."""
    return digest(token)


def forget_calendar_token(connection: Connection, person: int) -> None:
    """The person's calendar address stops working (their account was disabled)."""
    connection.execute(FORGET_TOKEN, {"person": person})


def _time(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))
