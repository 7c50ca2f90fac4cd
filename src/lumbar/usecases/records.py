"""A person's data as a whole: export it, import it back, and a copy of the whole database
(backup and restore, for the person on their own machine or a clinic's server)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from lumbar.domain.model import Clearance, Event, History, SessionLog
from lumbar.domain.plan import plan_day
from lumbar.domain.schedule import refuse_training_days
from lumbar.errors import UserError, refuse_control_characters
from lumbar.usecases.person import Person, ahead_of_today
from lumbar.usecases.sessions import check_entries, refusal

if TYPE_CHECKING:
    from lumbar.store.backup import Backup as Backup


def export(person: Person) -> dict[str, Any]:
    """Everything the person recorded, as one versioned document (formats/archive.py)."""
    from lumbar.formats import archive

    with person.store.transaction() as tx:
        history = person.history_in(tx)
        problems = tx.problems(person.id)
        found = tx.reminders(person.id)
    return archive.to_document(
        history, problems=problems, reminders=None if found is None else found[0]
    )


def import_(person: Person, text: str, *, source: str) -> History:
    """Load an export into an empty database (or, on a clinic's server, into the person's
    new record), after replaying it through every rule."""
    from lumbar.formats import archive

    imported = archive.from_document(text, source=source, catalogue=person.content.catalogue)
    history = imported.history
    refused = refuse_training_days(history.profile.training_days)
    if refused is not None:
        raise UserError(f"{source}: profile.days: {person.content.say(refused)}")
    for index, activity in enumerate(history.profile.psfs_activities):
        where = f"{source}: profile.psfs_activities.{index}: "
        refuse_control_characters(activity, where=where)
    for index, report in enumerate(imported.problems):
        refuse_control_characters(report.note, where=f"{source}: problems.{index}.note: ")
    dated = [(f"events.{i}", e.on) for i, e in enumerate(history.events)]
    dated += [(f"problems.{i}", r.on) for i, r in enumerate(imported.problems)]
    for where, day in dated:
        ahead = ahead_of_today(person, day)
        if ahead is not None:
            raise UserError(f"{source}: {where}: {ahead}")
    if person.clinic and any(isinstance(e, Clearance) for e in history.events):
        raise UserError(
            f"{source}: the export holds clearances, and on a clinic's server only your "
            "clinician records them: ask them to clear you after the import, or remove the "
            "clearance events from the file"
        )
    _replay(person, history, source=source)
    with person.store.transaction() as tx:
        if person.clinic:
            # A clinic's database holds many people: only this one's record must be new.
            if tx.history(person.id) is not None:
                raise UserError("import goes into a new record, and yours holds a program")
        elif not tx.is_empty():
            raise UserError("import goes into an empty database, and this one holds a program")
        tx.add_person(person.id, history.profile)
        for event in history.events:
            if isinstance(event, SessionLog):
                tx.add_session(person.id, event)
            elif isinstance(event, Clearance):
                tx.add_clearance(person.id, event)
            else:
                tx.add_checkin(person.id, event)
        for report in imported.problems:
            tx.add_problem(person.id, report)
        if imported.reminders is not None:
            tx.set_reminders(person.id, imported.reminders, None)
    return history


def _replay(person: Person, history: History, *, source: str) -> None:
    """Refuse an import whose sessions `lumbar log` would have refused, on their day."""
    program = person.program_for(history.profile)
    replayed: list[Event] = []
    for index, event in enumerate(history.events):
        if isinstance(event, SessionLog):
            plan = plan_day(event.on, History(history.profile, tuple(replayed)), program)
            where = f"{source}: events.{index}"
            refused = refusal(person, plan)
            if refused is not None:
                raise UserError(f"{where}: {refused}")
            entries = [(r.exercise_id, r.pain) for r in event.results]
            check_entries(person, plan, entries, where=where)
        replayed.append(event)


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
