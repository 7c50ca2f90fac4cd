"""A form's problems, all at once, each beside its field (the GOV.UK error summary pattern).

A page's form is read field by field: each reader's refusal (a `UserError`) is kept under
its field and the next field is read anyway, so a person sees every problem on the first
submit, not one per submit. pydantic's problems are turned into words per field and kind
(missing, not a whole number, too small, too large, too long): its own text ("Input should
be less than or equal to 120") never reaches a page. Whatever a person typed is echoed
back cut to a line, so a pasted page of text is not repeated in full.

Templates show them with the macros of templates/_errors.html: the summary at the top
(each line a link to its field's id) and the message above each field.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from lumbar.errors import UserError

ECHO_LIMIT = 60
"""The most characters of a person's own input a message repeats."""

MESSAGE_LIMIT = 300
"""No message is longer: a refusal that quotes a long input is cut."""


def clip(text: str, limit: int = ECHO_LIMIT) -> str:
    """A person's input as a message may quote it: one line, cut at `limit` with "…"."""
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


_QUOTED = re.compile("('[^']{%(n)s,}'|\"[^\"]{%(n)s,}\")".replace("%(n)s", str(ECHO_LIMIT)))


def sentence(message: str) -> str:
    """A use case's refusal as a page shows it: a capital first letter, any quoted input cut
    to a line, and the whole no longer than a short paragraph."""
    text = _QUOTED.sub(lambda m: m.group(0)[0] + clip(m.group(0)[1:-1]) + m.group(0)[0], message)
    text = clip(text, MESSAGE_LIMIT)
    first = text.split(" ", 1)[0]
    if not first.isalpha() or first == "lumbar":
        return text  # a file's name, a day's, or lumbar's own: as it is written
    return text[:1].upper() + text[1:]


@dataclass(frozen=True, slots=True)
class Label:
    """How a form's messages name one field.

    `name` is the field as a sentence names it ("your age"); `missing` what to say when it
    is empty ("Enter your age"); `whole` when it is not a whole number. Each has a plain
    default from `name`.
    """

    name: str
    missing: str = ""
    whole: str = ""
    choose: str = ""
    """For a choice among numbers (a score from 0 to 10): said of every problem."""
    below: str = ""
    """Below the smallest allowed (a negative number of weeks)."""

    def said(self, kind: str, limit: Any = None) -> str:
        noun = self.name[:1].upper() + self.name[1:]
        if self.choose and kind in ("missing", "whole", "too_small", "too_large"):
            return self.choose
        if kind == "missing":
            return self.missing or f"Enter {self.name}"
        if kind == "whole":
            return self.whole or f"Enter {self.name} as a whole number"
        if kind == "too_small":
            return self.below or f"{noun} must be {limit} or more"
        if kind == "too_large":
            return f"{noun} must be {limit} or less"
        if kind == "too_long":
            return f"{noun} must be {limit} characters or fewer"
        if kind == "too_few":
            return f"{noun}: give at least {limit}"
        if kind == "too_many":
            return f"{noun}: give at most {limit}"
        return f"Check {self.name}"


@dataclass(frozen=True, slots=True)
class FieldError:
    field: str
    anchor: str
    """The id of the element the summary's link goes to (the field, or a group's first box)."""
    message: str


class FormErrors:
    """A form's problems: at most one per field, in the order the form shows its fields."""

    def __init__(
        self,
        labels: Mapping[str, Label],
        *,
        anchors: Mapping[str, str] | None = None,
        fallback: str = "",
    ) -> None:
        self.labels = labels
        self.anchors = dict(anchors or {})
        self.fallback = fallback or next(iter(labels), "form")
        """The field a refusal that names none is shown beside."""
        self._found: dict[str, str] = {}

    def add(self, field: str | None, message: str) -> None:
        name = field if field is not None and field in self.labels else self.fallback
        self._found.setdefault(name, sentence(message))

    def add_kind(self, field: str, kind: str, limit: Any = None) -> None:
        label = self.labels.get(field, Label(field.replace("_", " ")))
        self.add(field, label.said(kind, limit))

    def refused(self, error: UserError) -> None:
        """A use case's refusal, beside the field it names."""
        self.add(error.field, error.message)

    @contextmanager
    def reading(self, field: str | None = None) -> Iterator[None]:
        """Read one field; a refusal is kept (under `field`, or the one it names) and the
        form's reading goes on."""
        try:
            yield
        except UserError as error:
            self.add(field or error.field, error.message)

    def get(self, field: str) -> FieldError | None:
        message = self._found.get(field)
        if message is None:
            return None
        return FieldError(field, self.anchors.get(field, field), message)

    def __contains__(self, field: object) -> bool:
        return field in self._found

    def __bool__(self) -> bool:
        return bool(self._found)

    def __len__(self) -> int:
        return len(self._found)

    def __iter__(self) -> Iterator[FieldError]:
        order = list(self.labels)
        for field in sorted(self._found, key=lambda f: order.index(f) if f in order else 99):
            found = self.get(field)
            assert found is not None
            yield found

    def as_dict(self) -> dict[str, str]:
        return {e.field: e.message for e in self}


class Invalid(UserError):
    """A form with problems: `errors` holds them all (the message, the first)."""

    def __init__(self, errors: FormErrors) -> None:
        first = next(iter(errors))
        super().__init__(first.message, field=first.field)
        self.errors = errors


KINDS = {
    "missing": "missing",
    "int_parsing": "whole",
    "int_type": "whole",
    "int_from_float": "whole",
    "greater_than_equal": "too_small",
    "greater_than": "too_small",
    "less_than_equal": "too_large",
    "less_than": "too_large",
    "string_too_long": "too_long",
    "too_long": "too_many",
    "too_short": "too_few",
    "string_too_short": "missing",
}
"""pydantic's kinds of problem, as the kinds a `Label` says."""

LIMITS = {"too_small": ("ge", "gt"), "too_large": ("le", "lt"), "too_long": ("max_length",)}


def from_validation(
    errors: FormErrors,
    error: ValidationError,
    field_of: Callable[[Sequence[Any]], str] = lambda loc: str(loc[0]) if loc else "",
) -> None:
    """Every problem pydantic found, in words, beside its field (`field_of` turns a
    location such as `("psfs", 0, "activity")` into the form's field, `activity_1`)."""
    for problem in error.errors():
        field = field_of(tuple(problem["loc"]))
        kind = KINDS.get(problem["type"], "")
        ctx = problem.get("ctx") or {}
        limit = next((ctx[k] for k in LIMITS.get(kind, ()) if k in ctx), None)
        if kind in ("too_few", "too_many"):
            limit = ctx.get("min_length" if kind == "too_few" else "max_length")
        if problem["type"] == "value_error" and isinstance(ctx.get("error"), ValueError):
            # Our own validators' words ("give the name on one line").
            errors.add(field, str(ctx["error"]))
        else:
            errors.add_kind(field, kind, limit)
