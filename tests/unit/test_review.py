"""The review's rules and the weekly check-in's (docs/rules.md, "Outcomes"): worse, recovered,
near the limits of the scales, better, missed sessions, flare-ups, and the review's prompt.

Judged with the thresholds lumbar ships (content/program.toml): 2 points or 30% worse, pain
1 or less with PSFS 9 or more recovered, PSFS ceiling 8, low baseline pain 2, 75% of
sessions, a flare above baseline + 2 or above 5 and higher than last week, the review due
on day 28 and missed from day 35.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from lumbar.content.load import default_content
from lumbar.domain.decisions import Decision
from lumbar.domain.model import History, Level
from lumbar.domain.outcomes import (
    flare,
    missed_sessions,
    pain_worse,
    psfs_score,
    review,
    review_prompt,
    worse,
)
from lumbar.domain.plan import plan_day, program_status
from lumbar.domain.program import Thresholds
from lumbar.domain.rules import RULES, RuleId
from tests.builders import (
    START,
    Checkins,
    Extras,
    Follower,
    clearance,
    day,
    history,
    intake,
    program,
)

SHIPPED = default_content().program.thresholds


def _review(
    latest_pain: int,
    *,
    baseline_pain: int = 6,
    baseline_psfs: float = 4.0,
    latest_psfs: float | None = None,
    completed: int = 12,
    planned: int = 12,
    thresholds: Thresholds = SHIPPED,
) -> Decision:
    return review(
        baseline_pain=baseline_pain,
        latest_pain=latest_pain,
        baseline_psfs=baseline_psfs,
        latest_psfs=latest_psfs,
        completed=completed,
        planned=planned,
        thresholds=thresholds,
    )


def _codes(on: date, h: History) -> dict[str, Level]:
    return {alert.code: alert.level for alert in plan_day(on, h, program()).alerts}


# outcomes.worse: 2 points, or 30% above a baseline over 2, whatever else is true.


def test_outcomes_worse_at_2_points_above_the_baseline_not_at_1() -> None:
    assert not pain_worse(6, 7, SHIPPED)  # 16.7%
    assert pain_worse(6, 8, SHIPPED)
    assert not pain_worse(0, 1, SHIPPED)
    assert pain_worse(0, 2, SHIPPED)
    assert _review(7).rule == "outcomes.not_improving"
    decision = _review(8, latest_psfs=5.0)
    assert decision.rule == "outcomes.worse"
    assert decision.facts == {
        "baseline_pain": 6,
        "latest_pain": 8,
        "pain_change_pct": -33.3,
        "baseline_psfs": 4.0,
        "latest_psfs": 5.0,
        "psfs_change": 1.0,
        "judged_by": "pain",
    }


def test_outcomes_worse_at_30_percent_above_the_baseline_not_at_28_6_percent() -> None:
    by_percent = replace(SHIPPED, worse_pain_points=4)
    assert pain_worse(10, 13, by_percent)  # 3 points: exactly 30%
    assert not pain_worse(7, 9, by_percent)  # 2 points: 28.6%
    # With the shipped 2 points, both are worse anyway.
    assert pain_worse(10, 13, SHIPPED) and pain_worse(7, 9, SHIPPED)
    # A single point is worse by the percentage alone from 3 (33%), not from 4 (25%).
    assert pain_worse(3, 4, SHIPPED)
    assert _review(4, baseline_pain=3, latest_psfs=4.0).rule == "outcomes.worse"
    assert not pain_worse(4, 5, SHIPPED)
    assert _review(5, baseline_pain=4, latest_psfs=4.0).rule == "outcomes.not_improving"


def test_outcomes_worse_does_not_use_the_percentage_at_a_baseline_of_2_or_less() -> None:
    assert not pain_worse(1, 2, SHIPPED)  # 100%, within the scale's noise
    assert pain_worse(1, 3, SHIPPED)  # 2 points
    assert not pain_worse(2, 3, SHIPPED)  # 50%
    assert pain_worse(2, 4, SHIPPED)
    assert _review(2, baseline_pain=1, latest_psfs=4.0).rule == "outcomes.not_improving"
    assert _review(3, baseline_pain=1, latest_psfs=4.0).rule == "outcomes.worse"


def test_outcomes_worse_wins_over_a_psfs_gain_of_2() -> None:
    decision = _review(8, latest_psfs=7.0)  # PSFS +3
    assert decision.rule == "outcomes.worse"
    assert decision.facts["psfs_change"] == 3.0

    def found(latest_pain: int) -> Decision | None:
        return worse(
            baseline_pain=6,
            latest_pain=latest_pain,
            baseline_psfs=4.0,
            latest_psfs=10.0,
            thresholds=SHIPPED,
        )

    at_8 = found(8)
    assert at_8 is not None and at_8.rule == "outcomes.worse"
    assert found(7) is None


def test_outcomes_worse_wins_over_low_adherence() -> None:
    assert _review(9, completed=4, planned=12).rule == "outcomes.worse"
    assert _review(6, completed=4, planned=12).rule == "outcomes.low_adherence"


def test_outcomes_worse_only_where_pain_is_worse_before_recovery() -> None:
    """Recovery is judged only when pain is not worse: with a clinician's 1 point for
    worse, 0 to 1 with PSFS 9 is worse, not recovered."""
    strict = replace(SHIPPED, worse_pain_points=1)
    assert _review(1, baseline_pain=0, latest_psfs=9.0).rule == "outcomes.recovered"
    assert _review(1, baseline_pain=0, latest_psfs=9.0, thresholds=strict).rule == "outcomes.worse"


# outcomes.recovered: pain 1 or less with PSFS 9 or more.


def test_outcomes_recovered_at_pain_1_or_less_with_psfs_9_or_more() -> None:
    decision = _review(1, latest_psfs=9.0)
    assert decision.rule == "outcomes.recovered"
    assert decision.facts["judged_by"] == "pain and psfs"
    assert _review(0, latest_psfs=10.0).rule == "outcomes.recovered"
    # Pain 2, or PSFS under 9: much better, not recovered.
    assert _review(2, latest_psfs=9.0).rule == "outcomes.on_track"
    assert _review(1, latest_psfs=8.9).rule == "outcomes.on_track"
    # A PSFS not rated again is the baseline's.
    assert _review(1, baseline_psfs=9.0).rule == "outcomes.recovered"
    assert _review(1, baseline_psfs=8.0).rule == "outcomes.on_track"


def test_outcomes_recovered_from_pain_2_and_one_psfs_activity_at_9_to_pain_0_and_10() -> None:
    """Issue #13: this person was referred as "not improving"."""
    recovered = review(
        baseline_pain=2,
        latest_pain=0,
        baseline_psfs=psfs_score((9,)),
        latest_psfs=psfs_score((10,)),
        completed=12,
        planned=12,
        thresholds=SHIPPED,
    )
    assert recovered.rule == "outcomes.recovered"
    assert recovered.facts == {
        "baseline_pain": 2,
        "latest_pain": 0,
        "pain_change_pct": 100.0,
        "baseline_psfs": 9.0,
        "latest_psfs": 10.0,
        "psfs_change": 1.0,
        "judged_by": "pain and psfs",
    }
    for completed in (0, 3, 9, 12):
        decision = _review(
            0, baseline_pain=2, baseline_psfs=9.0, latest_psfs=10.0, completed=completed
        )
        assert decision.rule == "outcomes.recovered", completed


