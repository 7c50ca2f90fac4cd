"""Sessions: record one done (`log`, usecases/session_log.py), or be guided through
today's one answer at a time (`in_progress`, `answer`, `finish`: the web player, which
resumes after a reload).

`log`, `answer` and `finish` take a client's Idempotency-Key (usecases/idempotency.py): a
phone that lost its connection sends its answers again, later, and each is written once."""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any, overload

from lumbar.domain import pain as pain_rules
from lumbar.domain.camera import CameraSummary
from lumbar.domain.decisions import Decision
from lumbar.domain.model import ExerciseResult, History, Pain, SessionLog
from lumbar.domain.program import Program
from lumbar.domain.rules import RuleId
from lumbar.domain.session import Answered, LoggedSession, SessionInProgress
from lumbar.errors import UserError
from lumbar.usecases.camera_records import camera_from_data, check_camera, planned_version
from lumbar.usecases.comments import check_comment
from lumbar.usecases.idempotency import (
    ClientKey,
    Once,
    write_once,
)
from lumbar.usecases.person import (
    Person,
    check_date,
)
from lumbar.usecases.session_checks import (
    Entries,
    check_entries,
    logged,
    recorded,
    refusal,
    session_day,
)
from lumbar.usecases.session_drafts import draft_of, progress_of
from lumbar.usecases.session_log import log
from lumbar.usecases.skips import check_skip, check_version

if TYPE_CHECKING:
    from lumbar.store.writes import Transaction

__all__ = ["Entries", "check_entries", "log", "refusal"]


def in_progress(person: Person, on: date) -> SessionInProgress:
    """Today's session and the pain answers given so far, to resume where it stopped."""
    with person.store.transaction() as tx:
        history = person.history_in(tx)
        check_date(history, on)
        return progress_of(tx, person, history, person.program_for(history.profile), on)


@overload
def answer(
    person: Person,
    on: date,
    exercise_id: str,
    pain: Pain,
    *,
    version: str | None = None,
    comment: str | None = None,
    camera: object = None,
) -> Answered: ...


@overload
def answer(
    person: Person,
    on: date,
    exercise_id: str,
    pain: Pain,
    *,
    version: str | None = None,
    comment: str | None = None,
    camera: object = None,
    key: ClientKey,
) -> Once[Answered]: ...


def answer(
    person: Person,
    on: date,
    exercise_id: str,
    pain: Pain,
    *,
    version: str | None = None,
    comment: str | None = None,
    camera: object = None,
    key: ClientKey | None = None,
) -> Answered | Once[Answered]:
    """Record the pain after one exercise of the session in progress.

    The answer is kept at once, so a reload resumes the session. Pain down the leg, or the
    last exercise of the day, finishes the session: it is recorded as a whole.

    With a key, the same answer sent again (the same day, exercise and pain) writes nothing
    and gets the same response, with the session as it stands now, or as it was recorded
    if this answer recorded it. The key sent with another answer is refused.

    The comment (issue #20) rides with the pain answer, so the answer that records the
    session records it too; a comment refused writes nothing, the pain answer included.
    So does the camera's summary (issue #21: `camera`, the data of the page's JSON, checked
    against the exercise's camera spec by usecases/camera_records.py).
    """
    kept = check_comment(comment)
    seen = None if camera is None else camera_from_data(camera)
    if key is None:
        with person.store.transaction() as tx:
            return _answer(tx, person, on, exercise_id, pain, version, kept, seen)
    sent = {"date": on.isoformat(), "exercise": exercise_id, "pain": pain.value}
    if kept:
        sent["comment"] = kept
    if seen is not None:
        sent["camera"] = json.dumps(seen.as_data(), sort_keys=True)
    once = key.of(kind="answer", **sent, **({"version": version} if version else {}))

    def first(tx: Transaction) -> tuple[Answered, dict[str, Any]]:
        answered = _answer(tx, person, on, exercise_id, pain, version, kept, seen)
        return answered, {"date": on.isoformat(), "finished": answered.finished is not None}

    def again(tx: Transaction, kept: dict[str, Any]) -> Answered:
        return _again(tx, person, on, kept, pain_rules.respond(exercise_id, pain))

    return write_once(person, once, first, again)


def _again(
    tx: Transaction, person: Person, on: date, kept: dict[str, Any], response: Decision
) -> Answered:
    """An answer or a skip sent again: the session as it stands now, or as recorded."""
    history = person.history_in(tx)
    program = person.program_for(history.profile)
    found = recorded(history, program, on) if kept["finished"] else None
    if found is not None:
        session = found[0]
        progress = SessionInProgress(found[1].plan, session.results, session.skipped)
    else:
        progress = progress_of(tx, person, history, program, on)
    finished = None if found is None else found[1]
    return Answered(response, progress, finished)


def _answer(
    tx: Transaction,
    person: Person,
    on: date,
    exercise_id: str,
    pain: Pain,
    version: str | None = None,
    comment: str | None = None,
    camera: CameraSummary | None = None,
) -> Answered:
    history = person.history_in(tx)
    program = person.program_for(history.profile)
    plan = session_day(person, history, program, on)
    answers, skips = draft_of(tx, person, on)
    entries = [(r.exercise_id, r.pain) for r in answers]
    checked = check_entries(
        person, plan, [*entries, (exercise_id, pain)], where="exercise", skipped=skips
    )
    swap = check_version(person, plan, exercise_id, version)
    if camera is not None:
        camera = check_camera(
            exercise_id,
            person.content.wording.exercise_names[exercise_id],
            swap or planned_version(plan, exercise_id),
            camera,
        )
    result = ExerciseResult(exercise_id, pain, swap, comment, camera)
    results = (*answers, result)
    assert len(checked) == len(results)  # pragma: no mutate (the check kept every entry)
    tx.add_draft_answer(person.id, on, len(answers), result)
    return _went_on(
        tx,
        person,
        history,
        program,
        SessionInProgress(plan, results, skips),
        pain_rules.respond(exercise_id, pain),
    )


