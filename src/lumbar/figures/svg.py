"""Draw a figure as SVG: one pose still, the key poses side by side, or the moving cycle.

Every part is a stroked path with round ends (a limb is a thick line, the head and hands
are dots), so one moving picture is the same paths with their `d` animated (SMIL), which
every browser plays without script and the session player can pause and seek. The figure
carries its own light and dark colours, so it looks right inline, as an image and saved as
a file. With `prefers-reduced-motion`, the moving figure shows its main pose still.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape

from lumbar.figures.body import BODY, MUSCLES, ROLLER_RADIUS
from lumbar.figures.motion import Timeline, timeline
from lumbar.figures.pose import Figure, Placed, front_view, place

MIN_WIDTH = 200.0
"""The narrowest picture: a standing figure keeps some floor on either side."""
PANEL_WIDTH = 300.0
"""The narrowest panel of the key poses side by side."""
LABEL_CHAR = 9.0
"""A generous width of one character of a label (15 px, bold), so a label fits its panel."""
FLOOR_Y = 204.0
"""Where the floor line runs in the picture; the model's y=0."""
LABEL_HEIGHT = 30.0
MARGIN = 10.0
GAP = 3.0
"""Width of the outline around near parts, in the background colour."""
SEAT_HEIGHT = 46.0
CHAIR_TOP = SEAT_HEIGHT + 46.0

STYLE = (
    ".figure{color-scheme:light dark;--fb:#2f5d50;--ff:#6f9a8c;--fm:#c94f1c;--fmf:#d27a55;"
    "--fl:#7b8794;--fmat:#d3dfd9;--fp:#5f6b7a;--fpl:#b7c1cc;--ft:#1d2421}"
    "@media (prefers-color-scheme:dark){.figure{--fb:#7cc4ad;--ff:#5b8577;--fm:#ff8a5c;"
    "--fmf:#b4603d;--fl:#6b7a74;--fmat:#2c3833;--fp:#aab8b1;--fpl:#56625d;--ft:#e9eeeb}}"
    ".fig-part{fill:none;stroke-linecap:round;stroke-linejoin:round}"
    ".fig-near{stroke:var(--fb)}.fig-far{stroke:var(--ff)}"
    ".fig-solid.fig-near{fill:var(--fb)}.fig-solid.fig-far{fill:var(--ff)}"
    ".fig-gap{stroke:var(--fig-gap,Canvas)}.fig-solid.fig-gap{fill:var(--fig-gap,Canvas)}"
    ".fig-muscle{stroke:var(--fm)}.fig-muscle.fig-far{stroke:var(--fmf)}"
    ".fig-floor{stroke:var(--fl);stroke-width:2}.fig-mat{stroke:var(--fmat)}"
    ".fig-prop{stroke:var(--fp)}.fig-prop-light{stroke:var(--fpl)}"
    ".fig-cue{stroke:var(--fm)}"
    ".fig-label{fill:var(--ft);font:600 15px system-ui,sans-serif}"
    ".fig-still{display:none}"
    "@media (prefers-reduced-motion:reduce){.fig-motion{display:none}.fig-still{display:inline}}"
)
"""Colours for light and dark, each part at least 3:1 against the figure's background
(`Canvas`, also the outline around near parts; a page sets --fig-gap to its own), and
the still pose for reduced motion."""


@dataclass(frozen=True, slots=True)
class Shape:
    key: str
    css: str
    width: float
    d: str


def number(value: float) -> str:
    text = f"{value:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


class Canvas:
    """Turns model coordinates (y up, floor at 0) into the picture's, centred once."""

    def __init__(
        self, figure: Figure, bodies: Iterable[Placed], min_width: float = MIN_WIDTH
    ) -> None:
        xs: list[float] = []
        top = 0.0
        if figure.props.chair is not None:
            xs += [figure.props.chair - 46.0, figure.props.chair + 3.0]
            top = CHAIR_TOP
        for body in bodies:
            for name, (x, y, _) in body.points.items():
                r = body.radius(name)
                xs += [x - r, x + r]
                top = max(top, y + r)
        self.width = max(min_width, max(xs) - min(xs) + 2 * MARGIN)
        """The picture is as wide as the figure needs, so a lying figure fills a phone."""
        self.shift = self.width / 2 - (min(xs) + max(xs)) / 2
        self.left, self.right = min(xs) + self.shift, max(xs) + self.shift
        self.top = FLOOR_Y - top - MARGIN
        """The picture's highest point: the view starts there, so lying figures are short."""

    @property
    def height(self) -> float:
        return FLOOR_Y + 10.0 - self.top

    def point(self, x: float, y: float) -> str:
        return f"{number(x + self.shift)} {number(FLOOR_Y - y)}"


