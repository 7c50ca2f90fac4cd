"""Outcome measures and the 4-week review: is the program helping?

Pain is the weekly 0-10 rating (NPRS); function is the Patient-Specific Functional Scale
(PSFS): 1 to 5 activities the person names, each rated 0 (unable) to 10 (as before), scored
as their mean (Stratford 1995). From day 28 (D1-14) the review says whether the person is
worse, recovered, on track, might benefit from an assessment, or should see a clinician;
at every weekly check-in a flare-up is looked for. The thresholds are data
(`Thresholds`), so a clinician can change them.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

from lumbar.domain.decisions import Decision, Fact
from lumbar.domain.program import Thresholds
from lumbar.domain.rules import RuleId

PSFS_MIN_ACTIVITIES = 1
PSFS_MAX_ACTIVITIES = 5
PSFS_ACTIVITY_MAX = 200
"""The longest activity a PSFS names, in characters: the intake's limit, and an import's."""


def psfs_score(scores: tuple[int, ...]) -> float:
    """The PSFS score: the mean of the activity ratings."""
    if not scores:
        raise ValueError("a PSFS score needs at least one activity rating")
    return sum(scores) / len(scores)


def pain_change_pct(baseline: int, latest: int) -> float | None:
    """Improvement in pain as a percentage of baseline (positive is better); None from 0."""
    if baseline == 0:
        return None
    return (baseline - latest) / baseline * 100


def adherence_pct(completed: int, planned: int) -> float | None:
    """Share of planned sessions done, capped at 100; None before any session was planned."""
    if planned == 0:
        return None
    return min(100.0, completed / planned * 100)


def review(
    *,
    baseline_pain: int,
    latest_pain: int,
    baseline_psfs: float,
    latest_psfs: float | None,
    completed: int,
    planned: int,
    thresholds: Thresholds,
) -> Decision:
    """The review from day 28 on (D1-14, brief §4): pain and function judged together,
    never one hiding the other (`verdict`), with the numbers it used."""
    inputs = Inputs(baseline_pain, latest_pain, baseline_psfs, latest_psfs, completed, planned)
    return judgement(inputs, *verdict(inputs, thresholds), thresholds)


class Inputs(NamedTuple):
    """What the review judges: pain and PSFS at the start and now, and sessions done (a
    named tuple: the engine makes one at every check-in from day 28, and a frozen
    dataclass costs several times more to build)."""

    baseline_pain: int
    latest_pain: int
    baseline_psfs: float
    latest_psfs: float | None
    completed: int
    planned: int


def verdict(inputs: Inputs, thresholds: Thresholds) -> tuple[RuleId, str]:
    """The review's rule and what decided it, without the facts (the engine asks at every
    check-in from day 28 and needs the facts of the last one only).

    In this order: pain worse than at the start (by `worse_pain_points`, or by
    `worse_pain_pct` above a low baseline) refers whatever else is true; pain at or under
    `recovered_pain` with PSFS at or over `recovered_psfs` is recovery; too few sessions
    done cannot be judged; then better is pain `on_track_pain_pct` or `better_pain_points`
    better with function not worse, or PSFS up by `psfs_gain` with pain not above the
    start. Near the floor (baseline pain at or under `low_baseline_pain`) the percentage
    of pain is not used; near the ceiling (baseline PSFS above `psfs_ceiling`) the PSFS
    cannot gain, so pain decides. A PSFS not rated again counts as no change.
    """
    t = thresholds
    baseline_pain, latest_pain = inputs.baseline_pain, inputs.latest_pain
    baseline_psfs, latest_psfs = inputs.baseline_psfs, inputs.latest_psfs
    if pain_worse(baseline_pain, latest_pain, t):
        return RuleId.OUTCOMES_WORSE, "pain"
    psfs_now = baseline_psfs if latest_psfs is None else latest_psfs
    if latest_pain <= t.recovered_pain and psfs_now >= t.recovered_psfs:
        return RuleId.OUTCOMES_RECOVERED, "pain and psfs"
    adherence = adherence_pct(inputs.completed, inputs.planned)
    if adherence is not None and adherence < t.min_adherence_pct:
        return RuleId.OUTCOMES_LOW_ADHERENCE, "adherence"
    # Rounded: the means of three ratings are thirds, and 13/3 - 7/3 must be 2, not 1.999...
    psfs_change = None if latest_psfs is None else round(latest_psfs - baseline_psfs, 6)
    floor = baseline_pain <= t.low_baseline_pain
    ceiling = baseline_psfs > t.psfs_ceiling
    function_worse = psfs_change is not None and psfs_change <= -t.psfs_gain
    pain_not_worse = latest_pain <= baseline_pain
    if floor and ceiling and pain_not_worse and not function_worse:
        return RuleId.OUTCOMES_ON_TRACK, "near_limits"
    if floor and psfs_change is None:
        return RuleId.OUTCOMES_PSFS_NEEDED, "psfs"
    improvement = pain_change_pct(baseline_pain, latest_pain)
    pain_better = baseline_pain - latest_pain >= t.better_pain_points or (
        not floor and improvement is not None and improvement >= t.on_track_pain_pct
    )
    if pain_better and not function_worse:
        return RuleId.OUTCOMES_ON_TRACK, "pain"
    if psfs_change is not None and psfs_change >= t.psfs_gain and pain_not_worse:
        return RuleId.OUTCOMES_ON_TRACK, "psfs"
    some_better = not floor and improvement is not None and improvement >= t.suggest_pain_pct
    if some_better and not function_worse:
        return RuleId.OUTCOMES_SUGGEST_ASSESSMENT, "pain"
    return RuleId.OUTCOMES_NOT_IMPROVING, "pain" if ceiling else "psfs" if floor else (
        "pain and psfs"
    )


def judgement(inputs: Inputs, rule: RuleId, judged_by: str, thresholds: Thresholds) -> Decision:
    """The review's decision, with the facts its rule reports."""
    if rule == RuleId.OUTCOMES_LOW_ADHERENCE:
        adherence = adherence_pct(inputs.completed, inputs.planned)
        assert adherence is not None  # pragma: no mutate (the verdict needed it)
        return low_adherence(adherence, inputs.completed, inputs.planned, thresholds)
    if rule == RuleId.OUTCOMES_PSFS_NEEDED:
        return Decision(rule, {"baseline_pain": inputs.baseline_pain})
    facts = _measures(
        inputs.baseline_pain, inputs.latest_pain, inputs.baseline_psfs, inputs.latest_psfs
    )
    facts["judged_by"] = judged_by
    return Decision(rule, facts)


