"""The day's plan and the person's status (lumbar.domain.plan), and the session as the guide
walks it (lumbar.domain.session).

Sessions are on Monday, Wednesday and Friday from Monday 2 November 2026 (`day(0)`).
"""

from __future__ import annotations

from dataclasses import replace

from lumbar.domain.model import CheckIn, ExerciseResult, Kind, Pain, SessionLog
from lumbar.domain.plan import plan_day, program_status, session_refusal
from lumbar.domain.rules import RuleId
from lumbar.domain.session import SessionInProgress
from tests.builders import Follower, day, history, intake, profile, program, session

PROGRAM = program()
PHASE_1 = tuple(p.exercise_id for p in PROGRAM.phase(1).prescriptions)


def _full(offset: int) -> SessionLog:
    return session(day(offset), *((e, Pain.NONE) for e in PHASE_1))


# Sessions this week.


def test_sessions_this_week_count_from_monday_up_to_today() -> None:
    h = Follower(PROGRAM, history()).follow(day(14))
    assert program_status(day(6), h, PROGRAM).sessions_this_week == 3  # Sunday: 0, 2, 4
    assert program_status(day(7), h, PROGRAM).sessions_this_week == 1  # Monday's, today
    assert program_status(day(8), h, PROGRAM).sessions_this_week == 1
    assert program_status(day(9), h, PROGRAM).sessions_this_week == 2  # Wednesday's, today
    assert program_status(day(10), h, PROGRAM).sessions_this_week == 2  # Thursday


def test_a_new_week_starts_with_no_sessions_until_mondays() -> None:
    """Asked on Monday before its session, last week's three do not count."""
    h = Follower(PROGRAM, history()).follow(day(6))
    assert program_status(day(7), h, PROGRAM).sessions_this_week == 0


# Why no session can be recorded.


def test_no_session_on_a_rest_day_because_it_is_a_rest_day() -> None:
    h = Follower(PROGRAM, history()).follow(day(0))
    rest = plan_day(day(1), h, PROGRAM)
    assert rest.kind is Kind.REST
    refused = session_refusal(rest)
    assert refused is not None
    assert refused.rule == RuleId.SCHEDULE_REST_AFTER_SESSION


def test_no_second_session_on_a_day_because_the_session_is_done() -> None:
    """Even when the session left exercises out (the plan also says so), the refusal is
    that today's session is recorded."""
    h = history(session(day(0), (PHASE_1[0], Pain.NONE)))
    done = plan_day(day(0), h, PROGRAM)
    assert [d.rule for d in done.decisions] == [
        RuleId.PROGRESSION_PARTIAL_SESSION,
        RuleId.SCHEDULE_SESSION_DONE,
    ]
    refused = session_refusal(done)
    assert refused is not None
    assert refused.rule == RuleId.SCHEDULE_SESSION_DONE


def test_a_planned_session_not_yet_done_can_be_recorded() -> None:
    assert session_refusal(plan_day(day(0), history(), PROGRAM)) is None


# The gate as the plan shows it.


def test_the_first_session_says_the_phase_can_open_a_week_after_it_began() -> None:
    plan = plan_day(day(0), history(), PROGRAM)
    [gate] = [d for d in plan.decisions if d.rule == RuleId.PROGRESSION_NOT_YET]
    assert gate.facts["earliest"] == day(7)


def test_a_gate_short_only_of_sessions_says_the_next_day_at_the_earliest() -> None:
    """Sessions on Monday and the next Monday only: on Wednesday (day 9) the week has gone
    by and there was no pain, but two sessions are not three."""
    h = history(_full(0), _full(7))
    plan = plan_day(day(9), h, PROGRAM)
    assert plan.kind is Kind.SESSION
    [gate] = [d for d in plan.decisions if d.rule == RuleId.PROGRESSION_NOT_YET]
    assert (gate.facts["days"], gate.facts["sessions"]) == (9, 2)
    assert gate.facts["earliest"] == day(10)


def test_a_rest_day_in_a_phase_says_when_the_gate_can_open() -> None:
    h = Follower(PROGRAM, history()).follow(day(2))
    rest = plan_day(day(3), h, PROGRAM)
    assert rest.kind is Kind.REST
    assert [d.rule for d in rest.decisions] == [
        RuleId.SCHEDULE_REST_AFTER_SESSION,
        RuleId.PROGRESSION_NOT_YET,
    ]


def test_a_rest_day_before_the_session_that_completes_the_program_says_only_rest() -> None:
    """Phases 1, 2 and 3 each take a week (with a weekly check-in for the gate): Monday
    day 21 completes the program."""
    follower = Follower(PROGRAM, history(), weekly=4)
    h = follower.follow(day(22))
    assert program_status(day(22), h, PROGRAM).completed_on == day(21)
    rest = plan_day(day(20), h, PROGRAM)
    assert (rest.kind, rest.phase) == (Kind.REST, 3)
    assert [d.rule for d in rest.decisions] == [RuleId.SCHEDULE_REST_DAY]


