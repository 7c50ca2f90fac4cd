"""Reminders: when sessions and posture breaks are reminded, and the private address of
the calendar subscription."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from lumbar.domain.model import weekday_number
from lumbar.domain.reminders import Reminders, parse_clock
from lumbar.errors import UserError
from lumbar.usecases.person import Person


def settings(person: Person) -> tuple[Reminders, bool]:
    """The reminder settings (the defaults until changed), and whether a calendar address
    has been made (it cannot be shown again: only its token's SHA-256 is kept)."""
    with person.store.transaction() as tx:
        person.history_in(tx)
        found = tx.reminders(person.id)
    return (found[0], found[1] is not None) if found is not None else (Reminders(), False)


def change(
    person: Person,
    *,
    session_time: str | None = None,
    work_start: str | None = None,
    work_end: str | None = None,
    work_days: list[str] | str | None = None,
    break_minutes: int | str | None = None,
) -> Reminders:
    """Change the reminder settings from what a person typed; what is left out stays.
    Refuses (naming the field) a time that is not one, or hours that do not fit."""
    current, _ = settings(person)
    changes: dict[str, Any] = {}
    for field, text in (
        ("session_time", session_time),
        ("work_start", work_start),
        ("work_end", work_end),
    ):
        if text is not None:
            try:
                changes[field] = parse_clock(text)
            except ValueError as error:
                raise UserError(str(error), field=field) from error
    if work_days is not None:
        names = work_days.split(",") if isinstance(work_days, str) else work_days
        days = set()
        for name in (n for n in names if n.strip()):
            try:
                days.add(weekday_number(name))
            except ValueError:
                raise UserError(
                    f"{name.strip().lower()!r} is not a day (mon to sun)", field="work_days"
                ) from None
        changes["work_days"] = frozenset(days)
    if break_minutes is not None:
        text = str(break_minutes).strip()
        if not (text.isascii() and text.isdigit()):
            raise UserError(f"{text!r} is not a number of minutes", field="break_minutes")
        changes["break_minutes"] = int(text)
    return put(person, replace(current, **changes))


def put(person: Person, new: Reminders) -> Reminders:
    """Replace the reminder settings, keeping the calendar token."""
    problems = new.problems()
    if problems:
        field, _, message = problems[0].partition(": ")
        raise UserError(message, field=field)
    with person.store.transaction() as tx:
        person.history_in(tx)
        found = tx.reminders(person.id)
        tx.set_reminders(person.id, new, None if found is None else found[1])
    return new


def calendar_token(person: Person, *, rotate: bool = False) -> str | None:
    """A new secret for the calendar subscription's address, when there is none yet or when
    rotated (the old address stops working at once); None when there is one already and
    it is not rotated. Only its SHA-256 is stored, as of every token (issue #19): the
    address is shown once, when it is made."""
    import secrets

    from lumbar.store.beside import calendar_digest

    with person.store.transaction() as tx:
        person.history_in(tx)
        found = tx.reminders(person.id)
        current, stored = found if found is not None else (Reminders(), None)
        if stored is not None and not rotate:
            return None
        token = secrets.token_urlsafe(24)
        tx.set_reminders(person.id, current, calendar_digest(token))
    return token
