"""Outcome measures and the 4-week review: is the program helping?

Pain is the weekly 0-10 rating (NPRS); function is the Patient-Specific Functional Scale
(PSFS): 1 to 5 activities the person names, each rated 0 (unable) to 10 (as before), scored
as their mean (Stratford 1995). From day 28 (D1-14), with enough sessions done, the review
says whether the person is on track, might benefit from an assessment, or should see a
clinician. The thresholds are data (`Thresholds`), so a clinician can change them.
"""

from __future__ import annotations

from lumbar.domain.decisions import Decision
from lumbar.domain.program import Thresholds
from lumbar.domain.rules import RuleId

PSFS_MIN_ACTIVITIES = 1
PSFS_MAX_ACTIVITIES = 5


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
    psfs_change: float | None,
    completed: int,
    planned: int,
    thresholds: Thresholds,
) -> Decision:
    """The 4-week review (D1-14, brief §4).

    Pain better by 30% or PSFS up by 2: on track. Pain better by 20-30%: an assessment may
    help (info). Less than that on both: see a clinician. With baseline pain of 2 or less,
    PSFS alone decides. With fewer than 75% of planned sessions done, say so instead.
    A PSFS not rated again since the baseline counts as no change.
    """
    adherence = adherence_pct(completed, planned)
    if adherence is not None and adherence < thresholds.min_adherence_pct:
        return Decision(
            RuleId.OUTCOMES_LOW_ADHERENCE,
            {
                "adherence_pct": round(adherence, 1),
                "completed": completed,
                "planned": planned,
                "min_pct": thresholds.min_adherence_pct,
            },
        )
    pain_pct = pain_change_pct(baseline_pain, latest_pain)
    pain_fact = None if pain_pct is None else round(pain_pct, 1)
    psfs_fact = None if psfs_change is None else round(psfs_change, 2)
    psfs_gained = psfs_change is not None and psfs_change >= thresholds.psfs_gain
    if baseline_pain <= thresholds.low_baseline_pain or pain_pct is None:
        if psfs_change is None:
            return Decision(RuleId.OUTCOMES_PSFS_NEEDED, {"baseline_pain": baseline_pain})
        facts = {"pain_change_pct": pain_fact, "psfs_change": psfs_fact, "judged_by": "psfs"}
        rule = RuleId.OUTCOMES_ON_TRACK if psfs_gained else RuleId.OUTCOMES_NOT_IMPROVING
        return Decision(rule, facts)
    if pain_pct >= thresholds.on_track_pain_pct or psfs_gained:
        judged_by = "pain" if pain_pct >= thresholds.on_track_pain_pct else "psfs"
        facts = {"pain_change_pct": pain_fact, "psfs_change": psfs_fact, "judged_by": judged_by}
        return Decision(RuleId.OUTCOMES_ON_TRACK, facts)
    if pain_pct >= thresholds.suggest_pain_pct:
        return Decision(
            RuleId.OUTCOMES_SUGGEST_ASSESSMENT,
            {"pain_change_pct": pain_fact, "psfs_change": psfs_fact},
        )
    return Decision(
        RuleId.OUTCOMES_NOT_IMPROVING,
        {"pain_change_pct": pain_fact, "psfs_change": psfs_fact, "judged_by": "pain and psfs"},
    )
