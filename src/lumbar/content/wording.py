"""Turning decisions into sentences: one template per rule, facts rendered for people.

The engine reports facts as plain values (ids, dates, numbers); this module names them the
way a person reads them. Templates live in messages.toml.
"""

from __future__ import annotations

import dataclasses
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from lumbar.domain.decisions import Decision, Fact
from lumbar.domain.dose import Dose
from lumbar.domain.loads import KG_PER_LB, Unit
from lumbar.domain.model import Milestone

PAIN_WORDS = {
    "none": "no pain",
    "ache": "a dull ache",
    "sharp": "sharp pain",
    "radiating": "pain down the leg",
}

SKIP_WORDS = {
    "no_equipment": "no equipment",
    "no_time": "not enough time",
    "floor": "can't get down to the floor",
    "other": "another reason",
}
"""A skip's reason as people read it ("skipped: no equipment")."""


def skip_said(reason: str, note: str = "") -> str:
    """'skipped: no equipment', or 'skipped: another reason ("my knee")'."""
    said = f"skipped: {SKIP_WORDS[reason]}"
    return f'{said} ("{note}")' if note else said


@dataclass(frozen=True, slots=True, kw_only=True)
class Wording:
    """Renders decisions with the content's messages, exercise names and symptom labels."""

    messages: Mapping[str, str]
    exercise_names: Mapping[str, str]
    symptom_labels: Mapping[str, str]
    milestone_titles: Mapping[str, str] = field(default_factory=dict)
    day: str = "today"
    """The day the decisions are about, as `{today}` says it in a template: "today", or
    the day's words ("Wed 9 Dec") when a command looks at another day (`--date`)."""

    def about(self, day: str) -> Wording:
        """The same wording, with `{today}` said as `day` ("today", or "Wed 9 Dec")."""
        return dataclasses.replace(self, day=day)

    def say(self, decision: Decision) -> str:
        template = _singular_where_one(self.messages[decision.rule], decision.facts)
        values = {name: self.fact(name, value) for name, value in decision.facts.items()}
        values.update(_derived(decision))
        values.update(self._day_said())
        return template.format_map(values)

    def _day_said(self) -> dict[str, str]:
        """`{today}` after a verb ("starts today", "starts on Wed 9 Dec") and `{Today}` as
        the subject ("Today is", "Wed 9 Dec is")."""
        if self.day == "today":
            return {"today": "today", "Today": "Today"}
        return {"today": f"on {self.day}", "Today": self.day}

    def title(self, milestone: Milestone) -> str:
        """A milestone's heading ("A new phase"); `say` its decision for the rest."""
        return self.milestone_titles[milestone.moment.value]

    def fact(self, name: str, value: Fact) -> str:
        if name == "exercise" and isinstance(value, str):
            return self.exercise_names.get(value, value)
        if name == "exercises" and isinstance(value, tuple):
            return _join([self.exercise_names.get(e, e) for e in value])
        if name == "symptom" and isinstance(value, str):
            return self.symptom_labels.get(value, value)
        if name in ("symptoms", "alerts") and isinstance(value, tuple):
            return _join([self.symptom_labels.get(code, code) for code in value])
        if name == "pain" and isinstance(value, str):
            return PAIN_WORDS.get(value, value)
        if name == "reason" and isinstance(value, str):
            return SKIP_WORDS.get(value, value)
        if name == "reasons" and isinstance(value, tuple):
            return _join(list(dict.fromkeys(SKIP_WORDS.get(r, r) for r in value)))
        if name == "days" and isinstance(value, str):
            return days_words(value)
        if name == "pair" and isinstance(value, tuple):
            return _join([_day_name(str(day)) for day in value])
        if name == "pain_change_pct":
            return _pain_change(value)
        if name == "psfs_change":
            return _psfs_change(value)
        if name == "latest_psfs":
            # "6 out of 10 now", or a PSFS not rated since the start said as such (never
            # "not rated again yet out of 10 now").
            if isinstance(value, int | float):
                return f"{_number(value)} out of 10 now"
            return "not rated again yet"
        if isinstance(value, Dose):
            return dose_text(value)
        if isinstance(value, date):
            return format_date(value)
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, float | int):
            number = f"{value:.1f}".rstrip("0").rstrip(".")
            return f"{number}%" if name.endswith("_pct") else number
        if isinstance(value, tuple):
            return _join(list(value))
        if value is None:
            return "none"
        return str(value)


COUNTED = re.compile(
    r"\{(\w+)\} ((?:training |complete |planned )?(?:day|week|session|minute|exercise)s)\b"
)
"""A count written before its noun in a template ("{count} training days"): said in the
singular when the count is 1 ("1 training day", never "1 training days")."""


def _singular_where_one(template: str, facts: Mapping[str, Fact]) -> str:
    def said(found: re.Match[str]) -> str:
        value = facts.get(found.group(1))
        if type(value) is int and value == 1:
            return f"{{{found.group(1)}}} {found.group(2)[:-1]}"
        return found.group(0)

    return COUNTED.sub(said, template)


DAY_FACTS = frozenset({"today", "Today"})
"""The day the decision is about, in words (Wording.day): every template may use them."""
DERIVED_FACTS = {"progression.not_yet": frozenset({"still_to_do"})}
"""Words a template may use that are made from the rule's facts here, not reported by it."""


