"""What a clinician's dashboard shows first (lumbar.domain.monitoring): each concern, the
edges of its window, and their order of gravity.

Every history here is lived day by day by a `Follower` (sessions on Monday, Wednesday and
Friday from Monday 2 November 2026), so events are spread over weeks as a real patient's
would be.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from lumbar.content.load import default_content
from lumbar.domain.model import (
    CheckIn,
    Event,
    History,
    Pain,
    ProblemKind,
    ProblemReport,
    SessionLog,
)
from lumbar.domain.monitoring import (
    INACTIVE_DAYS,
    NO_SIGNALS,
    RECENT_DAYS,
    Attention,
    Concern,
    Finding,
    Signals,
    attention,
)
from lumbar.domain.progress import progress_report
from tests.builders import START, Follower, clearance, day, history, intake, no_pain, program

SHIPPED = default_content().program.thresholds
PROGRAM = program()


def _attention(
    on: date,
    h: History,
    problems: Sequence[ProblemReport] = (),
    *,
    signals: Signals = NO_SIGNALS,
) -> Attention:
    progress = progress_report(on, h, PROGRAM)
    return attention(
        on,
        h,
        progress,
        list(problems),
        min_adherence_pct=SHIPPED.min_adherence_pct,
        signals=signals,
    )


def _concerns(found: Attention) -> list[Concern]:
    return [f.concern for f in found.findings]


def _finding(found: Attention, concern: Concern) -> Finding:
    [finding] = [f for f in found.findings if f.concern is concern]
    return finding


def _lived(
    until: date,
    *,
    pain_on: dict[date, Pain] | None = None,
    skip: Sequence[int] = (),
    checkins: dict[date, tuple[int | None, tuple[int, ...] | None]] | None = None,
    extra: dict[date, Sequence[Event]] | None = None,
) -> History:
    """A person who does every planned session until `until` (but the `skip`ped days),
    with pain after the first exercise of the day as `pain_on` says, and none otherwise."""
    marks = pain_on or {}
    first_asked: dict[date, str] = {}

    def pain(on: date, exercise_id: str) -> Pain:
        if first_asked.setdefault(on, exercise_id) == exercise_id and on in marks:
            return marks[on]
        return no_pain(on, exercise_id)

    follower = Follower(
        PROGRAM,
        history(),
        pain=pain,
        checkins=checkins or {},
        extra=extra or {},
        skip={day(k) for k in skip},
    )
    return follower.follow(until)


def test_the_windows_are_two_weeks_and_a_week() -> None:
    assert (RECENT_DAYS, INACTIVE_DAYS) == (14, 7)


# Not started.


def test_a_patient_without_a_program_is_not_started_and_nothing_else() -> None:
    assert _concerns(
        attention(START, None, None, [], min_adherence_pct=SHIPPED.min_adherence_pct)
    ) == [Concern.NOT_STARTED]
    h = history()
    problems = [ProblemReport(START, ProblemKind.FALL)]
    found = attention(day(20), h, None, problems, min_adherence_pct=SHIPPED.min_adherence_pct)
    assert found.findings == (Finding(Concern.NOT_STARTED),)
    assert found.rank == Concern.NOT_STARTED.rank


def test_a_patient_who_follows_the_program_without_trouble_raises_no_concern() -> None:
    h = _lived(day(20), checkins={day(7): (5, None), day(14): (5, None)})
    found = _attention(day(20), h)
    assert found.findings == ()
    assert found.rank == len(Concern)


# Red flags.


def test_an_emergency_symptom_is_the_first_concern_with_its_code_and_day() -> None:
    h = _lived(day(12), extra={day(9): [CheckIn(day(9), symptoms=("bladder_bowel",))]})
    found = _attention(day(12), h)
    assert found.findings == (
        Finding(Concern.EMERGENCY, {"code": "bladder_bowel", "since": day(9)}),
    )
    assert found.rank == 0


def test_an_urgent_symptom_is_an_urgent_concern() -> None:
    h = _lived(day(12), extra={day(10): [CheckIn(day(10), symptoms=("fever",))]})
    found = _attention(day(12), h)
    assert found.findings == (Finding(Concern.URGENT, {"code": "fever", "since": day(10)}),)


def test_a_cleared_red_flag_or_a_see_clinician_symptom_is_no_emergency_or_urgent_concern() -> None:
    cleared = _lived(
        day(14),
        extra={
            day(9): [CheckIn(day(9), symptoms=("fever",))],
            day(11): [clearance(day(11), "fever")],
        },
    )
    assert _concerns(_attention(day(14), cleared)) == []
    see = _lived(day(12), extra={day(9): [CheckIn(day(9), symptoms=("leg_numbness",))]})
    assert _concerns(_attention(day(12), see)) == []


def test_a_clearance_of_another_alert_leaves_the_red_flag_a_concern() -> None:
    h = _lived(
        day(14),
        extra={
            day(9): [CheckIn(day(9), symptoms=("fever", "leg_numbness"))],
            day(11): [clearance(day(11), "leg_numbness")],
        },
    )
    found = _attention(day(14), h)
    assert found.findings == (Finding(Concern.URGENT, {"code": "fever", "since": day(9)}),)


def test_an_acknowledged_red_flag_is_listed_lower_until_it_is_cleared() -> None:
    h = _lived(day(12), extra={day(9): [CheckIn(day(9), symptoms=("bladder_bowel", "fever"))]})
    seen = Signals(acknowledged=frozenset({("bladder_bowel", day(9))}))
    found = _attention(day(12), h, signals=seen)
    assert found.findings == (
        Finding(Concern.URGENT, {"code": "fever", "since": day(9)}),
        Finding(Concern.ACKNOWLEDGED, {"code": "bladder_bowel", "since": day(9)}),
    )
    # An acknowledgement is of the alert raised that day: the same sign raised again, later,
    # is an emergency again.
    earlier = Signals(acknowledged=frozenset({("bladder_bowel", day(2))}))
    assert _concerns(_attention(day(12), h, signals=earlier)) == [
        Concern.EMERGENCY,
        Concern.URGENT,
    ]


def test_a_request_for_clearance_is_a_concern_with_the_latest_request() -> None:
    h = _lived(day(12), extra={day(9): [CheckIn(day(9), symptoms=("fever",))]})
    asked = Signals(requests=((day(10), "my GP"), (day(11), "Dr Rao")))
    found = _attention(day(12), h, signals=asked)
    assert found.findings == (
        Finding(Concern.URGENT, {"code": "fever", "since": day(9)}),
        Finding(Concern.CLEARANCE_REQUESTED, {"count": 2, "last_on": day(11), "seen_by": "Dr Rao"}),
    )


def test_a_patient_refused_at_the_intake_for_an_emergency_is_an_emergency_not_started() -> None:
    refused = Signals(intake=((day(1), "saddle_numbness"),))
    min_pct = SHIPPED.min_adherence_pct
    found = attention(day(3), None, None, [], min_adherence_pct=min_pct, signals=refused)
    assert found.findings == (
        Finding(Concern.EMERGENCY, {"code": "saddle_numbness", "since": day(1)}),
        Finding(Concern.NOT_STARTED),
    )
    assert found.rank == 0
    seen = Signals(acknowledged=frozenset({("saddle_numbness", day(1))}), intake=refused.intake)
    found = attention(day(3), None, None, [], min_adherence_pct=min_pct, signals=seen)
    assert _concerns(found) == [Concern.ACKNOWLEDGED, Concern.NOT_STARTED]


# Bad pain and problem reports: the last 14 days, today included.


def _first_exercise(h: History, on: date) -> str:
    [session] = [e for e in h.events if isinstance(e, SessionLog) and e.on == on]
    return session.results[0].exercise_id


def test_bad_pain_13_days_ago_is_a_concern() -> None:
    h = _lived(day(27), pain_on={day(14): Pain.SHARP})
    found = _attention(day(27), h)
    assert _finding(found, Concern.BAD_PAIN).facts == {
        "count": 1,
        "last_on": day(14),
        "exercise": _first_exercise(h, day(14)),
    }


def test_bad_pain_14_days_ago_is_no_longer_a_concern() -> None:
    h = _lived(day(28), pain_on={day(14): Pain.SHARP})
    assert Concern.BAD_PAIN not in _concerns(_attention(day(28), h))


def test_bad_pain_today_counts_and_bad_pain_after_the_day_asked_about_does_not() -> None:
    h = _lived(day(16), pain_on={day(9): Pain.RADIATING, day(14): Pain.SHARP})
    today = _finding(_attention(day(14), h), Concern.BAD_PAIN)
    assert today.facts == {"count": 2, "last_on": day(14), "exercise": _first_exercise(h, day(14))}
    before = _finding(_attention(day(13), h), Concern.BAD_PAIN)
    assert before.facts == {"count": 1, "last_on": day(9), "exercise": _first_exercise(h, day(9))}
    assert Concern.BAD_PAIN not in _concerns(_attention(day(8), h))


def test_a_problem_reported_13_days_ago_is_a_concern_and_14_days_ago_is_not() -> None:
    h = _lived(day(28))
    problems = [ProblemReport(day(14), ProblemKind.PAIN_AFTER_SESSION, "stiff all evening")]
    found = _attention(day(27), h, problems)
    assert _finding(found, Concern.PROBLEM).facts == {"count": 1, "last_on": day(14)}
    assert Concern.PROBLEM not in _concerns(_attention(day(28), h, problems))


def test_problem_reports_are_counted_over_the_window_up_to_the_day_asked_about() -> None:
    h = _lived(day(28))
    problems = [
        ProblemReport(day(10), ProblemKind.OTHER),
        ProblemReport(day(16), ProblemKind.FALL),
        ProblemReport(day(21), ProblemKind.PAIN_AFTER_SESSION),
        ProblemReport(day(29), ProblemKind.FALL),
    ]
    assert _finding(_attention(day(21), h, problems), Concern.PROBLEM).facts == {
        "count": 3,
        "last_on": day(21),
    }
    assert _finding(_attention(day(28), h, problems), Concern.PROBLEM).facts == {
        "count": 2,
        "last_on": day(21),
    }
    assert _finding(_attention(day(15), h, problems), Concern.PROBLEM).facts == {
        "count": 1,
        "last_on": day(10),
    }


# The 4-week review.


def test_a_not_improving_review_is_a_concern_with_the_reviews_facts() -> None:
    h = _lived(day(30), checkins={day(14): (6, None), day(28): (6, None)})
    found = _attention(day(30), h)
    assert found.findings == (
        Finding(
            Concern.NOT_IMPROVING,
            {
                "baseline_pain": 6,
                "latest_pain": 6,
                "pain_change_pct": 0.0,
                "baseline_psfs": 4.0,
                "latest_psfs": None,
                "psfs_change": None,
                "judged_by": "pain and psfs",
            },
        ),
    )


def test_an_on_track_review_is_no_concern() -> None:
    h = _lived(day(30), checkins={day(14): (5, None), day(28): (4, None)})
    assert _concerns(_attention(day(30), h)) == []


# Adherence over the last two weeks.


def test_three_of_four_sessions_done_is_no_adherence_concern() -> None:
    """Week one's Friday missed (Friday to Sunday skipped), the Monday after done: 75%."""
    h = _lived(day(7), skip=(4, 5, 6))
    assert Concern.ADHERENCE not in _concerns(_attention(day(7), h))


