"""The adverse-event log: something that went wrong (more pain after a session, a fall)."""

from __future__ import annotations

from datetime import date

from lumbar.domain.model import ProblemKind, ProblemReport
from lumbar.errors import UserError, refuse_control_characters
from lumbar.usecases.person import Person, check_date

NOTE_LIMIT = 1000
"""The longest note a problem report keeps (the column's size)."""


def report(person: Person, on: date, kind: str, note: str = "") -> ProblemReport:
    """Record something that went wrong; `other` needs a note saying what."""
    try:
        chosen = ProblemKind(kind)
    except ValueError:
        kinds = ", ".join(k.value for k in ProblemKind)
        raise UserError(f"choose what happened: {kinds}", field="kind") from None
    note = note.strip()
    if len(note) > NOTE_LIMIT:
        raise UserError(f"keep the note to {NOTE_LIMIT} characters at most", field="note")
    refuse_control_characters(note, field="note")
    if chosen is ProblemKind.OTHER and not note:
        raise UserError("say in a few words what happened", field="note")
    reported = ProblemReport(on, chosen, note)
    with person.store.transaction() as tx:
        history = person.history_in(tx)
        check_date(history, on)
        tx.add_problem(person.id, reported)
    return reported


def reports(person: Person) -> list[ProblemReport]:
    with person.store.transaction() as tx:
        person.history_in(tx)
        return tx.problems(person.id)
