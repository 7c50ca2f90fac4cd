"""The phase gate (progression.advance_phase, progression.on_hold, progression.not_fresh):
a week, three sessions and no bad pain are not enough on their own; the evidence must be
fresh (a weekly pain check-in in the 7 days before, the intake counting at first) and clean
(no see-a-clinician alert open).

Histories are lived day by day by a `Follower` (sessions on Monday, Wednesday and Friday
from Monday 2 November 2026, `day(0)`). Each alert is checked against a control history
that differs only in what raises it, and passes the gate on the same day.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import pytest

from lumbar.domain import escalation
from lumbar.domain.decisions import Decision
from lumbar.domain.journey import Journey
from lumbar.domain.model import CheckIn, DayPlan, Kind, Level, Pain
from lumbar.domain.plan import program_status
from lumbar.domain.progression import not_fresh
from lumbar.domain.rules import RuleId
from tests.builders import START, Follower, clearance, day, history, intake, program

PROGRAM = program()
GATE = PROGRAM.gate
PHASE_1 = tuple(p.exercise_id for p in PROGRAM.phase(1).prescriptions)


@dataclass(frozen=True)
class Lived:
    """What a person reported: the pain of some exercises on some days (none otherwise),
    and weekly pain ratings by day."""

    pain: Mapping[tuple[int, str], Pain] = field(default_factory=dict)
    checkins: Mapping[int, int] = field(default_factory=dict)
    baseline: int = 6

    def follow(self, until: int) -> Follower:
        marks = {(day(offset), exercise): p for (offset, exercise), p in self.pain.items()}
        follower = Follower(
            PROGRAM,
            history(first=intake(pain=self.baseline)),
            pain=lambda on, exercise: marks.get((on, exercise), Pain.NONE),
            checkins={day(offset): (rating, None) for offset, rating in self.checkins.items()},
        )
        follower.follow(day(until))
        return follower


def _seen(follower: Follower, on: date) -> DayPlan:
    """The plan the person saw on `on`, before that day's session."""
    [plan] = [p for p in follower.plans if p.on == on]
    return plan


def _rules(plan: DayPlan) -> list[str]:
    return [d.rule for d in plan.decisions]


# progression.advance_phase


def test_progression_advance_phase_each_week_with_a_weekly_check_in() -> None:
    follower = Lived(checkins={7: 4, 14: 4}).follow(14)
    status = program_status(day(14), follower.history, PROGRAM)
    assert [(c.on, c.to_phase) for c in status.phase_history] == [
        (day(0), 1),
        (day(7), 2),
        (day(14), 3),
    ]
    advance = status.phase_history[-1].decision
    assert advance.rule == RuleId.PROGRESSION_ADVANCE_PHASE
    assert advance.facts["from_phase"] == 2 and advance.facts["to_phase"] == 3


# progression.on_hold: every kind of see-a-clinician alert holds the gate.


@dataclass(frozen=True)
class HoldCase:
    held: Lived
    control: Lived
    gate_day: int
    """The first session day on which the control passes the gate."""


