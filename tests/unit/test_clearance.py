"""A clearance is a record of its own (issue #14): it clears what it names, reported before it.

The property tests walk random histories of check-ins (with symptoms) and clearances (naming
random codes) and hold the engine to a model a clinician would write down: an alert stands
from the record that reports it until a later clearance names it. So no clearance clears an
alert reported in the same record or after it, and an emergency is never cleared by a
clearance that does not name it.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lumbar.domain.model import CheckIn, Clearance, Event, Kind, Level
from lumbar.domain.plan import clearable, plan_day, program_status
from lumbar.domain.rules import RuleId
from lumbar.domain.screening import RED_FLAGS, with_fragility
from tests.builders import START, clearance, day, history, profile, program

CODES = sorted(RED_FLAGS)
EMERGENCIES = [code for code, level in RED_FLAGS.items() if level is Level.EMERGENCY]

checkins = st.builds(
    lambda offset, codes: CheckIn(day(offset), symptoms=tuple(codes), screened=True),
    st.integers(0, 20),
    st.lists(st.sampled_from(CODES), max_size=3, unique=True),
)
clearances = st.builds(
    lambda offset, codes: clearance(day(offset), *codes),
    st.integers(0, 20),
    st.lists(st.sampled_from(CODES), min_size=1, max_size=4, unique=True),
)


def _standing(events: tuple[Event, ...], until: date, age: int) -> dict[str, date]:
    """The model: each reported code stands from its report until a later clearance that
    names it (reported again while standing, it keeps its first day)."""
    standing: dict[str, date] = {}
    reported: set[str] = set()
    for event in events:
        if event.on > until:
            break
        if isinstance(event, CheckIn):
            codes = with_fragility(event.symptoms, age=age, reported=reported)
            reported.update(codes)
            for code in codes:
                standing.setdefault(code, event.on)
        elif isinstance(event, Clearance):
            for code in event.codes:
                standing.pop(code, None)
    return standing


@settings(max_examples=150, deadline=None)
@given(
    events=st.lists(st.one_of(checkins, clearances), max_size=12),
    age=st.sampled_from([25, 70]),
)
def test_an_alert_stands_until_a_later_clearance_names_it(events: list[Event], age: int) -> None:
    built = history(*events, who=profile(age=age, pain_weeks=30))
    until = day(21)
    status = program_status(until, built, program())
    engine = {a.code: a.since for a in status.alerts if a.code in RED_FLAGS}
    assert engine == _standing(built.events, until, age)
    if any(RED_FLAGS[c].blocks for c in engine):
        assert plan_day(until, built, program()).kind is Kind.BLOCKED


@settings(max_examples=100, deadline=None)
@given(events=st.lists(st.one_of(checkins, clearances), max_size=10))
def test_an_emergency_is_never_cleared_by_a_clearance_that_does_not_name_it(
    events: list[Event],
) -> None:
    # Every clearance names everything but the emergencies.
    others = [c for c in CODES if c not in EMERGENCIES]
    rewritten = [clearance(e.on, *others) if isinstance(e, Clearance) else e for e in events]
    built = history(*rewritten, who=profile(pain_weeks=30))
    reported = {c for e in rewritten if isinstance(e, CheckIn) for c in e.symptoms}
    status = program_status(day(21), built, program())
    codes = {a.code for a in status.alerts}
    assert set(EMERGENCIES) & reported <= codes


def test_a_clearance_the_same_day_before_a_symptom_does_not_clear_it() -> None:
    built = history(
        clearance(day(1), "fever"),
        CheckIn(day(1), symptoms=("fever",), screened=True),
    )
    assert "fever" in {a.code for a in plan_day(day(1), built, program()).alerts}


def test_a_check_in_cannot_carry_a_clearance() -> None:
    with pytest.raises(TypeError):
        CheckIn(day(1), symptoms=("fever",), cleared_by_clinician=True)  # type: ignore[call-arg]


def test_the_note_says_who_cleared_what_and_when_and_whether_a_clinician_recorded_it() -> None:
    built = history(
        CheckIn(day(1), symptoms=("fever", "leg_numbness"), screened=True),
        clearance(day(3), "fever", by="Dr Rao"),
        clearance(day(5), "leg_numbness", by="pt@clinic.example", confirmed=True),
    )
    notes = {a.code: a.decision for a in program_status(day(5), built, program()).alerts}
    assert notes["fever_cleared"].rule == RuleId.SCREENING_CLEARED_REPORTED
    assert dict(notes["fever_cleared"].facts) == {
        "symptom": "fever",
        "cleared_on": day(3),
        "by": "Dr Rao",
    }
    assert notes["leg_numbness_cleared"].rule == RuleId.SCREENING_CLEARED
    assert notes["leg_numbness_cleared"].facts["by"] == "pt@clinic.example"
    assert "fever" not in notes and "leg_numbness" not in notes


def test_what_a_clearance_could_clear_is_what_stands_on_its_day() -> None:
    built = history(
        CheckIn(day(1), symptoms=("fever",), screened=True),
        CheckIn(day(4), symptoms=("pregnancy",), screened=True),
        clearance(day(5), "fever"),
    )
    assert [a.code for a in clearable(day(2), built, program())] == ["fever"]
    assert [a.code for a in clearable(day(4), built, program())] == ["fever", "pregnancy"]
    assert [a.code for a in clearable(day(5), built, program())] == ["pregnancy"]
    assert clearable(START, built, program()) == ()


def test_a_fall_in_an_older_person_or_with_osteoporosis_is_an_emergency() -> None:
    for who, earlier in ((profile(age=70), ()), (profile(age=40), ("steroids_osteoporosis",))):
        events: list[Event] = [CheckIn(day(1), symptoms=earlier, screened=True)] if earlier else []
        events.append(CheckIn(day(3), symptoms=("trauma",), screened=True))
        alerts = {
            a.code: a.level for a in plan_day(day(3), history(*events, who=who), program()).alerts
        }
        assert alerts["minor_trauma_fragile"] is Level.EMERGENCY, who
    young = history(CheckIn(day(3), symptoms=("trauma",), screened=True), who=profile(age=40))
    assert "minor_trauma_fragile" not in {a.code for a in plan_day(day(3), young, program()).alerts}
