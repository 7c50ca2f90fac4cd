"""The pure rules of issue #20: who may hand whose patients over and to whom, what time a
clinician may log, and the monitoring report's 30-day periods."""

from __future__ import annotations

from datetime import date, timedelta

from lumbar.domain.access import Account, Role
from lumbar.domain.handover import may_hand_over, receiver_problem, time_problem
from lumbar.domain.rtm import periods

DAY = date(2026, 11, 2)


def person(id: int, role: Role, clinic: int = 1, active: bool = True) -> Account:
    return Account(
        id=id, email=f"{id}@example.org", role=role, clinic_id=clinic, clinician_id=None,
        active=active,
    )  # fmt: skip


def later(days: int) -> date:
    return DAY + timedelta(days=days)


PT, PT2 = person(1, Role.CLINICIAN), person(2, Role.CLINICIAN)
ADMIN, OTHER_ADMIN = person(3, Role.ADMIN), person(4, Role.ADMIN, clinic=2)


def test_an_admin_of_the_clinic_or_the_clinician_may_hand_over() -> None:
    assert may_hand_over(ADMIN, PT) and may_hand_over(PT, PT)
    assert not may_hand_over(OTHER_ADMIN, PT)
    assert not may_hand_over(PT2, PT)
    assert not may_hand_over(ADMIN, person(5, Role.PATIENT))
    assert not may_hand_over(person(3, Role.ADMIN, active=False), PT)


def test_only_another_active_clinician_of_the_clinic_receives() -> None:
    assert receiver_problem(PT, PT2) is None
    assert receiver_problem(PT, PT) is not None
    assert receiver_problem(PT, person(6, Role.CLINICIAN, clinic=2)) is not None
    assert receiver_problem(PT, person(7, Role.CLINICIAN, active=False)) is not None
    assert receiver_problem(PT, ADMIN) is not None
    assert receiver_problem(PT, None) is not None


def test_time_is_more_than_none_at_most_a_day_and_not_ahead() -> None:
    assert time_problem(1, DAY, DAY) is None and time_problem(1440, DAY, DAY) is None
    assert time_problem(0, DAY, DAY) and time_problem(-3, DAY, DAY)
    assert time_problem(1441, DAY, DAY)
    assert time_problem(5, later(1), DAY)


def test_periods_are_thirty_days_from_the_start_up_to_today() -> None:
    found = periods(
        DAY,
        later(30),
        data_days=[DAY, DAY, later(29), later(30), later(-1)],
        minutes=[(DAY, 20), (later(30), 5), (later(31), 99)],
        messages=[(DAY, True), (DAY, False), (later(30), False)],
        changes=[later(3)],
    )
    assert [(p.start, p.end, p.complete) for p in found] == [
        (DAY, later(29), True),
        (later(30), later(59), False),
    ]
    first, second = found
    assert (first.data_days, first.minutes, first.messages_sent) == (2, 20, 1)
    assert (first.messages_received, first.prescription_changes) == (1, 1)
    assert (second.data_days, second.minutes, second.messages_sent) == (1, 5, 1)
    assert (second.messages_received, second.prescription_changes) == (0, 0)
    assert periods(DAY, later(-1), data_days=[], minutes=[], messages=[], changes=[]) == []
