"""A person's data as a whole: export it, import it back, and a copy of the whole database
(backup and restore, for the person on their own machine or a clinic's server)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lumbar.content.wording import format_date
from lumbar.domain.loads import Unit
from lumbar.domain.model import CheckIn, Clearance, Event, History, SessionLog
from lumbar.domain.plan import plan_day
from lumbar.domain.schedule import refuse_training_days
from lumbar.errors import UserError, refuse_hidden_characters
from lumbar.usecases.person import Person, ahead_of_today
from lumbar.usecases.sessions import check_entries, refusal

if TYPE_CHECKING:
    from lumbar.formats.archive import Imported, Marks
    from lumbar.store.backup import Backup as Backup
    from lumbar.store.writes import Transaction


def export(person: Person) -> dict[str, Any]:
    """Everything the person recorded, as one versioned document (formats/archive.py): the
    records as they read now, deleted ones included, each marked with what became of it."""
    with person.store.transaction() as tx:
        return _document_in(tx, person)


def _document_in(tx: Transaction, person: Person) -> dict[str, Any]:
    from lumbar.formats import archive
    from lumbar.store.scores import scores
    from lumbar.usecases import recorded

    history = person.history_in(tx)
    records = recorded.records_in(tx, person)
    found = tx.reminders(person.id)
    return archive.to_document(
        history,
        records=records,
        reminders=None if found is None else found[0],
        scores=scores(tx.connection, person.id),
    )


def import_(person: Person, text: str, *, source: str, unit: Unit = Unit.KG) -> History:
    """Load an export into an empty database (or, on a clinic's server, into the person's
    new record), after replaying it through every rule. The records that stand are
    replayed; a deleted one is written deleted, and an edited one keeps the day of its
    latest edit (what it said before is not in the export: that edit cannot be undone).
    `unit` is the importer's locale's, for a document that does not say (before version 6)."""
    imported = _checked(person, text, source=source, unit=unit)
    with person.store.transaction() as tx:
        if person.clinic:
            # A clinic's database holds many people: only this one's record must be new.
            if tx.history(person.id) is not None:
                raise UserError("import goes into a new record, and yours holds a program")
        elif not tx.is_empty():
            found = _held_in(tx, person)
            if found is not None:
                raise HoldsProgram(found)
            raise UserError("import goes into an empty database, and this one holds data")
        _write_all(tx, person, imported)
    return imported.history


def _checked(person: Person, text: str, *, source: str, unit: Unit = Unit.KG) -> Imported:
    """The export read and replayed through every rule; UserError (nothing written) at the
    first problem."""
    from lumbar.formats import archive

    imported = archive.from_document(
        text, source=source, catalogue=person.content.catalogue, unit=unit
    )
    history = imported.history
    refused = refuse_training_days(history.profile.training_days)
    if refused is not None:
        raise UserError(f"{source}: profile.days: {person.content.say(refused)}")
    for index, activity in enumerate(history.profile.psfs_activities):
        where = f"{source}: profile.psfs_activities.{index}: "
        refuse_hidden_characters(activity, where=where)
    for index, (report, _) in enumerate(imported.every_problem):
        refuse_hidden_characters(report.note, where=f"{source}: problems.{index}.note: ")
    for index, (event, _) in enumerate(imported.events):
        # The same text as the forms take: what a clinician reads must read as written.
        if isinstance(event, SessionLog):
            for number, skip in enumerate(event.skipped):
                where = f"{source}: events.{index}.skipped.{number}.note: "
                refuse_hidden_characters(skip.note, where=where)
        elif isinstance(event, Clearance):
            refuse_hidden_characters(event.by, where=f"{source}: events.{index}.by: ")
    dated = [(f"events.{i}", e.on, marks) for i, (e, marks) in enumerate(imported.events)]
    dated += [(f"problems.{i}", r.on, m) for i, (r, m) in enumerate(imported.every_problem)]
    for where, day, marks in dated:
        for field, on in (
            ("", day),
            ("corrected_on: ", marks.corrected_on),
            ("deleted_on: ", marks.deleted_on),
        ):
            ahead = None if on is None else ahead_of_today(person, on)
            if ahead is not None:
                raise UserError(f"{source}: {where}: {field}{ahead}")
    for index, score in enumerate(imported.scores):
        ahead = ahead_of_today(person, score.on)
        if ahead is not None:
            raise UserError(f"{source}: scores.{index}: {ahead}")
    if person.clinic and imported.scores:
        raise UserError(
            f"{source}: the export holds outcome scores, and on a clinic's server only your "
            "clinician enters them: remove the scores from the file, or ask your clinician"
        )
    if person.clinic and any(isinstance(e, Clearance) for e, _ in imported.events):
        raise UserError(
            f"{source}: the export holds clearances, and on a clinic's server only your "
            "clinician records them: ask them to clear you after the import, or remove the "
            "clearance events from the file"
        )
    _replay(person, imported, source=source)
    return imported


def _write_all(tx: Transaction, person: Person, imported: Imported, *, revision: int = 0) -> None:
    from lumbar.store import intake_drafts

    tx.add_person(person.id, imported.history.profile, revision=revision)
    intake_drafts.discard(tx.connection, person.id)  # an intake begun here is moot now
    _write(tx, person, imported)
    if imported.reminders is not None:
        tx.set_reminders(person.id, imported.reminders, None)
    if imported.scores:
        from lumbar.store.scores import add_scores

        add_scores(tx.connection, person.id, list(imported.scores), None)


def _write(tx: Transaction, person: Person, imported: Imported) -> None:
    """Write every record in the document's order (the order of their ids), then what
    became of them: the deleted ones marked, and an edit (with nothing to undo it to) on
    the day of each record's latest one."""
    marked: list[tuple[str, int, Marks]] = []
    for event, marks in imported.events:
        if isinstance(event, SessionLog):
            marked.append(("s", tx.add_session(person.id, event), marks))
        elif isinstance(event, Clearance):
            marked.append(("cl", tx.add_clearance(person.id, event), marks))
        else:
            marked.append(("c", tx.add_checkin(person.id, event), marks))
    for report, marks in imported.every_problem:
        marked.append(("p", tx.add_problem(person.id, report), marks))
    corrections: list[tuple[date, str, str]] = []
    for letter, number, marks in marked:
        record = f"{letter}{number}"
        if marks.corrected_on is not None:
            corrections.append((marks.corrected_on, record, "edit"))
        if marks.deleted_on is None:
            continue
        corrections.append((marks.deleted_on, record, "delete"))
        if letter == "p":
            tx.mark_problem_deleted(person.id, number, marks.deleted_on)
        else:
            tx.mark_event_deleted(person.id, number, marks.deleted_on)
    # In the order they were made, as far as the days tell (a stable sort: a record's edit
    # before its delete).
    for on, record, action in sorted(corrections, key=lambda c: c[0]):
        tx.add_correction(person.id, record, action, on=on, by_user=None, before=None)


