"""The outcome measures a clinic administers itself (issue #20): STarT Back, ODI, RMDQ,
MSK-HQ. lumbar keeps only the totals a clinician enters, never the questionnaires (their
item text is licensed: docs' evidence brief §3).

STarT Back sorts a person into a risk group by its published cut-offs (`start_back_risk`);
the others are compared with the first score by their MCID, the smallest change that
matters to a patient (`change`). The measures themselves (range, MCID) are content data
(content/scores.toml).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from lumbar.domain.decisions import Decision
from lumbar.domain.rules import RuleId

START_BACK = "start_back"
"""The measure whose total sorts into risk groups, with a psychosocial subscale."""

START_BACK_LOW_MAX = 3
"""A total of 3 or less is low risk (Hill et al. 2008, brief §3)."""
START_BACK_HIGH_MIN = 4
"""With a total of 4 or more, a psychosocial subscale (items 5-9) of 4 or more is high
risk, 3 or less medium."""
START_BACK_OTHER_ITEMS = 4
"""Items 1-4 are outside the subscale: the total is at most the subscale plus 4."""


class Better(StrEnum):
    """Which way a measure improves."""

    LOWER = "lower"
    HIGHER = "higher"


@dataclass(frozen=True, slots=True)
class Subscale:
    name: str
    minimum: int
    maximum: int


@dataclass(frozen=True, slots=True)
class Measure:
    """One measure a clinician enters the total of (content/scores.toml)."""

    id: str
    name: str
    long_name: str
    minimum: int
    maximum: int
    unit: str
    """"points", or "%" (ODI)."""
    better: Better
    mcid: int | None
    """The change that matters, in the total's units; None for a risk tool (STarT Back)."""
    subscale: Subscale | None = None


@dataclass(frozen=True, slots=True)
class Score:
    """A total a clinician entered: the day the patient answered, the measure and the total
    (with the subscale for STarT Back)."""

    on: date
    measure: str
    total: int
    subscale: int | None = None


class ScoreRefused(ValueError):
    """A score that cannot be kept; the message says why, in words for the clinician."""


def check_score(measure: Measure, total: int, subscale: int | None) -> None:
    """Refuse a total outside the measure's range, a missing or impossible subscale."""
    unit = "%" if measure.unit == "%" else ""
    if not measure.minimum <= total <= measure.maximum:
        raise ScoreRefused(
            f"the {measure.name} total is from {measure.minimum} to {measure.maximum}{unit}"
        )
    sub = measure.subscale
    if sub is None:
        if subscale is not None:
            raise ScoreRefused(f"{measure.name} has no subscale: leave it empty")
        return
    if subscale is None:
        raise ScoreRefused(f"give the {sub.name} too ({sub.minimum} to {sub.maximum})")
    if not sub.minimum <= subscale <= sub.maximum:
        raise ScoreRefused(f"the {sub.name} is from {sub.minimum} to {sub.maximum}")
    if measure.id == START_BACK and not (subscale <= total <= subscale + START_BACK_OTHER_ITEMS):
        raise ScoreRefused(
            f"the {sub.name} counts 5 of the 9 items: it is at most the total, and the total "
            f"at most {START_BACK_OTHER_ITEMS} more than it"
        )


def start_back_risk(total: int, psychosocial: int) -> Decision:
    """The STarT Back risk group by its published cut-offs: a total of 3 or less is low
    risk; from 4, a psychosocial subscale of 4 or more is high risk, else medium."""
    facts = {"total": total, "psychosocial": psychosocial}
    if total <= START_BACK_LOW_MAX:
        return Decision(RuleId.SCORES_START_BACK_LOW, facts)
    if psychosocial >= START_BACK_HIGH_MIN:
        return Decision(RuleId.SCORES_START_BACK_HIGH, facts)
    return Decision(RuleId.SCORES_START_BACK_MEDIUM, facts)


@dataclass(frozen=True, slots=True)
class Change:
    """How far the latest score moved from the first, against the MCID."""

    measure: Measure
    first: Score
    latest: Score
    points: int
    """How much better (positive) or worse (negative), in the total's units."""

    @property
    def matters(self) -> bool:
        """At least the MCID, either way."""
        mcid = self.measure.mcid
        return mcid is not None and abs(self.points) >= mcid


def change(measure: Measure, scores: list[Score]) -> Change | None:
    """The change from the first score of `measure` to the latest (by day, then as entered);
    None with fewer than two, or for a measure without an MCID."""
    mine = [s for s in scores if s.measure == measure.id]
    if len(mine) < 2 or measure.mcid is None:  # a first and a latest
        return None
    ordered = sorted(mine, key=lambda s: s.on)
    first, latest = ordered[0], ordered[-1]
    moved = latest.total - first.total
    points = -moved if measure.better is Better.LOWER else moved
    return Change(measure, first, latest, points)


@dataclass(frozen=True, slots=True)
class Summary:
    """One measure's scores for the clinician: every score, the change since the first
    against the MCID (not for STarT Back), and the latest STarT Back risk group."""

    measure: Measure
    scores: list[Score]
    change: Change | None
    risk: Decision | None


def summarise(scores: list[Score], measures: Mapping[str, Measure]) -> list[Summary]:
    """The measures with at least one score (by day), in the order of `measures`."""
    found = []
    for measure in measures.values():
        mine = sorted((s for s in scores if s.measure == measure.id), key=lambda s: s.on)
        if not mine:
            continue
        latest = mine[-1]
        risk = None
        if measure.subscale is not None and latest.subscale is not None:
            risk = start_back_risk(latest.total, latest.subscale)
        found.append(Summary(measure, mine, change(measure, mine), risk))
    return found
