"""Charts drawn as SVG (the progress page, the clinician summary): coordinates computed
here, shapes in the templates.

Readable without colour: each line has its own dash pattern and a label at its end, every
point carries its value as text, and a table beside each chart holds the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lumbar.domain.progress import CalendarDay, Progress, Score

WIDTH, HEIGHT = 480, 270
LEFT, RIGHT, TOP, BOTTOM = 34, 14, 28, 34


@dataclass(frozen=True, slots=True)
class Point:
    x: float
    y: float
    value: float
    on: date


@dataclass(frozen=True, slots=True)
class Guide:
    """A horizontal reference line with its label (baseline, the 30% line)."""

    y: float
    label: str
    dash: str


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


def _chart(title: str, scores: tuple[Score, ...], guides: list[tuple[float, str, str]]) -> Chart:
    top, bottom = TOP, HEIGHT - BOTTOM

    def y(value: float) -> float:
        return bottom - (bottom - top) * value / 10

    first = scores[0].on if scores else date.min
    span = max((scores[-1].on - first).days, 1) if scores else 1

    def x(day: date) -> float:
        if len(scores) == 1:
            return LEFT + (WIDTH - RIGHT - LEFT) / 2
        return LEFT + (WIDTH - RIGHT - LEFT) * (day - first).days / span

    points = tuple(Point(x(s.on), y(s.value), s.value, s.on) for s in scores)
    ends = points[:1] if len(points) == 1 else points[:1] + points[-1:]
    dates = tuple((p.x, p.on) for p in ends)
    return Chart(
        title,
        points,
        tuple(Guide(y(value), label, dash) for value, label, dash in guides),
        tuple((y(v), v) for v in range(0, 11, 2)),
        dates,
    )


def pain_chart(progress: Progress) -> Chart:
    baseline = progress.status.improvement.baseline_pain
    guides = [(float(baseline), f"start {baseline}", "2 4")]
    if progress.pain_target < baseline:
        better = f"{progress.pain_target_pct:g}% better {progress.pain_target:g}"
        guides.append((progress.pain_target, better, "8 4"))
    return _chart("Pain, 0 (none) to 10 (worst)", progress.pain, guides)


def psfs_chart(progress: Progress) -> Chart:
    baseline = progress.status.improvement.baseline_psfs
    gain = progress.psfs_target
    guides = [
        (baseline, f"start {baseline:.1f}", "2 4"),
        (gain, f"clearly better {gain:.1f}", "8 4"),
    ]
    return _chart("Activities (PSFS), 0 (can't) to 10 (as before)", progress.psfs, guides)


def weeks(calendar: tuple[CalendarDay, ...]) -> list[tuple[CalendarDay, ...]]:
    return [calendar[i : i + 7] for i in range(0, len(calendar), 7)]
