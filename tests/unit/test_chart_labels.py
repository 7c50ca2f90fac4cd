"""Where the charts' labels go (`formats/chart_labels.py`, `formats/charts.py`): beside
what they name, never over a point, another label, or the edge of the drawing; PSFS values
to one decimal. The same rule measured in a real browser: tests/browser/test_reading.py."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import timedelta
from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from lumbar.domain.model import CheckIn, ExerciseResult, Pain, SessionLog
from lumbar.domain.progress import BadPain, Progress, progress_report
from lumbar.formats import charts
from lumbar.formats.chart_labels import Box, around_point, crosses, place, point_box, text_box
from tests.builders import START, day, history, program

PROGRAM = program()


def _report(pains: Sequence[int], psfs: Sequence[tuple[int, ...]]) -> Progress:
    events = [
        CheckIn(day(7 * (i + 1)), pain=pain, psfs=scores)
        for i, (pain, scores) in enumerate(zip(pains, psfs, strict=True))
    ]
    return progress_report(day(7 * len(pains)), history(*events), PROGRAM)


def _boxes(chart: charts.Chart) -> tuple[list[Box], list[Box]]:
    """The labels' boxes, and the points' circles."""
    labels = [g.placed.box for g in chart.guides if g.placed]
    labels += [p.label.box for p in chart.points if p.label]
    circles = [point_box(p.x, p.y, 5) for p in chart.points]
    return labels, circles


def _assert_clear(chart: charts.Chart) -> None:
    frame = Box(0, 0, chart.width, chart.height)
    labels, circles = _boxes(chart)
    for label in labels:
        assert label.inside(frame), label
        assert not any(label.overlaps(circle) for circle in circles), label
    for one, other in combinations(labels, 2):
        assert not one.overlaps(other), (one, other)


def test_a_label_takes_the_first_free_place() -> None:
    frame = Box(0, 0, 200, 100)
    candidates = around_point(100, 50, 7, 16)
    above = place("6", candidates, size=16, frame=frame, taken=[])
    assert above is not None and above.y < 50 and above.anchor == "middle"

    below = place("6", candidates, size=16, frame=frame, taken=[above.box])
    assert below is not None and below.y > 50

    nowhere = place("6", candidates, size=16, frame=Box(95, 45, 105, 55), taken=[])
    assert nowhere is None


def test_a_label_never_leaves_the_frame() -> None:
    """A value at the top edge goes below its point; one at the right edge, to its left."""
    frame = Box(0, 0, 200, 100)
    top = place("10", around_point(100, 8, 7, 16), size=16, frame=frame, taken=[])
    assert top is not None and top.y > 8 and top.box.inside(frame)

    corner = place("6.3", around_point(196, 8, 7, 16), size=16, frame=frame, taken=[])
    assert corner is not None and corner.anchor == "end" and corner.box.inside(frame)


def test_text_boxes_grow_with_the_text_and_follow_the_anchor() -> None:
    short, long = text_box(50, 50, "6", "start", 16), text_box(50, 50, "6.3", "start", 16)
    assert long.right > short.right and short.left == 50
    assert text_box(50, 50, "6", "end", 16).right == 50
    middle = text_box(50, 50, "66", "middle", 16)
    assert middle.left < 50 < middle.right


def test_the_30_percent_line_and_its_label_stay_off_the_points() -> None:
    """The review's case: '30% better 3.5' was written over a point on that line."""
    report = _report([5, 4, 4, 3, 3, 4, 3, 4], [(3, 4, 5)] * 8)

    chart = charts.pain_chart(report)

    assert [g.label for g in chart.guides] == ["start 6", "30% better 4.2"]
    assert all(g.placed is not None for g in chart.guides)
    _assert_clear(chart)


def test_psfs_values_are_shown_to_one_decimal_and_fit_at_the_edges() -> None:
    """The review's case: '6.33' cut off at the right edge."""
    report = _report([5, 4, 3], [(6, 6, 7), (10, 10, 10), (6, 6, 7)])

    chart = charts.psfs_chart(report)

    assert [p.text for p in chart.points][1:] == ["6.3", "10.0", "6.3"]
    assert all(re.fullmatch(r"\d+\.\d", p.text) for p in chart.points)
    assert all(p.label is not None for p in (chart.points[0], chart.points[-1]))
    _assert_clear(chart)


def test_a_crowded_chart_leaves_out_values_rather_than_overlap_them() -> None:
    pains = [(i * 7) % 11 for i in range(120)]
    report = _report(pains, [(i % 11, 10 - i % 11, 5) for i in range(120)])

    for chart in (charts.pain_chart(report), charts.psfs_chart(report)):
        _assert_clear(chart)
        shown = [p for p in chart.points if p.label]
        assert chart.points[-1].label is not None  # the latest value always
        assert 0 < len(shown) < len(chart.points)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(0, 10), min_size=1, max_size=30),
    st.integers(0, 10),
)
def test_no_history_puts_a_label_over_a_point_or_another_label(pains: list[int], psfs: int) -> None:
    scores = [(psfs, max(psfs - i % 3, 0), min(psfs + i % 2, 10)) for i in range(len(pains))]
    report = _report(pains, scores)

    _assert_clear(charts.pain_chart(report))
    _assert_clear(charts.psfs_chart(report))


def test_the_timeline_puts_bad_pain_beside_the_phase_changes_by_day() -> None:
    later = START + timedelta(days=2)
    h = history(
        SessionLog(START, _results(("cat-cow", Pain.SHARP), ("glute-bridge", Pain.NONE))),
        SessionLog(later, _results(("dead-bug", Pain.RADIATING))),
    )

    entries = charts.timeline(progress_report(later + timedelta(days=1), h, PROGRAM))

    assert [type(e).__name__ for e in entries] == ["PhaseChange", "BadPain", "BadPain"]
    bad = [e for e in entries if isinstance(e, BadPain)]
    assert [(b.on, b.result.exercise_id, b.result.pain) for b in bad] == [
        (START, "cat-cow", Pain.SHARP),
        (later, "dead-bug", Pain.RADIATING),
    ]


def _results(*answers: tuple[str, Pain]) -> tuple[ExerciseResult, ...]:
    return tuple(ExerciseResult(exercise, pain) for exercise, pain in answers)


def test_psfs_text_is_one_decimal() -> None:
    assert [charts.psfs_text(v) for v in (4.333, 6.0, 10)] == ["4.3", "6.0", "10.0"]


def test_a_label_keeps_off_the_line_where_it_can() -> None:
    frame = Box(0, 0, 200, 100)
    rising = (60.0, 90.0, 100.0, 50.0)  # the line comes up to the point from the left
    falling = (100.0, 50.0, 140.0, 10.0)  # and goes on up to the right
    label = place(
        "6", around_point(100, 50, 7, 16), size=16, frame=frame, taken=[], lines=[rising, falling]
    )
    assert label is not None
    assert not crosses(label.box, rising) and not crosses(label.box, falling)
    assert crosses(Box(90, 40, 110, 60), rising) and not crosses(Box(0, 0, 10, 10), rising)