def test_outcomes_recovered_in_the_journey_is_a_note_never_a_referral() -> None:
    who = history(first=intake(pain=2, psfs=(9,)))
    h = Follower(program(), who, checkins={day(28): (0, (10,))}).follow(day(28))
    improvement = program_status(day(28), h, program()).improvement
    assert improvement.review is not None
    assert improvement.review.rule == "outcomes.recovered"
    assert _codes(day(28), h) == {"recovered": Level.INFO}


# Near the limits of the scales.


def test_outcomes_on_track_near_the_psfs_ceiling_is_decided_by_pain() -> None:
    """A baseline PSFS over 8 cannot gain 2."""
    by_pain = _review(4, baseline_psfs=9.0, latest_psfs=9.0)
    assert (by_pain.rule, by_pain.facts["judged_by"]) == ("outcomes.on_track", "pain")
    stuck = _review(6, baseline_psfs=9.0, latest_psfs=10.0)
    assert (stuck.rule, stuck.facts["judged_by"]) == ("outcomes.not_improving", "pain")
    # A baseline PSFS of 8 is not near the ceiling: it can gain 2, and both measures count.
    gained = _review(6, baseline_psfs=8.0, latest_psfs=10.0)
    assert (gained.rule, gained.facts["judged_by"]) == ("outcomes.on_track", "psfs")
    short = _review(6, baseline_psfs=8.0, latest_psfs=9.0)
    assert (short.rule, short.facts["judged_by"]) == ("outcomes.not_improving", "pain and psfs")


