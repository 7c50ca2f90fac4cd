"""Milestones on Today: the cards of the last two weeks' milestones that the person has not
put away, and putting one away (issue #17). The milestones themselves are the replay's
(domain/milestones.py); only what was put away is kept (store/cards.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lumbar.domain.milestones import cards
from lumbar.domain.model import Milestone, Status
from lumbar.errors import UserError
from lumbar.usecases.person import Person
from lumbar.usecases.program import status


@dataclass(frozen=True, slots=True)
class Standing:
    """Where the person stands on a day, with the milestone cards Today shows."""

    status: Status
    cards: tuple[Milestone, ...]


def standing(person: Person, on: date) -> Standing:
    """The day's status and the cards not put away."""
    from lumbar.store.cards import put_away

    current = status(person, on)
    with person.store.reading() as connection:
        kept = put_away(connection, person.id)
    return Standing(current, tuple(cards(on, current.milestones, kept)))


def put_away(person: Person, card: str, on: date) -> None:
    """Put a card away, so Today no longer shows it; a card that Today does not show is
    refused (UserError), nothing written."""
    from lumbar.store.cards import put_card_away

    shown = {milestone.key for milestone in cards(on, status(person, on).milestones, frozenset())}
    if card not in shown:
        raise UserError("There is no such card on Today to put away.")
    with person.store.transaction() as tx:
        put_card_away(tx.connection, person.id, card)
