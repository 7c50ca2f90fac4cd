"""Sessions: record one done (`log`), or be guided through today's one answer at a time
(`in_progress`, `answer`, `finish`: the web player, which resumes after a reload)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, overload

from lumbar.domain import pain as pain_rules
from lumbar.domain.model import DayPlan, ExerciseResult, History, Kind, Pain, SessionLog
from lumbar.domain.plan import plan_day, session_refusal
from lumbar.domain.program import Program
from lumbar.domain.session import Answered, LoggedSession, SessionInProgress
from lumbar.errors import UserError
from lumbar.usecases.person import (
    Person,
    ahead_of_today,
    check_date,
    check_written_on,
    with_event,
)

KEY_LIMIT = 128
"""The longest Idempotency-Key kept (the column's size)."""

Entries = list[tuple[str, Pain]]
"""The exercises done, in order, each with the pain after it."""


@dataclass(frozen=True, slots=True)
class Idempotency:
    """A client's Idempotency-Key for one write, so that sending it again writes nothing.

    `request` is the request as the client sent it, as one canonical text: the same key sent
    with another request is refused rather than answered with the first one's response.
    `at` is when it came, in UTC without a zone (the shells read the clock, not the use
    cases).
    """

    key: str
    request: str
    at: datetime

    def check(self) -> None:
        """Refuse a key that is empty, longer than the column, or not printable ASCII."""
        wanted = f"a key of 1 to {KEY_LIMIT} printable ASCII characters"
        odd = next((c for c in self.key if not " " <= c <= "~"), None)
        if not self.key:
            raise UserError(f"give {wanted} (this one is empty)", field="Idempotency-Key")
        if len(self.key) > KEY_LIMIT:
            raise UserError(
                f"give {wanted} (this one has {len(self.key)})", field="Idempotency-Key"
            )
        if odd is not None:
            raise UserError(f"give {wanted} (this one holds {odd!r})", field="Idempotency-Key")

    @property
    def digest(self) -> str:
        import hashlib

        return hashlib.sha256(self.request.encode("utf-8")).hexdigest()

    def stored(self, body: dict[str, Any]) -> str:
        """What is kept under the key: the response, and the digest of the request it
        answered (the table has one text column, so both go in one JSON document)."""
        return json.dumps({"request": self.digest, "body": body}, ensure_ascii=False)

    def replay(self, stored: str) -> Recorded:
        """The response kept under the key, if it answered this same request."""
        kept = json.loads(stored)
        if kept["request"] != self.digest:
            raise UserError("this Idempotency-Key was already used for a different request")
        return Recorded(kept["body"], replayed=True)


@dataclass(frozen=True, slots=True)
class Recorded:
    """The answer to a write sent with an Idempotency-Key: its JSON, and whether it is the
    answer kept from an earlier request with the same key (then nothing was written)."""

    body: dict[str, Any]
    replayed: bool


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
            tx.add_idempotent_response(person.id, once.key, once.stored(body), once.at)
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
        plan = plan_day(on, history, person.program_for(history.profile))
        draft = tx.draft(person.id)
    answers = draft[1] if draft is not None and draft[0] == on and not plan.completed else ()
    return SessionInProgress(plan, answers)


def answer(person: Person, on: date, exercise_id: str, pain: Pain) -> Answered:
    """Record the pain after one exercise of the session in progress.

    The answer is kept at once, so a reload resumes the session. Pain down the leg, or the
    last exercise of the day, finishes the session: it is recorded as a whole.
    """
    with person.store.transaction() as tx:
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
        ends = progress.next is None
        if ends:
            session = SessionLog(on, results)
            tx.add_session(person.id, session)
            tx.discard_draft(person.id)
    finished = _logged(history, program, session) if ends else None
    return Answered(pain_rules.respond(exercise_id, pain), progress, finished)


def finish(person: Person, on: date) -> LoggedSession:
    """End the session in progress early: record the exercises answered so far."""
    with person.store.transaction() as tx:
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
