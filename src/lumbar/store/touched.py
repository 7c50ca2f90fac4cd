"""Which patients a transaction wrote something about, so that their concern summaries are
computed again before it commits (usecases/summaries.py, issue #20).

Every store function that writes what a patient's concerns are made of (their history,
problem reports, the clinic's signals, their prescription, a new account) says so here,
on the connection: the use cases need not remember to, and nested transactions (the
writer's batches, savepoints on the same connection) add to the same set. `Store.transaction`
empties it when a transaction begins and takes it before it commits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported by store/database.py, whose reads go without SQLAlchemy
    from sqlalchemy.engine import Connection

KEY = "lumbar.touched"


def touch(connection: Connection, person: int) -> None:
    """Say that this transaction changed something of `person`'s concerns."""
    touched: set[int] = connection.info.setdefault(KEY, set())
    touched.add(person)


def take(connection: Connection) -> set[int]:
    """The people touched so far, forgotten here (the connection returns to a pool)."""
    found: set[int] = connection.info.pop(KEY, set())
    return found
