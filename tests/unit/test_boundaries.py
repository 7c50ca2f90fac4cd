"""The edges of the 4-week review, with the thresholds lumbar ships (content/program.toml).

Each case is written with the numbers docs/rules.md gives (30%, 20%, 75%, 2 points, 28
days), and judged with the shipped thresholds: a change to the content that moves a
boundary fails here as surely as a change to the code that compares against it.
"""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import date

from lumbar.content.load import default_content
from lumbar.domain.decisions import Decision
from lumbar.domain.model import CheckIn, History, Improvement, TrainingDays
from lumbar.domain.outcomes import review
from lumbar.domain.plan import program_status
from lumbar.domain.program import Program
from tests.builders import Follower, day, history, intake, program

SHIPPED = default_content().program.thresholds


def _review(
    latest: int,
    *,
    baseline: int = 6,
    psfs: float | None = None,
    completed: int = 12,
    planned: int = 12,
) -> Decision:
    return review(
        baseline_pain=baseline,
        latest_pain=latest,
        psfs_change=psfs,
        completed=completed,
        planned=planned,
        thresholds=SHIPPED,
    )


# The shipped numbers.


def test_the_shipped_thresholds_and_gate_are_the_values_docs_rules_md_explains() -> None:
    shipped = default_content().program
    assert asdict(shipped.gate) == {"min_days": 7, "min_sessions": 3, "pain_free_days": 7}
    assert asdict(shipped.thresholds) == {
        "clean_sessions_to_step_up": 2,
        "radiating_window_days": 14,
        "checkin_interval_days": 7,
        "review_after_days": 28,
        "min_adherence_pct": 75,
        "on_track_pain_pct": 30,
        "suggest_pain_pct": 20,
        "psfs_gain": 2,
        "low_baseline_pain": 2,
        "referral_repeat_days": 28,
    }
    assert shipped.training_days == TrainingDays(weekdays=frozenset({0, 2, 4}))
    assert shipped.max_load_lb == 25


# Adherence: fewer than 75% of planned sessions says so instead of judging.


def test_exactly_75_percent_of_planned_sessions_is_enough_for_the_review_to_judge() -> None:
    judged = _review(6, completed=9, planned=12)
    assert judged.rule == "outcomes.not_improving"
    assert _review(4, completed=75, planned=100).rule == "outcomes.on_track"


def test_just_under_75_percent_of_planned_sessions_is_low_adherence() -> None:
    for completed, planned in ((74, 100), (8, 11)):
        decision = _review(4, completed=completed, planned=planned)
        assert decision.rule == "outcomes.low_adherence", (completed, planned)
        assert decision.facts["min_pct"] == 75


# Pain: 30% less is on track, 20% to under 30% suggests an assessment, less refers.


def test_exactly_30_percent_less_pain_is_on_track_judged_by_pain() -> None:
    decision = _review(7, baseline=10)
    assert decision.rule == "outcomes.on_track"
    assert decision.facts == {"pain_change_pct": 30.0, "psfs_change": None, "judged_by": "pain"}


def test_just_under_30_percent_less_pain_only_suggests_an_assessment() -> None:
    decision = _review(5, baseline=7, psfs=1.0)  # 28.6%
    assert decision.rule == "outcomes.suggest_assessment"
    assert decision.facts == {"pain_change_pct": 28.6, "psfs_change": 1.0}


def test_exactly_20_percent_less_pain_suggests_an_assessment() -> None:
    assert _review(8, baseline=10).rule == "outcomes.suggest_assessment"
    assert _review(4, baseline=5, psfs=1.5).rule == "outcomes.suggest_assessment"


def test_just_under_20_percent_less_pain_is_not_improving() -> None:
    decision = _review(5, baseline=6, psfs=1.5)  # 16.7%
    assert decision.rule == "outcomes.not_improving"
    assert decision.facts["judged_by"] == "pain and psfs"


def test_a_psfs_gain_of_exactly_2_is_on_track_and_just_under_is_not() -> None:
    gained = _review(6, baseline=6, psfs=2.0)
    assert gained.rule == "outcomes.on_track" and gained.facts["judged_by"] == "psfs"
    assert _review(6, baseline=6, psfs=1.99).rule == "outcomes.not_improving"
    assert _review(2, baseline=2, psfs=2.0).rule == "outcomes.on_track"
    assert _review(2, baseline=2, psfs=1.99).rule == "outcomes.not_improving"


