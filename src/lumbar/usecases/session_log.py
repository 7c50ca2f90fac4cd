"""Recording a session done, all at once (`lumbar log`, `POST /api/v1/sessions`, an
import's sessions): the pain after each exercise, the exercises skipped, the versions done,
the person's comments, the camera's summaries; with a client's Idempotency-Key, written once
however often it is sent (usecases/idempotency.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import overload

from lumbar.domain.session import LoggedSession
from lumbar.usecases.idempotency import Idempotency, Recorded, keep, kept_response
from lumbar.usecases.person import Person
from lumbar.usecases.session_checks import (
    Cameras,
    Comments,
    Entries,
    Versions,
    checked_session,
    logged,
    session_day,
)
from lumbar.usecases.skips import SkipEntry


@overload
def log(
    person: Person,
    on: date,
    entries: Entries,
    *,
    skipped: Sequence[SkipEntry] = (),
    versions: Versions | None = None,
    comments: Comments | None = None,
    cameras: Cameras | None = None,
) -> LoggedSession: ...


@overload
def log(
    person: Person,
    on: date,
    entries: Entries,
    *,
    skipped: Sequence[SkipEntry] = (),
    versions: Versions | None = None,
    comments: Comments | None = None,
    cameras: Cameras | None = None,
    idempotency: Idempotency,
) -> Recorded: ...


def log(
    person: Person,
    on: date,
    entries: Entries,
    *,
    skipped: Sequence[SkipEntry] = (),
    versions: Versions | None = None,
    comments: Comments | None = None,
    cameras: Cameras | None = None,
    idempotency: Idempotency | None = None,
) -> LoggedSession | Recorded:
    """Record a session with the pain after each exercise, the exercises skipped with their
    reasons (`skipped`), the alternatives done instead for this session (`versions`), and
    the person's comments on exercises done (`comments`, `lumbar log --comment`), and the
    camera's summaries of them (`cameras`, issue #21: the API's `camera` per exercise).

    With an Idempotency-Key, the answer (as the API gives it) is kept under the key in the
    same transaction, and a request sent again with the key gets it back with nothing
    written.
    """
    if idempotency is not None:
        sent = (entries, skipped, versions or {}, comments, cameras)
        return _log_once(person, on, sent, idempotency)
    with person.store.transaction() as tx:
        history = person.history_in(tx)
        program = person.program_for(history.profile)
        plan = session_day(person, history, program, on)
        session = checked_session(person, plan, entries, skipped, versions or {}, comments, cameras)
        tx.add_session(person.id, session)
        tx.discard_draft(person.id)
    return logged(history, program, session)


def _log_once(
    person: Person,
    on: date,
    sent: tuple[Entries, Sequence[SkipEntry], Versions, Comments | None, Cameras | None],
    once: Idempotency,
) -> Recorded:
    from lumbar.formats.views import logged_json
    from lumbar.store.beside import KeyTaken

    once.check()
    try:
        with person.store.transaction() as tx:
            # Reading the history locks the person's row (PostgreSQL; SQLite has one
            # writer), so a request with the same key waits here and then finds it.
            history = person.history_in(tx)
            stored = kept_response(tx, person, once)
            if stored is not None:
                return once.replay(stored)
            program = person.program_for(history.profile)
            plan = session_day(person, history, program, on)
            session = checked_session(person, plan, *sent)
            tx.add_session(person.id, session)
            tx.discard_draft(person.id)
            body = logged_json(logged(history, program, session), person.content)
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
