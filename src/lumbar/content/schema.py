"""The shape of each content file, checked by pydantic when the content loads.

These models describe the files, not the domain: `load.py` turns them into domain values,
where the safety rules are checked once more.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

ExerciseId = str


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class PlainDoseFile(_Strict):
    """A dose without a load or a version: the daily routine's."""

    sets: int = Field(ge=1, le=10)
    reps: int | None = Field(default=None, ge=1, le=50)
    hold: int | None = Field(default=None, ge=1, le=300)
    rest: int = Field(ge=0, le=600)

    @model_validator(mode="after")
    def _reps_or_hold(self) -> PlainDoseFile:
        if self.reps is None and self.hold is None:
            raise ValueError("a dose needs reps, a hold, or both")
        return self


class DoseFile(PlainDoseFile):
    load: float | None = Field(default=None, ge=1, le=100, multiple_of=0.5)
    """Pounds, in halves at the finest (2.5 lb is the smallest weight a person adds)."""
    variant: str | None = None
    """The exercise's easier version this step is done in (one of its `variant` ids)."""


class VersionFile(_Strict):
    id: str = Field(pattern=r"^[a-z]+(-[a-z]+)*$")
    name: str = Field(min_length=1)
    steps: list[Annotated[str, Field(min_length=1)]] = Field(min_length=2)
    equipment: list[str] = []


class AlternativeFile(VersionFile):
    place: Literal["chair", "standing"]
    cautions: list[Annotated[str, Field(min_length=1)]] = Field(min_length=1)
    """Who should take care with this version, and how: the exercise's own cautions are
    about the floor version, so an alternative says its own."""


class ExerciseFile(_Strict):
    id: ExerciseId = Field(pattern=r"^[a-z]+(-[a-z]+)*$")
    name: str = Field(min_length=1)
    category: Literal["core-stability", "mobility", "functional", "breathing", "self-massage"]
    purpose: str = Field(min_length=1)
    steps: list[str] = Field(min_length=2)
    tips: list[str] = Field(min_length=1)
    muscles: list[str] = Field(min_length=1)
    equipment: list[str]
    spinal_flexion: Literal["none", "unloaded", "loaded"]
    per_side: bool
    reduced_range: str = Field(min_length=1)
    stretches: list[str] = []
    cautions: list[Annotated[str, Field(min_length=1)]] = Field(min_length=1)
    """Who should take care with the exercise, and how: every exercise has at least one."""
    variant: list[VersionFile] = []
    """Easier versions that dose steps name, easiest first."""
    alternative: list[AlternativeFile] = Field(min_length=1)
    """Versions on a chair or standing, for people who cannot get to the floor or kneel."""
    doses: dict[str, list[DoseFile]] = Field(min_length=1)
    """Dose steps by phase number (TOML keys are text: "1", "2", "3")."""

    @model_validator(mode="after")
    def _versions(self) -> ExerciseFile:
        versions = [v.id for v in self.variant] + [a.id for a in self.alternative]
        _require_unique(versions, "version id")
        named = {v.id for v in self.variant}
        for phase, steps in self.doses.items():
            for step in steps:
                if step.variant is not None and step.variant not in named:
                    raise ValueError(
                        f"a phase {phase} dose step names variant "
                        f"{step.variant!r}, which is not one of its variants"
                    )
        used = {s.variant for steps in self.doses.values() for s in steps}
        unused = [v for v in self.variant if v.id not in used]
        if unused:
            raise ValueError(f"variant {unused[0].id!r} is used by no dose step")
        return self

    @field_validator("doses")
    @classmethod
    def _doses_have_steps(cls, doses: dict[str, list[DoseFile]]) -> dict[str, list[DoseFile]]:
        for phase, steps in doses.items():
            if not phase.isdigit() or int(phase) < 1:
                raise ValueError(f"doses: {phase!r} is not a phase number")
            if not steps:
                raise ValueError(f"phase {phase} has no dose steps")
        return doses


class CatalogueFile(_Strict):
    exercise: list[ExerciseFile] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> CatalogueFile:
        _require_unique([e.id for e in self.exercise], "exercise id")
        return self


class PhaseFile(_Strict):
    number: int = Field(ge=1)
    name: str = Field(min_length=1)
    goal: str = Field(min_length=1)
    """May say `{load_range}`, the program's weights in the reader's unit (formats/views.py)."""
    exercises: list[ExerciseId] = Field(min_length=1)
    warm_up: list[ExerciseId] = []
    """Done first in every session of the phase, at a low dose, before `exercises`."""

    @field_validator("goal")
    @classmethod
    def _goal_placeholders(cls, goal: str) -> str:
        other = sorted(set(re.findall(r"{([^{}]*)}", goal)) - {"load_range"})
        if other:
            raise ValueError(f"a phase's goal may name {{load_range}} only, not {{{other[0]}}}")
        return goal

    @model_validator(mode="after")
    def _unique_exercises(self) -> PhaseFile:
        _require_unique(self.warm_up + self.exercises, f"exercise in phase {self.number}")
        return self


class PhasesFile(_Strict):
    phase: list[PhaseFile] = Field(min_length=1)


class RoutineExerciseFile(_Strict):
    """One exercise of the daily routine, at the routine's own dose (no load, no version)."""

    exercise: ExerciseId
    dose: PlainDoseFile


class ProgramFile(_Strict):
    training_days: list[str] = Field(min_length=1)
    daily_routine: list[RoutineExerciseFile] = Field(min_length=1)
    max_load_lb: int = Field(ge=1, le=100)
    maintenance_per_week: int = Field(ge=1, le=3)
    gate: dict[str, int]
    """The phase gate's numbers; their names, kinds and limits are the domain's
    (`domain.program.Gate`), checked when the program is built."""
    thresholds: dict[str, int | float]
    """Likewise `domain.program.Thresholds`."""

    @model_validator(mode="after")
    def _routine_once_each(self) -> ProgramFile:
        _require_unique([e.exercise for e in self.daily_routine], "exercise in the daily routine")
        return self


