"""Where a chart's labels go: each beside what it names, never over a point, another label,
or the edge of the drawing.

A label is tried in a few places in turn (above its point, below, right, left; a guide's at
the right end of its line, above then below, then at the left end) and takes the first
that is free. A point's value with no free place is left out: the table under each chart
holds every number, and a value drawn over another is worse than none.

Text is measured here without a browser, from its length: `CHAR_WIDTH` and the ascent and
descent are the widest of the sans-serif fonts the page may fall back to, so the boxes
are a little larger than the drawn text (tests/browser/test_reading.py measures the real
ones with getBBox).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

Anchor = Literal["start", "middle", "end"]

CHAR_WIDTH = 0.66
"""A character's width in ems, the widest of the fonts (bold digits in DejaVu Sans)."""
ASCENT, DESCENT = 0.96, 0.3
"""From the baseline up and down, in ems (getBBox covers the font's whole line box)."""
GAP = 3.0
"""Space kept between a label and anything else, in the chart's units."""


@dataclass(frozen=True, slots=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: Box) -> bool:
        return not (
            self.right <= other.left
            or other.right <= self.left
            or self.bottom <= other.top
            or other.bottom <= self.top
        )

    def inside(self, frame: Box) -> bool:
        return (
            self.left >= frame.left
            and self.top >= frame.top
            and self.right <= frame.right
            and self.bottom <= frame.bottom
        )

    def grown(self, by: float) -> Box:
        return Box(self.left - by, self.top - by, self.right + by, self.bottom + by)


@dataclass(frozen=True, slots=True)
class Label:
    """Text at (x, y), y being its baseline, as SVG draws it."""

    x: float
    y: float
    text: str
    anchor: Anchor
    size: float

    @property
    def box(self) -> Box:
        return text_box(self.x, self.y, self.text, self.anchor, self.size)


def text_box(x: float, y: float, text: str, anchor: Anchor, size: float) -> Box:
    width = len(text) * size * CHAR_WIDTH
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    return Box(left, y - ASCENT * size, left + width, y + DESCENT * size)


def point_box(x: float, y: float, radius: float) -> Box:
    return Box(x - radius, y - radius, x + radius, y + radius)


Segment = tuple[float, float, float, float]
"""A piece of the chart's line, from (x1, y1) to (x2, y2)."""


def place(
    text: str,
    candidates: Sequence[tuple[float, float, Anchor]],
    *,
    size: float,
    frame: Box,
    taken: Iterable[Box],
    lines: Sequence[Segment] = (),
) -> Label | None:
    """The first candidate (x, baseline y, anchor) whose box lies inside `frame` and, with
    `GAP` around it, clear of every box `taken`; None when none is. A place the chart's
    line does not cross comes first; crossing it is allowed when nothing else is free."""
    busy = list(taken)
    free = []
    for x, y, anchor in candidates:
        label = Label(x, y, text, anchor, size)
        box = label.box
        if box.inside(frame) and not any(box.grown(GAP).overlaps(b) for b in busy):
            if not any(crosses(box, segment) for segment in lines):
                return label
            free.append(label)
    return free[0] if free else None


def crosses(box: Box, segment: Segment) -> bool:
    """Whether the segment passes through the box (Liang-Barsky clipping)."""
    x1, y1, x2, y2 = segment
    dx, dy = x2 - x1, y2 - y1
    low, high = 0.0, 1.0
    for p, q in (
        (-dx, x1 - box.left),
        (dx, box.right - x1),
        (-dy, y1 - box.top),
        (dy, box.bottom - y1),
    ):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return False
    return True


def around_point(
    x: float, y: float, radius: float, size: float
) -> list[tuple[float, float, Anchor]]:
    """Above the point, below it, to its right, to its left, then at its four corners."""
    gap = radius + GAP + 1
    middle = y + (ASCENT - DESCENT) * size / 2
    above, below = y - gap - DESCENT * size, y + gap + ASCENT * size
    return [
        (x, above, "middle"),
        (x, below, "middle"),
        (x + gap, middle, "start"),
        (x - gap, middle, "end"),
        (x - gap, above, "end"),
        (x + gap, above, "start"),
        (x - gap, below, "end"),
        (x + gap, below, "start"),
    ]


SLIDE = 16.0
"""How far a guide's label moves along its line at each try."""
LIFTS = (0.0, 12.0, 24.0)
"""How much farther from its line a guide's label goes when no place next to it is free."""


def along_line(
    y: float, left: float, right: float, size: float
) -> list[tuple[float, float, Anchor]]:
    """Next to a horizontal line, above it then below, ending at its right end and then
    sliding left along it; then a little farther from the line, and farther again."""
    candidates: list[tuple[float, float, Anchor]] = []
    for lift in LIFTS:
        above = y - GAP - DESCENT * size - lift
        below = y + GAP + ASCENT * size + lift
        end = right
        while end > left:
            candidates += [(end, above, "end"), (end, below, "end")]
            end -= SLIDE
    return candidates
