"""A session's rows: its pain answers (with the version done, for a swap) and its skips,
recorded (`session_exercises`, `session_skips`) or in progress (`session_drafts`,
`session_draft_skips`). A skip has rows of its own, never a pain answer's (issue #17)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Integer, bindparam, delete, insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import BindParameter

from lumbar.domain.model import ExerciseResult, Pain, SessionLog, Skip, SkipReason
from lumbar.store.camera import camera_from_text, camera_text
from lumbar.store.tables import (
    session_draft_skips,
    session_drafts,
    session_exercises,
    session_skips,
)

_PERSON: BindParameter[int] = bindparam("person", type_=Integer)
ADD_EXERCISES = insert(session_exercises)
ADD_SKIPS = insert(session_skips)
DRAFT = (
    select(
        session_drafts.c.on_date,
        session_drafts.c.exercise_id,
        session_drafts.c.pain,
        session_drafts.c.version,
        session_drafts.c.comment,
        session_drafts.c.camera,
    )
    .where(session_drafts.c.person_id == _PERSON)
    .order_by(session_drafts.c.position)
)
DRAFT_SKIPS = (
    select(
        session_draft_skips.c.on_date,
        session_draft_skips.c.exercise_id,
        session_draft_skips.c.reason,
        session_draft_skips.c.note,
    )
    .where(session_draft_skips.c.person_id == _PERSON)
    .order_by(session_draft_skips.c.position)
)
ADD_DRAFT_ANSWER = insert(session_drafts)
ADD_DRAFT_SKIP = insert(session_draft_skips)
DISCARD_DRAFT = delete(session_drafts).where(session_drafts.c.person_id == _PERSON)
DISCARD_DRAFT_SKIPS = delete(session_draft_skips).where(session_draft_skips.c.person_id == _PERSON)

Draft = tuple[date, tuple[ExerciseResult, ...], tuple[Skip, ...]]
"""The day of the session in progress, its answers so far and its skips so far."""


class SessionRows:
    """The part of a `store.writes.Transaction` that writes a session's rows."""

    connection: Connection

    def _write_session(self, event_id: int, session: SessionLog) -> None:
        if session.results:
            self.connection.execute(
                ADD_EXERCISES,
                [
                    {
                        "event_id": event_id,
                        "position": position,
                        "exercise_id": result.exercise_id,
                        "pain": result.pain.value,
                        "version": result.version,
                        "comment": result.comment,
                        "camera": camera_text(result.camera),
                    }
                    for position, result in enumerate(session.results)
                ],
            )
        if session.skipped:
            self.connection.execute(
                ADD_SKIPS,
                [
                    {
                        "event_id": event_id,
                        "position": position,
                        "exercise_id": skip.exercise_id,
                        "reason": skip.reason.value,
                        "note": skip.note,
                    }
                    for position, skip in enumerate(session.skipped)
                ],
            )

    # The session in progress.

    def draft(self, person: int) -> Draft | None:
        """The day, the answers and the skips so far of the person's session in progress."""
        params = {"person": person}
        rows = self.connection.execute(DRAFT, params).all()
        skips = self.connection.execute(DRAFT_SKIPS, params).all()
        if not rows and not skips:
            return None
        on = rows[0].on_date if rows else skips[0].on_date
        return (
            on,
            tuple(
                ExerciseResult(
                    r.exercise_id, Pain(r.pain), r.version, r.comment, camera_from_text(r.camera)
                )
                for r in rows
            ),
            tuple(Skip(r.exercise_id, SkipReason(r.reason), r.note) for r in skips),
        )

    def add_draft_answer(
        self, person: int, on: date, position: int, result: ExerciseResult
    ) -> None:
        self.connection.execute(
            ADD_DRAFT_ANSWER,
            {
                "person_id": person,
                "on_date": on,
                "position": position,
                "exercise_id": result.exercise_id,
                "pain": result.pain.value,
                "version": result.version,
                "comment": result.comment,
                "camera": camera_text(result.camera),
            },
        )

    def add_draft_skip(self, person: int, on: date, position: int, skip: Skip) -> None:
        self.connection.execute(
            ADD_DRAFT_SKIP,
            {
                "person_id": person,
                "on_date": on,
                "position": position,
                "exercise_id": skip.exercise_id,
                "reason": skip.reason.value,
                "note": skip.note,
            },
        )

    def discard_draft(self, person: int) -> None:
        self.connection.execute(DISCARD_DRAFT, {"person": person})
        self.connection.execute(DISCARD_DRAFT_SKIPS, {"person": person})