def _line(canvas: Canvas, a: tuple[float, float], b: tuple[float, float]) -> str:
    return f"M{canvas.point(*a)}L{canvas.point(*b)}"


def _xy(body: Placed, point: str) -> tuple[float, float]:
    x, y, _ = body.points[point]
    return (x, y)


def _strip(
    body: Placed, segment: str, strip_start: float, strip_end: float, offset: float, canvas: Canvas
) -> str:
    spec = BODY[segment]
    (x0, y0), (x1, y1) = _xy(body, spec.start), _xy(body, spec.end)
    length = math.hypot(x1 - x0, y1 - y0)
    # A segment pointing straight at the viewer still gets its band (a dot), so every frame
    # of a moving figure has the same paths.
    ux, uy = ((x1 - x0) / length, (y1 - y0) / length) if length > 1e-6 else (1.0, 0.0)
    nx, ny = (-uy, ux) if spec.front > 0 else (uy, -ux)
    twist = (
        body.pose.twist_pelvis
        if segment.startswith(("lumbar", "thigh", "shin", "foot"))
        else body.pose.twist_chest
    )
    radius = _width(body, segment) / 2
    shift = offset * radius * math.cos(math.radians(twist))
    a = (x0 + ux * length * strip_start + nx * shift, y0 + uy * length * strip_start + ny * shift)
    b = (x0 + ux * length * strip_end + nx * shift, y0 + uy * length * strip_end + ny * shift)
    return _line(canvas, a, b)


def _width(body: Placed, segment: str) -> float:
    if segment == "lumbar":
        return body.torso_width[0]
    if segment == "thorax":
        return body.torso_width[1]
    return BODY[segment].width


def shapes(figure: Figure, body: Placed, canvas: Canvas) -> list[Shape]:
    """The figure's paths for one body, back to front: far limbs, trunk, near limbs."""
    out: list[Shape] = []

    def add(shape: Shape) -> None:
        """Near parts get a thin outline in the background colour, so an arm or a leg in
        front of the trunk stays readable."""
        if "fig-near" in shape.css and "fig-muscle" not in shape.css:
            out.append(Shape(f"{shape.key}-gap", "fig-part fig-gap", shape.width + GAP, shape.d))
        out.append(shape)

    def segment(name: str, css: str) -> None:
        spec = BODY[name]
        add(
            Shape(
                name,
                f"fig-part {css}",
                _width(body, name),
                _line(canvas, _xy(body, spec.start), _xy(body, spec.end)),
            )
        )

    def dot(key: str, point: tuple[float, float], radius: float, css: str) -> None:
        add(Shape(key, f"fig-part {css}", radius * 2, _line(canvas, point, point)))

    # Seen from the front, neither side is behind the other: both are drawn dark.
    far = "fig-near" if front_view(body.pose) else "fig-far"

    def highlights(segments: Sequence[str], side: str | None) -> None:
        if side is not None and figure.highlight_side not in (None, side):
            return
        css = f"fig-muscle {far if side == 'far' else 'fig-near'}"
        for muscle in figure.muscles:
            for index, strip in enumerate(MUSCLES[muscle]):
                if strip.segment not in segments:
                    continue
                name = strip.segment if side is None else f"{strip.segment}_{side}"
                path = _strip(body, name, strip.start, strip.end, strip.offset, canvas)
                width = _width(body, name) * strip.width
                out.append(Shape(f"{muscle}-{index}-{side}", f"fig-part {css}", width, path))

    def arm(side: str) -> None:
        css = far if side == "far" else "fig-near"
        segment(f"upper_arm_{side}", css)
        segment(f"forearm_{side}", css)
        dot(f"hand_{side}", _xy(body, f"hand_{side}"), 4.5, css)
        highlights(("upper_arm", "forearm"), side)

    def leg(side: str) -> None:
        css = far if side == "far" else "fig-near"
        segment(f"thigh_{side}", css)
        segment(f"shin_{side}", css)
        ankle, heel, toe = (_xy(body, f"{p}_{side}") for p in ("ankle", "heel", "toe"))
        foot = f"M{canvas.point(*ankle)}L{canvas.point(*heel)}L{canvas.point(*toe)}Z"
        add(Shape(f"foot_{side}", f"fig-part fig-solid {css}", BODY[f"foot_{side}"].width, foot))
        highlights(("thigh", "shin"), side)

    arm("far")
    leg("far")
    segment("lumbar", "fig-near")
    segment("thorax", "fig-near")
    highlights(("lumbar", "thorax"), None)
    neck, head = _xy(body, "neck"), _xy(body, "head")
    chin = (neck[0] + (head[0] - neck[0]) * 0.5, neck[1] + (head[1] - neck[1]) * 0.5)
    add(Shape("neck", "fig-part fig-near", BODY["head"].width, _line(canvas, neck, chin)))
    dot("head", head, 11.0, "fig-near")
    leg("near")
    if figure.props.weight:
        hand = _xy(body, "hand_near")
        dot("weight-handle", (hand[0], hand[1] - 3.0), 7.0, "fig-prop")
        dot("weight", (hand[0], hand[1] - 9.0), 13.0, "fig-prop")
    arm("near")
    if any(pose.turn for pose in figure.poses):
        out += _turn_arrow(body, canvas)
    if any(pose.rise for pose in figure.poses):
        out += _rise_arrow(body, canvas)
    return out


