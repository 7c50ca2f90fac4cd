"""Sessions: record one done (`log`), or be guided through today's one answer at a time
(`in_progress`, `answer`, `finish`: the web player, which resumes after a reload).

`log`, `answer` and `finish` take a client's Idempotency-Key (usecases/idempotency.py): a
phone that lost its connection sends its answers again, later, and each is written once."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, overload

from lumbar.domain import pain as pain_rules
from lumbar.domain.model import DayPlan, ExerciseResult, History, Kind, Pain, SessionLog
from lumbar.domain.plan import plan_day, session_refusal
from lumbar.domain.program import Program
from lumbar.domain.session import Answered, LoggedSession, SessionInProgress
from lumbar.errors import UserError
from lumbar.usecases.idempotency import (
    ClientKey,
    Idempotency,
    Once,
    Recorded,
    keep,
    write_once,
)
from lumbar.usecases.person import (
    Person,
    ahead_of_today,
    check_date,
    check_written_on,
    with_event,
)

if TYPE_CHECKING:
    from lumbar.store.writes import Transaction

Entries = list[tuple[str, Pain]]
"""The exercises done, in order, each with the pain after it."""


def refusal(person: Person, plan: DayPlan) -> str | None:
    """Why no session can be recorded on the plan's day, or None when one can."""
    ahead = ahead_of_today(person, plan.on)
    if ahead is not None:
        return f"date: {ahead}"
    refused = session_refusal(plan)
    if refused is None:
        return None
    reason = person.content.say(refused)
    if plan.kind is Kind.BLOCKED:
        return f"no session can be recorded while the program is paused. {reason}"
    if plan.completed:
        return f"today's session is already recorded. {reason}"
    return f"no session is planned on {plan.on.isoformat()}. {reason}"


@overload
def log(person: Person, on: date, entries: Entries) -> LoggedSession: ...


@overload
def log(person: Person, on: date, entries: Entries, *, idempotency: Idempotency) -> Recorded: ...


def log(
    person: Person, on: date, entries: Entries, *, idempotency: Idempotency | None = None
) -> LoggedSession | Recorded:
    """Record a session with the pain after each exercise.

    With an Idempotency-Key, the answer (as the API gives it) is kept under the key in the
    same transaction, and a request sent again with the key gets it back with nothing
    written.
    """
    if idempotency is not None:
        return _log_once(person, on, entries, idempotency)
    with person.store.transaction() as tx:
        history = person.history_in(tx)
        program = person.program_for(history.profile)
        plan = _session_day(person, history, program, on)
        session = SessionLog(on, check_entries(person, plan, entries))
        tx.add_session(person.id, session)
        tx.discard_draft(person.id)
    return _logged(history, program, session)


def _log_once(person: Person, on: date, entries: Entries, once: Idempotency) -> Recorded:
    from lumbar.formats.views import logged_json
    from lumbar.store.beside import KeyTaken

    once.check()
    try:
        with person.store.transaction() as tx:
            # Reading the history locks the person's row (PostgreSQL; SQLite has one
            # writer), so a request with the same key waits here and then finds it.
            history = person.history_in(tx)
            stored = tx.idempotent_response(person.id, once.key)
            if stored is not None:
                return once.replay(stored)
            program = person.program_for(history.profile)
            plan = _session_day(person, history, program, on)
            session = SessionLog(on, check_entries(person, plan, entries))
            tx.add_session(person.id, session)
            tx.discard_draft(person.id)
            body = logged_json(_logged(history, program, session), person.content)
            keep(tx, person, once, body)
    except KeyTaken:
        # A writer that stored the key without the row lock won the race: this transaction
        # is rolled back, so answer what it stored.
        with person.store.transaction() as tx:
            person.history_in(tx)
            stored = tx.idempotent_response(person.id, once.key)
        if stored is None:
            raise
        return once.replay(stored)
    return Recorded(body, replayed=False)


def in_progress(person: Person, on: date) -> SessionInProgress:
    """Today's session and the pain answers given so far, to resume where it stopped."""
    with person.store.transaction() as tx:
        history = person.history_in(tx)
        check_date(history, on)
        return _progress(tx, person, history, person.program_for(history.profile), on)


@overload
def answer(person: Person, on: date, exercise_id: str, pain: Pain) -> Answered: ...


@overload
def answer(
    person: Person, on: date, exercise_id: str, pain: Pain, *, key: ClientKey
) -> Once[Answered]: ...


def answer(
    person: Person, on: date, exercise_id: str, pain: Pain, *, key: ClientKey | None = None
) -> Answered | Once[Answered]:
    """Record the pain after one exercise of the session in progress.

    The answer is kept at once, so a reload resumes the session. Pain down the leg, or the
    last exercise of the day, finishes the session: it is recorded as a whole.

    With a key, the same answer sent again (the same day, exercise and pain) writes nothing
    and gets the same response, with the session as it stands now, or as it was recorded
    if this answer recorded it. The key sent with another answer is refused.
    """
    if key is None:
        with person.store.transaction() as tx:
            return _answer(tx, person, on, exercise_id, pain)
    once = key.of(kind="answer", date=on.isoformat(), exercise=exercise_id, pain=pain.value)

    def first(tx: Transaction) -> tuple[Answered, dict[str, Any]]:
        answered = _answer(tx, person, on, exercise_id, pain)
        return answered, {"date": on.isoformat(), "finished": answered.finished is not None}

    def again(tx: Transaction, kept: dict[str, Any]) -> Answered:
        history = person.history_in(tx)
        program = person.program_for(history.profile)
        recorded = _recorded(history, program, on) if kept["finished"] else None
        if recorded is not None:
            progress = SessionInProgress(recorded[1].plan, recorded[0].results)
        else:
            progress = _progress(tx, person, history, program, on)
        finished = None if recorded is None else recorded[1]
        return Answered(pain_rules.respond(exercise_id, pain), progress, finished)

    return write_once(person, once, first, again)