def test_outcomes_near_the_pain_floor_psfs_decides() -> None:
    """A baseline pain of 2 or less cannot fall by 30% by more than a point."""
    by_psfs = _review(2, baseline_pain=2, latest_psfs=6.0)
    assert (by_psfs.rule, by_psfs.facts["judged_by"]) == ("outcomes.on_track", "psfs")
    short = _review(2, baseline_pain=2, latest_psfs=5.9)
    assert (short.rule, short.facts["judged_by"]) == ("outcomes.not_improving", "psfs")
    # 2 to 1 is 50% less pain: not used near the floor.
    halved = _review(1, baseline_pain=2, latest_psfs=4.0)
    assert (halved.rule, halved.facts["judged_by"]) == ("outcomes.not_improving", "psfs")
    needed = _review(2, baseline_pain=2)
    assert needed == Decision(RuleId.OUTCOMES_PSFS_NEEDED, {"baseline_pain": 2})
    # A baseline of 3 is not near the floor: 3 to 2 is 33%, on track by pain.
    assert _review(2, baseline_pain=3, latest_psfs=4.0).facts["judged_by"] == "pain"


def test_outcomes_on_track_near_both_limits_when_neither_is_worse() -> None:
    def near(latest_pain: int, latest_psfs: float | None) -> Decision:
        return _review(latest_pain, baseline_pain=2, baseline_psfs=9.0, latest_psfs=latest_psfs)

    for latest_pain, latest_psfs in ((2, None), (2, 9.0), (1, 8.5), (2, 7.1)):
        decision = near(latest_pain, latest_psfs)
        assert decision.rule == "outcomes.on_track", (latest_pain, latest_psfs)
        assert decision.facts["judged_by"] == "near_limits"
    # A baseline PSFS of 8 is not near the ceiling: near the floor only, the PSFS is needed.
    assert _review(2, baseline_pain=2, baseline_psfs=8.0).rule == "outcomes.psfs_needed"
    # PSFS down by 2, or pain above the start: not on track.
    assert near(2, 7.0).rule == "outcomes.not_improving"
    assert near(3, 9.0).rule == "outcomes.not_improving"
    assert near(3, None).rule == "outcomes.psfs_needed"


# outcomes.on_track: better, with the other measure not worse.


def test_outcomes_on_track_by_2_points_better_under_30_percent() -> None:
    decision = _review(7, baseline_pain=9)
    assert decision.rule == "outcomes.on_track"
    assert decision.facts["pain_change_pct"] == 22.2
    assert decision.facts["judged_by"] == "pain"
    assert _review(8, baseline_pain=9).rule == "outcomes.not_improving"  # 11%, 1 point


