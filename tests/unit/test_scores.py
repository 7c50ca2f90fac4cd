"""The outcome measures a clinic scores itself (issue #20): STarT Back's cut-offs over every
possible total and subscale, the change against the MCID, and the content's checks."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lumbar.content.load import CONTENT_DIR, ContentError
from lumbar.content.scores import load_measures, measures
from lumbar.domain.rules import RuleId
from lumbar.domain.scores import Score, ScoreRefused, change, check_score, start_back_risk

START_BACK = measures()["start_back"]
DAY = date(2026, 11, 2)


@st.composite
def start_back_scores(draw: st.DrawFn) -> tuple[int, int]:
    """Every STarT Back score that can be answered: 4 items outside the subscale, 5 in it."""
    others = draw(st.integers(0, 4))
    psychosocial = draw(st.integers(0, 5))
    return others + psychosocial, psychosocial


@given(start_back_scores())
def test_start_back_risk_follows_the_published_cut_offs(score: tuple[int, int]) -> None:
    total, psychosocial = score
    check_score(START_BACK, total, psychosocial)  # every answerable score is accepted
    decision = start_back_risk(total, psychosocial)
    if total <= 3:
        expected = RuleId.SCORES_START_BACK_LOW
    elif psychosocial <= 3:
        expected = RuleId.SCORES_START_BACK_MEDIUM
    else:
        expected = RuleId.SCORES_START_BACK_HIGH
    assert decision.rule is expected
    assert decision.facts == {"total": total, "psychosocial": psychosocial}


@pytest.mark.parametrize(
    ("total", "psychosocial", "rule"),
    [
        (3, 3, RuleId.SCORES_START_BACK_LOW),
        (4, 3, RuleId.SCORES_START_BACK_MEDIUM),
        (4, 4, RuleId.SCORES_START_BACK_HIGH),
        (9, 5, RuleId.SCORES_START_BACK_HIGH),
        (7, 3, RuleId.SCORES_START_BACK_MEDIUM),
        (0, 0, RuleId.SCORES_START_BACK_LOW),
    ],
)
def test_start_back_at_the_edges(total: int, psychosocial: int, rule: RuleId) -> None:
    assert start_back_risk(total, psychosocial).rule is rule


@given(st.integers(-20, 30), st.integers(-5, 10))
def test_a_start_back_score_that_cannot_be_answered_is_refused(total: int, sub: int) -> None:
    possible = 0 <= sub <= 5 and sub <= total <= sub + 4
    if possible:
        check_score(START_BACK, total, sub)
    else:
        with pytest.raises(ScoreRefused):
            check_score(START_BACK, total, sub)


@given(st.integers(-50, 150))
def test_an_odi_total_is_a_percentage(total: int) -> None:
    odi = measures()["odi"]
    if 0 <= total <= 100:
        check_score(odi, total, None)
    else:
        with pytest.raises(ScoreRefused, match="0 to 100%"):
            check_score(odi, total, None)
    with pytest.raises(ScoreRefused, match="no subscale"):
        check_score(odi, 10, 2)


def scores(measure: str, *totals: int) -> list[Score]:
    return [Score(DAY + timedelta(days=i), measure, t) for i, t in enumerate(totals)]


def test_change_is_better_the_way_the_measure_improves() -> None:
    odi, mskhq = measures()["odi"], measures()["mskhq"]
    found = change(odi, scores("odi", 44, 50, 32))
    assert found is not None and found.points == 12 and found.matters
    found = change(odi, scores("odi", 40, 49))
    assert found is not None and found.points == -9 and not found.matters
    found = change(mskhq, scores("mskhq", 30, 36))
    assert found is not None and found.points == 6 and found.matters  # the MCID itself
    assert change(odi, scores("odi", 30)) is None
    assert change(odi, scores("rmdq", 10, 2)) is None
    assert change(START_BACK, [Score(DAY, "start_back", 5, 3)] * 2) is None


def test_change_takes_the_first_and_latest_by_day() -> None:
    odi = measures()["odi"]
    late, early = Score(DAY + timedelta(days=9), "odi", 20), Score(DAY, "odi", 40)
    found = change(odi, [late, early])
    assert found is not None and (found.first, found.latest) == (early, late)


def test_the_shipped_measures_have_their_mcids() -> None:
    found = measures()
    assert list(found) == ["start_back", "odi", "rmdq", "mskhq"]
    assert [m.mcid for m in found.values()] == [None, 10, 5, 6]
    assert [(m.minimum, m.maximum) for m in found.values()] == [(0, 9), (0, 100), (0, 24), (0, 56)]


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        ("mcid = 10  #", "mcid = 0  #", "greater than or equal to 1"),
        ("mcid = 10  #", "mcid = 101  #", "more than the whole range"),
        ("maximum = 24", "maximum = 0", "greater than or equal to 1"),
        ("[measures.mskhq]", "[measures.sf36]", "expected start_back, odi, rmdq, mskhq"),
        ('better = "higher"', 'better = "up"', "better"),
        ('unit = "%"', 'unit = "percent"', "unit"),
        ("subscale = { name", "mcid = 3\\nsubscale = { name", "no mcid"),
    ],
)
def test_a_broken_scores_file_is_refused_when_loaded(
    tmp_path: Path, old: str, new: str, said: str
) -> None:
    text = (CONTENT_DIR / "scores.toml").read_text(encoding="utf-8")
    assert old in text
    broken = tmp_path / "scores.toml"
    broken.write_text(text.replace(old, new.replace("\\n", "\n"), 1), encoding="utf-8")
    with pytest.raises(ContentError, match=said):
        load_measures(broken)
