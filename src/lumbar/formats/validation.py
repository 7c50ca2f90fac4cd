"""Reading JSON and checking it with pydantic, with one problem said in one line.

Every problem becomes a `UserError` that names the field at fault: in a file, as the place
in the file (`psfs.0.score`) after the file's name; in a form or a request, as the field,
which each shell then names in its own words (`UserError.field`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from lumbar.errors import UserError

_Model = TypeVar("_Model", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem of a validation error: where (`psfs.0.score`, or `value`) and what."""

    where: str
    message: str

    @property
    def field(self) -> str:
        """The top-level field (`psfs`), the one a shell names."""
        return self.where.split(".")[0]

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def load_json(text: str, source: str) -> Any:
    """Parse JSON text, or refuse it with the line and column of the first problem."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise UserError(
            f"{source}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from error


def validate(model: type[_Model], data: Mapping[str, Any], source: str | None) -> _Model:
    """Check `data` against `model`. From a file (`source` names it) the message says where
    in the file; from a form or a request (`source` None) the error's `field` says which."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problem = first_problem(error)
        if source is None:
            raise UserError(problem.message, field=problem.field) from error
        raise UserError(f"{source}: {problem}") from error


def describe(error: ValidationError) -> str:
    """The first problem of a validation error, as `field: what is wrong (got value)`."""
    return str(first_problem(error))


def first_problem(error: ValidationError) -> Problem:
    return problem_of(error.errors()[0])


def describe_problem(problem: Mapping[str, Any], *, skip: int = 0) -> str:
    """One problem of a pydantic error list; `skip` drops leading parts of its location."""
    return str(problem_of(problem, skip=skip))


def problem_of(problem: Mapping[str, Any], *, skip: int = 0) -> Problem:
    where = ".".join(str(part) for part in tuple(problem["loc"])[skip:]) or "value"
    message = str(problem["msg"]).removeprefix("Value error, ")
    message = message[:1].lower() + message[1:]
    if problem["type"] == "missing":
        return Problem(where, "this field is required")
    if "input" in problem and problem["type"] not in ("extra_forbidden",):
        return Problem(where, f"{message} (got {json.dumps(problem['input'], default=str)})")
    return Problem(where, message)


PLAIN_KINDS = {
    "missing": "something is missing",
    "extra_forbidden": "something lumbar does not know is there",
    "int_parsing": "not a whole number",
    "int_type": "not a whole number",
    "greater_than_equal": "a number too small",
    "greater_than": "a number too small",
    "less_than_equal": "a number too large",
    "less_than": "a number too large",
    "string_too_long": "a text too long",
    "date_from_datetime_parsing": "not a date",
    "date_parsing": "not a date",
    "date_type": "not a date",
    "literal_error": "not one of the values lumbar knows",
    "enum": "not one of the values lumbar knows",
}


def plain_kind(error: ValidationError) -> str:
    """What is wrong at the first problem, in words and without the value (a person reads
    it; the place in the file says where)."""
    problem = error.errors()[0]
    found = (problem.get("ctx") or {}).get("error")
    if problem["type"] == "value_error" and isinstance(found, ValueError):
        return str(found)  # a validator's own words ("give the name on one line")
    return PLAIN_KINDS.get(problem["type"], "a value lumbar does not expect there")