def _rise_arrow(body: Placed, canvas: Canvas) -> list[Shape]:
    """An arrow lifting from the belly, for a breath in; it fades in with the pose's `rise`."""
    (x0, y0), (x1, y1) = _xy(body, "hip"), _xy(body, "waist")
    x, y = (x0 + x1) / 2, max(y0, y1) + body.torso_width[0] / 2 + 10
    shaft = f"M{canvas.point(x, y)}L{canvas.point(x, y + 16)}"
    head = f"M{canvas.point(x - 6, y + 10)}L{canvas.point(x, y + 17)}L{canvas.point(x + 6, y + 10)}"
    width = 3.0 * body.pose.rise
    return [
        Shape("rise-shaft", "fig-part fig-cue", width, shaft),
        Shape("rise-head", "fig-part fig-cue", width, head),
    ]


def _turn_arrow(body: Placed, canvas: Canvas) -> list[Shape]:
    """A curved arrow around the chest, along its front, pointing the way it turns (toward
    the viewer); its width follows the pose's `turn`, so it fades in as the trunk turns."""
    (x0, y0), (x1, y1) = _xy(body, "waist"), _xy(body, "neck")
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    rx, ry = 24.0, 7.0
    start, end = (cx + rx, cy), (cx - rx * 0.94, cy - ry * 0.34)
    arc = f"M{canvas.point(*start)}A{number(rx)} {number(ry)} 0 0 1 {canvas.point(*end)}"
    head = (
        f"M{canvas.point(end[0] + 4, end[1] + 6)}L{canvas.point(*end)}"
        f"L{canvas.point(end[0] + 8, end[1] - 3)}"
    )
    width = 3.0 * body.pose.turn
    return [
        Shape("turn-arc", "fig-part fig-cue", width, arc),
        Shape("turn-head", "fig-part fig-cue", width, head),
    ]


def _roller(body: Placed, canvas: Canvas) -> list[Shape]:
    point = body.roller_point()
    if point is None:
        return []
    centre = (point[0], ROLLER_RADIUS)
    return [
        Shape("roller", "fig-part fig-prop", ROLLER_RADIUS * 2, _line(canvas, centre, centre)),
        Shape(
            "roller-end", "fig-part fig-prop-light", ROLLER_RADIUS, _line(canvas, centre, centre)
        ),
    ]


