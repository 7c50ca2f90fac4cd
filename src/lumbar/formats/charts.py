"""Charts drawn as SVG (the progress page, the clinician summary): coordinates computed
here, shapes in the templates.

Readable without colour: each line has its own dash pattern and a label at its end, every
point carries its value as text where it fits (chart_labels.py places the labels clear of
the points, of each other and of the edges), and a table beside each chart holds every
number.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from itertools import pairwise

from lumbar.domain.model import Milestone, Moment, PhaseChange
from lumbar.domain.progress import BadPain, CalendarDay, Progress, Score
from lumbar.formats.chart_labels import Box, Label, along_line, around_point, place, point_box

WIDTH, HEIGHT = 480, 270
LEFT, RIGHT, TOP, BOTTOM = 34, 14, 28, 34
VALUE_SIZE, GUIDE_SIZE = 16, 15
"""The font sizes of the values and of the guides' labels (lumbar.css, .chart), in the
chart's units."""
POINT_RADIUS = 7
"""A point's circle (r=5) with its stroke and a little room."""
FRAME = Box(LEFT, 1, WIDTH - 1, HEIGHT - BOTTOM + 4)
"""Where labels may go: right of the axis' numbers, above the dates."""


@dataclass(frozen=True, slots=True)
class Point:
    x: float
    y: float
    value: float
    on: date
    text: str
    """The value as shown: PSFS to one decimal, pain as it was given."""
    label: Label | None = None
    """Where the value is drawn; None where it does not fit (the table has it)."""


@dataclass(frozen=True, slots=True)
class Guide:
    """A horizontal reference line with its label (baseline, the 30% line)."""

    y: float
    label: str
    dash: str
    placed: Label | None = None


@dataclass(frozen=True, slots=True)
class Chart:
    title: str
    points: tuple[Point, ...]
    guides: tuple[Guide, ...]
    ticks: tuple[tuple[float, int], ...]
    """(y, value) for the vertical axis."""
    dates: tuple[tuple[float, date], ...]
    """(x, day) labels along the bottom: the first and the last."""
    width: int = WIDTH
    height: int = HEIGHT
    axis_gap: int = 8
    """Between the axis' numbers and the chart: less where they have three digits (ODI's
    100), which would not fit left of it otherwise."""

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)

    @property
    def left(self) -> int:
        return LEFT

    @property
    def right(self) -> int:
        return WIDTH - RIGHT

    @property
    def bottom(self) -> int:
        return HEIGHT - BOTTOM


def _chart(
    title: str,
    scores: tuple[Score, ...],
    guides: list[tuple[float, str, str]],
    shown: Callable[[float], str],
    scale: int = 10,
) -> Chart:
    top, bottom = TOP, HEIGHT - BOTTOM

    def y(value: float) -> float:
        return bottom - (bottom - top) * value / scale

    first = scores[0].on if scores else date.min
    span = max((scores[-1].on - first).days, 1) if scores else 1

    def x(day: date) -> float:
        if len(scores) == 1:
            return LEFT + (WIDTH - RIGHT - LEFT) / 2
        return LEFT + (WIDTH - RIGHT - LEFT) * (day - first).days / span

    points = [Point(x(s.on), y(s.value), s.value, s.on, shown(s.value)) for s in scores]
    lines = [Guide(y(value), label, dash) for value, label, dash in guides]
    lines, points = _labelled(lines, points)
    ends = points[:1] if len(points) == 1 else points[:1] + points[-1:]
    dates = tuple((p.x, p.on) for p in ends)
    return Chart(
        title,
        tuple(points),
        tuple(lines),
        tuple((y(v), v) for v in range(0, scale + 1, _tick_step(scale))),
        dates,
    )