def test_two_of_three_sessions_done_is_an_adherence_concern() -> None:
    """The same week seen on the Monday before its session: 67%."""
    h = _lived(day(6), skip=(4, 5, 6))
    found = _attention(day(7), h)
    assert _finding(found, Concern.ADHERENCE).facts == {"done": 2, "missed": 1}


def test_missed_sessions_more_than_two_weeks_ago_are_forgotten() -> None:
    """Two Fridays missed: a concern while both are in the window, none once one has left."""
    h = _lived(day(35), skip=(4, 5, 6, 11, 12, 13))
    assert _finding(_attention(day(14), h), Concern.ADHERENCE).facts == {"done": 4, "missed": 2}
    assert Concern.ADHERENCE not in _concerns(_attention(day(18), h))


def test_days_paused_by_a_red_flag_are_not_missed_sessions() -> None:
    h = _lived(day(16), extra={day(10): [CheckIn(day(10), symptoms=("fever",))]})
    assert _concerns(_attention(day(16), h)) == [Concern.URGENT]


# Inactivity: a week without a session or a check-in.


def test_a_week_without_any_record_is_an_inactive_concern() -> None:
    h = _lived(day(9))
    assert Concern.INACTIVE not in _concerns(_attention(day(15), h))
    found = _attention(day(16), h)
    assert _finding(found, Concern.INACTIVE).facts == {"last_on": day(9)}