HOLDS = {
    # Pain down the leg on Monday and Wednesday; the control has it on Wednesday only.
    "radiating_twice": HoldCase(
        Lived({(0, PHASE_1[0]): Pain.RADIATING, (2, PHASE_1[1]): Pain.RADIATING}, {7: 4}),
        Lived({(2, PHASE_1[1]): Pain.RADIATING}, {7: 4}),
        gate_day=11,
    ),
    # Sharp pain on the bridge at full range (Monday), then at reduced range (Wednesday).
    "phase1_bad_pain": HoldCase(
        Lived({(0, "glute-bridge"): Pain.SHARP, (2, "glute-bridge"): Pain.SHARP}, {7: 4}),
        Lived({(0, "cat-cow"): Pain.SHARP, (2, "glute-bridge"): Pain.SHARP}, {7: 4}),
        gate_day=11,
    ),
    # Sharp pain in three sessions in a row, each on a different exercise; the control has
    # it in two.
    "persistent_pain": HoldCase(
        Lived(
            {
                (0, "cat-cow"): Pain.SHARP,
                (2, "dead-bug"): Pain.SHARP,
                (4, "childs-pose"): Pain.SHARP,
            },
            {7: 4, 14: 4},
        ),
        Lived({(2, "dead-bug"): Pain.SHARP, (4, "childs-pose"): Pain.SHARP}, {7: 4, 14: 4}),
        gate_day=14,
    ),
    # Baseline 2: a week-one rating of 4 is 2 points worse (not a flare: not above 4, nor
    # above 5); 3 is not worse.
    "worse": HoldCase(
        Lived(checkins={7: 4}, baseline=2),
        Lived(checkins={7: 3}, baseline=2),
        gate_day=7,
    ),
    # Baseline 6: a week-one rating of 7 is above 5 and above the week before (a flare,
    # not 2 points worse); 6 is neither.
    "flare": HoldCase(
        Lived(checkins={7: 7}),
        Lived(checkins={7: 6}),
        gate_day=7,
    ),
}


@pytest.mark.parametrize("code", list(HOLDS))
def test_progression_on_hold_while_a_see_a_clinician_alert_is_open(code: str) -> None:
    case = HOLDS[code]
    held = case.held.follow(case.gate_day)
    plan = _seen(held, day(case.gate_day))
    assert plan.phase == 1
    [alert] = [a for a in plan.alerts if a.code == code]
    assert alert.level is Level.SEE_CLINICIAN
    assert Decision(RuleId.PROGRESSION_ON_HOLD, {"phase": 1, "alerts": (code,)}) in (plan.decisions)
    status = program_status(day(case.gate_day), held.history, PROGRAM)
    assert status.sessions_in_phase >= GATE.min_sessions
    assert len(status.phase_history) == 1


@pytest.mark.parametrize("code", list(HOLDS))
def test_without_the_alert_the_gate_opens_that_same_day(code: str) -> None:
    case = HOLDS[code]
    control = case.control.follow(case.gate_day)
    plan = _seen(control, day(case.gate_day))
    assert code not in {a.code for a in plan.alerts}
    assert plan.phase == 2
    assert RuleId.PROGRESSION_ADVANCE_PHASE in _rules(plan)
    sessions = [p for p in control.plans if p.kind is Kind.SESSION and p.on < day(case.gate_day)]
    assert sessions[-1].phase == 1  # the session before did not pass the gate


def test_a_clearance_lets_the_gate_open_at_the_next_session() -> None:
    """Persistent pain holds the gate on Monday day 14; cleared on Tuesday, the person moves
    up on Wednesday."""
    case = HOLDS["persistent_pain"]
    follower = case.held.follow(14)
    follower.extra[day(15)] = [clearance(day(15), "persistent_pain")]
    h = follower.follow(day(16))
    status = program_status(day(16), h, PROGRAM)
    assert "persistent_pain" not in {a.code for a in status.alerts}
    assert status.phase == 2 and status.phase_history[-1].on == day(16)


def test_a_flare_holds_the_phase_until_a_calm_check_in_settles_it() -> None:
    follower = Lived(checkins={7: 7, 14: 5}).follow(14)
    assert _seen(follower, day(11)).phase == 1
    monday = _seen(follower, day(14))
    assert "flare" not in {a.code for a in monday.alerts}
    assert monday.phase == 2
    assert RuleId.PROGRESSION_ADVANCE_PHASE in _rules(monday)


def test_a_flare_two_weeks_running_asks_for_a_clinician_and_still_holds() -> None:
    """Week one 7, week two 8 (baseline 6): a flare twice running, and 2 points worse."""
    follower = Lived(checkins={7: 7, 14: 8}).follow(14)
    monday = _seen(follower, day(14))
    assert monday.phase == 1
    [persists] = [a for a in monday.alerts if a.code == "flare_persists"]
    assert persists.level is Level.SEE_CLINICIAN and persists.since == day(7)
    assert Decision(
        RuleId.PROGRESSION_ON_HOLD, {"phase": 1, "alerts": ("flare_persists", "worse")}
    ) in (monday.decisions)