def worse(
    *,
    baseline_pain: int,
    latest_pain: int,
    baseline_psfs: float,
    latest_psfs: float | None,
    thresholds: Thresholds,
) -> Decision | None:
    """Worse is never on track: at any weekly check-in, pain worse than at the start
    (`pain_worse`) refers to a clinician whatever the PSFS says."""
    if not pain_worse(baseline_pain, latest_pain, thresholds):
        return None
    facts = _measures(baseline_pain, latest_pain, baseline_psfs, latest_psfs)
    facts["judged_by"] = "pain"
    return Decision(RuleId.OUTCOMES_WORSE, facts)


def _measures(
    baseline_pain: int, latest_pain: int, baseline_psfs: float, latest_psfs: float | None
) -> dict[str, Fact]:
    """The numbers every judgement states: pain and PSFS at the start and now."""
    improvement = pain_change_pct(baseline_pain, latest_pain)
    return {
        "baseline_pain": baseline_pain,
        "latest_pain": latest_pain,
        "pain_change_pct": None if improvement is None else round(improvement, 1),
        "baseline_psfs": round(baseline_psfs, 1),
        "latest_psfs": None if latest_psfs is None else round(latest_psfs, 1),
        "psfs_change": None if latest_psfs is None else round(latest_psfs - baseline_psfs, 2),
    }


def pain_worse(baseline_pain: int, latest_pain: int, thresholds: Thresholds) -> bool:
    """Pain `worse_pain_points` above the baseline, or `worse_pain_pct` above it where the
    baseline is above `low_baseline_pain` (from 1 to 2 is not yet "worse")."""
    rise = latest_pain - baseline_pain
    if rise >= thresholds.worse_pain_points:
        return True
    above_floor = baseline_pain > thresholds.low_baseline_pain
    return above_floor and rise > 0 and rise / baseline_pain * 100 >= thresholds.worse_pain_pct


def low_adherence(
    adherence: float, completed: int, planned: int, thresholds: Thresholds
) -> Decision:
    return Decision(
        RuleId.OUTCOMES_LOW_ADHERENCE,
        {
            "adherence_pct": round(adherence, 1),
            "completed": completed,
            "planned": planned,
            "min_pct": thresholds.min_adherence_pct,
        },
    )


def missed_sessions(completed: int, planned: int, thresholds: Thresholds) -> Decision | None:
    """With a referral for worse pain: the question of why sessions were missed, when too
    few were done (low adherence adds to a referral, it never replaces one)."""
    adherence = adherence_pct(completed, planned)
    if adherence is None or adherence >= thresholds.min_adherence_pct:
        return None
    facts: dict[str, Fact] = {
        "adherence_pct": round(adherence, 1),
        "completed": completed,
        "planned": planned,
    }
    return Decision(RuleId.OUTCOMES_MISSED_SESSIONS, facts)


def flare(
    *, weekly_pain: int, last_week: int, baseline_pain: int, thresholds: Thresholds
) -> Decision | None:
    """A flare-up at a weekly check-in (brief C8, §5d): pain more than `flare_above_baseline`
    points above the baseline, or above `flare_pain` and higher than the week before."""
    t = thresholds
    above_baseline = weekly_pain > baseline_pain + t.flare_above_baseline
    spike = weekly_pain > t.flare_pain and weekly_pain > last_week
    if not (above_baseline or spike):
        return None
    facts: dict[str, Fact] = {
        "weekly_pain": weekly_pain,
        "last_week": last_week,
        "baseline_pain": baseline_pain,
    }
    return Decision(RuleId.OUTCOMES_FLARE, facts)


def review_prompt(
    on: date, *, start: date, reviewed: bool, thresholds: Thresholds
) -> Decision | None:
    """From day 28 until a check-in gives the review its numbers: ask for it; after
    `review_grace_days` more without one, refer (no one can tell whether it helps)."""
    due = start + timedelta(days=thresholds.review_after_days)
    if reviewed or on < due:
        return None
    late = due + timedelta(days=thresholds.review_grace_days)
    if on < late:
        return Decision(RuleId.OUTCOMES_REVIEW_DUE, {"due": due, "by": late})
    return Decision(RuleId.OUTCOMES_REVIEW_MISSED, {"due": due, "days": (on - due).days})
