"""The milestone cards a person has put away (issue #17), on a connection the caller holds
inside one transaction. Not part of the record: an export leaves them out, and a restored
or imported record shows its recent milestones' cards once more."""

from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from lumbar.store.tables import put_away_cards


def put_away(connection: Connection, person: int) -> frozenset[str]:
    """The keys of the cards the person has put away."""
    query = select(put_away_cards.c.card).where(put_away_cards.c.person_id == person)
    return frozenset(connection.scalars(query))


def put_card_away(connection: Connection, person: int, card: str) -> None:
    """Keep that the card is put away (once: putting it away again changes nothing)."""
    if card not in put_away(connection, person):
        connection.execute(insert(put_away_cards).values(person_id=person, card=card))