def test_a_check_in_counts_as_activity() -> None:
    h = _lived(day(12), skip=(11, 12), extra={day(12): [CheckIn(day(12), pain=5)]})
    assert Concern.INACTIVE not in _concerns(_attention(day(18), h))
    assert _finding(_attention(day(19), h), Concern.INACTIVE).facts == {"last_on": day(12)}


def test_a_patient_who_never_trained_is_inactive_a_week_after_the_start() -> None:
    h = history(first=intake())
    assert Concern.INACTIVE not in _concerns(_attention(day(6), h))
    assert _finding(_attention(day(7), h), Concern.INACTIVE).facts == {"last_on": START}


# Gravity.


def test_the_concerns_are_ranked_from_emergency_to_not_started() -> None:
    assert list(Concern) == [
        Concern.EMERGENCY,
        Concern.URGENT,
        Concern.CLEARANCE_REQUESTED,
        Concern.BAD_PAIN,
        Concern.PROBLEM,
        Concern.NOT_IMPROVING,
        Concern.ACKNOWLEDGED,
        Concern.ADHERENCE,
        Concern.INACTIVE,
        Concern.NOT_STARTED,
    ]
    assert [c.rank for c in Concern] == list(range(len(Concern)))


def test_every_concern_at_once_is_listed_gravest_first() -> None:
    """Bad pain on Wednesday of week 4 (still in phase 3: the check-in of day 13 is too old
    for its gate on day 21), that Friday's session missed, a referral and three red flags at
    the day-28 check-in (the clinician has acknowledged one), a problem two days later, a
    request for clearance, and nothing since."""
    h = _lived(
        day(35),
        pain_on={day(23): Pain.SHARP},
        skip=(25, 26, 27),
        checkins={day(13): (6, None), day(28): (6, None)},
        extra={day(28): [CheckIn(day(28), symptoms=("fever", "saddle_numbness", "night_pain"))]},
    )
    signals = Signals(
        acknowledged=frozenset({("night_pain", day(28))}), requests=((day(31), "Dr Rao"),)
    )
    found = _attention(day(35), h, [ProblemReport(day(30), ProblemKind.FALL)], signals=signals)
    assert _concerns(found) == [
        Concern.EMERGENCY,
        Concern.URGENT,
        Concern.CLEARANCE_REQUESTED,
        Concern.BAD_PAIN,
        Concern.PROBLEM,
        Concern.NOT_IMPROVING,
        Concern.ACKNOWLEDGED,
        Concern.ADHERENCE,
        Concern.INACTIVE,
    ]
    assert found.rank == 0
    assert _finding(found, Concern.ADHERENCE).facts == {"done": 1, "missed": 1}
    assert _finding(found, Concern.INACTIVE).facts == {"last_on": day(28)}


def test_a_dashboard_sorted_by_rank_puts_the_gravest_patient_first() -> None:
    quiet = _attention(day(20), _lived(day(20), checkins={day(14): (5, None)}))
    inactive = _attention(day(20), _lived(day(9)))
    hurting = _attention(day(20), _lived(day(20), pain_on={day(16): Pain.SHARP}))
    urgent = _attention(
        day(20), _lived(day(20), extra={day(18): [CheckIn(day(18), symptoms=("trauma",))]})
    )
    patients = {"quiet": quiet, "inactive": inactive, "hurting": hurting, "urgent": urgent}
    ordered = sorted(patients, key=lambda name: patients[name].rank)
    assert ordered == ["urgent", "hurting", "inactive", "quiet"]
