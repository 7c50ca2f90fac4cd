"""Structured input from people and files (the intake answers), checked with pydantic.

Every problem becomes a `UserError` whose message names the field and what is wrong with it,
in one line. The same checks serve the command line and, later, the web app. The command
line's own small arguments (dates, scores) are parsed in `cli/arguments.py`, without
pydantic, because every command parses them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from lumbar.domain.model import TrainingDays
from lumbar.domain.outcomes import PSFS_MAX_ACTIVITIES, PSFS_MIN_ACTIVITIES
from lumbar.domain.schedule import DEFAULT_DAYS, training_days_from_names
from lumbar.domain.screening import known_symptoms
from lumbar.errors import UserError

_Model = TypeVar("_Model", bound=BaseModel)


class PsfsAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, str_strip_whitespace=True)

    activity: str = Field(min_length=1, max_length=200)
    score: int = Field(ge=0, le=10)


class IntakeAnswers(BaseModel):
    """The intake, as `lumbar start --answers FILE` reads it (and the interactive start builds)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    age: int = Field(ge=0, le=120)
    pain: int = Field(ge=0, le=10)
    red_flags: list[str] = []
    cleared_by_clinician: bool = False
    pain_weeks: int | None = Field(default=None, ge=0, le=5200)
    days: list[str] | str = ["mon", "wed", "fri"]
    psfs: list[PsfsAnswer] = Field(min_length=PSFS_MIN_ACTIVITIES, max_length=PSFS_MAX_ACTIVITIES)

    @field_validator("red_flags")
    @classmethod
    def _known_codes(cls, codes: list[str]) -> list[str]:
        return list(known_symptoms(codes))

    @field_validator("days")
    @classmethod
    def _known_days(cls, days: list[str] | str) -> list[str] | str:
        training_days(days)
        return days

    @property
    def training_days(self) -> TrainingDays:
        return training_days(self.days)


def training_days(days: list[str] | str) -> TrainingDays:
    """Parse a choice of days: a list of names, "mon,wed,fri", or "every-other-day"."""
    names = days.split(",") if isinstance(days, str) else days
    if not [name for name in names if name.strip()]:
        return DEFAULT_DAYS
    return training_days_from_names(names)


def load_json(text: str, source: str) -> Any:
    """Parse JSON text, or refuse it with the line and column of the first problem."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise UserError(
            f"{source}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from error


def parse_answers(text: str, source: str) -> IntakeAnswers:
    data = load_json(text, source)
    if not isinstance(data, dict):
        raise UserError(f"{source}: expected a JSON object with the intake answers")
    return validate(IntakeAnswers, data, source)


def validate(model: type[_Model], data: Mapping[str, Any], source: str) -> _Model:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise UserError(f"{source}: {describe(error)}") from error


def describe(error: ValidationError) -> str:
    """The first problem of a validation error, as `field: what is wrong (got value)`."""
    return describe_problem(error.errors()[0])


def describe_problem(problem: Mapping[str, Any], *, skip: int = 0) -> str:
    """One problem of a pydantic error list; `skip` drops leading parts of its location."""
    where = ".".join(str(part) for part in tuple(problem["loc"])[skip:]) or "value"
    message = str(problem["msg"]).removeprefix("Value error, ")
    message = message[:1].lower() + message[1:]
    if problem["type"] == "missing":
        return f"{where}: this field is required"
    if "input" in problem and problem["type"] not in ("extra_forbidden",):
        return f"{where}: {message} (got {json.dumps(problem['input'], default=str)})"
    return f"{where}: {message}"
