"""The session in progress as the web player and `lumbar session` resume it: the answers
and skips kept so far (`session_drafts`, `session_draft_skips`)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from lumbar.domain.model import ExerciseResult, History, Skip
from lumbar.domain.plan import plan_day
from lumbar.domain.program import Program
from lumbar.domain.session import SessionInProgress
from lumbar.usecases.person import Person

if TYPE_CHECKING:
    from lumbar.store.writes import Transaction


def progress_of(
    tx: Transaction, person: Person, history: History, program: Program, on: date
) -> SessionInProgress:
    plan = plan_day(on, history, program)
    draft = tx.draft(person.id)
    if draft is None or draft[0] != on or plan.completed:
        return SessionInProgress(plan, ())
    return SessionInProgress(plan, draft[1], draft[2])


def draft_of(
    tx: Transaction, person: Person, on: date
) -> tuple[tuple[ExerciseResult, ...], tuple[Skip, ...]]:
    """The answers and skips so far of today's session (a draft of another day is gone)."""
    draft = tx.draft(person.id)
    if draft is None:
        return (), ()
    if draft[0] != on:
        tx.discard_draft(person.id)  # left from an earlier day
        return (), ()
    return draft[1], draft[2]
