"""Reading the pages' forms into the same checked inputs the API and command line use.

Every field is read, and every problem kept beside its field (web/form_errors.py): a
form with problems raises `Invalid` holding them all, the page shows them with the
person's answers kept, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from starlette.datastructures import FormData

from lumbar.content.load import Content
from lumbar.domain.model import WEEKDAY_FULL_NAMES, WEEKDAY_NAMES
from lumbar.domain.outcomes import PSFS_MAX_ACTIVITIES
from lumbar.domain.schedule import refuse_training_days, training_days_from_choice
from lumbar.domain.screening import refuse_minor
from lumbar.errors import UserError
from lumbar.formats.intake import IntakeAnswers
from lumbar.web.form_errors import FormErrors, Invalid, Label, clip, from_validation

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
"""How the pages name the use cases' fields (where a refusal is said in one line)."""

WEEKDAYS = tuple(
    (short, full.capitalize())
    for short, full in zip(WEEKDAY_NAMES, WEEKDAY_FULL_NAMES, strict=True)
)
"""The training-day boxes (start and settings pages): the value each sends, and the label."""

TEXT_LIMIT = 200
"""What a page gives back of a one-line field it shows again (its inputs' maxlength)."""
NOTE_LIMIT = 1000
"""And of a note (a textarea's maxlength)."""

PAIN = Label(
    "your back pain over the past week",
    choose="Choose your average back pain over the past week, from 0 to 10",
)
DAYS = Label("your training days", missing="Choose three training days, or every other day")


def _activity_labels() -> dict[str, Label]:
    labels: dict[str, Label] = {}
    for i in range(1, PSFS_MAX_ACTIVITIES + 1):
        labels[f"activity_{i}"] = Label(f"activity {i}")
        choose = f"Choose how well you can do activity {i} now, from 0 to 10"
        labels[f"score_{i}"] = Label(f"the score of activity {i}", choose=choose)
    return labels


INTAKE = {
    "understood": Label(
        "the safety information",
        missing="Tick the box to say you have read and understood the safety information",
    ),
    "age": Label("your age", whole="Enter your age as a whole number of years, like 42"),
    "pain_weeks": Label(
        "how many weeks ago this episode began",
        missing="Enter how many weeks ago this episode of back pain began (0 if this week)",
        whole="Enter the number of weeks as a whole number, like 3 (0 if it began this week)",
        below="The number of weeks cannot be below 0: give 0 if it began this week",
    ),
    "pain": PAIN,
    "red_flags": Label("the warning signs"),
    "seen_by": Label("who saw you"),
    "days": DAYS,
    "psfs": Label(
        "your activities",
        missing="Name at least one activity your back makes hard, and rate it from 0 to 10",
    ),
    **_activity_labels(),
    "unit": Label("the unit of your weights"),
    "equipment": Label("your equipment"),
    "dumbbells": Label("your dumbbells' weights"),
    "kettlebells": Label("your kettlebell's weight"),
}
"""The intake's fields in the order the page shows them, and how its messages name them."""
EQUIPMENT_ANCHORS = {"unit": "unit-kg", "equipment": "equipment-dumbbells"}
"""The Equipment fieldset's groups (templates/_equipment.html): their first box."""
INTAKE_ANCHORS = {
    "understood": "understood",
    "pain": "pain-0",
    "red_flags": "red_flags-0",
    "days": "days-0",
    "psfs": "activity_1",
    **EQUIPMENT_ANCHORS,
}
"""A group's link goes to its first box."""


def checkin_labels(activities: Sequence[str]) -> dict[str, Label]:
    """The check-in's fields (and a record's edit of one), in the order the page shows them."""
    labels = {"date": Label("the day"), "pain": PAIN}
    for index, activity in enumerate(activities):
        choose = f"Choose how well you can {clip(activity)} now, from 0 to 10"
        labels[f"score_{index}"] = Label(f"the score of {clip(activity)}", choose=choose)
    labels["psfs"] = Label("your activities")
    labels["symptoms"] = Label("the signs")
    return labels


CHECKIN_ANCHORS = {"pain": "pain-0", "psfs": "score_0", "symptoms": "symptoms-0"}