def _labelled(guides: list[Guide], points: list[Point]) -> tuple[list[Guide], list[Point]]:
    """The guides and points with their labels placed: the latest value first (where the
    person is now), then the first, then the guides' (they slide along their lines to a
    free place), then the other values from the latest back, each where it still fits."""
    taken = [point_box(p.x, p.y, POINT_RADIUS) for p in points]
    lines = [(a.x, a.y, b.x, b.y) for a, b in pairwise(points)]
    lines += [(float(LEFT), g.y, float(WIDTH - RIGHT), g.y) for g in guides]
    labelled = list(points)

    def value(index: int) -> None:
        p = points[index]
        candidates = around_point(p.x, p.y, POINT_RADIUS, VALUE_SIZE)
        label = place(p.text, candidates, size=VALUE_SIZE, frame=FRAME, taken=taken, lines=lines)
        if label is not None:
            taken.append(label.box)
        labelled[index] = replace(p, label=label)

    ends = sorted({len(points) - 1, 0}, reverse=True) if points else []
    for index in ends:
        value(index)
    placed_guides = []
    for guide in guides:
        candidates = along_line(guide.y, LEFT, WIDTH - RIGHT, GUIDE_SIZE)
        label = place(
            guide.label, candidates, size=GUIDE_SIZE, frame=FRAME, taken=taken, lines=lines
        )
        if label is not None:
            taken.append(label.box)
        placed_guides.append(replace(guide, placed=label))
    for index in range(len(points) - 2, 0, -1):
        value(index)
    return placed_guides, labelled


def pain_chart(progress: Progress) -> Chart:
    baseline = progress.status.improvement.baseline_pain
    guides = [(float(baseline), f"start {baseline}", "2 4")]
    if progress.pain_target < baseline:
        better = f"{progress.pain_target_pct:g}% better {progress.pain_target:g}"
        guides.append((progress.pain_target, better, "8 4"))
    return _chart("Pain, 0 (none) to 10 (worst)", progress.pain, guides, _pain_text)


def psfs_chart(progress: Progress) -> Chart:
    baseline = progress.status.improvement.baseline_psfs
    gain = progress.psfs_target
    guides = [
        (baseline, f"start {baseline:.1f}", "2 4"),
        (gain, f"clearly better {gain:.1f}", "8 4"),
    ]
    title = "Activities (PSFS), 0 (can't) to 10 (as before)"
    return _chart(title, progress.psfs, guides, psfs_text)


def psfs_text(value: float) -> str:
    """A PSFS mean as people read it: one decimal (4.3, 6.0)."""
    return f"{value:.1f}"


def _pain_text(value: float) -> str:
    return f"{value:g}"


def _tick_step(scale: int) -> int:
    """The step between the axis' numbers: six steps or fewer, ending at the top of the
    scale where a round step does (9: 0, 3, 6, 9), else a round one (56: 0 to 50)."""
    steps = (2, 3, 4, 5, 10, 20, 25, 50)
    fits = [step for step in steps if scale / step <= 6]  # pragma: no mutate (as said)
    return next((step for step in fits if scale % step == 0), fits[0])


def score_chart(title: str, scores: tuple[Score, ...], *, maximum: int, first: str) -> Chart:
    """A measure a clinician entered the totals of (issue #20: ODI, RMDQ, MSK-HQ, STarT
    Back), on its own range, with the first score as the guide (`first` its label)."""
    guides = [(scores[0].value, first, "2 4")] if scores else []
    chart = _chart(title, scores, guides, _pain_text, scale=maximum)
    return replace(chart, axis_gap=3) if maximum >= 100 else chart


def timeline(progress: Progress) -> list[PhaseChange | Milestone | BadPain]:
    """The Progress page's timeline, oldest first: each phase change, each other milestone
    (the review, a recovery, the end of the program) and each sharp or down-the-leg answer,
    on their days (a day's phase change first, its answers last)."""
    entries: list[tuple[date, int, PhaseChange | Milestone | BadPain]] = [
        (change.on, 0, change) for change in progress.status.phase_history
    ]
    entries += [
        (m.on, 1, m)
        for m in progress.status.milestones
        if m.moment not in (Moment.PHASE_UP, Moment.PHASE_BACK)
    ]
    entries += [(bad.on, 2, bad) for bad in progress.bad_pain]
    return [entry for _, _, entry in sorted(entries, key=lambda e: (e[0], e[1]))]


def weeks(calendar: tuple[CalendarDay, ...]) -> list[tuple[CalendarDay, ...]]:
    return [calendar[i : i + 7] for i in range(0, len(calendar), 7)]
