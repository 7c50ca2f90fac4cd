"""The schedule: chosen days, rest between sessions, missed sessions (rules schedule.*)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from lumbar.domain.model import History, Kind, SessionLog, TrainingDays
from lumbar.domain.plan import plan_day, program_status
from lumbar.domain.schedule import (
    DEFAULT_DAYS,
    FIRST_DAY,
    LAST_DAY,
    coming_sessions,
    count_days_in_force,
    count_training_days,
    next_session_after,
    refuse_training_days,
    session_due,
    training_days_from_choice,
    training_days_from_names,
)
from tests.builders import START, Follower, day, history, intake, profile, program

EVERY_OTHER_DAY = TrainingDays(every_other_day=True)


def test_the_default_days_are_monday_wednesday_friday() -> None:
    assert DEFAULT_DAYS == training_days_from_names(["mon", "wed", "fri"])
    assert DEFAULT_DAYS.label == "mon,wed,fri"


@pytest.mark.parametrize(
    ("names", "pair"),
    [(["mon", "tue", "fri"], ("mon", "tue")), (["sun", "wed", "mon"], ("sun", "mon"))],
)
def test_schedule_no_consecutive_days_refuses_adjacent_days(
    names: list[str], pair: tuple[str, str]
) -> None:
    refusal = refuse_training_days(training_days_from_names(names))
    assert refusal is not None and refusal.rule == "schedule.no_consecutive_days"
    assert refusal.facts == {"pair": pair}


def test_sunday_and_monday_are_consecutive() -> None:
    refusal = refuse_training_days(training_days_from_names(["tue", "thu", "sun", "mon"]))
    assert refusal is not None
    assert refusal.facts == {"pair": ("mon", "tue")}
    refusal = refuse_training_days(training_days_from_names(["wed", "fri", "sun", "mon"]))
    assert refusal is not None and refusal.facts == {"pair": ("sun", "mon")}


def test_schedule_sessions_per_week_asks_for_three_days() -> None:
    refusal = refuse_training_days(training_days_from_names(["mon", "thu"]))
    assert refusal is not None and refusal.rule == "schedule.sessions_per_week"
    assert refusal.facts == {"count": 2, "min": 3, "max": 3}
    assert refuse_training_days(training_days_from_names(["tue", "thu", "sat"])) is None
    assert refuse_training_days(EVERY_OTHER_DAY) is None


def test_unknown_day_names_are_refused_with_the_accepted_names() -> None:
    with pytest.raises(ValueError, match="unknown day 'mun'"):
        training_days_from_names(["mun"])


def test_schedule_training_day_on_the_chosen_days_only() -> None:
    follower = Follower(program(), history())
    h = follower.follow(day(13))
    sessions = [e.on for e in h.events if isinstance(e, SessionLog)]
    assert [d.strftime("%a") for d in sessions] == ["Mon", "Wed", "Fri"] * 2
    first = follower.plans[0]
    assert first.decisions[0].rule == "schedule.training_day"
    assert first.decisions[0].facts == {"days": "mon,wed,fri"}


def test_every_other_day_gives_three_or_four_sessions_a_week() -> None:
    who = profile(days=EVERY_OTHER_DAY)
    h = Follower(program(EVERY_OTHER_DAY), history(who=who)).follow(day(27))
    sessions = [e.on for e in h.events if isinstance(e, SessionLog)]
    per_week = [sum(1 for d in sessions if day(7 * w) <= d < day(7 * w + 7)) for w in range(4)]
    assert per_week == [4, 3, 4, 3]


def test_schedule_moved_session_a_missed_session_moves_to_the_next_allowed_day() -> None:
    follower = Follower(program(), history(), skip={day(2)})  # miss Wednesday
    h = follower.follow(day(6))
    sessions = [e.on for e in h.events if isinstance(e, SessionLog)]
    assert sessions == [day(0), day(3), day(5)]  # Mon, then Thu, then Sat (not Fri)
    moved = follower.plans[3]
    assert moved.kind is Kind.SESSION
    assert moved.decisions[0].rule == "schedule.moved_session"
    assert moved.decisions[0].facts == {"due": day(2)}


def test_a_missed_session_stays_within_its_week() -> None:
    sunday_days = training_days_from_names(["tue", "thu", "sun"])
    follower = Follower(
        program(sunday_days), history(who=profile(days=sunday_days)), skip={day(0), day(6)}
    )  # not the first day's session (schedule.first_day), and miss Sunday 8 November
    h = follower.follow(day(20))
    sessions = [e.on for e in h.events if isinstance(e, SessionLog)]
    assert [d.strftime("%a %d") for d in sessions] == [
        "Tue 03", "Thu 05", "Tue 10", "Thu 12", "Sun 15", "Tue 17", "Thu 19", "Sun 22",
    ]  # fmt: skip
    monday = follower.plans[7]
    assert monday.kind is Kind.REST  # Sunday's session is not carried into the next week


def test_schedule_rest_after_session_never_the_day_after_a_session() -> None:
    last = date(2026, 11, 3)
    sessions = [last]
    after = session_due(
        last + timedelta(days=1), sessions=sessions, days=DEFAULT_DAYS, anchor=START
    )
    assert after is None
    following = next_session_after(last, sessions=sessions, days=DEFAULT_DAYS, anchor=START)
    assert following == date(2026, 11, 5)
    plan = plan_day(day(1), Follower(program(), history()).follow(day(0)), program())
    assert plan.kind is Kind.REST
    assert plan.decisions[0].rule == "schedule.rest_after_session"


def test_schedule_rest_day_offers_the_daily_routine_with_no_strengthening() -> None:
    h = Follower(program(), history()).follow(day(2))
    plan = plan_day(day(3), h, program())
    assert plan.kind is Kind.REST
    assert plan.daily == ("diaphragmatic-breathing", "cat-cow", "childs-pose")
    categories = {program().exercises[e].category for e in plan.daily}
    assert categories <= {"breathing", "mobility"}
    assert plan.next_session == day(4)


def test_a_session_day_offers_no_daily_routine() -> None:
    assert plan_day(START, history(), program()).daily == ()


def test_schedule_session_done_shows_the_recorded_prescription() -> None:
    follower = Follower(program(), history())
    h = follower.follow(day(0))
    plan = plan_day(day(0), h, program())
    assert plan.kind is Kind.SESSION and plan.completed
    assert plan.exercises == follower.plans[0].exercises
    assert plan.decisions[-1].rule == "schedule.session_done"
    assert plan.next_session == day(2)


def test_count_training_days_counts_each_chosen_day_in_the_range() -> None:
    assert count_training_days(START, START + timedelta(days=28), DEFAULT_DAYS, START) == 12
    assert count_training_days(START, START + timedelta(days=28), EVERY_OTHER_DAY, START) == 14
    assert count_training_days(day(1), day(2), EVERY_OTHER_DAY, START) == 0
    assert count_training_days(day(1), day(3), EVERY_OTHER_DAY, START) == 1
    assert count_training_days(day(5), day(5), DEFAULT_DAYS, START) == 0


def test_schedule_first_day_offers_a_session_on_a_day_that_is_not_a_training_day() -> None:
    tuesday = profile(start=day(1))
    h = history(who=tuesday)
    first = plan_day(day(1), h, program())
    assert first.kind is Kind.SESSION and not first.completed
    assert first.decisions[0].rule == "schedule.first_day"
    assert first.exercises, "phase 1's exercises, to do today"


def test_the_first_day_left_undone_costs_nothing() -> None:
    # Started on a Tuesday (Mon, Wed, Fri): the first day's session not done, Wednesday is
    # the first training day and nothing counts as missed.
    follower = Follower(program(), history(who=profile(start=day(1))), skip={day(1)})
    h = follower.follow(day(6))
    sessions = [e.on for e in h.events if isinstance(e, SessionLog)]
    assert sessions == [day(2), day(4)]
    wednesday = next(plan for plan in follower.plans if plan.on == day(2))
    assert wednesday.decisions[0].rule == "schedule.training_day"
    status = program_status(day(7), h, program())
    assert status.improvement.planned_sessions == 2
    assert status.improvement.adherence_pct == 100.0


def test_the_first_days_session_takes_the_weeks_next_training_day() -> None:
    # Started on a Thursday (Mon, Wed, Fri) and done that day: Friday is the rest day after
    # it, and the week holds no second session; Monday starts the next week as chosen.
    follower = Follower(program(), history(who=profile(start=day(3))))
    h = follower.follow(day(9))
    sessions = [e.on for e in h.events if isinstance(e, SessionLog)]
    assert sessions == [day(3), day(7), day(9)]
    assert plan_day(day(4), h, program()).decisions[0].rule == "schedule.rest_after_session"
    assert plan_day(day(5), h, program()).kind is Kind.REST


def test_the_first_day_is_a_training_day_when_it_is_one() -> None:
    plan = plan_day(START, history(), program())
    assert plan.decisions[0].rule == "schedule.training_day"


def test_every_other_day_carries_on_from_a_moved_session() -> None:
    follower = Follower(program(EVERY_OTHER_DAY), history(who=profile(days=EVERY_OTHER_DAY)),
                        skip={day(2)})  # fmt: skip
    h = follower.follow(day(9))
    sessions = [e.on for e in h.events if isinstance(e, SessionLog)]
    assert sessions == [day(0), day(3), day(5), day(7), day(9)]
    rules = [p.decisions[0].rule for p in follower.plans if p.on in sessions]
    assert (
        rules == ["schedule.training_day", "schedule.moved_session"] + ["schedule.training_day"] * 3
    )


def test_the_daily_routine_leaves_out_an_exercise_at_reduced_range() -> None:
    from lumbar.domain.model import Pain
    from tests.builders import session

    h = history(session(day(0), ("cat-cow", Pain.SHARP)))
    plan = plan_day(day(1), h, program())
    assert plan.kind is Kind.REST
    assert plan.daily == ("diaphragmatic-breathing", "childs-pose")


@pytest.mark.parametrize("names", [["every-other-day"], [" Every-Other-Day ", ""]])
def test_every_other_day_is_a_choice_of_its_own(names: list[str]) -> None:
    chosen = training_days_from_names(names)

    assert chosen == EVERY_OTHER_DAY
    assert chosen.label == "every-other-day"


@pytest.mark.parametrize(
    ("choice", "days"),
    [
        ("tue,thu,sat", training_days_from_names(["tue", "thu", "sat"])),
        (["tue", "thu", "sat"], training_days_from_names(["tue", "thu", "sat"])),
        ("every-other-day", EVERY_OTHER_DAY),
        ("", DEFAULT_DAYS),
        (" , ", DEFAULT_DAYS),
        ([], DEFAULT_DAYS),
    ],
)
def test_a_choice_of_days_is_read_as_given_and_nothing_chosen_keeps_the_default_days(
    choice: str | list[str], days: TrainingDays
) -> None:
    assert training_days_from_choice(choice) == days


def test_the_engine_plans_every_day_from_1900_to_2999() -> None:
    """The range docs/cli.md gives for `--date`, and that the web and the import accept: the
    plan of its first and last days looks ahead without running off the calendar."""
    assert (FIRST_DAY, LAST_DAY) == (date(1900, 1, 1), date(2999, 12, 31))
    for start, last in (
        (FIRST_DAY, FIRST_DAY + timedelta(days=6)),
        (LAST_DAY - timedelta(6), LAST_DAY),
    ):
        h = history(who=profile(start=start), first=intake(on=start))
        for k in range((last - start).days + 1):
            on = start + timedelta(days=k)
            following = plan_day(on, h, program()).next_session
            assert following is not None and on <= following <= on + timedelta(days=7), on


@pytest.mark.parametrize("days", [DEFAULT_DAYS, training_days_from_names(["tue", "thu", "sun"])])
def test_count_training_days_counts_the_chosen_weekdays_of_any_range(days: TrainingDays) -> None:
    """Part weeks too, and ranges across a weekend: the same count as day by day."""
    for offset in range(-3, 11):
        start = day(offset)
        for length in range(-1, 23):
            end = start + timedelta(days=length)
            each = [start + timedelta(days=k) for k in range(max(length, 0))]
            expected = sum(1 for d in each if d.weekday() in days.weekdays)
            assert count_training_days(start, end, days, START) == expected, (start, end)


def test_count_training_days_with_every_other_day_counts_every_second_day_from_the_start() -> None:
    for offset in range(-3, 11):
        start = day(offset)
        for length in range(-1, 12):
            end = start + timedelta(days=length)
            each = [start + timedelta(days=k) for k in range(max(length, 0))]
            expected = sum(1 for d in each if (d - START).days % 2 == 0)
            assert count_training_days(start, end, EVERY_OTHER_DAY, START) == expected, (
                start,
                end,
            )


def test_the_coming_sessions_run_from_the_first_day_to_the_last_both_included() -> None:
    """Monday, Wednesday and Friday of the second week, asked from Monday to Friday."""
    done = [day(0), day(2), day(4)]
    assert coming_sessions(day(7), day(11), sessions=done, days=DEFAULT_DAYS, anchor=START) == [
        day(7),
        day(9),
        day(11),
    ]
    assert coming_sessions(day(7), day(10), sessions=done, days=DEFAULT_DAYS, anchor=START) == [
        day(7),
        day(9),
    ]


def test_the_coming_sessions_shift_the_week_after_a_moved_session() -> None:
    """Monday's session done on Tuesday: Wednesday's moves to Thursday and Friday's to
    Saturday (schedule.moved_session), then the next week is as chosen."""
    coming = coming_sessions(day(2), day(13), sessions=[day(1)], days=DEFAULT_DAYS, anchor=START)
    assert coming == [day(3), day(5), day(7), day(9), day(11)]


# Adherence and changed training days: each past day counts against the days in force on it.

TUE_THU_SAT = TrainingDays(weekdays=frozenset({1, 3, 5}))


def test_days_on_gives_the_days_in_force_on_a_day() -> None:
    changed = replace(profile(days=TUE_THU_SAT), earlier_days=((day(14), DEFAULT_DAYS),))
    assert changed.days_on(day(13), TUE_THU_SAT) == DEFAULT_DAYS
    assert changed.days_on(day(14), TUE_THU_SAT) == TUE_THU_SAT
    assert profile().days_on(day(13), TUE_THU_SAT) == TUE_THU_SAT


def test_count_days_in_force_counts_each_day_by_the_days_chosen_then() -> None:
    """Monday, Wednesday, Friday until Monday day 14; Tuesday, Thursday, Saturday from it."""
    earlier = ((day(14), DEFAULT_DAYS),)
    assert count_days_in_force(START, day(14), earlier, TUE_THU_SAT, START) == 6
    assert count_days_in_force(START, day(10), earlier, TUE_THU_SAT, START) == 5
    assert count_days_in_force(START, day(21), earlier, TUE_THU_SAT, START) == 6 + 3
    assert count_days_in_force(day(15), day(21), earlier, TUE_THU_SAT, START) == 3
    assert count_days_in_force(START, day(10), (), TUE_THU_SAT, START) == 4  # 1, 3, 5, 8
    # Two changes: every other day (from the start: days 8, 10, 12) in the second week.
    two = ((day(7), DEFAULT_DAYS), (day(14), EVERY_OTHER_DAY))
    assert count_days_in_force(START, day(21), two, TUE_THU_SAT, START) == 3 + 3 + 3
    assert count_days_in_force(START, day(14), two, TUE_THU_SAT, START) == 3 + 3


def _planned(on: date, *, earlier: tuple[tuple[date, TrainingDays], ...], now: TrainingDays) -> int:
    """Planned sessions up to `on` for a person who trained Monday, Wednesday, Friday for
    two weeks, their days chosen as `earlier` and `now` say."""
    lived = Follower(program(), history()).follow(day(13))
    who = replace(profile(days=now), earlier_days=earlier)
    changed = History(who, lived.events)
    return program_status(on, changed, program(now)).improvement.planned_sessions


def test_a_change_of_training_days_leaves_the_planned_sessions_before_it() -> None:
    """Changed on Monday day 14 from Monday, Wednesday, Friday to Tuesday, Thursday,
    Saturday: on Thursday day 10, 5 sessions were planned (0, 2, 4, 7, 9), as with no
    change at all; the new days from the start would have planned 4."""
    changed = _planned(day(10), earlier=((day(14), DEFAULT_DAYS),), now=TUE_THU_SAT)
    unchanged = _planned(day(10), earlier=(), now=DEFAULT_DAYS)
    recounted = _planned(day(10), earlier=(), now=TUE_THU_SAT)
    assert changed == unchanged == 5
    assert recounted == 4
    # On the day of the change and after, the new days count from it.
    assert _planned(day(14), earlier=((day(14), DEFAULT_DAYS),), now=TUE_THU_SAT) == 6
    assert _planned(day(17), earlier=((day(14), DEFAULT_DAYS),), now=TUE_THU_SAT) == 6 + 1


@pytest.mark.parametrize(
    ("said", "label"),
    [
        ("Monday, Wednesday, Friday", "mon,wed,fri"),
        ("mon,WED, friday", "mon,wed,fri"),
        ("every other day", "every-other-day"),
        ("Every-Other-Day", "every-other-day"),
    ],
)
def test_days_are_taken_as_people_write_them(said: str, label: str) -> None:
    """Issue #18: `lumbar days monday,wednesday,friday` was refused as unknown days."""
    assert training_days_from_choice(said).label == label


def test_a_day_that_is_not_one_is_still_refused() -> None:
    with pytest.raises(ValueError, match="unknown day 'mondy'"):
        training_days_from_choice("mondy,wed,fri")