def _replay(person: Person, imported: Imported, *, source: str) -> None:
    """Refuse an import whose sessions `lumbar log` would have refused, on their day (the
    records that stand: the rules read past a deleted one)."""
    profile = imported.history.profile
    program = person.program_for(profile)
    replayed: list[Event] = []
    for index, (event, marks) in enumerate(imported.events):
        if marks.deleted_on is not None:
            continue
        if isinstance(event, SessionLog):
            plan = plan_day(event.on, History(profile, tuple(replayed)), program)
            where = f"{source}: events.{index}"
            refused = refusal(person, plan)
            if refused is not None:
                raise UserError(f"{where}: {refused}")
            entries = [(r.exercise_id, r.pain) for r in event.results]
            check_entries(person, plan, entries, where=where, skipped=event.skipped)
        replayed.append(event)


@dataclass(frozen=True, slots=True)
class Held:
    """What a database holds of a person's program: what an import that replaces it would
    take away (the records that stand)."""

    start: date
    sessions: int
    checkins: int
    clearances: int
    problems: int

    def said(self) -> str:
        """ "since 2 November 2026: 5 sessions, 3 check-ins and 1 problem report"."""
        counts = [
            (self.sessions, "session", "sessions"),
            (self.checkins, "check-in", "check-ins"),
            (self.clearances, "clearance", "clearances"),
            (self.problems, "problem report", "problem reports"),
        ]
        parts = [f"{n} {one if n == 1 else many}" for n, one, many in counts if n]
        listed = (
            ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
            if parts
            else "no records yet"
        )
        return f"since {format_date(self.start)}: {listed}"


