"""The intake's answers so far (issue #17): the web intake asks its questions in steps,
and keeps what was written in each step until the program starts (`program.start`
deletes them in the transaction that starts it) or an emergency ends the intake.

The answers are kept as typed, unchecked: each step is checked when it is sent, and the
whole intake again when the program starts.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from lumbar.store import intake_drafts
from lumbar.usecases.person import Person

Answers = intake_drafts.Answers


def kept(person: Person) -> Answers:
    with person.store.transaction() as tx:
        return intake_drafts.kept(tx.connection, person.id)


def keep(person: Person, answers: Mapping[str, str | list[str]], *, now: datetime) -> None:
    with person.store.transaction() as tx:
        intake_drafts.keep(tx.connection, person.id, answers, now)


def discard(person: Person) -> None:
    """Forget the answers: after an emergency, nothing the person wrote is kept."""
    with person.store.transaction() as tx:
        intake_drafts.discard(tx.connection, person.id)
