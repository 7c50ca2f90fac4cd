"""The intake's answers so far (`intake_drafts`), on a connection the caller holds inside
one transaction. The answers are kept as the form had them (text and lists of text, as
JSON): they are checked when each step is sent, and again, whole, when the program starts.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Connection

from lumbar.store.tables import intake_drafts

Answers = dict[str, str | list[str]]


def kept(connection: Connection, person: int) -> Answers:
    """What the person has written so far (nothing before the first step)."""
    row = connection.execute(
        select(intake_drafts.c.answers).where(intake_drafts.c.person_id == person)
    ).first()
    if row is None:
        return {}
    found = json.loads(row.answers)
    return {
        str(k): [str(x) for x in v] if isinstance(v, list) else str(v) for k, v in found.items()
    }


def keep(
    connection: Connection, person: int, answers: Mapping[str, str | list[str]], now: datetime
) -> None:
    discard(connection, person)
    connection.execute(
        insert(intake_drafts).values(
            person_id=person, answers=json.dumps(dict(answers)), updated_at=now
        )
    )


def discard(connection: Connection, person: int) -> None:
    connection.execute(delete(intake_drafts).where(intake_drafts.c.person_id == person))
