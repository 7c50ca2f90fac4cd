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
from lumbar.domain.model import Clearance, History, Level, Pain, ProblemReport, SessionLog
from lumbar.domain.progress import Day, Progress
from lumbar.domain.rules import RuleId

RECENT_DAYS = 14
"""Bad pain, problem reports and adherence are looked at over the last two weeks."""
CALENDAR_WEEKS = -(-(RECENT_DAYS + 6) // 7)
"""The weeks of a progress calendar that `attention` needs: the calendar ends on the Sunday
of the day's week, so on a Monday the last two weeks reach back into the third week."""
INACTIVE_DAYS = 7
"""No session or check-in for a week is worth a message."""


class Concern(StrEnum):
    """In order of gravity: the dashboard shows the first ones at the top."""

    EMERGENCY = "emergency"
    """An emergency sign no clinician has acknowledged yet (at a check-in or the intake)."""
    URGENT = "urgent"
    CLEARANCE_REQUESTED = "clearance_requested"
    """The patient says a clinician saw them: clear them, or not."""
    BAD_PAIN = "bad_pain"
    PROBLEM = "problem"
    NOT_IMPROVING = "not_improving"
    ACKNOWLEDGED = "acknowledged"
    """An emergency or urgent sign the clinician has seen: paused until they clear it."""
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


@dataclass(frozen=True, slots=True)
class Signals:
    """What a clinic's server keeps beside the history for the clinician to act on."""

    acknowledged: frozenset[tuple[str, date]] = frozenset()
    """The (code, since) of the alerts the clinician has acknowledged."""
    requests: tuple[tuple[date, str], ...] = ()
    """The patient's open requests for clearance: (day, who saw them)."""
    intake: tuple[tuple[date, str], ...] = ()
    """Emergency signs answered at a refused intake and not yet cleared: (day, code)."""


NO_SIGNALS = Signals()


def attention(
    on: date,
    history: History | None,
    progress: Progress | None,
    problems: list[ProblemReport],
    *,
    min_adherence_pct: float,
    signals: Signals = NO_SIGNALS,
) -> Attention:
    """A patient's concerns on `on`. `progress` is None when the program has not started.

    An emergency or urgent sign stays at the top until the clinician acknowledges it; then
    it is listed lower, as a paused program, until they clear it.
    """
    found: list[Finding] = []
    for since, code in signals.intake:
        seen = (code, since) in signals.acknowledged
        concern = Concern.ACKNOWLEDGED if seen else Concern.EMERGENCY
        found.append(Finding(concern, {"code": code, "since": since}))
    if signals.requests:
        last_on, seen_by = signals.requests[-1]
        facts: dict[str, Fact] = {
            "count": len(signals.requests),
            "last_on": last_on,
            "seen_by": seen_by,
        }
        found.append(Finding(Concern.CLEARANCE_REQUESTED, facts))
    if history is None or progress is None:
        found.append(Finding(Concern.NOT_STARTED))
        return Attention(tuple(sorted(found, key=lambda f: f.concern.rank)))
    for alert in progress.status.alerts:
        if not alert.level.blocks:
            continue
        raised: dict[str, Fact] = {"code": alert.code, "since": alert.since}
        if (alert.code, alert.since) in signals.acknowledged:
            found.append(Finding(Concern.ACKNOWLEDGED, raised))
        elif alert.level is Level.EMERGENCY:
            found.append(Finding(Concern.EMERGENCY, raised))
        else:
            found.append(Finding(Concern.URGENT, raised))
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
    # What the patient did: a clinician's clearance is not the patient being active.
    last_active = max(
        (e.on for e in history.events if e.on <= on and not isinstance(e, Clearance)),
        default=history.profile.start,
    )
    started_long_ago = (on - history.profile.start).days >= INACTIVE_DAYS
    if started_long_ago and (on - last_active).days >= INACTIVE_DAYS:
        found.append(Finding(Concern.INACTIVE, {"last_on": last_active}))
    return Attention(tuple(sorted(found, key=lambda f: f.concern.rank)))


def steady_until(on: date, history: History | None) -> date | None:
    """The first day after `on` on which the concerns `attention` finds on `on` may change
    with no write at all; None when only a write can change them.

    Before a program starts (no history) the concerns are the clinic's signals and "not
    started", which no day changes. Once it runs, the next day can: a planned day passes
    and counts as missed (adherence), the two weeks' window moves past a bad-pain session
    or a problem report, a week without activity is reached, the 4-week review falls due.
    A summary kept of the concerns is computed again on that day (usecases/summaries.py)."""
    if history is None:
        return None
    return on + timedelta(days=1)
