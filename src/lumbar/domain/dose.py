"""One step of an exercise's dose, in a module of its own: decisions report doses as facts
(the dose a person starts a phase at), and the model is built on decisions."""

from __future__ import annotations

from dataclasses import dataclass

from lumbar.domain.loads import HouseholdLoad


@dataclass(frozen=True, slots=True)
class Dose:
    """One step of an exercise's dose: sets of reps and/or holds, with rest between sets."""

    sets: int
    reps: int | None
    hold_seconds: int | None
    rest_seconds: int
    load_lb: float | None = None
    """Pounds; 12.5 is a load a person can hold (a 2.5 lb plate, about 1 kg)."""
    variant: str | None = None
    """The easier version of the exercise this step is done in (the side plank on the
    knees, the lunge without its twist), or None for the exercise as the catalogue
    describes it. The exercise's `variants`, easiest first, name them."""
    household: HouseholdLoad | None = None
    """What from home carries the load, for a person without weights of their own (then
    `load_lb` is its weight); None for a weight, or no load (domain/equipment.py)."""

    def __post_init__(self) -> None:
        if self.sets < 1:
            raise ValueError(f"a dose needs at least one set (got {self.sets})")
        if self.reps is None and self.hold_seconds is None:
            raise ValueError("a dose needs reps, a hold, or both")
        if self.reps is not None and self.reps < 1:
            raise ValueError(f"reps must be at least 1 (got {self.reps})")
        if self.hold_seconds is not None and self.hold_seconds < 1:
            raise ValueError(f"a hold must last at least 1 second (got {self.hold_seconds})")
        if self.rest_seconds < 0:
            raise ValueError(f"rest cannot be negative (got {self.rest_seconds})")
        if self.load_lb is not None and self.load_lb < 1:
            raise ValueError(f"a load must be at least 1 lb (got {self.load_lb})")