def stage(figure: Figure, canvas: Canvas, anchor_x: float = 0.0) -> str:
    """What does not move: the floor, the mat under the figure, a chair."""
    parts = [f'<path class="fig-floor" d="M2 {number(FLOOR_Y)}H{number(canvas.width - 2)}"/>']
    if figure.props.mat:
        y = number(FLOOR_Y + 3.5)
        left, right = number(canvas.left - 6), number(canvas.right + 6)
        parts.append(f'<path class="fig-part fig-mat" stroke-width="6" d="M{left} {y}H{right}"/>')
    if figure.props.chair is not None:
        front = anchor_x + figure.props.chair
        back = front - 40.0
        seat = f"M{canvas.point(back, SEAT_HEIGHT)}L{canvas.point(front, SEAT_HEIGHT)}"
        legs = (
            f"M{canvas.point(front - 2, SEAT_HEIGHT)}L{canvas.point(front - 2, 0)}"
            f"M{canvas.point(back + 2, SEAT_HEIGHT)}L{canvas.point(back + 2, 0)}"
            f"M{canvas.point(back + 2, SEAT_HEIGHT)}L{canvas.point(back - 4, CHAIR_TOP)}"
        )
        parts.append(f'<path class="fig-part fig-prop-light" stroke-width="6" d="{seat}{legs}"/>')
    return "".join(parts)


def _paths(items: Iterable[Shape]) -> str:
    return "".join(
        f'<path class="{s.css}" stroke-width="{number(s.width)}" d="{s.d}"/>' for s in items
    )


def _body_shapes(figure: Figure, body: Placed, canvas: Canvas) -> list[Shape]:
    return _roller(body, canvas) + shapes(figure, body, canvas)


def _open(
    canvas: Canvas,
    view_width: float,
    view_height: float,
    name: str,
    description: str,
    css: str,
    extra: str = "",
) -> str:
    box = f"0 {number(canvas.top)} {number(view_width)} {number(view_height)}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{box}" '
        f'class="figure {css}" role="img" aria-label="{escape(name)}"{extra}>'
        f"<title>{escape(name)}</title><desc>{escape(description)}</desc><style>{STYLE}</style>"
    )


def describe(figure: Figure, name: str) -> str:
    steps = "; then ".join(p.label for p in figure.poses)
    return f"{name}: {steps}."


def pose_svg(figure: Figure, name: str, pose_index: int | None = None) -> str:
    """One pose, still: the main (held) pose unless another is chosen."""
    pose = figure.main_pose if pose_index is None else figure.poses[pose_index]
    body = place(figure, pose)
    canvas = Canvas(figure, [place(figure, p) for p in figure.poses])
    return (
        _open(
            canvas,
            canvas.width,
            canvas.height,
            f"{name}: {pose.label}",
            describe(figure, name),
            "figure-pose",
        )
        + stage(figure, canvas)
        + _paths(_body_shapes(figure, body, canvas))
        + "</svg>"
    )


def poses_svg(figure: Figure, name: str) -> str:
    """The key poses side by side and numbered, for print and for still viewing."""
    bodies = [place(figure, p) for p in figure.poses]
    longest = max(len(f"{i}. {p.label}") for i, p in enumerate(figure.poses, 1))
    canvas = Canvas(figure, bodies, min_width=max(PANEL_WIDTH, longest * LABEL_CHAR + 24))
    panels = []
    for index, (pose, body) in enumerate(zip(figure.poses, bodies, strict=True)):
        label = f"{index + 1}. {pose.label}"
        below = number(canvas.top + canvas.height + LABEL_HEIGHT / 2)
        panels.append(
            f'<g transform="translate({number(index * canvas.width)} 0)">'
            + stage(figure, canvas)
            + _paths(_body_shapes(figure, body, canvas))
            + f'<text class="fig-label" x="{number(canvas.width / 2)}" y="{below}" '
            f'text-anchor="middle">{escape(label)}</text></g>'
        )
    width = canvas.width * len(figure.poses)
    return (
        _open(
            canvas,
            width,
            canvas.height + LABEL_HEIGHT,
            f"{name}: key poses",
            describe(figure, name),
            "figure-poses",
        )
        + "".join(panels)
        + "</svg>"
    )


