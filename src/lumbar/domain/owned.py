"""A person's equipment from what they said they have, refused when it cannot be (a weight
of 0 or less, or more than anyone lifts here): every shell asks the same question."""

from __future__ import annotations

from collections.abc import Iterable

from lumbar.domain.loads import Equipment, Unit, Weight, WeightKind

KIND_WORDS = {WeightKind.DUMBBELLS: "dumbbell", WeightKind.KETTLEBELL: "kettlebell"}


def equipment_of(
    dumbbells: Iterable[float], kettlebells: Iterable[float], *, band: bool, unit: Unit
) -> Equipment:
    """The equipment, each weight in `unit`; ValueError names the weight at fault."""
    weights = []
    for kind, amounts in ((WeightKind.DUMBBELLS, dumbbells), (WeightKind.KETTLEBELL, kettlebells)):
        for amount in amounts:
            try:
                weights.append(Weight(kind, float(amount), unit))
            except ValueError as error:
                raise ValueError(f"{KIND_WORDS[kind]}: {error}") from error
    return Equipment(tuple(weights), band)
