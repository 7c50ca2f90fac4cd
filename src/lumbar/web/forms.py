"""Reading the pages' forms into the same checked inputs the API and command line use.

A form's problem becomes a UserError whose message the page shows above the form, with the
person's answers kept, and nothing is written.
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData

from lumbar.domain.outcomes import PSFS_MAX_ACTIVITIES
from lumbar.errors import UserError
from lumbar.inputs import IntakeAnswers, validate

FIELD_NAMES = {
    "age": "Your age",
    "pain": "Pain over the past week",
    "pain_weeks": "When this episode began",
    "psfs": "Activities",
    "days": "Training days",
}


def number(form: FormData, name: str, *, required: bool = True) -> int | None:
    text = str(form.get(name, "")).strip()
    if not text:
        if required:
            raise UserError(f"{FIELD_NAMES.get(name, name)}: please answer")
        return None
    if not (text.isascii() and text.isdigit()) or len(text) > 6:
        raise UserError(f"{FIELD_NAMES.get(name, name)}: please give a whole number")
    return int(text)


def score(form: FormData, name: str) -> int | None:
    """An optional 0-10 score (the radio buttons and lists offer no other, but a form can
    be posted by hand)."""
    value = number(form, name, required=False)
    if value is not None and value > 10:
        raise UserError(f"{FIELD_NAMES.get(name, 'Scores')}: please choose from 0 to 10")
    return value


def days(form: FormData) -> list[str] | str:
    if form.get("every_other_day"):
        return "every-other-day"
    chosen = [str(day) for day in form.getlist("days")]
    if not chosen:
        raise UserError("Training days: choose three days, or every other day")
    return chosen


def psfs(form: FormData) -> list[dict[str, Any]]:
    rows = []
    for index in range(1, PSFS_MAX_ACTIVITIES + 1):
        activity = str(form.get(f"activity_{index}", "")).strip()
        if not activity:
            continue
        rating = score(form, f"score_{index}")
        if rating is None:
            raise UserError(f"Activities: please rate how well you can {activity} now (0-10)")
        rows.append({"activity": activity, "score": rating})
    if not rows:
        raise UserError("Activities: please name at least one activity and rate it (0 to 10)")
    return rows


def intake(form: FormData) -> IntakeAnswers:
    data = {
        "age": number(form, "age"),
        "pain": number(form, "pain"),
        "pain_weeks": number(form, "pain_weeks", required=False),
        "red_flags": [str(code) for code in form.getlist("red_flags")],
        "cleared_by_clinician": bool(form.get("cleared")),
        "days": days(form),
        "psfs": psfs(form),
    }
    try:
        return validate(IntakeAnswers, data, "form")
    except UserError as error:
        raise UserError(_friendly(str(error))) from error


def _friendly(message: str) -> str:
    """'form: psfs: List should have at least 3 items' → 'Activities: ...'."""
    text = message.removeprefix("form: ")
    field, _, rest = text.partition(": ")
    top = field.split(".")[0]
    return f"{FIELD_NAMES.get(top, field)}: {rest}" if rest else text