# Improvement as the status reports it.


def test_the_status_reports_psfs_to_two_decimals_and_adherence_to_one() -> None:
    """Baseline PSFS (4, 5, 5) is 4.667, (5, 5, 6) on Saturday is 5.333; two of the three
    sessions of the week done in full (Friday's left out)."""
    h = history(
        _full(0),
        _full(2),
        CheckIn(day(5), pain=5, psfs=(5, 5, 6)),
        first=intake(psfs=(4, 5, 5)),
    )
    improvement = program_status(day(5), h, PROGRAM).improvement
    assert improvement.baseline_psfs == 4.67
    assert improvement.latest_psfs == 5.33
    assert improvement.psfs_change == 0.67
    assert (improvement.completed_sessions, improvement.planned_sessions) == (2, 3)
    assert improvement.adherence_pct == 66.7


# The session in progress.


def test_a_session_starts_at_its_first_exercise() -> None:
    plan = plan_day(day(0), history(), PROGRAM)
    progress = SessionInProgress(plan, ())
    assert progress.next is not None
    assert progress.next.exercise_id == PHASE_1[0]


def test_each_answer_moves_the_session_to_the_next_exercise() -> None:
    plan = plan_day(day(0), history(), PROGRAM)
    answers = (ExerciseResult(PHASE_1[0], Pain.ACHE), ExerciseResult(PHASE_1[1], Pain.SHARP))
    progress = SessionInProgress(plan, answers)
    assert progress.next is not None
    assert progress.next.exercise_id == PHASE_1[2]


def test_pain_down_the_leg_ends_the_session_with_exercises_left() -> None:
    plan = plan_day(day(0), history(), PROGRAM)
    answers = (ExerciseResult(PHASE_1[0], Pain.NONE), ExerciseResult(PHASE_1[1], Pain.RADIATING))
    assert SessionInProgress(plan, answers).next is None


def test_a_recorded_session_has_no_next_exercise() -> None:
    h = history(session(day(0), (PHASE_1[0], Pain.NONE)))
    done = plan_day(day(0), h, PROGRAM)
    assert done.completed
    assert SessionInProgress(done, ()).next is None


# Versions: the variant a dose step names, the alternative a person chose, the warm-up.


def test_a_chosen_alternative_is_taught_and_counted_as_the_exercise_itself() -> None:
    """Seated cat-cow chosen: the plan teaches it, bad pain on it steps cat-cow back, and
    the other exercises keep their dose steps' versions."""
    chair = replace(profile(), alternatives=(("cat-cow", "chair"),))
    plain = Follower(PROGRAM, history()).follow(day(21))
    seated = Follower(PROGRAM, history(who=chair)).follow(day(21))
    for on in (day(0), day(7), day(21)):
        mine, theirs = plan_day(on, seated, PROGRAM), plan_day(on, plain, PROGRAM)
        assert [(p.exercise_id, p.dose, p.step) for p in mine.exercises] == [
            (p.exercise_id, p.dose, p.step) for p in theirs.exercises
        ]
        versions = {p.exercise_id: p.version for p in mine.exercises}
        assert versions["cat-cow"] == "chair"
        assert all(
            p.version == p.dose.variant for p in mine.exercises if p.exercise_id != "cat-cow"
        )
    hurt = history(session(day(0), ("cat-cow", Pain.SHARP)), who=chair)
    [cat_cow] = [p for p in plan_day(day(2), hurt, PROGRAM).exercises if p.exercise_id == "cat-cow"]
    assert cat_cow.version == "chair" and cat_cow.range.value == "reduced"


def test_the_side_plank_starts_on_the_knees_and_phase_3_opens_with_a_warm_up() -> None:
    follower = Follower(PROGRAM, history(), weekly=4).follow(day(14))
    entered_2 = plan_day(day(7), follower, PROGRAM)
    [plank] = [p for p in entered_2.exercises if p.exercise_id == "side-plank"]
    assert plank.version == "knees" and plank.dose.variant == "knees"
    [hinge] = [p for p in entered_2.exercises if p.exercise_id == "hip-hinge"]
    assert hinge.version == "dowel" and hinge.dose.load_lb is None
    entered_3 = plan_day(day(14), follower, PROGRAM)
    assert entered_3.phase == 3
    assert [(p.exercise_id, p.warm_up) for p in entered_3.exercises][:3] == [
        ("cat-cow", True),
        ("glute-bridge", True),
        ("bird-dog", False),
    ]
    [lunge] = [p for p in entered_3.exercises if p.exercise_id == "lunge-with-twist"]
    assert lunge.version == "plain" and lunge.dose.load_lb is None
