"""The domain's two refusals of a correction (issue #15): the intake stays, and no
correction takes away a danger sign the person reported."""

from __future__ import annotations

from dataclasses import replace

import pytest

from lumbar.domain.corrections import correction_refusal, danger_signs, starts_with_intake
from lumbar.domain.model import CheckIn, History, Pain
from lumbar.domain.rules import RuleId
from tests import builders as b

TODAY = b.day(20)


def test_an_unchanged_history_can_stand() -> None:
    history = b.history(b.session(b.day(0), ("cat-cow", Pain.NONE)))
    assert correction_refusal(history, history, TODAY, b.program()) is None


@pytest.mark.parametrize(
    "first",
    [
        None,
        b.intake(on=b.day(1)),
        replace(b.intake(), pain=None),
        replace(b.intake(), psfs=None),
        replace(b.intake(), psfs=()),
    ],
    ids=["no-events", "moved", "no-pain", "no-psfs", "empty-psfs"],
)
def test_a_history_that_no_longer_starts_with_the_intake_is_refused(
    first: CheckIn | None,
) -> None:
    before = b.history()
    after = History(before.profile, () if first is None else (first,))
    assert not starts_with_intake(after)
    refused = correction_refusal(before, after, TODAY, b.program())
    assert refused is not None
    assert refused.rule is RuleId.RECORDS_INTAKE_STAYS
    assert refused.facts == {"start": b.START}


def test_the_intake_with_other_scores_still_starts_the_history() -> None:
    after = b.history(first=b.intake(pain=2, psfs=(7, 7, 7)))
    assert starts_with_intake(after)
    assert correction_refusal(b.history(), after, TODAY, b.program()) is None


@pytest.mark.parametrize("code", ["leg_numbness", "fever", "saddle_numbness"])
def test_taking_away_a_reported_sign_of_any_tier_is_refused(code: str) -> None:
    report = CheckIn(b.day(3), symptoms=(code,))
    before = b.history(report)
    assert code in danger_signs(before, TODAY, b.program())
    for after in (b.history(), b.history(replace(report, symptoms=()))):
        refused = correction_refusal(before, after, TODAY, b.program())
        assert refused is not None
        assert refused.rule is RuleId.RECORDS_DANGER_SIGNS_STAY
        assert refused.facts == {"symptoms": (code,)}


def test_moving_a_report_to_before_a_clearance_that_names_it_is_refused() -> None:
    cleared = b.clearance(b.day(5), "leg_numbness")
    first = CheckIn(b.day(3), symptoms=("leg_numbness",))
    again = CheckIn(b.day(8), symptoms=("leg_numbness",))
    before = b.history(first, cleared, again)
    after = b.history(first, cleared, replace(again, on=b.day(4)))
    refused = correction_refusal(before, after, TODAY, b.program())
    assert refused is not None and refused.facts == {"symptoms": ("leg_numbness",)}


def test_a_correction_that_adds_an_alert_or_changes_a_cleared_one_can_stand() -> None:
    report = CheckIn(b.day(3), symptoms=("leg_numbness",))
    cleared = b.history(report, b.clearance(b.day(5), "leg_numbness"))
    uncleared = b.history(report)
    assert correction_refusal(cleared, uncleared, TODAY, b.program()) is None
    # The report of a sign already cleared can go: it no longer stands either way.
    gone = b.history(b.clearance(b.day(5), "leg_numbness"))
    assert correction_refusal(cleared, gone, TODAY, b.program()) is None


def test_an_alert_the_engine_worked_out_follows_the_corrected_answers() -> None:
    """Pain down the leg twice raises `radiating_twice`; a mistaken answer corrected takes
    it away, as the rule would never have raised it."""
    down = [b.session(b.day(d), ("cat-cow", Pain.RADIATING)) for d in (0, 2)]
    before = b.history(*down)
    assert "radiating_twice" not in danger_signs(before, TODAY, b.program())
    after = b.history(down[0], b.session(b.day(2), ("cat-cow", Pain.NONE)))
    assert correction_refusal(before, after, TODAY, b.program()) is None


def test_a_clearance_brought_back_may_set_its_signs_aside_again() -> None:
    report = CheckIn(b.day(3), symptoms=("leg_numbness",))
    before = b.history(report)
    after = b.history(report, b.clearance(b.day(5), "leg_numbness"))
    refused = correction_refusal(before, after, TODAY, b.program())
    assert refused is not None and refused.rule is RuleId.RECORDS_DANGER_SIGNS_STAY
    assert correction_refusal(before, after, TODAY, b.program(), clearance=True) is None
    # Not the intake, though.
    gone = History(before.profile, ())
    refused = correction_refusal(before, gone, TODAY, b.program(), clearance=True)
    assert refused is not None and refused.rule is RuleId.RECORDS_INTAKE_STAYS
