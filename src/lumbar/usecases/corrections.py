"""Correcting what was recorded (issue #15): edit a record, delete one, and undo the last
edit or delete of one (the records and their ids are read by `usecases/recorded.py`).

An edit is checked as the record was when it
was written (a session's exercises against the plan of its day, a check-in's scores, a
report's note), and the corrected history as a whole by the domain (`domain/corrections`):
the intake stays, and no correction takes away a danger sign. A deleted record stays in
the database, marked with the day, so the record of what happened stays honest; every edit
and delete is kept (`corrections`), undone in turn by `undo`, and on a clinic's server
written to the audit log. Each record is corrected by whoever made it: the person their
own answers, a clinician the clearance they recorded with their account.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date, datetime

from lumbar.domain.access import Account, Role
from lumbar.domain.corrections import Content, Record, correction_refusal
from lumbar.domain.decisions import Decision
from lumbar.domain.model import (
    CheckIn,
    Clearance,
    Event,
    ExerciseResult,
    History,
    ProblemReport,
    SessionLog,
)
from lumbar.domain.plan import plan_day
from lumbar.domain.rules import RuleId
from lumbar.errors import NotAllowed, UserError
from lumbar.store.corrections import Correction
from lumbar.store.writes import Transaction
from lumbar.usecases.checkins import check_activities, checked_answers
from lumbar.usecases.clearances import checked_name
from lumbar.usecases.person import Person, check_written_on
from lumbar.usecases.problems import checked_report
from lumbar.usecases.recorded import find, find_live, parse_id
from lumbar.usecases.sessions import Entries, check_entries, refusal


@dataclass(frozen=True, slots=True)
class Corrector:
    """Who corrects: nobody named for the person on their own machine; on a clinic's server
    the signed-in account (the patient, or their clinician) and the time, for the audit."""

    account: Account | None = None
    at: datetime | None = None

    @property
    def clinician(self) -> bool:
        return self.account is not None and self.account.role is Role.CLINICIAN


YOURSELF = Corrector()


@dataclass(frozen=True, slots=True)
class Change:
    """What an edit changes; a field left None stays as it is."""

    on: date | None = None
    exercises: Entries | None = None
    """A session's exercises, each with the pain after it: an exercise of the session takes
    the pain given, one it did not hold is added after the others."""
    pain: int | None = None
    psfs: tuple[int, ...] | None = None
    symptoms: tuple[str, ...] | None = None
    """A check-in's symptoms, all of them (an empty tuple: none)."""
    kind: str | None = None
    note: str | None = None
    by: str | None = None
    """Who cleared, for a clearance."""


FIELDS = {
    "session": ("date", "exercises"),
    "checkin": ("date", "pain", "psfs", "symptoms"),
    "clearance": ("by",),
    "problem": ("date", "kind", "note"),
}
"""What an edit may change, by kind (a clearance keeps its day and its alerts: a new one is
recorded instead)."""


def edit(person: Person, record_id: str, change: Change, *, by: Corrector = YOURSELF) -> Record:
    """Change what a record says; UserError (writing nothing) when the change cannot stand."""
    with person.store.transaction() as tx:
        history = person.history_in(tx)
        record = find_live(tx, person, record_id)
        _may_correct(record, by)
        _refuse_fields(record, change)
        changed = _changed(person, history, record, change)
        if changed == record.content:
            raise UserError(f"{record.id} already says that: nothing to change")
        _write(tx, person, history, record, changed)
        return _kept(tx, person, by, record, "edit", before=_document(record.content))


def delete(person: Person, record_id: str, *, by: Corrector = YOURSELF) -> Record:
    """Delete a record: the rules read past it from now on; it stays, marked, to be undone."""
    with person.store.transaction() as tx:
        history = person.history_in(tx)
        record = find_live(tx, person, record_id)
        _may_correct(record, by)
        if record.intake:
            raise UserError(_say(person, Decision(RuleId.RECORDS_INTAKE_STAYS, _start(history))))
        kind, number = parse_id(record.id)
        if kind == "problem":
            tx.mark_problem_deleted(person.id, number, person.today)
        else:
            _check(person, history, _history_without(tx, person, number))
            tx.mark_event_deleted(person.id, number, person.today)
        return _kept(tx, person, by, record, "delete", before=None)


