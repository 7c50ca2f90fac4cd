"""What was recorded (issue #15): every record with its id and what became of it (corrected,
deleted, what an undo would take back), read for the list, the export and the corrections.

A record is named by its kind's letter and its number: `s12` a session, `c13` a check-in,
`cl14` a clearance, `p3` a problem report (the letters are `LETTERS`).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from lumbar.domain.corrections import Content, Record
from lumbar.domain.model import Clearance, Event, SessionLog
from lumbar.errors import UserError
from lumbar.store.corrections import Correction
from lumbar.store.writes import Transaction
from lumbar.usecases.person import Person

LETTERS = {"session": "s", "checkin": "c", "clearance": "cl", "problem": "p"}
"""The letter that starts a record's id, by its kind."""
KINDS = {letter: kind for kind, letter in LETTERS.items()}
RECORD_ID = re.compile(r"(cl|s|c|p)([0-9]{1,12})")


class NoSuchRecord(UserError):
    """No record by that id among the person's (the web answers 404)."""


def records(person: Person) -> list[Record]:
    """Every record, deleted ones included, in the order they happened."""
    with person.store.transaction() as tx:
        person.history_in(tx)
        return records_of(tx, person)


def records_in(tx: Transaction, person: Person) -> list[Record]:
    """`records`, read in the caller's transaction (an export reads them with the profile
    and the reminders, as they all stood at one moment)."""
    person.history_in(tx)
    return records_of(tx, person)


def newest(person: Person, kind: str) -> Record | None:
    """The record of this kind written last (the one an Undo right after a save takes back)."""
    found = [r for r in records(person) if r.kind == kind and r.deleted_on is None]
    return max(found, key=lambda r: int(r.id[len(LETTERS[kind]) :]), default=None)


def records_of(tx: Transaction, person: Person) -> list[Record]:
    stored = tx.stored(person.id)
    assert stored is not None  # pragma: no mutate (the use case read the history)
    _, events = stored
    standing: dict[str, list[Correction]] = {}
    for correction in tx.corrections(person.id):
        if correction.undone_on is None:
            standing.setdefault(correction.record, []).append(correction)
    intake_id = next((event_id for event_id, _, deleted in events if deleted is None), None)
    found: list[tuple[tuple[date, int, int], Record]] = []
    for event_id, event, deleted_on in events:
        kind = _kind(event)
        record_id = f"{LETTERS[kind]}{event_id}"
        by_clinician = isinstance(event, Clearance) and event.confirmed
        made = _made(record_id, kind, event, by_clinician, deleted_on, standing)
        record = replace(made, intake=event_id == intake_id)
        found.append(((event.on, 0, event_id), record))
    for problem in tx.stored_problems(person.id):
        record_id = f"p{problem.id}"
        record = _made(record_id, "problem", problem.report, False, problem.deleted_on, standing)
        found.append(((problem.report.on, 1, problem.id), record))
    return [record for _, record in sorted(found, key=lambda pair: pair[0])]


def _made(
    record_id: str,
    kind: str,
    content: Content,
    by_clinician: bool,
    deleted_on: date | None,
    standing: dict[str, list[Correction]],
) -> Record:
    corrections = standing.get(record_id, [])
    edits = [c for c in corrections if c.action == "edit"]
    last = corrections[-1] if corrections else None
    undoable = last is not None and (last.action == "delete" or last.before is not None)
    return Record(
        id=record_id,
        kind=kind,
        content=content,
        by_clinician=by_clinician,
        intake=False,
        corrected_on=edits[-1].on if edits else None,
        deleted_on=deleted_on,
        undo=last.action if undoable and last is not None else None,
    )


def find(tx: Transaction, person: Person, record_id: str) -> Record:
    """The record, deleted or not; UserError when there is none by that id."""
    wanted = record_id.strip().lower()
    parse_id(wanted)
    for record in records_of(tx, person):
        if record.id == wanted:
            return record
    raise NoSuchRecord(f"no record {wanted}: the list of records gives each one's id", field="id")


def find_live(tx: Transaction, person: Person, record_id: str) -> Record:
    record = find(tx, person, record_id)
    if record.deleted_on is not None:
        raise UserError(
            f"{record.id} was deleted on {record.deleted_on.isoformat()}: undo the delete first",
            field="id",
        )
    return record


def parse_id(record_id: str) -> tuple[str, int]:
    found = RECORD_ID.fullmatch(record_id.strip().lower())
    if found is None:
        raise NoSuchRecord(
            f"{record_id!r} is not a record's id: a letter and a number, such as s12 "
            "(session), c13 (check-in), cl14 (clearance) or p3 (problem report)",
            field="id",
        )
    return KINDS[found.group(1)], int(found.group(2))


def _kind(event: Event) -> str:
    if isinstance(event, SessionLog):
        return "session"
    if isinstance(event, Clearance):
        return "clearance"
    return "checkin"
