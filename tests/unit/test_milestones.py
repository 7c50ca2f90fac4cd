"""Milestones, the week's goal and maintenance (domain/milestones.py, docs/rules.md
"schedule.weekly_goal", "schedule.week_short", "schedule.maintenance"): read from the same
replay as the plan, never a streak."""

from __future__ import annotations

from datetime import date, timedelta

from lumbar.domain.milestones import CARD_DAYS, cards
from lumbar.domain.model import CheckIn, Moment, Pain, Range, SessionLog, TrainingDays
from lumbar.domain.plan import plan_day, program_status
from lumbar.domain.progress import Day, progress_report
from lumbar.domain.schedule import maintenance_days, training_days_from_names
from tests.builders import Follower, day, history, profile, program


def test_a_new_phase_the_review_and_the_end_of_the_program_are_milestones() -> None:
    # Weekly pain 4 from a baseline of 6: phases every week, completed on day 21; the review
    # (day 28) finds the person on track.
    h = Follower(program(), history(), weekly=4).follow(day(30))
    status = program_status(day(30), h, program())
    found = [(m.moment, m.on, m.decision.rule) for m in status.milestones]
    assert found == [
        (Moment.PHASE_UP, day(7), "progression.advance_phase"),
        (Moment.PHASE_UP, day(14), "progression.advance_phase"),
        (Moment.COMPLETE, day(21), "progression.program_complete"),
        (Moment.REVIEW, day(28), "outcomes.on_track"),
    ]
    assert len({m.key for m in status.milestones}) == 4
    # Nothing is a milestone before its day.
    assert [m.moment for m in program_status(day(13), h, program()).milestones] == [Moment.PHASE_UP]


def test_the_review_is_the_first_one_and_a_recovery_is_its_own_milestone() -> None:
    # On track at the review (pain 4), recovered at a later check-in (pain 1, PSFS 9).
    follower = Follower(program(), history(), weekly=4, checkins={day(35): (1, (9, 9, 9))})
    h = follower.follow(day(36))
    status = program_status(day(36), h, program())
    moments = {m.moment: m for m in status.milestones}
    assert moments[Moment.REVIEW].on == day(28)
    assert moments[Moment.REVIEW].decision.rule == "outcomes.on_track"
    assert moments[Moment.RECOVERED].on == day(35)
    assert moments[Moment.RECOVERED].decision.rule == "outcomes.recovered"
    # The latest review moved on, the review's milestone did not.
    assert status.improvement.review_on == day(35)


def test_a_review_that_finds_recovery_is_one_milestone() -> None:
    follower = Follower(program(), history(), weekly=4, checkins={day(28): (1, (9, 9, 9))})
    status = program_status(day(29), follower.follow(day(29)), program())
    reviews = [m for m in status.milestones if m.moment in (Moment.REVIEW, Moment.RECOVERED)]
    assert [(m.moment, m.on) for m in reviews] == [(Moment.RECOVERED, day(28))]


def test_a_step_back_a_phase_is_a_milestone() -> None:
    # Sharp pain in phase 2 twice: back to phase 1 (regression.revert_phase).
    def pain(on: date, exercise: str) -> Pain:
        return Pain.SHARP if on in (day(9), day(11)) and exercise == "bird-dog" else Pain.NONE

    h = Follower(program(), history(), pain=pain, weekly=4).follow(day(12))
    status = program_status(day(12), h, program())
    backs = [m for m in status.milestones if m.moment is Moment.PHASE_BACK]
    assert backs and backs[0].decision.rule == "regression.revert_phase"


def test_cards_show_two_weeks_newest_first_until_put_away() -> None:
    h = Follower(program(), history(), weekly=4).follow(day(30))
    found = program_status(day(30), h, program()).milestones
    shown = cards(day(20), found, frozenset())
    assert [m.on for m in shown] == [day(14), day(7)]
    # Two weeks from its day, a card is gone; today's is there.
    assert [m.on for m in cards(day(7) + timedelta(days=CARD_DAYS), found, frozenset())] == [
        day(21),
        day(14),
    ]
    assert [m.on for m in cards(day(20), found, frozenset({shown[0].key}))] == [day(7)]
    assert cards(day(6), found, frozenset()) == []


def test_the_weekly_goal_counts_this_weeks_sessions_against_its_days() -> None:
    follower = Follower(program(), history())
    h = follower.follow(day(3))  # Mon and Wed done, Fri to come
    week = program_status(day(3), h, program()).week
    assert week is not None
    assert (week.done, week.goal) == (2, 3)
    assert [d.rule for d in week.decisions] == ["schedule.weekly_goal"]
    assert week.decisions[0].facts == {"done": 2, "goal": 3}


