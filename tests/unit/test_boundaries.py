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
from lumbar.domain.model import Dose, History, Improvement, TrainingDays
from lumbar.domain.outcomes import review
from lumbar.domain.plan import program_status
from lumbar.domain.program import Program, Thresholds
from lumbar.domain.routine import RoutineExercise
from tests.builders import Follower, clearance, day, history, intake, program

SHIPPED = default_content().program.thresholds
BASELINE_PSFS = 4.0
"""The intake's PSFS in these cases (the builders' (4, 5, 3))."""


def _review(
    latest: int,
    *,
    baseline: int = 6,
    psfs: float | None = None,
    completed: int = 12,
    planned: int = 12,
    thresholds: Thresholds = SHIPPED,
) -> Decision:
    """The review of pain `latest` against `baseline`, the PSFS `psfs` points above its
    baseline of 4 (None: not rated again)."""
    return review(
        baseline_pain=baseline,
        latest_pain=latest,
        baseline_psfs=BASELINE_PSFS,
        latest_psfs=None if psfs is None else BASELINE_PSFS + psfs,
        completed=completed,
        planned=planned,
        thresholds=thresholds,
    )


def _judged(
    judged_by: str, *, baseline: int, latest: int, pct: float, psfs: float | None
) -> dict[str, object]:
    """The facts of a judgement: pain and PSFS at the start and now, and what decided."""
    return {
        "baseline_pain": baseline,
        "latest_pain": latest,
        "pain_change_pct": pct,
        "baseline_psfs": BASELINE_PSFS,
        "latest_psfs": None if psfs is None else BASELINE_PSFS + psfs,
        "psfs_change": psfs,
        "judged_by": judged_by,
    }


POINTS_OUT_OF_PLAY = replace(SHIPPED, better_pain_points=10)
"""The shipped thresholds, but 2 points better no longer enough: the percentages alone."""


# The shipped numbers.


def test_the_shipped_thresholds_and_gate_are_the_values_docs_rules_md_explains() -> None:
    shipped = default_content().program
    assert asdict(shipped.gate) == {
        "min_days": 7,
        "min_sessions": 3,
        "pain_free_days": 7,
        "checkin_within_days": 7,
        "last_session_within_days": 7,
    }
    assert asdict(shipped.thresholds) == {
        "clean_sessions_to_step_up": 2,
        "radiating_window_days": 14,
        "checkin_interval_days": 7,
        "review_after_days": 28,
        "review_grace_days": 7,
        "min_adherence_pct": 75,
        "on_track_pain_pct": 30,
        "better_pain_points": 2,
        "suggest_pain_pct": 20,
        "worse_pain_points": 2,
        "worse_pain_pct": 30,
        "psfs_gain": 2,
        "psfs_ceiling": 8,
        "low_baseline_pain": 2,
        "recovered_pain": 1,
        "recovered_psfs": 9,
        "referral_repeat_days": 28,
        "flare_above_baseline": 2,
        "flare_pain": 5,
        "persistent_pain_sessions": 3,
        "persistent_pain_window": 5,
        "withdrawal_days": 14,
        "gap_dose_days": 7,
        "gap_phase_days": 14,
        "dose_rise_pct": 20,
        "load_step_lb": 2.5,
        "first_load_lb": 10,
    }
    assert shipped.training_days == TrainingDays(weekdays=frozenset({0, 2, 4}))
    assert shipped.daily_routine == (
        RoutineExercise("diaphragmatic-breathing", Dose(2, 10, None, 30)),
        RoutineExercise("cat-cow", Dose(2, 8, None, 30)),
        RoutineExercise("childs-pose", Dose(3, None, 45, 15)),
    )
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


# Pain: 30% or 2 points less is on track, 20% to under 30% suggests an assessment, less
# refers. On the 0-10 scale 2 points less is always at least 20%, so with the shipped
# thresholds the percentages decide only a change of 1 point; the exact 30% and 20% are
# also checked with the points out of play.


def test_exactly_30_percent_less_pain_is_on_track_judged_by_pain() -> None:
    decision = _review(7, baseline=10)
    assert decision.rule == "outcomes.on_track"
    assert decision.facts == _judged("pain", baseline=10, latest=7, pct=30.0, psfs=None)
    assert _review(7, baseline=10, thresholds=POINTS_OUT_OF_PLAY).rule == "outcomes.on_track"
    # One point from 3 is 33%: on track by the percentage alone.
    assert _review(2, baseline=3).rule == "outcomes.on_track"


def test_just_under_30_percent_less_pain_only_suggests_an_assessment() -> None:
    decision = _review(3, baseline=4, psfs=1.0)  # 25%, 1 point
    assert decision.rule == "outcomes.suggest_assessment"
    assert decision.facts == _judged("pain", baseline=4, latest=3, pct=25.0, psfs=1.0)
    under = _review(5, baseline=7, psfs=1.0, thresholds=POINTS_OUT_OF_PLAY)  # 28.6%
    assert under.rule == "outcomes.suggest_assessment"
    assert under.facts["pain_change_pct"] == 28.6
    # With the shipped thresholds the same 2 points less is on track.
    assert _review(5, baseline=7, psfs=1.0).rule == "outcomes.on_track"


def test_exactly_20_percent_less_pain_suggests_an_assessment() -> None:
    assert _review(4, baseline=5).rule == "outcomes.suggest_assessment"
    assert _review(4, baseline=5, psfs=1.5).rule == "outcomes.suggest_assessment"
    at_20 = _review(8, baseline=10, thresholds=POINTS_OUT_OF_PLAY)
    assert at_20.rule == "outcomes.suggest_assessment"
    assert _review(8, baseline=10).rule == "outcomes.on_track"  # 2 points


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
    stricter = replace(
        SHIPPED, on_track_pain_pct=40.0, min_adherence_pct=80.0, better_pain_points=4
    )

    def judged(latest: int, completed: int) -> str:
        return _review(latest, baseline=10, completed=completed, thresholds=stricter).rule

    assert judged(7, 12) == "outcomes.suggest_assessment"
    assert judged(6, 12) == "outcomes.on_track"
    assert judged(6, 9) == "outcomes.low_adherence"
    assert _review(7, baseline=10, completed=9).rule == "outcomes.on_track"


# The review in the journey: when it runs.


def _improvement(on: date, h: History, chosen: Program) -> Improvement:
    return program_status(on, h, chosen).improvement


def _cleared_on_day_30_and_checked_on(offset: int) -> tuple[Improvement, set[str]]:
    """Pain unchanged at day 28 (a referral), cleared on day 30, one pain check-in later."""
    chosen = program()
    follower = Follower(chosen, history(), checkins={day(28): (6, None), day(offset): (6, None)})
    follower.extra[day(30)] = [clearance(day(30), "not_improving")]
    h = follower.follow(day(offset))
    status = program_status(day(offset), h, chosen)
    return status.improvement, {a.code for a in status.alerts}


def test_the_review_runs_again_exactly_28_days_after_a_referral_was_cleared() -> None:
    improvement, codes = _cleared_on_day_30_and_checked_on(58)
    assert improvement.review_on == day(58)
    assert improvement.review is not None
    assert improvement.review.rule == "outcomes.not_improving"
    assert "not_improving" in codes


def test_the_referral_waits_27_days_after_a_referral_was_cleared_though_the_review_runs() -> None:
    improvement, codes = _cleared_on_day_30_and_checked_on(57)
    assert improvement.review_on == day(57)
    assert improvement.review is not None
    assert improvement.review.rule == "outcomes.not_improving"
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
