"""The "why" type: every decision names the rule that made it and the facts that triggered it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from lumbar.domain.dose import Dose
from lumbar.domain.rules import RuleId

Fact = str | int | float | bool | date | None | tuple[str, ...] | Dose
"""A fact is a plain value (or a dose, itself a few numbers), so decisions can be shown,
stored and compared as they are."""


@dataclass(frozen=True, slots=True)
class Decision:
    """A rule's verdict: `rule` is a stable id (`rules.RuleId`), `facts` what it was based on.

    Wording lives in the content files (one template per rule), never here, so the engine
    stays free of text and every message can be held to its rule by a test.
    """

    rule: RuleId
    facts: Mapping[str, Fact] = field(default_factory=dict)

    def fact(self, name: str) -> Fact:
        return self.facts[name]