def _answer(tx: Transaction, person: Person, on: date, exercise_id: str, pain: Pain) -> Answered:
    history = person.history_in(tx)
    program = person.program_for(history.profile)
    plan = _session_day(person, history, program, on)
    draft = tx.draft(person.id)
    answers = draft[1] if draft is not None and draft[0] == on else ()
    if draft is not None and not answers:
        tx.discard_draft(person.id)  # left from an earlier day
    entries = [(r.exercise_id, r.pain) for r in answers]
    results = check_entries(person, plan, [*entries, (exercise_id, pain)], where="exercise")
    tx.add_draft_answer(person.id, on, len(answers), results[-1])
    progress = SessionInProgress(plan, results)
    finished = None
    if progress.next is None:
        session = SessionLog(on, results)
        tx.add_session(person.id, session)
        tx.discard_draft(person.id)
        finished = _logged(history, program, session)
    return Answered(pain_rules.respond(exercise_id, pain), progress, finished)


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
        recorded = _recorded(history, person.program_for(history.profile), on)
        if recorded is None:
            # Recorded, then deleted (a correction): nothing to show but the refusal.
            raise UserError(f"no session is recorded on {on.isoformat()} any more")
        return recorded[1]

    return write_once(person, once, first, again)


def _finish(tx: Transaction, person: Person, on: date) -> LoggedSession:
    history = person.history_in(tx)
    program = person.program_for(history.profile)
    plan = _session_day(person, history, program, on)
    draft = tx.draft(person.id)
    if draft is None or draft[0] != on:
        raise UserError("no exercise of today's session is answered yet")
    entries = [(r.exercise_id, r.pain) for r in draft[1]]
    session = SessionLog(on, check_entries(person, plan, entries, where="exercise"))
    tx.add_session(person.id, session)
    tx.discard_draft(person.id)
    return _logged(history, program, session)


def _recorded(
    history: History, program: Program, on: date
) -> tuple[SessionLog, LoggedSession] | None:
    """The session recorded on `on` and what it meant, as the history stands now."""
    found = [e for e in history.events if isinstance(e, SessionLog) and e.on == on]
    if not found:
        return None
    session = found[-1]
    responses = tuple(pain_rules.respond(r.exercise_id, r.pain) for r in session.results)
    return session, LoggedSession(responses, plan_day(on, history, program))


def _progress(
    tx: Transaction, person: Person, history: History, program: Program, on: date
) -> SessionInProgress:
    plan = plan_day(on, history, program)
    draft = tx.draft(person.id)
    answers = draft[1] if draft is not None and draft[0] == on and not plan.completed else ()
    return SessionInProgress(plan, answers)


def discard(person: Person, on: date) -> None:
    """Start today's session over: the answers given so far are forgotten, nothing is
    recorded."""
    with person.store.transaction() as tx:
        person.history_in(tx)
        draft = tx.draft(person.id)
        if draft is None or draft[0] != on:
            raise UserError("no exercise of today's session is answered yet")
        tx.discard_draft(person.id)


def _session_day(person: Person, history: History, program: Program, on: date) -> DayPlan:
    """The plan of a day a session can be recorded on, or UserError with the reason."""
    check_written_on(person, history, on)
    later = [e.on for e in history.events if isinstance(e, SessionLog) and e.on > on]
    if later:
        raise UserError(
            f"sessions are recorded in order, and one is already recorded "
            f"on {later[-1].isoformat()}",
            field="date",
        )
    plan = plan_day(on, history, program)
    refused = refusal(person, plan)
    if refused is not None:
        raise UserError(refused)
    return plan


def _logged(history: History, program: Program, session: SessionLog) -> LoggedSession:
    after = plan_day(session.on, with_event(history, session), program)
    responses = tuple(pain_rules.respond(r.exercise_id, r.pain) for r in session.results)
    return LoggedSession(responses, after)


def check_entries(
    person: Person, plan: DayPlan, entries: Entries, *, where: str = "exercises"
) -> tuple[ExerciseResult, ...]:
    """The entries as results, or UserError: each exercise planned on the day, once, and
    nothing after pain down the leg."""
    planned = [e.exercise_id for e in plan.exercises]
    name = person.content.wording.exercise_names
    seen: set[str] = set()
    results: list[ExerciseResult] = []
    for exercise_id, pain in entries:
        if exercise_id not in planned:
            raise UserError(
                f"{exercise_id} is not in the plan for {plan.on.isoformat()} "
                f"(phase {plan.phase}: {', '.join(planned)})",
                field=where,
            )
        if exercise_id in seen:
            raise UserError(f"{exercise_id} is given twice", field=where)
        if results and results[-1].pain is Pain.RADIATING:
            stopped = results[-1].exercise_id
            raise UserError(
                f"pain down the leg during {name[stopped]} ends the session, "
                f"so nothing can come after it ({exercise_id})",
                field=where,
            )
        seen.add(exercise_id)
        results.append(ExerciseResult(exercise_id, pain))
    if not results:
        raise UserError("give at least one exercise with the pain after it", field=where)
    return tuple(results)
