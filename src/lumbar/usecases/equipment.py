"""What a person has to lift, and the unit they read weights in (issue #17): asked at the
intake, changed here later (Settings, `lumbar equipment`).

Phase 3's loads follow from it (domain/equipment.py): a weight they have, or something from
home weighed out; never a weight they do not have.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from lumbar.domain.loads import Equipment, Unit, Weight, WeightKind
from lumbar.domain.model import Profile
from lumbar.errors import UserError
from lumbar.usecases.person import Person

UNITS = ", ".join(u.value for u in Unit)


@dataclass(frozen=True, slots=True)
class Owned:
    """The person's equipment and unit, as the settings show them."""

    equipment: Equipment
    unit: Unit


def current(person: Person) -> Owned:
    profile = person.history().profile
    return Owned(profile.equipment, profile.unit)


def unit_named(text: str) -> Unit:
    """'kg' or 'lb' (any case, spaces around); refused otherwise."""
    try:
        return Unit(text.strip().lower())
    except ValueError:
        raise UserError(f"{text!r} is not a unit: choose one of {UNITS}", field="unit") from None


Amount = tuple[float, Unit | None]
"""A weight as typed: its number, and its unit if it was written beside it."""
UNIT_WORDS = {"kg": Unit.KG, "kgs": Unit.KG, "lb": Unit.LB, "lbs": Unit.LB}


def amounts(text: str, *, field: str) -> tuple[Amount, ...]:
    """The weights a person typed, '5, 7.5', '5 8' or '5 kg, 11 lb' (a weight without a
    unit is in the unit chosen beside the box); refused, naming the field, for anything
    else."""
    found: list[Amount] = []
    tokens = re.findall(r"[0-9.+-]+|[a-zA-Z]+|[^\s,;0-9a-zA-Z.+-]+", text)
    for token in tokens:
        word = token.lower()
        if word in UNIT_WORDS and found and found[-1][1] is None:
            found[-1] = (found[-1][0], UNIT_WORDS[word])
            continue
        try:
            amount = float(token)
        except ValueError:
            raise UserError(
                f"{token!r} is not a weight: write each one as a number, like 5 or 7.5",
                field=field,
            ) from None
        if not math.isfinite(amount):
            raise UserError(f"{token!r} is not a weight", field=field)
        found.append((amount, None))
    return tuple(found)


def in_unit(typed: tuple[Amount, ...], unit: Unit) -> list[float]:
    """The weights typed, each in `unit` (one typed in the other unit converted)."""
    return [
        amount if own in (None, unit) else Weight(WeightKind.DUMBBELLS, amount, own).in_unit(unit)
        for amount, own in typed
    ]


def weights_text(equipment: Equipment, kind: WeightKind) -> str:
    """The weights of one kind as the settings box shows them: '5 kg, 8 kg'."""
    return ", ".join(f"{w.amount:g} {w.unit.value}" for w in equipment.weights if w.kind is kind)


def owned(
    dumbbells: tuple[Amount, ...], kettlebells: tuple[Amount, ...], *, band: bool, unit: Unit
) -> Equipment:
    """The equipment, each weight in the unit typed beside it (else `unit`), checked: a
    weight of 0 or less, or more than anyone lifts here, is refused with a message that
    names it."""
    weights = []
    kinds = (
        (WeightKind.DUMBBELLS, dumbbells, "dumbbells"),
        (WeightKind.KETTLEBELL, kettlebells, "kettlebells"),
    )
    for kind, typed, field in kinds:
        for amount, own in typed:
            try:
                weights.append(Weight(kind, amount, own or unit))
            except ValueError as error:
                raise UserError(str(error), field=field) from error
    return Equipment(tuple(weights), band)


def change(person: Person, equipment: Equipment | None, unit: Unit | None) -> Owned:
    """Keep the new equipment and/or unit (None: as it is), from now on; nothing is
    written when nothing changes."""
    with person.store.transaction() as tx:
        profile = person.history_in(tx).profile
        kept = Owned(
            profile.equipment if equipment is None else equipment,
            profile.unit if unit is None else unit,
        )
        if kept != Owned(profile.equipment, profile.unit):
            tx.set_equipment(person.id, kept.equipment, kept.unit)
    return kept


def described(equipment: Equipment) -> str:
    """'dumbbells of 5 kg and 8 kg, a resistance band', or 'nothing (things from home)'."""
    parts = []
    for kind, words in (
        (WeightKind.DUMBBELLS, "dumbbells of"),
        (WeightKind.KETTLEBELL, "a kettlebell of"),
    ):
        found = [f"{w.amount:g} {w.unit.value}" for w in equipment.weights if w.kind is kind]
        if found:
            parts.append(f"{words} {' and '.join(found)}")
    if equipment.band:
        parts.append("a resistance band")
    return ", ".join(parts) or "nothing (phase 3 uses things from home, weighed out)"


def line(profile: Profile) -> str:
    """'Dumbbells of 5 kg and 8 kg; weights shown in kg': for the clinician's page."""
    return f"{described(profile.equipment).capitalize()}; weights shown in {profile.unit}"
