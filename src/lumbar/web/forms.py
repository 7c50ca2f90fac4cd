"""Reading the pages' forms into the same checked inputs the API and command line use.

A form's problem is a UserError naming its field; the page says it in its own words
(`said`), above the form, with the person's answers kept, and nothing is written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.datastructures import FormData

from lumbar.domain.outcomes import PSFS_MAX_ACTIVITIES
from lumbar.errors import UserError
from lumbar.formats.intake import IntakeAnswers
from lumbar.formats.validation import validate

if TYPE_CHECKING:
    from lumbar.domain.loads import WeightKind
    from lumbar.usecases.equipment import Owned
    from lumbar.usecases.person import Person

FIELD_NAMES = {
    "age": "Your age",
    "pain": "Pain over the past week",
    "pain_weeks": "When this episode began",
    "psfs": "Activities",
    "days": "Training days",
    "red_flags": "Warning signs",
    "symptoms": "New symptoms",
    "understood": "Safety information",
    "seen_by": "Who saw you",
    "by": "Who saw you",
    "alerts": "What they saw you about",
    "date": "Date",
    "exercise": "Exercise",
    "alternative": "Exercise choices",
    "equipment": "Equipment",
    "dumbbells": "Dumbbells",
    "kettlebells": "Kettlebells",
    "unit": "Weights in",
}
"""How the pages name the use cases' fields."""


def said(error: UserError) -> str:
    """A use case's refusal as the page shows it: its field in the page's words."""
    return error.said_as(FIELD_NAMES)


def number(form: FormData, name: str, *, required: bool = True) -> int | None:
    text = str(form.get(name, "")).strip()
    if not text:
        if required:
            raise UserError("please answer", field=name)
        return None
    if not (text.isascii() and text.isdigit()) or len(text) > 6:
        raise UserError("please give a whole number", field=name)
    return int(text)


def score(form: FormData, name: str) -> int | None:
    """An optional 0-10 score (the radio buttons and lists offer no other, but a form can
    be posted by hand)."""
    value = number(form, name, required=False)
    if value is not None and value > 10:
        field = name if name in FIELD_NAMES else "psfs"
        raise UserError("please choose from 0 to 10", field=field)
    return value


def days(form: FormData) -> list[str] | str:
    if form.get("every_other_day"):
        return "every-other-day"
    chosen = [str(day) for day in form.getlist("days")]
    if not chosen:
        raise UserError("choose three days, or every other day", field="days")
    return chosen


def psfs(form: FormData) -> list[dict[str, Any]]:
    rows = []
    for index in range(1, PSFS_MAX_ACTIVITIES + 1):
        activity = str(form.get(f"activity_{index}", "")).strip()
        if not activity:
            continue
        rating = score(form, f"score_{index}")
        if rating is None:
            raise UserError(f"please rate how well you can {activity} now (0-10)", field="psfs")
        rows.append({"activity": activity, "score": rating})
    if not rows:
        raise UserError("please name at least one activity and rate it (0 to 10)", field="psfs")
    return rows


def intake(form: FormData) -> IntakeAnswers:
    data = {
        "age": number(form, "age"),
        "pain": number(form, "pain"),
        "understood": bool(form.get("understood")),
        "pain_weeks": number(form, "pain_weeks"),
        "red_flags": [str(code) for code in form.getlist("red_flags")],
        "seen_by": str(form.get("seen_by", "")).strip() or None,
        "days": days(form),
        "psfs": psfs(form),
        **equipment_answer(form),
    }
    return validate(IntakeAnswers, data, None)


EQUIPMENT_CHOICES = ("dumbbells", "kettlebells", "band", "nothing")
"""The Equipment fieldset's boxes (start and settings pages)."""


def equipment_answer(form: FormData) -> dict[str, Any]:
    """The Equipment fieldset as the intake's answer: what is ticked, with the weights
    typed beside it (those of a kind not ticked are left out), and the unit. "Nothing"
    with anything else ticked is refused: say one or the other."""
    from lumbar.domain.loads import Unit
    from lumbar.usecases.equipment import amounts, in_unit, owned, unit_named

    ticked = {str(v) for v in form.getlist("equipment")}
    unknown = sorted(ticked - set(EQUIPMENT_CHOICES))
    if unknown:
        raise UserError(f"{unknown[0]!r} is not one of the choices", field="equipment")
    unit_text = str(form.get("unit", "")).strip()
    unit = unit_named(unit_text) if unit_text else None
    typed = {
        kind: amounts(str(form.get(kind, "")), field=kind) if kind in ticked else ()
        for kind in ("dumbbells", "kettlebells")
    }
    owned(typed["dumbbells"], typed["kettlebells"], band=False, unit=unit or Unit.KG)
    weights = {kind: in_unit(found, unit or Unit.KG) for kind, found in typed.items()}
    for kind in ("dumbbells", "kettlebells"):
        if kind in ticked and not weights[kind]:
            raise UserError("write the weight of each one, like 5 or 7.5", field=kind)
    if "nothing" in ticked and len(ticked) > 1:
        raise UserError("tick Nothing, or what you have, not both", field="equipment")
    return {
        "equipment": {**weights, "band": "band" in ticked},
        "unit": None if unit is None else unit.value,
    }


def owned_fields(p: Person) -> dict[str, Any]:
    """The Equipment fieldset filled with what the person has (NoProgram before one)."""
    from lumbar.domain.loads import WeightKind
    from lumbar.usecases import equipment

    kept = equipment.current(p)
    ticked = [k.value if k is WeightKind.DUMBBELLS else "kettlebells" for k in _kinds(kept)]
    if kept.equipment.band:
        ticked.append("band")
    if kept.equipment.nothing:
        ticked.append("nothing")
    return {
        "ticked": ticked,
        "dumbbells": equipment.weights_text(kept.equipment, WeightKind.DUMBBELLS),
        "kettlebells": equipment.weights_text(kept.equipment, WeightKind.KETTLEBELL),
        "unit": kept.unit.value,
        "chosen": True,
    }


def _kinds(kept: Owned) -> list[WeightKind]:
    from lumbar.domain.loads import WeightKind

    return [k for k in WeightKind if any(w.kind is k for w in kept.equipment.weights)]