# progression.not_fresh


def test_progression_not_fresh_when_the_last_check_in_is_8_days_old_not_7() -> None:
    fresh = not_fresh(day(14), phase=2, last_checkin=day(7), last_session=day(11), gate=GATE)
    assert fresh is None
    stale = not_fresh(day(14), phase=2, last_checkin=day(6), last_session=day(11), gate=GATE)
    assert stale == Decision(
        RuleId.PROGRESSION_NOT_FRESH,
        {
            "phase": 2,
            "last_checkin": day(6),
            "checkin_days": 7,
            "last_session": day(11),
            "session_days": 7,
        },
    )


def test_progression_not_fresh_when_the_session_before_is_8_days_old_not_7() -> None:
    def stale(last_session: date | None) -> bool:
        decided = not_fresh(
            day(14), phase=1, last_checkin=day(13), last_session=last_session, gate=GATE
        )
        return decided is not None

    assert not stale(day(7))
    assert stale(day(6))
    assert not stale(None)


def test_the_gate_waits_for_a_check_in_8_days_old_then_opens_after_a_new_one() -> None:
    """A check-in on Sunday day 6 opens phase 2 on Monday day 7; on Monday day 14 it is 8
    days old, so phase 3 waits; a check-in on Tuesday opens it on Wednesday."""
    on_time = Lived(checkins={7: 4}).follow(14)
    assert _seen(on_time, day(14)).phase == 3

    follower = Lived(checkins={6: 4}).follow(14)
    monday = _seen(follower, day(14))
    assert monday.phase == 2
    [stale] = [d for d in monday.decisions if d.rule == RuleId.PROGRESSION_NOT_FRESH]
    assert stale.facts["last_checkin"] == day(6)
    follower.checkins[day(15)] = (4, None)
    follower.follow(day(16))
    assert _seen(follower, day(16)).phase == 3


def test_the_intake_counts_as_the_first_check_in_for_7_days() -> None:
    """Monday's session of week two moved to Tuesday (day 8): the intake is then 8 days
    old, and the gate waits for a check-in."""
    on_monday = Follower(PROGRAM, history()).follow(day(7))
    assert program_status(day(7), on_monday, PROGRAM).phase == 2

    follower = Follower(PROGRAM, history(), skip={day(7)})
    follower.follow(day(8))
    tuesday = _seen(follower, day(8))
    assert tuesday.phase == 1
    [stale] = [d for d in tuesday.decisions if d.rule == RuleId.PROGRESSION_NOT_FRESH]
    assert stale.facts["last_checkin"] == START


def test_a_check_in_without_a_pain_rating_is_not_a_weekly_check_in_for_the_gate() -> None:
    """PSFS scores alone on Sunday day 13 leave the last pain rating (day 6) 8 days old."""
    follower = Lived(checkins={6: 4}).follow(7)
    follower.checkins[day(13)] = (None, (5, 5, 5))
    follower.follow(day(14))
    monday = _seen(follower, day(14))
    assert monday.phase == 2
    [stale] = [d for d in monday.decisions if d.rule == RuleId.PROGRESSION_NOT_FRESH]
    assert stale.facts["last_checkin"] == day(6)


def test_a_missed_review_holds_the_phase_from_the_seventh_day_after_it_fell_due() -> None:
    """The review falls due on day 28; with no check-in since, it holds the phase from day
    35 (`review_grace_days` later), not on day 34, whatever else holds it."""
    story = history(*(CheckIn(day(k), pain=5) for k in (7, 14, 21, 27)))
    journey = Journey(story, PROGRAM)
    journey.walk(day(27))
    assert "review_missed" not in escalation.holding(journey, day(34))
    assert "review_missed" in escalation.holding(journey, day(35))