def test_a_short_week_gets_a_kind_word_and_a_fresh_start() -> None:
    follower = Follower(program(), history(), skip={day(2), day(3), day(4), day(5), day(6)})
    h = follower.follow(day(6))
    week = program_status(day(7), h, program()).week
    assert week is not None
    assert (week.done, week.goal) == (0, 3)
    assert week.decisions[1].rule == "schedule.week_short"
    assert week.decisions[1].facts == {"done": 1, "goal": 3}
    # A full week says nothing of the week before.
    full = Follower(program(), history()).follow(day(6))
    full_week = program_status(day(7), full, program()).week
    assert full_week is not None and len(full_week.decisions) == 1


def test_the_first_days_session_counts_in_the_first_weeks_goal() -> None:
    # Started on a Saturday (Mon, Wed, Fri): no training day left that week, yet the first
    # day's session was done.
    start = day(5)
    h = Follower(program(), history(who=profile(start=start))).follow(start)
    week = program_status(start + timedelta(days=1), h, program()).week
    assert week is not None
    assert (week.done, week.goal) == (1, 1)


def test_no_weekly_goal_while_the_program_is_paused() -> None:
    h = history(CheckIn(day(1), 5, symptoms=("fever",)))
    assert program_status(day(1), h, program()).week is None


# schedule.maintenance: once complete, two of the chosen days a week, every rule still on.


def test_maintenance_keeps_two_of_the_chosen_days_spread_over_the_week() -> None:
    def names(days: TrainingDays) -> list[int]:
        return sorted(days.weekdays)

    mwf = training_days_from_names(["mon", "wed", "fri"])
    assert names(maintenance_days(mwf, 2)) == [0, 4]
    assert names(maintenance_days(training_days_from_names(["tue", "thu", "sat"]), 2)) == [1, 5]
    assert names(maintenance_days(TrainingDays(every_other_day=True), 2)) == [0, 4]
    assert names(maintenance_days(mwf, 3)) == [0, 2, 4]
    assert names(maintenance_days(mwf, 1)) == [0]


def test_after_the_program_is_complete_sessions_go_on_twice_a_week() -> None:
    follower = Follower(program(), history(), weekly=4)
    h = follower.follow(day(41))
    status = program_status(day(41), h, program())
    assert status.completed_on == day(21)
    after = [e.on for e in h.events if isinstance(e, SessionLog) and e.on > day(21)]
    assert after == [day(25), day(28), day(32), day(35), day(39)]  # Fridays and Mondays
    maintenance = [p for p in follower.plans if p.on in after]
    assert {p.decisions[0].rule for p in maintenance} == {"schedule.maintenance"}
    assert maintenance[0].decisions[0].facts == {"days": "mon,fri", "per_week": 2}
    assert {p.phase for p in maintenance} == {3}
    assert status.improvement.adherence_pct == 100.0
    week = status.week
    assert week is not None and week.goal == 2
    # Wednesdays are rest days now, not missed ones.
    calendar = {d.on: d.day for d in progress_report(day(41), h, program()).calendar}
    assert calendar[day(30)] is Day.REST and calendar[day(37)] is Day.REST


def test_the_safety_rules_run_in_maintenance() -> None:
    def pain(on: date, exercise: str) -> Pain:
        return Pain.SHARP if on == day(25) and exercise == "squat" else Pain.NONE

    follower = Follower(program(), history(), pain=pain, weekly=4)
    h = follower.follow(day(27))
    plan = plan_day(day(28), h, program())
    squat = next(e for e in plan.exercises if e.exercise_id == "squat")
    assert squat.range is Range.REDUCED
    assert plan.decisions[0].rule == "schedule.maintenance"


def test_a_gap_ends_maintenance_and_the_weeks_of_it_stay_counted_as_they_were() -> None:
    # Complete on day 21, maintenance (Mon, Fri) on days 25 and 28, then three weeks off:
    # back on day 49 (Monday), a phase back (regression.after_gap), the days chosen again.
    follower = Follower(program(), history(), weekly=4, skip={day(d) for d in range(29, 49)})
    h = follower.follow(day(49))
    status = program_status(day(49), h, program())
    assert status.completed_on is None and status.phase == 2
    moments = [(m.moment, m.on) for m in status.milestones]
    assert (Moment.COMPLETE, day(21)) in moments, "a completion stays a milestone"
    assert (Moment.PHASE_BACK, day(49)) in moments
    # Planned: 10 before completion and on its day (days 0-21 of Mon, Wed, Fri), the
    # maintenance days 25, 28, 32, 35, 39, 42, 46: 17 in all, the days after the gap's
    # session none yet.
    assert status.improvement.planned_sessions == 10 + 7
    assert plan_day(day(51), h, program()).decisions[0].rule == "schedule.training_day"