class HouseholdLoadFile(_Strict):
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    words: str = Field(min_length=1, max_length=200)
    """What it is, with `{weight}` once, where its weight is written."""
    kg: float = Field(gt=0, le=20, multiple_of=0.5)

    @field_validator("words")
    @classmethod
    def _one_weight(cls, words: str) -> str:
        if words.count("{weight}") != 1 or words.count("{") != 1 or words.count("}") != 1:
            raise ValueError("say {weight} once, where the load's weight is written")
        return words


class HouseholdFile(_Strict):
    load: list[HouseholdLoadFile] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> HouseholdFile:
        _require_unique([item.id for item in self.load], "household load id")
        _require_unique([f"{item.kg:g} kg" for item in self.load], "household load weight")
        return self


class TopicFile(_Strict):
    id: str = Field(pattern=r"^[a-z]+(-[a-z]+)*$")
    title: str = Field(min_length=1)
    summary: str = Field(min_length=1, max_length=140)
    body: str = Field(min_length=1)


class EducationFile(_Strict):
    topic: list[TopicFile] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> EducationFile:
        _require_unique([t.id for t in self.topic], "topic id")
        return self


class SymptomFile(_Strict):
    label: str = Field(min_length=1)
    question: str = Field(min_length=1)


class ScreeningFile(_Strict):
    symptom: dict[str, SymptomFile]


class MessagesFile(_Strict):
    rules: dict[str, str]
    alerts: dict[str, str]
    milestones: dict[str, str]
    """A title for each moment of domain/model.py's `Moment`."""


class RollerFile(_Strict):
    segment: str
    at: float = Field(ge=0, le=1)


class TwistFile(_Strict):
    pelvis: float = Field(default=0, ge=-180, le=180)
    chest: float = Field(default=0, ge=-180, le=180)


class PoseFile(_Strict):
    name: str = Field(pattern=r"^[a-z]+(-[a-z]+)*$")
    label: str = Field(min_length=1, max_length=60)
    contacts: list[str] = Field(min_length=1)
    """What rests on what: a part on the floor (`feet`), or on one of the figure's supports
    after an `@` (`pelvis@seat`, `hands@counter`, `roller@wall`, `head@stick`)."""
    angles: dict[str, float] = Field(min_length=1)
    """Directions in degrees: trunk segments by name, limbs for both sides or one."""
    tilt: dict[str, float] = {}
    twist: TwistFile = TwistFile()
    hold: bool = False
    pause: float = Field(default=0.5, ge=0, le=10)
    move: float | None = Field(default=None, gt=0, le=10)
    roller: RollerFile | None = None
    cue: Literal["turn", "rise"] | None = None
    """An arrow drawn on the figure: "turn" circles the chest (the lunge's twist), "rise"
    lifts from the belly (a breath in)."""

    @field_validator("angles", "tilt", mode="before")
    @classmethod
    def _numbers(cls, value: object) -> object:
        """TOML writes 90 and 90.0 differently; both are angles."""
        if isinstance(value, dict):
            return {
                k: float(v) if isinstance(v, int) and not isinstance(v, bool) else v
                for k, v in value.items()
            }
        return value


class SeatFile(_Strict):
    """A chair, its back on the left: `front` is where the seat's front edge stands, from
    the figure's anchor point; the seat is 40 deep."""

    front: float
    height: float = Field(default=45, ge=30, le=70)


class CounterFile(_Strict):
    """A counter or table top from `left` to `right` (from the anchor point)."""

    left: float
    right: float
    height: float = Field(default=90, ge=60, le=120)
    beside: bool = False
    """Beside the figure (held side-on), so drawn behind it; else the figure faces it."""

    @model_validator(mode="after")
    def _span(self) -> CounterFile:
        if self.right - self.left < 10:
            raise ValueError("a counter runs at least 10 from left to right")
        return self


class FigureFile(_Strict):
    exercise: ExerciseId
    version: str | None = Field(default=None, pattern=r"^[a-z]+(-[a-z]+)*$")
    """One of the exercise's variants or alternatives; the exercise itself when absent."""
    props: list[Literal["mat", "weight", "stick"]] = []
    seat: SeatFile | None = None
    counter: CounterFile | None = None
    wall: float | None = None
    """Where a wall's face stands, from the anchor point; the figure is on its right."""
    move: float = Field(default=2.0, gt=0, le=10)
    highlight_side: Literal["near", "far"] | None = None
    pose: list[PoseFile] = Field(min_length=2, max_length=4)

    @model_validator(mode="after")
    def _one_hold(self) -> FigureFile:
        which = repr(self.exercise) + ("" if self.version is None else f" {self.version!r}")
        _require_unique([p.name for p in self.pose], f"pose name in {which}")
        if sum(p.hold for p in self.pose) > 1:
            raise ValueError(f"{which}: at most one pose is held")
        if self.pose[0].hold:
            raise ValueError(f"{which}: the first pose starts a repetition; hold a later one")
        rollers = {None if p.roller is None else p.roller.segment for p in self.pose}
        if len(rollers) > 1:
            raise ValueError(
                f"{which}: every pose rests on the roller at the same segment, or none does"
            )
        return self


class FiguresFile(_Strict):
    figure: list[FigureFile] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> FiguresFile:
        _require_unique(
            [
                f.exercise + ("" if f.version is None else f" version {f.version}")
                for f in self.figure
            ],
            "figure for exercise",
        )
        return self


def _require_unique(values: list[str], what: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"duplicate {what} {value!r}")
        seen.add(value)