def _went_on(
    tx: Transaction,
    person: Person,
    history: History,
    program: Program,
    progress: SessionInProgress,
    response: Decision,
) -> Answered:
    """After an answer or a skip: the session goes on, or, with nothing left (or pain down
    the leg), it is recorded as a whole."""
    finished = None
    if progress.next is None:
        session = SessionLog(progress.plan.on, progress.answers, progress.skipped)
        tx.add_session(person.id, session)
        tx.discard_draft(person.id)
        finished = logged(history, program, session)
    return Answered(response, progress, finished)


@overload
def skip(person: Person, on: date, exercise_id: str, reason: str, note: str = "") -> Answered: ...


@overload
def skip(
    person: Person, on: date, exercise_id: str, reason: str, note: str = "", *, key: ClientKey
) -> Once[Answered]: ...


def skip(
    person: Person,
    on: date,
    exercise_id: str,
    reason: str,
    note: str = "",
    *,
    key: ClientKey | None = None,
) -> Answered | Once[Answered]:
    """Skip one exercise of the session in progress, with a reason (and a short note for
    "other"): kept at once like an answer, never as one. The response is the skip's own
    decision (`dosage.skipped`: the exercise keeps its dose). The last exercise of the day
    skipped records the session as a whole, as an answer does.

    With a key, the same skip sent again writes nothing and gets the same response."""
    if key is None:
        with person.store.transaction() as tx:
            return _skip(tx, person, on, exercise_id, reason, note)
    once = key.of(kind="skip", date=on.isoformat(), exercise=exercise_id, reason=reason, note=note)

    def first(tx: Transaction) -> tuple[Answered, dict[str, Any]]:
        answered = _skip(tx, person, on, exercise_id, reason, note)
        return answered, {"date": on.isoformat(), "finished": answered.finished is not None}

    def again(tx: Transaction, kept: dict[str, Any]) -> Answered:
        return _again(tx, person, on, kept, _skipped(exercise_id, reason))

    return write_once(person, once, first, again)


def _skipped(exercise_id: str, reason: str) -> Decision:
    return Decision(RuleId.DOSAGE_SKIPPED, {"exercise": exercise_id, "reason": reason})


def _skip(
    tx: Transaction, person: Person, on: date, exercise_id: str, reason: str, note: str
) -> Answered:
    history = person.history_in(tx)
    program = person.program_for(history.profile)
    plan = session_day(person, history, program, on)
    answers, skips = draft_of(tx, person, on)
    checked = check_skip(person, plan, exercise_id, reason, note, field="reason")
    progress = SessionInProgress(plan, answers, skips)
    if progress.next is None or exercise_id in {r.exercise_id for r in answers} | {
        s.exercise_id for s in skips
    }:
        raise UserError(f"{exercise_id} is already answered or skipped", field="exercise")
    tx.add_draft_skip(person.id, on, len(skips), checked)
    progress = SessionInProgress(plan, answers, (*skips, checked))
    return _went_on(
        tx, person, history, program, progress, _skipped(exercise_id, checked.reason.value)
    )


@overload
def finish(person: Person, on: date) -> LoggedSession: ...


@overload
def finish(person: Person, on: date, *, key: ClientKey) -> Once[LoggedSession]: ...


def finish(
    person: Person, on: date, *, key: ClientKey | None = None
) -> LoggedSession | Once[LoggedSession]:
    """End the session in progress early: record the exercises answered so far.

    With a key, the same request sent again writes nothing and gets the session as it was
    recorded."""
    if key is None:
        with person.store.transaction() as tx:
            return _finish(tx, person, on)
    once = key.of(kind="finish", date=on.isoformat())

    def first(tx: Transaction) -> tuple[LoggedSession, dict[str, Any]]:
        return _finish(tx, person, on), {"date": on.isoformat(), "finished": True}

    def again(tx: Transaction, kept: dict[str, Any]) -> LoggedSession:
        history = person.history_in(tx)
        found = recorded(history, person.program_for(history.profile), on)
        if found is None:
            # Recorded, then deleted (a correction): nothing to show but the refusal.
            raise UserError(f"no session is recorded on {on.isoformat()} any more")
        return found[1]

    return write_once(person, once, first, again)


def _finish(tx: Transaction, person: Person, on: date) -> LoggedSession:
    history = person.history_in(tx)
    program = person.program_for(history.profile)
    plan = session_day(person, history, program, on)
    draft = tx.draft(person.id)
    if draft is None or draft[0] != on:
        raise UserError("no exercise of today's session is answered yet")
    answers, skips = draft[1], draft[2]
    entries = [(r.exercise_id, r.pain) for r in answers]
    check_entries(person, plan, entries, where="exercise", skipped=skips)
    session = SessionLog(on, answers, skips)
    tx.add_session(person.id, session)
    tx.discard_draft(person.id)
    return logged(history, program, session)


def discard(person: Person, on: date) -> None:
    """Start today's session over: the answers given so far are forgotten, nothing is
    recorded."""
    with person.store.transaction() as tx:
        person.history_in(tx)
        draft = tx.draft(person.id)
        if draft is None or draft[0] != on:
            raise UserError("no exercise of today's session is answered yet")
        tx.discard_draft(person.id)
