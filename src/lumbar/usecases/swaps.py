"""A swap in the session in progress (issue #17): the exercise to do now, done in one of its
alternatives (on a chair, standing) for this session only.

Nothing of the session is written by a swap: the answer that follows it says which version
was done (`sessions.answer`'s `version`), and that is what the record keeps. A phone that
swapped offline sends the swap from its outbox before that answer, in order, with an
Idempotency-Key of its own (static/offline.js). With a key the swap is checked once and
the key kept, as an answer's is (usecases/idempotency.py): the same swap sent again, even
after the answer that followed it went through (a response lost, a second tab sending the
same outbox), is accepted with nothing written, and the session is shown as it stands.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, overload

from lumbar.domain.session import SessionInProgress
from lumbar.errors import UserError
from lumbar.usecases.idempotency import ClientKey, Once, write_once
from lumbar.usecases.person import Person, check_date
from lumbar.usecases.session_drafts import progress_of

if TYPE_CHECKING:
    from lumbar.store.writes import Transaction


@overload
def swap(person: Person, on: date, exercise_id: str, version: str) -> SessionInProgress: ...


@overload
def swap(
    person: Person, on: date, exercise_id: str, version: str, *, key: ClientKey
) -> Once[SessionInProgress]: ...


def swap(
    person: Person, on: date, exercise_id: str, version: str, *, key: ClientKey | None = None
) -> SessionInProgress | Once[SessionInProgress]:
    """The session of `on` with `exercise_id` the one to do now, checked: it must be that
    exercise, and it must have the alternative `version`; else a UserError.

    With a key, the key is kept (the only write) and the same swap sent again gets the
    session as it stands now: still at the exercise swapped, or past it once its answer
    came."""
    if key is None:
        with person.store.transaction() as tx:
            return _swap(tx, person, on, exercise_id, version)
    once = key.of(kind="swap", date=on.isoformat(), exercise=exercise_id, version=version)

    def first(tx: Transaction) -> tuple[SessionInProgress, dict[str, Any]]:
        return _swap(tx, person, on, exercise_id, version), {"date": on.isoformat()}

    def again(tx: Transaction, kept: dict[str, Any]) -> SessionInProgress:
        history = person.history_in(tx)
        return progress_of(tx, person, history, person.program_for(history.profile), on)

    return write_once(person, once, first, again)


def _swap(
    tx: Transaction, person: Person, on: date, exercise_id: str, version: str
) -> SessionInProgress:
    history = person.history_in(tx)
    check_date(history, on)
    progress = progress_of(tx, person, history, person.program_for(history.profile), on)
    planned = progress.next
    found = person.content.catalogue.get(exercise_id)
    if planned is None or found is None or planned.exercise_id != exercise_id:
        raise UserError("that exercise is not the one to do now")
    if found.alternative(version) is None:
        raise UserError(f"{found.name} has no alternative {version!r} to swap it for")
    return progress