def test_a_baseline_pain_of_3_is_judged_by_pain_and_2_by_psfs_alone() -> None:
    by_pain = _review(2, baseline=3, psfs=0.0)  # 33%
    assert by_pain.rule == "outcomes.on_track" and by_pain.facts["judged_by"] == "pain"
    by_psfs = _review(1, baseline=2, psfs=0.0)  # 50% less pain, but PSFS decides
    assert by_psfs.rule == "outcomes.not_improving" and by_psfs.facts["judged_by"] == "psfs"


def test_a_clinician_can_move_the_boundaries_of_the_shipped_thresholds() -> None:
    stricter = replace(SHIPPED, on_track_pain_pct=40.0, min_adherence_pct=80.0)

    def judged(latest: int, completed: int) -> str:
        return review(
            baseline_pain=10,
            latest_pain=latest,
            psfs_change=None,
            completed=completed,
            planned=12,
            thresholds=stricter,
        ).rule

    assert judged(7, 12) == "outcomes.suggest_assessment"
    assert judged(6, 12) == "outcomes.on_track"
    assert judged(6, 9) == "outcomes.low_adherence"


# The review in the journey: when it runs.


def _improvement(on: date, h: History, chosen: Program) -> Improvement:
    return program_status(on, h, chosen).improvement


def _cleared_on_day_30_and_checked_on(offset: int) -> tuple[Improvement, set[str]]:
    """Pain unchanged at day 28 (a referral), cleared on day 30, one pain check-in later."""
    chosen = program()
    follower = Follower(chosen, history(), checkins={day(28): (6, None), day(offset): (6, None)})
    follower.extra[day(30)] = [CheckIn(day(30), cleared_by_clinician=True)]
    h = follower.follow(day(offset))
    status = program_status(day(offset), h, chosen)
    return status.improvement, {a.code for a in status.alerts}


def test_the_review_runs_again_exactly_28_days_after_a_referral_was_cleared() -> None:
    improvement, codes = _cleared_on_day_30_and_checked_on(58)
    assert improvement.review_on == day(58)
    assert improvement.review is not None
    assert improvement.review.rule == "outcomes.not_improving"
    assert "not_improving" in codes


def test_the_review_waits_27_days_after_a_referral_was_cleared() -> None:
    improvement, codes = _cleared_on_day_30_and_checked_on(57)
    assert improvement.review_on == day(28)
    assert "not_improving" not in codes


def test_the_first_review_is_at_a_pain_check_in_on_day_28_not_day_27() -> None:
    chosen = program()
    for offset, expected in ((27, None), (28, day(28))):
        follower = Follower(chosen, history(), checkins={day(offset): (6, None)})
        h = follower.follow(day(offset))
        assert _improvement(day(offset), h, chosen).review_on == expected, offset


def _psfs_only_after_day_28(baseline_pain: int) -> Improvement:
    """A check-in with PSFS scores and no pain rating on day 29, the first since the intake."""
    chosen = program()
    who = history(first=intake(pain=baseline_pain, psfs=(3, 3, 3)))
    follower = Follower(chosen, who, checkins={day(29): (None, (6, 6, 6))})
    h = follower.follow(day(29))
    return _improvement(day(29), h, chosen)


def test_a_psfs_only_check_in_does_not_run_the_review_above_a_low_baseline() -> None:
    for baseline_pain in (3, 6):
        improvement = _psfs_only_after_day_28(baseline_pain)
        assert improvement.latest_psfs == 6.0
        assert improvement.review is None, baseline_pain
        assert improvement.review_on is None


def test_a_psfs_only_check_in_runs_the_review_at_a_low_baseline() -> None:
    improvement = _psfs_only_after_day_28(2)
    assert improvement.review_on == day(29)
    assert improvement.review is not None
    assert improvement.review.rule == "outcomes.on_track"
    assert improvement.review.facts["judged_by"] == "psfs"
