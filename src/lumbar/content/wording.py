"""Turning decisions into sentences: one template per rule, facts rendered for people.

The engine reports facts as plain values (ids, dates, numbers); this module names them the
way a person reads them. Templates live in messages.toml.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from lumbar.domain.decisions import Decision, Fact

PAIN_WORDS = {
    "none": "no pain",
    "ache": "a dull ache",
    "sharp": "sharp pain",
    "radiating": "pain down the leg",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Wording:
    """Renders decisions with the content's messages, exercise names and symptom labels."""

    messages: Mapping[str, str]
    exercise_names: Mapping[str, str]
    symptom_labels: Mapping[str, str]

    def say(self, decision: Decision) -> str:
        template = self.messages[decision.rule]
        values = {name: self.fact(name, value) for name, value in decision.facts.items()}
        return template.format_map(values)

    def fact(self, name: str, value: Fact) -> str:
        if name == "exercise" and isinstance(value, str):
            return self.exercise_names.get(value, value)
        if name == "exercises" and isinstance(value, tuple):
            return _join([self.exercise_names.get(e, e) for e in value])
        if name == "symptom" and isinstance(value, str):
            return self.symptom_labels.get(value, value)
        if name == "symptoms" and isinstance(value, tuple):
            return _join([self.symptom_labels.get(code, code) for code in value])
        if name == "pain" and isinstance(value, str):
            return PAIN_WORDS.get(value, value)
        if name == "days" and isinstance(value, str):
            return value.replace(",", ", ")
        if name == "pain_change_pct":
            return _pain_change(value)
        if name == "psfs_change":
            return _psfs_change(value)
        if isinstance(value, date):
            return format_date(value)
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, float):
            number = f"{value:.1f}".rstrip("0").rstrip(".")
            return f"{number}%" if name.endswith("_pct") else number
        if isinstance(value, tuple):
            return _join(list(value))
        if value is None:
            return "none"
        return str(value)


def template_fields(template: str) -> set[str]:
    """The fact names a template uses."""
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


def format_date(day: date) -> str:
    return day.strftime("%a %d %b %Y").replace(" 0", " ")


def _join(items: list[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _pain_change(value: Fact) -> str:
    if not isinstance(value, int | float):
        return "not measured yet"
    if value > 0:
        return f"{_number(value)}% better than at the start"
    if value < 0:
        return f"{_number(-value)}% worse than at the start"
    return "the same as at the start"


def _psfs_change(value: Fact) -> str:
    if not isinstance(value, int | float):
        return "not rated again yet"
    return f"{value:+.1f} points since the start"


def _number(value: float) -> str:
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}".rstrip("0").rstrip(".")
