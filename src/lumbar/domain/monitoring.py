"""What a clinician should look at first: each patient's concerns, gravest first.

The dashboard sorts a clinician's patients by `Attention.rank`. Each concern comes from the
same replay as the patient's own screens (their plan's alerts, their progress calendar,
their 4-week review), so the clinician never sees a different story from the patient.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from lumbar.domain.decisions import Fact
from lumbar.domain.model import History, Level, Pain, ProblemReport, SessionLog
from lumbar.domain.progress import Day, Progress
from lumbar.domain.rules import RuleId

RECENT_DAYS = 14
"""Bad pain, problem reports and adherence are looked at over the last two weeks."""
INACTIVE_DAYS = 7
"""No session or check-in for a week is worth a message."""


class Concern(StrEnum):
    """In order of gravity: the dashboard shows the first ones at the top."""

    EMERGENCY = "emergency"
    URGENT = "urgent"
    BAD_PAIN = "bad_pain"
    PROBLEM = "problem"
    NOT_IMPROVING = "not_improving"
    ADHERENCE = "adherence"
    INACTIVE = "inactive"
    NOT_STARTED = "not_started"

    @property
    def rank(self) -> int:
        return list(Concern).index(self)


@dataclass(frozen=True, slots=True)
class Finding:
    concern: Concern
    facts: Mapping[str, Fact] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Attention:
    findings: tuple[Finding, ...]

    @property
    def rank(self) -> int:
        """The gravest concern's rank; patients with none sort last."""
        return min((f.concern.rank for f in self.findings), default=len(Concern))


def attention(
    on: date,
    history: History | None,
    progress: Progress | None,
    problems: list[ProblemReport],
    *,
    min_adherence_pct: float,
) -> Attention:
    """A patient's concerns on `on`. `progress` is None when the program has not started."""
    if history is None or progress is None:
        return Attention((Finding(Concern.NOT_STARTED),))
    found: list[Finding] = []
    for alert in progress.status.alerts:
        if alert.level is Level.EMERGENCY:
            found.append(Finding(Concern.EMERGENCY, {"code": alert.code, "since": alert.since}))
        elif alert.level is Level.URGENT:
            found.append(Finding(Concern.URGENT, {"code": alert.code, "since": alert.since}))
    since = on - timedelta(days=RECENT_DAYS)
    bad = [
        (event.on, result.exercise_id, result.pain.value)
        for event in history.events
        if isinstance(event, SessionLog) and since < event.on <= on
        for result in event.results
        if result.pain in (Pain.SHARP, Pain.RADIATING)
    ]
    if bad:
        last = bad[-1]
        found.append(
            Finding(Concern.BAD_PAIN, {"count": len(bad), "last_on": last[0], "exercise": last[1]})
        )
    recent_problems = [p for p in problems if since < p.on <= on]
    if recent_problems:
        found.append(
            Finding(
                Concern.PROBLEM,
                {"count": len(recent_problems), "last_on": recent_problems[-1].on},
            )
        )
    review = progress.status.improvement.review
    if review is not None and review.rule == RuleId.OUTCOMES_NOT_IMPROVING:
        found.append(Finding(Concern.NOT_IMPROVING, dict(review.facts)))
    recent = [d.day for d in progress.calendar if since < d.on <= on]
    done = sum(1 for d in recent if d in (Day.DONE, Day.PARTIAL))
    missed = sum(1 for d in recent if d is Day.MISSED)
    if done + missed and 100 * done / (done + missed) < min_adherence_pct:
        found.append(Finding(Concern.ADHERENCE, {"done": done, "missed": missed}))
    last_active = max((e.on for e in history.events if e.on <= on), default=history.profile.start)
    started_long_ago = (on - history.profile.start).days >= INACTIVE_DAYS
    if started_long_ago and (on - last_active).days >= INACTIVE_DAYS:
        found.append(Finding(Concern.INACTIVE, {"last_on": last_active}))
    return Attention(tuple(sorted(found, key=lambda f: f.concern.rank)))