def _derived(decision: Decision) -> dict[str, str]:
    if decision.rule != "progression.not_yet":
        return {}
    facts = decision.facts
    days, min_days = int(str(facts["days"])), int(str(facts["min_days"]))
    sessions, min_sessions = int(str(facts["sessions"])), int(str(facts["min_sessions"]))
    # Only what is still missing: the days in the phase go on past the minimum while the
    # sessions are not done ("11 of 7 days" was once said).
    missing = []
    if days < min_days:
        missing.append(f"{days} of {_count(min_days, 'day')} in the phase so far")
    if sessions < min_sessions:
        missing.append(f"{sessions} of {_count(min_sessions, 'complete session')} done")
    if not missing:
        return {
            "still_to_do": f"the {_count(min_days, 'day')} and "
            f"{_count(min_sessions, 'complete session')} are done"
        }
    return {"still_to_do": " and ".join(missing)}


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def template_fields(template: str) -> set[str]:
    """The fact names a template uses."""
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


def format_date(day: date) -> str:
    return day.strftime("%a %d %b %Y").replace(" 0", " ")


def day_words(day: date, today: date) -> str:
    """'today', or the day as words ("Wed 9 Dec"; the year too when it is not this one)."""
    if day == today:
        return "today"
    shown = day.strftime("%a %d %b" if day.year == today.year else "%a %d %b %Y")
    return shown.replace(" 0", " ")


def days_away(day: date, on: date) -> str:
    """'tomorrow', 'in 3 days': how far `day` (on or after `on`) is, said by its date."""
    apart = (day - on).days
    return {0: "today", 1: "tomorrow"}.get(apart, f"in {apart} days")


DAY_WORDS = {
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
    "sun": "Sunday",
}


def days_words(label: str) -> str:
    """'Monday, Wednesday and Friday' or 'every other day' for the days as files and
    commands spell them ("mon,wed,fri", "every-other-day"): how a person reads them."""
    if label == "every-other-day":
        return "every other day"
    return _join([_day_name(day) for day in label.split(",") if day.strip()])


def _day_name(day: str) -> str:
    return DAY_WORDS.get(day.strip(), day.strip())


def _join(items: list[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def dose_text(dose: Dose, unit: Unit | None = None) -> str:
    """'2 sets of 8, hold 3 s, 6 kg': a dose in a sentence. Without a unit, the load is
    left out: a decision's dose is the program's step, and the load the person lifts is
    said with the exercise, from what they have (domain/equipment.py)."""
    sets = f"{dose.sets} set" + ("s" if dose.sets != 1 else "")
    text = sets if dose.reps is None else f"{sets} of {dose.reps}"
    if dose.hold_seconds is not None:
        text += f", hold {dose.hold_seconds} s"
    load = None if unit is None else load_text(dose, unit)
    if load is not None:
        text += f", {load}"
    return text


SPOKEN_UNITS = {Unit.KG: "kilograms", Unit.LB: "pounds"}


def weight_amount(lb: float, unit: Unit) -> float:
    """A weight in the person's unit, to the nearest half (as weights are marked): the
    number every text of it shows, and the value of the FHIR Quantity beside that text."""
    amount = lb if unit is Unit.LB else lb * KG_PER_LB
    return round(amount * 2) / 2


def weight_text(lb: float, unit: Unit, *, spoken: bool = False) -> str:
    """'6 kg', '12.5 lb': a weight in the person's unit alone, to the nearest half (as
    weights are marked); 'spoken', the unit in full ('6 kilograms')."""
    return f"{weight_amount(lb, unit):g} {SPOKEN_UNITS[unit] if spoken else unit.value}"


def held_lb(dose: Dose) -> float | None:
    """The weight the dose asks the person to hold, in pounds (a household load's own
    weight); None without a load."""
    if dose.load_lb is None:
        return None
    return dose.load_lb if dose.household is None else dose.household.lb


def load_text(dose: Dose, unit: Unit, *, spoken: bool = False) -> str | None:
    """What the dose asks the person to hold, in their unit: '6 kg', or a household load
    with its weight ('a bag holding four 1.5 L bottles of water (6 kg)'); None without."""
    held = held_lb(dose)
    if held is None:
        return None
    weight = weight_text(held, unit, spoken=spoken)
    return weight if dose.household is None else dose.household.words.format(weight=weight)


def _pain_change(value: Fact) -> str:
    """', 33% better' after the two pain ratings; nothing from a start of 0 (no percentage
    of 0 exists: the two ratings say it)."""
    words = pain_change_words(value)
    return f", {words}" if words else ""


def pain_change_words(value: Fact) -> str:
    """'33% better', '50% worse' or 'the same' for a change in pain (positive is better);
    '' without a percentage."""
    if not isinstance(value, int | float):
        return ""
    if value > 0:
        return f"{_number(value)}% better"
    if value < 0:
        return f"{_number(-value)}% worse"
    return "the same"


def _psfs_change(value: Fact) -> str:
    if not isinstance(value, int | float):
        return "not rated again yet"
    return f"{value:+.1f} points since the start"


def _number(value: float) -> str:
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}".rstrip("0").rstrip(".")
