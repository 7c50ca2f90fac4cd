"""Reading and writing the outcome scores a clinician entered (store/score_tables.py), on a
transaction's connection: the use case checks the person and the score first."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from lumbar.domain.scores import Score
from lumbar.store.score_tables import outcome_scores

_ALL = select(
    outcome_scores.c.on_date,
    outcome_scores.c.measure,
    outcome_scores.c.total,
    outcome_scores.c.subscale,
).order_by(outcome_scores.c.on_date, outcome_scores.c.id)


def scores(connection: Connection, person: int) -> list[Score]:
    """The person's scores, by day, then in the order entered."""
    rows = connection.execute(_ALL.where(outcome_scores.c.person_id == person)).all()
    return [Score(r.on_date, r.measure, r.total, r.subscale) for r in rows]


def add_scores(
    connection: Connection, person: int, added: list[Score], entered_at: datetime | None
) -> None:
    """Write scores (one entered, or an export's, with `entered_at` None)."""
    if not added:
        return
    connection.execute(
        insert(outcome_scores),
        [
            {
                "person_id": person,
                "on_date": s.on,
                "measure": s.measure,
                "total": s.total,
                "subscale": s.subscale,
                "entered_at": entered_at,
            }
            for s in added
        ],
    )