def kept(form: FormData, lists: Iterable[str] = (), notes: Iterable[str] = ()) -> dict[str, Any]:
    """The form as it was filled in, to show again: a list for each field of boxes, and text
    cut to what its input takes (a pasted page is not sent back in full)."""
    lists, notes = set(lists), set(notes)
    filled: dict[str, Any] = {}
    for key in form.keys():
        if key in lists:
            filled[key] = [str(v)[:TEXT_LIMIT] for v in form.getlist(key)]
        else:
            limit = NOTE_LIMIT if key in notes else TEXT_LIMIT
            value = form.get(key)
            filled[key] = value[:limit] if isinstance(value, str) else value
    return filled


def whole(
    errors: FormErrors, form: FormData, name: str, *, required: bool = True, most: int = 0
) -> int | None:
    """A whole number from a text field or a list, its problem kept under `name`: empty,
    below zero, not a whole number, or above `most` (when given)."""
    text = str(form.get(name, "")).strip()
    if not text:
        if required:
            errors.add_kind(name, "missing")
        return None
    if text[:1] in "-−" and text[1:].strip().isdigit():
        errors.add_kind(name, "too_small", 0)
        return None
    if not (text.isascii() and text.isdigit()) or len(text) > 6:
        errors.add_kind(name, "whole")
        return None
    value = int(text)
    if most and value > most:
        errors.add_kind(name, "too_large", most)
        return None
    return value


def scores(errors: FormErrors, form: FormData, names: Sequence[str]) -> list[int | None]:
    """Several optional 0-10 scores, each problem beside its own: all given, or none (a
    check-in's activities are rated together)."""
    found = [whole(errors, form, name, required=False, most=10) for name in names]
    if any(score is not None for score in found):
        for name, score in zip(names, found, strict=True):
            if score is None and name not in errors:
                choose = errors.labels[name].said("missing") if name in errors.labels else ""
                errors.add(name, f"{choose or 'Choose from 0 to 10'}, or leave them all empty")
    return found


def days(form: FormData) -> list[str] | str:
    if form.get("every_other_day"):
        return "every-other-day"
    chosen = [str(day) for day in form.getlist("days")]
    if not chosen:
        raise UserError(DAYS.said("missing"), field="days")
    return chosen


def intake(form: FormData, content: Content) -> IntakeAnswers:
    """The intake's answers, or `Invalid` with every problem of the form at once."""
    errors = FormErrors(INTAKE, anchors=INTAKE_ANCHORS)
    if not form.get("understood"):
        errors.add_kind("understood", "missing")
    age = whole(errors, form, "age")
    if age is not None and (refusal := refuse_minor(age)) is not None:
        errors.add("age", content.say(refusal))
    data: dict[str, Any] = {
        "age": age,
        "pain": whole(errors, form, "pain", most=10),
        "understood": bool(form.get("understood")),
        "pain_weeks": whole(errors, form, "pain_weeks"),
        "red_flags": [str(code) for code in form.getlist("red_flags")],
        "seen_by": str(form.get("seen_by", "")).strip() or None,
    }
    with errors.reading("days"):
        data["days"] = days(form)
        try:
            refusal = refuse_training_days(training_days_from_choice(data["days"]))
        except ValueError:
            refusal = None  # an unknown day's name: the answers' own check says it
        if refusal is not None:
            errors.add("days", content.say(refusal))
    with errors.reading():  # beside the weights typed, or the group's boxes
        data.update(equipment_answer(form))
    rows: list[int] = []
    data["psfs"] = []
    for index in range(1, PSFS_MAX_ACTIVITIES + 1):
        activity = str(form.get(f"activity_{index}", "")).strip()
        if not activity:
            continue
        rating = whole(errors, form, f"score_{index}", most=10)
        rows.append(index)
        data["psfs"].append({"activity": activity, "score": rating})
    if not rows:
        errors.add_kind("psfs", "missing")

    def field_of(loc: Sequence[Any]) -> str:
        if len(loc) >= 3 and loc[0] == "psfs" and isinstance(loc[1], int):
            return f"{'activity' if loc[2] == 'activity' else 'score'}_{rows[loc[1]]}"
        return str(loc[0]) if loc else "age"

    answers = None
    try:
        answers = IntakeAnswers.model_validate(data)
    except ValidationError as error:
        from_validation(errors, error, field_of)
    if errors or answers is None:
        raise Invalid(errors)
    return answers


def refused(error: UserError, labels: Mapping[str, Label], **options: Any) -> FormErrors:
    """One use case's refusal as a form's problems (beside the field it names)."""
    if isinstance(error, Invalid):
        return error.errors
    errors = FormErrors(labels, **options)
    errors.refused(error)
    return errors


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
