"""The intake answers, as `lumbar start --answers FILE`, the start page and the API give them.

Checked with pydantic; every problem becomes a `UserError` that names the field (see
`formats/validation.py`). The command line's own small arguments (dates, scores) are parsed
in `cli/arguments.py`, without pydantic, because every command parses them.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from lumbar.domain.loads import Equipment, Unit
from lumbar.domain.model import TrainingDays
from lumbar.domain.outcomes import PSFS_ACTIVITY_MAX, PSFS_MAX_ACTIVITIES, PSFS_MIN_ACTIVITIES
from lumbar.domain.owned import equipment_of
from lumbar.domain.schedule import training_days_from_choice
from lumbar.domain.screening import known_symptoms
from lumbar.errors import UserError
from lumbar.formats.validation import load_json, validate


class PsfsAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, str_strip_whitespace=True)

    activity: str = Field(min_length=1, max_length=PSFS_ACTIVITY_MAX)
    score: int = Field(ge=0, le=10)


Amount = Annotated[float, Field(gt=0, allow_inf_nan=False)]


class EquipmentAnswer(BaseModel):
    """What the person has to lift: each weight in the intake's `unit` (a pair of dumbbells
    is one weight), and whether they have a resistance band. Empty: nothing."""

    model_config = ConfigDict(extra="forbid", strict=True)

    dumbbells: list[Amount] = Field(default=[], max_length=20)
    kettlebells: list[Amount] = Field(default=[], max_length=20)
    band: bool = False

    def owned(self, unit: Unit) -> Equipment:
        """As the domain's value (the weights were checked when the answer was)."""
        return equipment_of(self.dumbbells, self.kettlebells, band=self.band, unit=unit)


class IntakeAnswers(BaseModel):
    """The intake, as `lumbar start --answers FILE` reads it (and the interactive start builds)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    understood: bool = False
    """The person read what the program is and is not (the disclaimer), and said so."""
    age: int = Field(ge=0, le=120)
    pain: int = Field(ge=0, le=10)
    pain_weeks: int = Field(ge=0, le=5200)
    """How long ago this episode began: a new one asks for a check at some ages."""
    red_flags: list[str] = []
    seen_by: str | None = Field(default=None, max_length=200)
    """Who has already seen the person about the signs they report (a name or a role)."""
    days: list[str] | str = ["mon", "wed", "fri"]
    psfs: list[PsfsAnswer] = Field(min_length=PSFS_MIN_ACTIVITIES, max_length=PSFS_MAX_ACTIVITIES)
    unit: Literal["kg", "lb"] | None = None
    """The unit they read weights in, and the equipment's weights are in; left out: the
    locale's (the shell's on the command line, the browser's on the web)."""
    equipment: EquipmentAnswer = EquipmentAnswer()
    """What the person has to lift (issue #17); left out: nothing."""

    @field_validator("equipment")
    @classmethod
    def _weights_possible(cls, equipment: EquipmentAnswer, info: ValidationInfo) -> EquipmentAnswer:
        equipment.owned(Unit(info.data.get("unit") or "kg"))  # ValueError: no one lifts it
        return equipment

    def weights_unit(self, default: Unit) -> Unit:
        return default if self.unit is None else Unit(self.unit)

    @field_validator("red_flags")
    @classmethod
    def _known_codes(cls, codes: list[str]) -> list[str]:
        return list(known_symptoms(codes))

    @field_validator("seen_by")
    @classmethod
    def _one_line(cls, seen_by: str | None) -> str | None:
        if seen_by is not None and ("\n" in seen_by or "\r" in seen_by):
            raise ValueError("give the name on one line")
        return seen_by

    @field_validator("days")
    @classmethod
    def _known_days(cls, days: list[str] | str) -> list[str] | str:
        training_days_from_choice(days)
        return days

    @property
    def training_days(self) -> TrainingDays:
        return training_days_from_choice(self.days)


def parse_answers(text: str, source: str) -> IntakeAnswers:
    data = load_json(text, source)
    if not isinstance(data, dict):
        raise UserError(f"{source}: expected a JSON object with the intake answers")
    return validate(IntakeAnswers, data, source)
