"""What a person has to lift, and the unit they think in (issue #17).

Phase 3's loaded exercises ask for a weight the program counts in pounds (10 to 25 lb). A
person may have dumbbells or a kettlebell of their own, a resistance band, or nothing; the
household loads (content/household.toml) stand in for weights with things every home has,
each weighed out. These are plain values: which load a dose uses is `equipment.py`'s rule.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass

KG_PER_LB = 0.45359237
"""The international pound, exactly."""
MAX_WEIGHT_KG = 100.0
"""The heaviest weight a person can say they have: anything more is a typing slip."""
POUND_REGIONS = frozenset({"US", "LR", "MM"})
"""The countries whose people weigh in pounds (the United States, Liberia, Myanmar)."""


class Unit(enum.StrEnum):
    """The unit a person reads weights in; every weight they see is in it alone."""

    KG = "kg"
    LB = "lb"


class WeightKind(enum.StrEnum):
    DUMBBELLS = "dumbbells"
    KETTLEBELL = "kettlebell"


@dataclass(frozen=True, slots=True, order=True)
class Weight:
    """One weight a person has (a pair of dumbbells counts once: one is held), in the unit
    written on it."""

    kind: WeightKind
    amount: float
    unit: Unit

    def __post_init__(self) -> None:
        if not math.isfinite(self.amount) or self.amount <= 0:
            raise ValueError(f"a weight must be more than 0 (got {self.amount:g})")
        if self.kg > MAX_WEIGHT_KG:
            most = MAX_WEIGHT_KG if self.unit is Unit.KG else MAX_WEIGHT_KG / KG_PER_LB
            raise ValueError(
                f"a weight of {self.amount:g} {self.unit} is more than anyone lifts here "
                f"(at most {most:.0f} {self.unit})"
            )

    @property
    def kg(self) -> float:
        return self.amount if self.unit is Unit.KG else self.amount * KG_PER_LB

    @property
    def lb(self) -> float:
        return self.amount if self.unit is Unit.LB else self.amount / KG_PER_LB

    def in_unit(self, unit: Unit) -> float:
        return self.kg if unit is Unit.KG else self.lb


@dataclass(frozen=True, slots=True)
class Equipment:
    """What a person has to exercise with; nothing at all by default (and for records kept
    before people were asked)."""

    weights: tuple[Weight, ...] = ()
    band: bool = False

    def __post_init__(self) -> None:
        # One order, each weight once: two equal sets of equipment are equal values.
        object.__setattr__(self, "weights", tuple(sorted(set(self.weights))))

    @property
    def nothing(self) -> bool:
        return not self.weights and not self.band


@dataclass(frozen=True, slots=True)
class HouseholdLoad:
    """Something from home that stands in for a weight, weighed out: `words` say what it is,
    with `{weight}` where its weight goes, in the person's unit."""

    id: str
    words: str
    kg: float

    @property
    def lb(self) -> float:
        return self.kg / KG_PER_LB


def unit_for_language(tag: str | None) -> Unit:
    """The unit a language tag's region weighs in ('en-US': lb; 'en-GB', 'fr', none: kg).

    Only a region says it: English alone is spoken in kilogram countries too."""
    if not tag:
        return Unit.KG
    parts = tag.replace("_", "-").split("-")
    regions = {p.upper() for p in parts[1:] if len(p) == 2 and p.isalpha()}
    return Unit.LB if regions & POUND_REGIONS else Unit.KG


def unit_for_accept_language(header: str | None) -> Unit:
    """The unit of the language a browser prefers most (an Accept-Language header)."""
    if not header:
        return Unit.KG
    best: tuple[float, str] | None = None
    for part in header.split(","):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        if tag and tag != "*" and (best is None or quality > best[0]):
            best = (quality, tag.strip())
    return unit_for_language(None if best is None else best[1])