class HoldsProgram(UserError):
    """An import into a database that holds a program, asked without replacing it."""

    def __init__(self, held: Held) -> None:
        super().__init__(
            f"this computer already holds a program ({held.said()}): export it first, then "
            "import with replace"
        )
        self.held = held


def held(person: Person) -> Held | None:
    """What the database holds of the person's program, or None (no program)."""
    with person.store.transaction() as tx:
        return _held_in(tx, person)


def _held_in(tx: Transaction, person: Person) -> Held | None:
    history = tx.history(person.id)
    if history is None:
        return None
    events = history.events
    return Held(
        start=history.profile.start,
        sessions=sum(1 for e in events if isinstance(e, SessionLog)),
        checkins=sum(1 for e in events if isinstance(e, CheckIn)),
        clearances=sum(1 for e in events if isinstance(e, Clearance)),
        problems=len(tx.problems(person.id)),
    )


@dataclass(frozen=True, slots=True)
class Replaced:
    """An import that replaced a program: what it imported, and where the export of what it
    replaced is kept (None when there was nothing to replace)."""

    history: History
    backup: Path | None
    held: Held | None


def import_replacing(
    person: Person,
    text: str,
    *,
    source: str,
    folder: Path,
    now: datetime,
    unit: Unit = Unit.KG,
) -> Replaced:
    """Import an export in the place of the program the database holds, on the person's own
    computer. The file is checked first (a refused one replaces nothing); what it replaces
    is exported into `folder` (0600) before anything is removed."""
    if person.clinic:
        raise UserError(
            "on a clinic's server an import goes into a new record only: ask your clinician"
        )
    imported = _checked(person, text, source=source, unit=unit)
    with person.store.transaction() as tx:
        found = _held_in(tx, person)
        backup, above = None, 0
        if found is not None:
            backup = _keep(folder, now, _document_in(tx, person))
            above = tx.remove_person(person.id) + 1
        elif not tx.is_empty():
            raise UserError("import goes into an empty database, and this one holds data")
        _write_all(tx, person, imported, revision=above)
    return Replaced(imported.history, backup, found)


def _keep(folder: Path, now: datetime, document: dict[str, Any]) -> Path:
    from lumbar.formats.archive import dumps
    from lumbar.private_files import private_folder, write_private

    private_folder(folder)
    stamp = now.strftime("%Y-%m-%d-%H%M%S")
    path = folder / f"lumbar-replaced-{stamp}.json"
    number = 1
    while path.exists():
        number += 1
        path = folder / f"lumbar-replaced-{stamp}-{number}.json"
    write_private(path, dumps(document).encode("utf-8"))
    return path


def data_folder(person: Person) -> Path:
    """lumbar's data folder: the database's own folder, or lumbar's for a database that is
    not a file."""
    sqlite = person.store.sqlite_path
    if sqlite is not None:
        return sqlite.parent
    from platformdirs import user_data_dir

    return Path(user_data_dir("lumbar", appauthor=False))


class WouldReplaceData(UserError):
    """A restore into a database that holds data, asked without `force`."""


def back_up(url: str, file: Path) -> Backup:
    """Copy the whole database at `url` into `file`, consistent even while a server writes."""
    from lumbar.store.backup import back_up as copy_out

    return copy_out(url, file)


def restore(file: Path, url: str, *, force: bool = False) -> Backup:
    """Put a backup back; a database that holds data is replaced only with `force`."""
    from lumbar.store.backup import HoldsData
    from lumbar.store.backup import restore as copy_in

    try:
        return copy_in(file, url, force=force)
    except HoldsData as error:
        raise WouldReplaceData(str(error)) from error
