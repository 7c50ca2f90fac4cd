"""The shape of each content file, checked by pydantic when the content loads.

These models describe the files, not the domain: `load.py` turns them into domain values,
where the safety rules are checked once more.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

ExerciseId = str


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class DoseFile(_Strict):
    sets: int = Field(ge=1, le=10)
    reps: int | None = Field(default=None, ge=1, le=50)
    hold: int | None = Field(default=None, ge=1, le=300)
    rest: int = Field(ge=0, le=600)
    load: float | None = Field(default=None, ge=1, le=100, multiple_of=0.5)
    """Pounds, in halves at the finest (2.5 lb is the smallest weight a person adds)."""

    @model_validator(mode="after")
    def _reps_or_hold(self) -> DoseFile:
        if self.reps is None and self.hold is None:
            raise ValueError("a dose needs reps, a hold, or both")
        return self


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
    doses: dict[str, list[DoseFile]] = Field(min_length=1)
    """Dose steps by phase number (TOML keys are text: "1", "2", "3")."""

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
    exercises: list[ExerciseId] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_exercises(self) -> PhaseFile:
        _require_unique(self.exercises, f"exercise in phase {self.number}")
        return self


class PhasesFile(_Strict):
    phase: list[PhaseFile] = Field(min_length=1)


class ProgramFile(_Strict):
    training_days: list[str] = Field(min_length=1)
    daily_routine: list[ExerciseId] = Field(min_length=1)
    max_load_lb: int = Field(ge=1, le=100)
    gate: dict[str, int]
    """The phase gate's numbers; their names, kinds and limits are the domain's
    (`domain.program.Gate`), checked when the program is built."""
    thresholds: dict[str, int | float]
    """Likewise `domain.program.Thresholds`."""


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


class FigureFile(_Strict):
    exercise: ExerciseId
    props: list[Literal["mat", "weight"]] = []
    chair: float | None = None
    move: float = Field(default=2.0, gt=0, le=10)
    highlight_side: Literal["near", "far"] | None = None
    pose: list[PoseFile] = Field(min_length=2, max_length=4)

    @model_validator(mode="after")
    def _one_hold(self) -> FigureFile:
        _require_unique([p.name for p in self.pose], f"pose name in {self.exercise!r}")
        if sum(p.hold for p in self.pose) > 1:
            raise ValueError(f"{self.exercise!r}: at most one pose is held")
        if self.pose[0].hold:
            raise ValueError(
                f"{self.exercise!r}: the first pose starts a repetition; hold a later one"
            )
        rollers = {None if p.roller is None else p.roller.segment for p in self.pose}
        if len(rollers) > 1:
            raise ValueError(
                f"{self.exercise!r}: every pose rests on the roller at the same segment, "
                "or none does"
            )
        return self


class FiguresFile(_Strict):
    figure: list[FigureFile] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> FiguresFile:
        _require_unique([f.exercise for f in self.figure], "figure for exercise")
        return self


def _require_unique(values: list[str], what: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"duplicate {what} {value!r}")
        seen.add(value)
