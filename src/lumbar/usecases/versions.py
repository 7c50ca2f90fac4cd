"""The alternatives a person chooses: an exercise done on a chair or standing, for good.

A person who cannot get down to the floor or kneel chooses, once, the version they can do
(sit to stand for the squat, the standing bird-dog at a counter). Every plan, session,
handout and figure teaches it from then on; the rules count it as the exercise itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from lumbar.domain.exercise import Version
from lumbar.domain.model import Exercise
from lumbar.errors import UserError
from lumbar.usecases.person import Person

AS_IT_IS = "none"
"""The choice that goes back to the exercise as the catalogue describes it."""


@dataclass(frozen=True, slots=True)
class Choice:
    """One exercise, the versions it can be done in instead, and the one chosen (if any)."""

    exercise: Exercise
    chosen: Version | None


def choices(person: Person) -> list[Choice]:
    """Every exercise of the catalogue, in its order, with the alternative chosen for it."""
    chosen = dict(person.history().profile.alternatives)
    return [
        Choice(exercise, exercise.alternative(chosen.get(exercise.id)))
        for exercise in person.content.catalogue.values()
    ]


def choose(person: Person, exercise_id: str, alternative: str) -> Choice:
    """Teach the exercise in this alternative from now on (`AS_IT_IS`: as it is).

    Refused, writing nothing, for an exercise or an alternative that does not exist."""
    [chosen] = choose_each(person, {exercise_id: alternative})
    return chosen


def choose_each(person: Person, picks: Mapping[str, str]) -> list[Choice]:
    """Several choices at once (the settings form), all checked before any is written."""
    checked = [_checked(person, exercise_id, wanted) for exercise_id, wanted in picks.items()]
    with person.store.transaction() as tx:
        person.history_in(tx)
        for choice in checked:
            version = None if choice.chosen is None else choice.chosen.id
            tx.set_alternative(person.id, choice.exercise.id, version)
    return checked


def _checked(person: Person, exercise_id: str, alternative: str) -> Choice:
    exercise = person.content.catalogue.get(exercise_id.strip())
    if exercise is None:
        raise UserError(
            f"unknown exercise {exercise_id!r}; the ids are {', '.join(person.content.catalogue)}",
            field="exercise",
        )
    wanted = alternative.strip().lower()
    version = exercise.alternative(wanted)
    if version is None and wanted != AS_IT_IS:
        names = ", ".join([*(a.id for a in exercise.alternatives), AS_IT_IS])
        raise UserError(
            f"{exercise.name} has no alternative {alternative!r}; choose one of {names}",
            field="alternative",
        )
    return Choice(exercise, version)