def undo(person: Person, record_id: str, *, by: Corrector = YOURSELF) -> Record:
    """Take back the last edit or delete of a record that stands (again, for the one
    before it); the same checks as any correction apply."""
    with person.store.transaction() as tx:
        history = person.history_in(tx)
        record = find(tx, person, record_id)
        _may_correct(record, by)
        standing = [
            c for c in tx.corrections(person.id) if c.record == record.id and c.undone_on is None
        ]
        if record.undo is None or not standing:
            raise UserError(f"{record.id} has no edit or delete to undo")
        last = standing[-1]
        kind, number = parse_id(record.id)
        if last.action == "delete":
            if kind == "problem":
                tx.mark_problem_deleted(person.id, number, None)
            else:
                assert not isinstance(record.content, ProblemReport)  # pragma: no mutate
                restored = _history_with(tx, person, number, record.content)
                # A clearance brought back sets aside what it set aside before: it is the
                # clearance recorded again, by whoever made it (`_may_correct`).
                _check(person, history, restored, clearance=kind == "clearance")
                tx.mark_event_deleted(person.id, number, None)
        else:
            before = _before(last)
            _write(tx, person, history, record, _checked(person, history, record, before))
        tx.mark_undone(person.id, last.id, person.today)
        _audit(tx, person, by, record.id, f"undo {last.action}")
        return find(tx, person, record.id)


def _kept(
    tx: Transaction,
    person: Person,
    by: Corrector,
    record: Record,
    action: str,
    *,
    before: str | None,
) -> Record:
    """Keep the correction just made (and audit it), and return the record as it now reads."""
    by_user = None if by.account is None else by.account.id
    tx.add_correction(person.id, record.id, action, on=person.today, by_user=by_user, before=before)
    _audit(tx, person, by, record.id, action)
    return find(tx, person, record.id)


# Checking a correction.


def _may_correct(record: Record, by: Corrector) -> None:
    if record.by_clinician and not by.clinician:
        raise NotAllowed(
            f"{record.id} is a clearance your clinician recorded: only a clinician corrects it"
        )
    if by.clinician and not record.by_clinician:
        raise NotAllowed(
            f"{record.id} is the patient's own record: only they can change what they answered"
        )


def _refuse_fields(record: Record, change: Change) -> None:
    allowed = FIELDS[record.kind]
    given = [name for name in FIELDS_ALL if getattr(change, ATTRIBUTES.get(name, name)) is not None]
    wrong = [name for name in given if name not in allowed]
    if wrong:
        raise UserError(
            f"a {_label(record.kind)} has no {wrong[0]} to change "
            f"(what can change: {', '.join(allowed)})",
            field=wrong[0],
        )
    if not given:
        raise UserError(f"nothing to change: give {', '.join(allowed)}")
    if record.intake and change.on is not None and change.on != record.on:
        raise UserError(
            f"the first check-in stays on the day the program began ({record.on.isoformat()})",
            field="date",
        )


FIELDS_ALL = ("date", "exercises", "pain", "psfs", "symptoms", "kind", "note", "by")
ATTRIBUTES = {"date": "on"}
"""A field's attribute of `Change`, where its name is not the field's."""


def _label(kind: str) -> str:
    return {"checkin": "check-in", "problem": "problem report"}.get(kind, kind)


def _changed(person: Person, history: History, record: Record, change: Change) -> Content:
    """The record with the change made, checked as it was when written."""
    content = record.content
    on = change.on if change.on is not None else content.on
    if isinstance(content, ProblemReport):
        kind, note = checked_report(
            change.kind if change.kind is not None else content.kind.value,
            change.note if change.note is not None else content.note,
        )
        made: Content = ProblemReport(on, kind, note)
    elif isinstance(content, SessionLog):
        entries = {r.exercise_id: r.pain for r in content.results}
        entries.update(change.exercises or [])
        versions = {r.exercise_id: r.version for r in content.results}
        comments = {r.exercise_id: r.comment for r in content.results}
        cameras = {r.exercise_id: r.camera for r in content.results}
        # A swap stays as it was, and so do the patient's comment (issue #20) and the
        # camera's summary (issue #21); a skip stays unless the correction gives the
        # exercise a pain answer (it was done after all): a skip is never kept beside an
        # answer.
        made = SessionLog(
            on,
            tuple(
                ExerciseResult(e, pain, versions.get(e), comments.get(e), cameras.get(e))
                for e, pain in entries.items()
            ),
            tuple(k for k in content.skipped if k.exercise_id not in entries),
        )
    elif isinstance(content, Clearance):
        made = replace(content, by=checked_name(change.by or "", "say who cleared you"))
    else:
        made = replace(
            content,
            on=on,
            pain=change.pain if change.pain is not None else content.pain,
            psfs=change.psfs if change.psfs is not None else content.psfs,
            symptoms=change.symptoms if change.symptoms is not None else content.symptoms,
        )
    return _checked(person, history, record, made)