def test_outcomes_on_track_needs_function_not_worse() -> None:
    assert _review(3, latest_psfs=2.1).rule == "outcomes.on_track"  # PSFS -1.9
    assert _review(3, latest_psfs=2.0).rule == "outcomes.not_improving"  # PSFS -2
    assert _review(3, baseline_pain=4, latest_psfs=2.1).rule == "outcomes.suggest_assessment"
    assert _review(3, baseline_pain=4, latest_psfs=2.0).rule == "outcomes.not_improving"


def test_outcomes_on_track_by_psfs_needs_pain_not_above_the_start() -> None:
    assert _review(6, latest_psfs=7.0).rule == "outcomes.on_track"
    above = _review(7, latest_psfs=7.0)  # pain 6 to 7, PSFS +3
    assert above.rule == "outcomes.not_improving"
    assert above.facts["judged_by"] == "pain and psfs"


def test_outcomes_on_track_counts_a_psfs_change_of_exactly_2_in_thirds_as_2() -> None:
    """Means of three ratings are thirds: 13/3 - 7/3 is 2, not 1.9999999999999996."""

    def judged(before: tuple[int, ...], after: tuple[int, ...], latest_pain: int) -> str:
        return _review(
            latest_pain, baseline_psfs=psfs_score(before), latest_psfs=psfs_score(after)
        ).rule

    assert judged((4, 4, 4), (2, 2, 2), 3) == "outcomes.not_improving"  # PSFS -2
    assert judged((4, 4, 5), (2, 2, 3), 3) == "outcomes.not_improving"  # PSFS -2 as well
    assert judged((2, 2, 3), (4, 4, 5), 6) == "outcomes.on_track"  # PSFS +2
    assert judged((1, 1, 1, 1, 0), (3, 3, 3, 3, 2), 6) == "outcomes.on_track"  # 0.8 to 2.8
    # And in the journey, from the ratings themselves.
    who = history(first=intake(pain=6, psfs=(2, 2, 3)))
    h = Follower(program(), who, checkins={day(28): (6, (4, 4, 5))}).follow(day(28))
    review_at_28 = program_status(day(28), h, program()).improvement.review
    assert review_at_28 is not None
    assert (review_at_28.rule, review_at_28.facts["judged_by"]) == ("outcomes.on_track", "psfs")


# outcomes.missed_sessions: with a worse review, when too few sessions were done.


def test_outcomes_missed_sessions_only_under_min_adherence() -> None:
    asked = missed_sessions(8, 12, SHIPPED)
    assert asked == Decision(
        RuleId.OUTCOMES_MISSED_SESSIONS, {"adherence_pct": 66.7, "completed": 8, "planned": 12}
    )
    assert missed_sessions(9, 12, SHIPPED) is None  # 75%
    assert missed_sessions(12, 12, SHIPPED) is None
    assert missed_sessions(0, 0, SHIPPED) is None  # nothing planned yet
    assert missed_sessions(9, 12, replace(SHIPPED, min_adherence_pct=80.0)) is not None


def test_outcomes_missed_sessions_comes_with_a_worse_review_in_the_journey() -> None:
    """Issue #13: pain 6 to 9 with 4 of 12 sessions done was answered only "can't judge"."""
    skipped = {day(k) for k in range(28) if k % 7 != 0}
    follower = Follower(program(), history(), checkins={day(28): (9, None)}, skip=skipped)
    h = follower.follow(day(28))
    status = program_status(day(28), h, program())
    assert status.improvement.review is not None
    assert status.improvement.review.rule == "outcomes.worse"
    alerts = {alert.code: alert for alert in status.alerts}
    assert alerts["worse"].level is Level.SEE_CLINICIAN
    assert alerts["missed_sessions"].level is Level.INFO
    assert alerts["missed_sessions"].decision.facts == {
        "adherence_pct": 33.3,
        "completed": 4,
        "planned": 12,
    }
    assert "low_adherence" not in alerts


# outcomes.worse in the journey: at any weekly check-in.


