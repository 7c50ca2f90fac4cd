"""An exercise of the catalogue and its versions, in a module of their own: the content
loader builds them, the rules read their doses, the shells teach their steps."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass

from lumbar.domain.dose import Dose


class SpinalFlexion(enum.StrEnum):
    """How an exercise bends the lower back forward.

    `unloaded` movements (cat, child's pose) are allowed in a pain-free range; `loaded` ones
    (sit-ups, crunches, toe-touches) can never be part of a program.
    """

    NONE = "none"
    UNLOADED = "unloaded"
    LOADED = "loaded"


@dataclass(frozen=True, slots=True)
class Version:
    """Another way to do an exercise, taught with its own name, steps and figure.

    A *variant* is an easier version that some dose steps use (the side plank on the
    knees); an *alternative* is a version a person chooses once for good, because they
    cannot get down to the floor or kneel (`place`: "chair" or "standing"). Either way the
    rules see the exercise itself: its pain, its dose steps, its phase.
    """

    id: str
    name: str
    steps: tuple[str, ...]
    equipment: tuple[str, ...] = ()
    place: str | None = None
    """Where an alternative is done: "chair" or "standing"; None for a variant."""
    cautions: tuple[str, ...] = ()
    """An alternative's own cautions (a variant shares the exercise's)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Exercise:
    """One entry of the catalogue, as the content files describe it."""

    id: str
    name: str
    category: str
    purpose: str
    steps: tuple[str, ...]
    tips: tuple[str, ...]
    muscles: tuple[str, ...]
    equipment: tuple[str, ...]
    spinal_flexion: SpinalFlexion
    per_side: bool
    reduced_range: str
    """How to do the exercise at reduced range, after bad pain (for example a half squat)."""
    doses: Mapping[int, tuple[Dose, ...]]
    """The default dose steps for each phase the exercise can be used in."""
    stretches: tuple[str, ...] = ()
    """Muscles the exercise stretches; the hamstrings are never among them."""
    cautions: tuple[str, ...] = ()
    """Who should take care with it, and how (a painful knee, a sore shoulder, late
    pregnancy, osteoporosis): shown wherever the exercise is taught."""
    variants: tuple[Version, ...] = ()
    """Easier versions that dose steps name (`Dose.variant`), easiest first."""
    alternatives: tuple[Version, ...] = ()
    """Versions done on a chair or standing, for a person who cannot get to the floor."""

    def variant(self, version_id: str | None) -> Version | None:
        return next((v for v in self.variants if v.id == version_id), None)

    def alternative(self, version_id: str | None) -> Version | None:
        return next((v for v in self.alternatives if v.id == version_id), None)

    def version(self, version_id: str | None) -> Version | None:
        """The variant or alternative with this id; None for None or an unknown id."""
        return self.variant(version_id) or self.alternative(version_id)

    def __post_init__(self) -> None:
        if self.spinal_flexion is SpinalFlexion.LOADED:
            raise ValueError(
                f"{self.id}: loaded spinal flexion (sit-ups, crunches, toe-touches) "
                "is never part of this program"
            )