def animated_svg(figure: Figure, name: str, hold: float | None = None) -> str:
    """The moving figure, one repetition looping, with the hold lasting `hold` seconds."""
    cycle: Timeline = timeline(figure, hold)
    bodies = [frame.body for frame in cycle.frames]
    canvas = Canvas(figure, bodies)
    frames = [_body_shapes(figure, body, canvas) for body in bodies]
    times = ";".join(
        f"{frame.time / cycle.duration:.4f}".rstrip("0").rstrip(".") or "0"
        for frame in cycle.frames
    )
    duration = f"{cycle.duration:.2f}s"
    keys = [shape.key for shape in frames[0]]
    if any([shape.key for shape in frame] != keys for frame in frames):
        raise ValueError(f"{figure.exercise_id}: frames draw different parts")
    animated = []
    for index, first in enumerate(frames[0]):
        column = [frame[index] for frame in frames]
        paths = [s.d for s in column]
        widths = [number(s.width) for s in column]
        tag = f'<path class="{first.css}" stroke-width="{widths[0]}" d="{paths[0]}"'
        animations = []
        for attribute, values in (("d", paths), ("stroke-width", widths)):
            if len(set(values)) > 1:
                animations.append(
                    f'<animate attributeName="{attribute}" dur="{duration}" '
                    'repeatCount="indefinite" '
                    f'calcMode="linear" keyTimes="{times}" values="{";".join(values)}"/>'
                )
        animated.append(tag + (">" + "".join(animations) + "</path>" if animations else "/>"))
    main = place(figure, figure.main_pose)
    data = (
        f' data-cycle="{cycle.duration:.2f}"'
        + (f' data-hold-start="{cycle.hold_start:.2f}"' if cycle.hold_start is not None else "")
        + (f' data-hold-end="{cycle.hold_end:.2f}"' if cycle.hold_end is not None else "")
    )
    return (
        _open(
            canvas, canvas.width, canvas.height, name, describe(figure, name), "figure-motion", data
        )
        + stage(figure, canvas)
        + f'<g class="fig-motion">{"".join(animated)}</g>'
        + f'<g class="fig-still">{_paths(_body_shapes(figure, main, canvas))}</g>'
        + "</svg>"
    )


PRINT_COLOURS = {
    "near": "#2f5d50",
    "far": "#6f9a8c",
    "muscle": "#c94f1c",
    "muscle-far": "#d27a55",
    "gap": "#ffffff",
    "floor": "#7b8794",
    "mat": "#d3dfd9",
    "prop": "#5f6b7a",
    "prop-light": "#b7c1cc",
    "text": "#1d2421",
}
"""The light colours as plain values, for renderers without CSS in SVG (PDF makers)."""


def for_print(svg: str) -> str:
    """A still figure with its colours as attributes instead of a style sheet: PDF
    renderers (WeasyPrint) draw SVG but not the classes of its `<style>`."""
    import re

    without_style = re.sub(r"<style>.*?</style>", "", svg, flags=re.S)
    return re.sub(
        r'class="([^"]*)"', lambda m: _print_attributes(set(m.group(1).split())), without_style
    )


def _print_attributes(classes: set[str]) -> str:
    if "fig-label" in classes:
        return (
            f'fill="{PRINT_COLOURS["text"]}" font-family="sans-serif" font-size="15" '
            'font-weight="600"'
        )
    if "fig-gap" in classes:
        colour = PRINT_COLOURS["gap"]
    elif "fig-muscle" in classes:
        colour = PRINT_COLOURS["muscle-far" if "fig-far" in classes else "muscle"]
    elif "fig-cue" in classes:
        colour = PRINT_COLOURS["muscle"]
    elif "fig-near" in classes or "fig-far" in classes:
        colour = PRINT_COLOURS["far" if "fig-far" in classes else "near"]
    else:
        key = next(
            (
                c.removeprefix("fig-")
                for c in sorted(classes)
                if c.removeprefix("fig-") in PRINT_COLOURS
            ),
            "near",
        )
        colour = PRINT_COLOURS[key]
    fill = colour if "fig-solid" in classes else "none"
    width = ' stroke-width="2"' if "fig-floor" in classes else ""
    return f'stroke="{colour}" fill="{fill}" stroke-linecap="round" stroke-linejoin="round"{width}'