def _checked(person: Person, history: History, record: Record, made: Content) -> Content:
    """`made` in the place of `record`, or UserError: checked as a new record would be."""
    if isinstance(made, ProblemReport):
        check_written_on(person, history, made.on)
        return made
    check_written_on(person, history, made.on)
    if isinstance(made, CheckIn):
        codes = checked_answers(made.pain, made.psfs, made.symptoms)
        check_activities(history, made.psfs)
        made = replace(made, symptoms=tuple(sorted(set(codes))))
        if made.pain is None and made.psfs is None and not made.symptoms and not made.screened:
            raise UserError(f"{record.id} would say nothing: delete it instead")
    elif isinstance(made, SessionLog):
        without = _without(history, record)
        plan = plan_day(made.on, without, person.program_for(history.profile))
        refused = refusal(person, plan)
        if refused is not None:
            raise UserError(refused)
        entries = [(r.exercise_id, r.pain) for r in made.results]
        check_entries(person, plan, entries, skipped=made.skipped)
    return made


def _without(history: History, record: Record) -> History:
    """The history without the record (for a session, the day's plan as it was before it)."""
    kept = list(history.events)
    kept.remove(record.content)  # type: ignore[arg-type]
    return History(history.profile, tuple(kept))


def _write(
    tx: Transaction, person: Person, history: History, record: Record, made: Content
) -> None:
    kind, number = parse_id(record.id)
    if isinstance(made, ProblemReport):
        tx.replace_problem(person.id, number, made)
        return
    _check(person, history, _history_with(tx, person, number, made))
    tx.replace_event(person.id, number, made)


def _check(person: Person, history: History, after: History, *, clearance: bool = False) -> None:
    """Refuse a corrected history the domain refuses (the intake, the danger signs; for a
    clearance restored, only the intake)."""
    program = person.program_for(history.profile)
    refused = correction_refusal(history, after, person.today, program, clearance=clearance)
    if refused is not None:
        raise UserError(_say(person, refused))


def _history_with(tx: Transaction, person: Person, number: int, event: Event) -> History:
    """The history with event `number` live and saying `event` (in its date's place)."""
    stored = tx.stored(person.id)
    assert stored is not None  # pragma: no mutate
    profile, events = stored
    live = [
        (event.on if event_id == number else e.on, event_id, event if event_id == number else e)
        for event_id, e, deleted in events
        if deleted is None or event_id == number
    ]
    return History(profile, tuple(e for _, _, e in sorted(live, key=lambda t: (t[0], t[1]))))


def _history_without(tx: Transaction, person: Person, number: int) -> History:
    stored = tx.stored(person.id)
    assert stored is not None  # pragma: no mutate
    profile, events = stored
    return History(
        profile,
        tuple(e for event_id, e, deleted in events if deleted is None and event_id != number),
    )


def _start(history: History) -> dict[str, date]:
    return {"start": history.profile.start}


def _say(person: Person, decision: Decision) -> str:
    return person.content.say(decision)


def _document(content: Content) -> str:
    from lumbar.formats.archive import event_document, problem_document

    if isinstance(content, ProblemReport):
        return json.dumps(problem_document(content))
    return json.dumps(event_document(content))


def _before(correction: Correction) -> Content:
    from lumbar.formats.archive import record_from_document

    assert correction.before is not None  # pragma: no mutate (Record.undo says so)
    return record_from_document(json.loads(correction.before))


def _audit(tx: Transaction, person: Person, by: Corrector, record_id: str, action: str) -> None:
    """On a clinic's server, a patient's correction of their own record is in the audit log
    (a clinician's access to a patient's record, corrections included, is logged by the
    check that lets them in: `usecases.audit.patient_for`)."""
    if not person.clinic or by.account is None or by.at is None or by.account.id != person.id:
        return
    from lumbar.store.accounts import add_audit

    add_audit(
        tx.connection,
        now=by.at,
        actor=by.account,
        action="write",
        patient_id=person.id,
        target=f"records/{record_id}: {action}",
    )
