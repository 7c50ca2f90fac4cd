"""Outcome measures and the 4-week review (rules outcomes.*)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from lumbar.content.load import default_content
from lumbar.domain.model import CheckIn, Level
from lumbar.domain.outcomes import adherence_pct, pain_change_pct, psfs_score, review
from lumbar.domain.plan import plan_day, program_status
from lumbar.domain.program import Thresholds
from tests.builders import START, Follower, clearance, day, history, intake, program

DEFAULTS = default_content().program.thresholds
"""The thresholds the app ships (content/program.toml), not a second copy of them."""


BASELINE_PSFS = 4.0
"""The intake's PSFS in these cases (the builders' (4, 5, 3))."""


def _review(pain: int, *, baseline: int = 6, psfs: float | None = None, done: int = 12) -> str:
    """The review of `pain` against `baseline`, with the PSFS `psfs` points above its
    baseline (None: not rated again)."""
    return review(
        baseline_pain=baseline,
        latest_pain=pain,
        baseline_psfs=BASELINE_PSFS,
        latest_psfs=None if psfs is None else BASELINE_PSFS + psfs,
        completed=done,
        planned=12,
        thresholds=DEFAULTS,
    ).rule


def test_psfs_is_the_mean_of_the_activity_scores() -> None:
    assert psfs_score((4, 5, 3)) == 4.0
    assert psfs_score((7,)) == 7.0
    with pytest.raises(ValueError):
        psfs_score(())


def test_pain_change_is_a_percentage_of_baseline_and_none_from_zero() -> None:
    assert pain_change_pct(10, 7) == 30.0
    assert pain_change_pct(5, 6) == -20.0
    assert pain_change_pct(0, 3) is None


def test_adherence_is_capped_and_none_before_anything_was_planned() -> None:
    assert adherence_pct(9, 12) == 75.0
    assert adherence_pct(14, 12) == 100.0
    assert adherence_pct(0, 0) is None


def test_outcomes_on_track_with_30_percent_less_pain_or_psfs_up_2() -> None:
    assert _review(4, baseline=6) == "outcomes.on_track"  # 33%
    assert _review(6, baseline=6, psfs=2.0) == "outcomes.on_track"


def test_outcomes_suggest_assessment_between_20_and_30_percent() -> None:
    assert _review(4, baseline=5) == "outcomes.suggest_assessment"  # 20%
    assert _review(3, baseline=4, psfs=1.9) == "outcomes.suggest_assessment"  # 25%
    # 22% better, but by 2 points: on track (outcomes.on_track).
    assert _review(7, baseline=9, psfs=1.9) == "outcomes.on_track"


def test_outcomes_not_improving_under_20_percent_and_psfs_under_2() -> None:
    assert _review(5, baseline=6, psfs=1.0) == "outcomes.not_improving"  # 17%
    assert _review(6, baseline=6) == "outcomes.not_improving"  # PSFS not rated again


def test_a_low_baseline_is_judged_by_psfs_and_pain_counts_only_by_points() -> None:
    assert _review(2, baseline=2, psfs=2.5) == "outcomes.on_track"
    assert _review(1, baseline=2, psfs=0.5) == "outcomes.not_improving"  # 50%, not used
    assert _review(0, baseline=2, psfs=0.5) == "outcomes.on_track"  # 2 points
    assert _review(1, baseline=1) == "outcomes.psfs_needed"


def test_outcomes_low_adherence_says_so_instead_of_referring() -> None:
    decision = review(
        baseline_pain=6,
        latest_pain=6,
        baseline_psfs=BASELINE_PSFS,
        latest_psfs=BASELINE_PSFS,
        completed=8,
        planned=12,
        thresholds=DEFAULTS,
    )
    assert decision.rule == "outcomes.low_adherence"
    assert decision.facts == {"adherence_pct": 66.7, "completed": 8, "planned": 12, "min_pct": 75.0}


def test_the_thresholds_are_data_a_clinician_can_change() -> None:
    strict = replace(DEFAULTS, on_track_pain_pct=50.0, suggest_pain_pct=40.0, better_pain_points=3)

    def judged(thresholds: Thresholds) -> str:
        return review(
            baseline_pain=6,
            latest_pain=4,
            baseline_psfs=BASELINE_PSFS,
            latest_psfs=None,
            completed=12,
            planned=12,
            thresholds=thresholds,
        ).rule

    assert judged(DEFAULTS) == "outcomes.on_track"  # 33%, 2 points
    assert judged(strict) == "outcomes.not_improving"


def _weekly(
    pains: list[int], psfs: tuple[int, ...] | None = None
) -> dict[date, tuple[int | None, tuple[int, ...] | None]]:
    return {day(7 * (week + 1)): (pain, psfs) for week, pain in enumerate(pains)}


def test_the_review_starts_28_days_after_the_baseline() -> None:
    follower = Follower(program(), history(), checkins=_weekly([6, 6, 6]))
    h = follower.follow(day(27))
    assert program_status(day(27), h, program()).improvement.review is None
    follower.checkins[day(28)] = (6, (4, 5, 3))
    h = follower.follow(day(28))
    status = program_status(day(28), h, program())
    assert status.improvement.review is not None
    assert status.improvement.review.rule == "outcomes.not_improving"
    assert status.improvement.review_on == day(28)
    alert = next(a for a in status.alerts if a.code == "not_improving")
    assert alert.level is Level.SEE_CLINICIAN


def test_a_not_improving_alert_stays_until_cleared_and_is_not_repeated_for_4_weeks() -> None:
    follower = Follower(program(), history(), checkins=_weekly([6] * 9))
    follower.extra[day(30)] = [clearance(day(30), "not_improving")]
    follower.follow(day(29))
    assert any(
        a.code == "not_improving" for a in plan_day(day(29), follower.history, program()).alerts
    )
    h = follower.follow(day(62))
    # Cleared on day 30: the weekly check-ins of days 35 to 56 raise no new referral.
    assert not any(a.code == "not_improving" for a in program_status(day(62), h, program()).alerts)
    again = program_status(day(63), follower.follow(day(63)), program())
    assert any(a.code == "not_improving" for a in again.alerts)


def test_improvement_reports_pain_psfs_and_adherence_against_baseline() -> None:
    follower = Follower(program(), history(), checkins=_weekly([5, 4], psfs=(6, 6, 6)))
    h = follower.follow(day(14))
    improvement = program_status(day(14), h, program()).improvement
    assert improvement.baseline_pain == 6 and improvement.latest_pain == 4
    assert improvement.pain_change_pct == 33.3
    assert improvement.baseline_psfs == 4.0 and improvement.latest_psfs == 6.0
    assert improvement.psfs_change == 2.0
    assert (improvement.completed_sessions, improvement.planned_sessions) == (6, 6)
    assert improvement.adherence_pct == 100.0


def test_improvement_is_none_where_there_is_no_data_yet() -> None:
    improvement = program_status(START, history(), program()).improvement
    assert improvement.latest_pain is None and improvement.pain_change_pct is None
    assert improvement.latest_psfs is None and improvement.psfs_change is None
    assert improvement.adherence_pct is None and improvement.review is None


def test_outcomes_checkin_due_a_week_after_the_last_check_in() -> None:
    h = history()
    assert not any(a.code == "checkin_due" for a in plan_day(day(6), h, program()).alerts)
    due = [a for a in plan_day(day(7), h, program()).alerts if a.code == "checkin_due"]
    assert due and due[0].level is Level.INFO
    assert due[0].decision.facts == {"last_checkin": START, "days": 7}
    after = history(CheckIn(day(7), pain=5))
    assert not any(a.code == "checkin_due" for a in plan_day(day(8), after, program()).alerts)


def test_blocked_days_are_not_counted_as_planned_sessions() -> None:
    blocked = history(
        CheckIn(day(0), symptoms=("fever",)),
        clearance(day(14), "fever"),
        first=intake(),
    )
    improvement = program_status(day(14), blocked, program()).improvement
    assert improvement.planned_sessions == 0
    assert (
        program_status(day(14) + timedelta(days=7), blocked, program()).improvement.planned_sessions
        == 3
    )


def test_with_a_low_baseline_psfs_scores_alone_run_the_review() -> None:
    low = history(first=intake(pain=2, psfs=(3, 3, 3)))
    follower = Follower(program(), low, checkins={day(28): (2, None)})
    follower.follow(day(28))
    assert program_status(day(28), follower.history, program()).improvement.review is not None
    follower.checkins[day(29)] = (None, (6, 6, 6))
    h = follower.follow(day(29))
    review = program_status(day(29), h, program()).improvement.review
    assert review is not None and review.rule == "outcomes.on_track"
    assert review.facts["judged_by"] == "psfs"