def test_outcomes_worse_at_a_check_in_before_day_28_refers_and_holds_the_phase() -> None:
    def followed(week_1_pain: int) -> History:
        checkins: Checkins = {day(7): (week_1_pain, None), day(14): (2, None)}
        return Follower(program(), history(first=intake(pain=2)), checkins=checkins).follow(day(20))

    same = followed(2)
    assert program_status(day(20), same, program()).phase > 1
    assert "worse" not in _codes(day(20), same)
    worse_pain = followed(4)
    assert _codes(day(7), worse_pain) == {"worse": Level.SEE_CLINICIAN}
    status = program_status(day(20), worse_pain, program())
    assert status.phase == 1
    assert "worse" in {alert.code for alert in status.alerts}  # until cleared


def test_outcomes_worse_refers_again_28_days_after_a_clearance() -> None:
    pain_4: Checkins = {day(k): (4, None) for k in (7, 14, 35, 36)}
    cleared: Extras = {day(8): [clearance(day(8), "worse")]}
    h = Follower(program(), history(first=intake(pain=2)), checkins=pain_4, extra=cleared).follow(
        day(36)
    )
    assert "worse" in _codes(day(7), h)
    for waiting in (8, 14, 35):
        assert "worse" not in _codes(day(waiting), h), waiting
    # The note of the clearance stays beside the new referral.
    assert _codes(day(36), h) == {"worse": Level.SEE_CLINICIAN, "worse_cleared": Level.INFO}


def test_outcomes_worse_after_a_clearance_refers_when_pain_rises_beyond_what_was_seen() -> None:
    # Not improving at day 28 (6 to 6), cleared at day 30; pain 9 at day 35 is worse than
    # what the clinician saw (6), so the referral comes back within the 28 days.
    ratings: Checkins = {day(k): (6, None) for k in (7, 14, 21, 28)}
    ratings[day(35)] = (9, None)
    cleared: Extras = {day(30): [clearance(day(30), "not_improving")]}
    h = Follower(program(), history(), checkins=ratings, extra=cleared).follow(day(35))
    assert "not_improving" in _codes(day(28), h)
    assert "not_improving" not in _codes(day(30), h)
    assert _codes(day(35), h)["worse"] is Level.SEE_CLINICIAN


def test_outcomes_worse_after_a_clearance_waits_while_pain_stays_as_seen() -> None:
    # Worse at day 7 (6 to 8, a flare-up too), cleared at day 8 with 8 seen; 9 a week later
    # is one point above what was seen: no new referral yet.
    ratings: Checkins = {day(7): (8, None), day(14): (9, None)}
    cleared: Extras = {day(8): [clearance(day(8), "worse", "flare")]}
    h = Follower(program(), history(), checkins=ratings, extra=cleared).follow(day(14))
    assert "worse" in _codes(day(7), h)
    assert "worse" not in _codes(day(14), h)


# outcomes.flare and outcomes.flare_persists.


def test_outcomes_flare_at_more_than_2_points_above_the_baseline() -> None:
    def flared(pain: int) -> Decision | None:
        return flare(weekly_pain=pain, last_week=pain, baseline_pain=4, thresholds=SHIPPED)

    assert flared(6) is None
    assert flared(7) == Decision(
        RuleId.OUTCOMES_FLARE, {"weekly_pain": 7, "last_week": 7, "baseline_pain": 4}
    )


def test_outcomes_flare_above_5_and_higher_than_last_week() -> None:
    def flared(pain: int, last_week: int) -> bool:
        found = flare(weekly_pain=pain, last_week=last_week, baseline_pain=6, thresholds=SHIPPED)
        return found is not None

    assert flared(6, 5)
    assert not flared(6, 6)
    assert not flared(5, 3)
    assert not flared(7, 7)
    assert flared(7, 6)


