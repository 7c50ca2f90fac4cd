"""`monitoring.steady_until`: the first day a patient's concerns may change with no write
(issue #20: the dashboard's kept summaries are computed again on that day)."""

from __future__ import annotations

from datetime import date

from lumbar.domain.model import Pain
from lumbar.domain.monitoring import Attention, Concern, attention, steady_until
from lumbar.domain.progress import progress_report
from tests.builders import START, day, history, program, session


def concerns_on(on: date) -> Attention:
    lived = history(session(START, ("cat-cow", Pain.NONE)))
    progress = progress_report(on, lived, program())
    return attention(on, lived, progress, [], min_adherence_pct=0)


def test_before_a_program_starts_only_a_write_changes_the_concerns() -> None:
    assert steady_until(START, None) is None
    found = attention(START, None, None, [], min_adherence_pct=0)
    assert found == attention(date(2027, 6, 1), None, None, [], min_adherence_pct=0)


def test_a_running_program_may_change_them_the_next_day() -> None:
    """A week without activity is reached with no write: on day 7, not on day 6. The
    summary computed on day 6 says to compute it again on day 7."""
    assert steady_until(day(6), history()) == day(7)
    assert Concern.INACTIVE not in [f.concern for f in concerns_on(day(6)).findings]
    assert Concern.INACTIVE in [f.concern for f in concerns_on(day(7)).findings]
