"""Writing history inside one transaction; the caller's context manager commits or rolls back."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection

from lumbar.domain.model import (
    CheckIn,
    ExerciseResult,
    History,
    Pain,
    Profile,
    SessionLog,
    TrainingDays,
)
from lumbar.store.database import fetch_with
from lumbar.store.history import read_history
from lumbar.store.tables import (
    checkin_psfs,
    checkin_symptoms,
    checkins,
    events,
    people,
    psfs_activities,
    session_drafts,
    session_exercises,
)


class Transaction:
    """The writes a use case can make; nothing here commits (the Store's transaction does)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def history(self, person: int) -> History | None:
        """Read inside the transaction, so a check and the write that follows it agree."""
        return read_history(fetch_with(self.connection), person)

    def is_empty(self) -> bool:
        return self.connection.execute(select(func.count()).select_from(people)).scalar_one() == 0

    def add_person(self, person: int, profile: Profile) -> None:
        self.connection.execute(
            insert(people).values(
                id=person,
                start_date=profile.start,
                age=profile.age,
                pain_weeks=profile.pain_weeks,
                training_days=profile.training_days.label,
            )
        )
        if profile.psfs_activities:
            self.connection.execute(
                insert(psfs_activities),
                [
                    {"person_id": person, "position": position, "activity": activity}
                    for position, activity in enumerate(profile.psfs_activities)
                ],
            )

    def add_checkin(self, person: int, checkin: CheckIn) -> None:
        event_id = self._add_event(person, checkin.on, "checkin")
        self.connection.execute(
            insert(checkins).values(
                event_id=event_id,
                pain=checkin.pain,
                cleared_by_clinician=checkin.cleared_by_clinician,
            )
        )
        if checkin.psfs:
            self.connection.execute(
                insert(checkin_psfs),
                [
                    {"event_id": event_id, "position": position, "score": score}
                    for position, score in enumerate(checkin.psfs)
                ],
            )
        if checkin.symptoms:
            self.connection.execute(
                insert(checkin_symptoms),
                [{"event_id": event_id, "code": code} for code in sorted(set(checkin.symptoms))],
            )

    def add_session(self, person: int, session: SessionLog) -> None:
        event_id = self._add_event(person, session.on, "session")
        self.connection.execute(
            insert(session_exercises),
            [
                {
                    "event_id": event_id,
                    "position": position,
                    "exercise_id": result.exercise_id,
                    "pain": result.pain.value,
                }
                for position, result in enumerate(session.results)
            ],
        )

    def set_training_days(self, person: int, days: TrainingDays) -> None:
        self.connection.execute(
            update(people).where(people.c.id == person).values(training_days=days.label)
        )

    # The session in progress.

    def draft(self, person: int) -> tuple[date, tuple[ExerciseResult, ...]] | None:
        """The day and the answers so far of the person's session in progress, if any."""
        rows = self.connection.execute(
            select(session_drafts.c.on_date, session_drafts.c.exercise_id, session_drafts.c.pain)
            .where(session_drafts.c.person_id == person)
            .order_by(session_drafts.c.position)
        ).all()
        if not rows:
            return None
        return rows[0].on_date, tuple(ExerciseResult(r.exercise_id, Pain(r.pain)) for r in rows)

    def add_draft_answer(
        self, person: int, on: date, position: int, result: ExerciseResult
    ) -> None:
        self.connection.execute(
            insert(session_drafts).values(
                person_id=person,
                on_date=on,
                position=position,
                exercise_id=result.exercise_id,
                pain=result.pain.value,
            )
        )

    def discard_draft(self, person: int) -> None:
        self.connection.execute(delete(session_drafts).where(session_drafts.c.person_id == person))

    def _add_event(self, person: int, on: date, kind: str) -> int:
        result = self.connection.execute(
            insert(events).values(person_id=person, on_date=on, kind=kind).returning(events.c.id)
        )
        return int(result.scalar_one())