def test_outcomes_flare_persists_at_the_next_weekly_check_in_and_a_calm_one_settles_it() -> None:
    def followed(week_3_pain: int) -> History:
        checkins: Checkins = {day(7): (5, None), day(14): (6, None), day(21): (week_3_pain, None)}
        return Follower(program(), history(), checkins=checkins).follow(day(21))

    settled = followed(6)  # not higher than the week before
    assert _codes(day(7), settled) == {}
    assert _codes(day(14), settled) == {"flare": Level.SEE_CLINICIAN}
    assert _codes(day(21), settled) == {}
    persists = followed(7)
    alerts = {alert.code: alert for alert in plan_day(day(21), persists, program()).alerts}
    assert set(alerts) == {"flare_persists"}
    assert alerts["flare_persists"].decision.facts == {
        "weekly_pain": 7,
        "last_week": 6,
        "baseline_pain": 6,
        "since": day(14),
    }


# outcomes.review_due and outcomes.review_missed.


def test_outcomes_review_due_from_day_28_and_review_missed_from_day_35() -> None:
    def prompt(offset: int, *, reviewed: bool = False) -> Decision | None:
        return review_prompt(day(offset), start=START, reviewed=reviewed, thresholds=SHIPPED)

    assert prompt(27) is None
    due = Decision(RuleId.OUTCOMES_REVIEW_DUE, {"due": day(28), "by": day(35)})
    assert prompt(28) == due
    assert prompt(34) == due
    assert prompt(35) == Decision(RuleId.OUTCOMES_REVIEW_MISSED, {"due": day(28), "days": 7})
    assert prompt(50) == Decision(RuleId.OUTCOMES_REVIEW_MISSED, {"due": day(28), "days": 22})
    for offset in (28, 34, 35, 50):
        assert prompt(offset, reviewed=True) is None, offset


def test_outcomes_review_missed_refers_someone_who_never_checks_in_until_they_do() -> None:
    h = Follower(program(), history(), checkins={day(36): (3, None)}).follow(day(36))
    assert "checkin_due" in _codes(day(27), h)
    assert _codes(day(28), h) == {"review_due": Level.INFO}  # in place of checkin_due
    assert _codes(day(34), h) == {"review_due": Level.INFO}
    assert _codes(day(35), h) == {"review_missed": Level.SEE_CLINICIAN}
    assert _codes(day(36), h) == {}  # 6 to 3: reviewed, on track
    improvement = program_status(day(36), h, program()).improvement
    assert improvement.review is not None and improvement.review.rule == "outcomes.on_track"


# Every judgement states its rule's facts.


def test_every_outcome_decision_states_exactly_its_rules_facts() -> None:
    decisions = [
        _review(8),  # worse
        _review(1, latest_psfs=9.0),  # recovered
        _review(6, completed=4),  # low_adherence
        _review(2, baseline_pain=2, baseline_psfs=9.0),  # on_track, near_limits
        _review(2, baseline_pain=2),  # psfs_needed
        _review(4),  # on_track by pain
        _review(6, latest_psfs=6.0),  # on_track by psfs
        _review(3, baseline_pain=4),  # suggest_assessment
        _review(6),  # not_improving
        worse(
            baseline_pain=6, latest_pain=9, baseline_psfs=4.0, latest_psfs=None, thresholds=SHIPPED
        ),
        missed_sessions(4, 12, SHIPPED),
        flare(weekly_pain=9, last_week=6, baseline_pain=6, thresholds=SHIPPED),
        review_prompt(day(28), start=START, reviewed=False, thresholds=SHIPPED),
        review_prompt(day(35), start=START, reviewed=False, thresholds=SHIPPED),
    ]
    seen = set()
    for decision in decisions:
        assert decision is not None
        assert set(decision.facts) == set(RULES[decision.rule].facts), decision
        seen.add(decision.rule)
    assert {rule for rule in RuleId if rule.startswith("outcomes.")} - seen == {
        RuleId.OUTCOMES_CHECKIN_DUE,
        RuleId.OUTCOMES_FLARE_PERSISTS,
    }
