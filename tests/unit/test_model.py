"""The program's vocabulary: what its values promise about themselves."""

from __future__ import annotations

import pytest

from lumbar.domain.model import CheckIn, Dose, Event, History, Level, Pain
from lumbar.domain.plan import program_status
from tests.builders import START, day, history, intake, profile, program, session


def test_sharp_and_radiating_pain_are_bad_and_none_or_an_ache_are_not() -> None:
    assert [pain for pain in Pain if pain.is_bad] == [Pain.SHARP, Pain.RADIATING]


def test_alert_levels_sort_gravest_first_the_most_serious_ranked_0() -> None:
    mildest_first = [Level.INFO, Level.SEE_CLINICIAN, Level.URGENT, Level.EMERGENCY]
    assert sorted(mildest_first, key=lambda level: level.rank) == [
        Level.EMERGENCY,
        Level.URGENT,
        Level.SEE_CLINICIAN,
        Level.INFO,
    ]
    assert Level.EMERGENCY.rank == 0


def test_a_dose_may_be_one_rep_one_second_of_hold_and_one_pound_but_not_zero() -> None:
    assert Dose(1, 1, None, 0).reps == 1
    assert Dose(1, None, 1, 0).hold_seconds == 1
    assert Dose(1, 1, None, 0, load_lb=1).load_lb == 1
    with pytest.raises(ValueError, match="reps must be at least 1"):
        Dose(1, 0, None, 0)
    with pytest.raises(ValueError, match="a hold must last at least 1 second"):
        Dose(1, None, 0, 0)
    with pytest.raises(ValueError, match="a load must be at least 1 lb"):
        Dose(1, 1, None, 0, load_lb=0)


def test_the_baseline_is_the_intakes_pain_and_psfs() -> None:
    assert history(first=intake(pain=6, psfs=(4, 5, 3))).baseline_scores == (6, (4, 5, 3))


@pytest.mark.parametrize(
    "first",
    [
        CheckIn(START, None, (4, 5, 3)),
        CheckIn(START, 6, None),
        CheckIn(START, 6, ()),
        session(START, ("squat", Pain.NONE)),
    ],
    ids=["no pain score", "no psfs", "empty psfs", "a session"],
)
def test_a_history_that_does_not_start_with_a_scored_intake_has_no_baseline(
    first: Event,
) -> None:
    with pytest.raises(ValueError, match="starts with the intake check-in"):
        _ = History.of(profile(), [first]).baseline_scores


def test_an_empty_history_has_no_baseline() -> None:
    with pytest.raises(ValueError, match="starts with the intake check-in"):
        _ = History.of(profile(), []).baseline_scores


def test_the_first_day_of_a_phase_is_day_1_and_a_week_later_is_day_8() -> None:
    assert program_status(START, history(), program()).day_in_phase == 1
    assert program_status(day(6), history(), program()).day_in_phase == 7
    assert program_status(day(7), history(), program()).day_in_phase == 8
