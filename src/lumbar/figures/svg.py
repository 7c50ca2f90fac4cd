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
from html import escape

from lumbar.figures.body import BODY, MUSCLES
from lumbar.figures.canvas import Canvas, Shape, number, xy
from lumbar.figures.joints import front_view
from lumbar.figures.motion import Timeline, timeline
from lumbar.figures.pose import Figure, Placed
from lumbar.figures.scenery import rise_arrow, roller, stage, stick, turn_arrow, weight
from lumbar.figures.supports import place

PANEL_WIDTH = 300.0
"""The narrowest panel of the key poses side by side."""
LABEL_CHAR = 9.0
"""A generous width of one character of a label (15 px, bold), so a label fits its panel."""
LABEL_HEIGHT = 30.0
GAP = 3.0
"""Width of the outline around near parts, in the background colour."""

STYLE = (
    ".figure{color-scheme:light dark;--fb:#2f5d50;--ff:#6f9a8c;--fm:#c94f1c;--fmf:#d27a55;"
    "--fl:#7b8794;--fmat:#d3dfd9;--fp:#5f6b7a;--fpl:#b7c1cc;--fs:#707c89;--ftint:#e4e9ee;"
    "--ft:#1d2421}"
    "@media (prefers-color-scheme:dark){.figure{--fb:#7cc4ad;--ff:#5b8577;--fm:#ff8a5c;"
    "--fmf:#b4603d;--fl:#6b7a74;--fmat:#2c3833;--fp:#aab8b1;--fpl:#56625d;--fs:#7d8d86;"
    "--ftint:#28322e;--ft:#e9eeeb}}"
    ".fig-part{fill:none;stroke-linecap:round;stroke-linejoin:round}"
    ".fig-near{stroke:var(--fb)}.fig-far{stroke:var(--ff)}"
    ".fig-solid.fig-near{fill:var(--fb)}.fig-solid.fig-far{fill:var(--ff)}"
    ".fig-gap{stroke:var(--fig-gap,Canvas)}.fig-solid.fig-gap{fill:var(--fig-gap,Canvas)}"
    ".fig-muscle{stroke:var(--fm)}.fig-muscle.fig-far{stroke:var(--fmf)}"
    ".fig-floor{stroke:var(--fl);stroke-width:2}.fig-mat{stroke:var(--fmat)}"
    ".fig-prop{stroke:var(--fp)}.fig-prop-light{stroke:var(--fpl)}"
    ".fig-support{stroke:var(--fs)}.fig-tint{stroke:var(--ftint)}"
    ".fig-cue{stroke:var(--fm)}"
    ".fig-label{fill:var(--ft);font:600 15px system-ui,sans-serif}"
    ".fig-still{display:none}"
    "@media (prefers-reduced-motion:reduce){.fig-motion{display:none}.fig-still{display:inline}}"
)
"""Colours for light and dark, each part at least 3:1 against the figure's background
(`Canvas`, also the outline around near parts; a page sets --fig-gap to its own), and
the still pose for reduced motion."""


def _strip(
    body: Placed, segment: str, strip_start: float, strip_end: float, offset: float, canvas: Canvas
) -> str:
    spec = BODY[segment]
    (x0, y0), (x1, y1) = xy(body, spec.start), xy(body, spec.end)
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
    return canvas.line(a, b)


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
                canvas.line(xy(body, spec.start), xy(body, spec.end)),
            )
        )

    def dot(key: str, point: tuple[float, float], radius: float, css: str) -> None:
        add(Shape(key, f"fig-part {css}", radius * 2, canvas.line(point, point)))

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
        dot(f"hand_{side}", xy(body, f"hand_{side}"), 4.5, css)
        highlights(("upper_arm", "forearm"), side)

    def leg(side: str) -> None:
        css = far if side == "far" else "fig-near"
        segment(f"thigh_{side}", css)
        segment(f"shin_{side}", css)
        ankle, heel, toe = (xy(body, f"{p}_{side}") for p in ("ankle", "heel", "toe"))
        foot = f"M{canvas.point(*ankle)}L{canvas.point(*heel)}L{canvas.point(*toe)}Z"
        add(Shape(f"foot_{side}", f"fig-part fig-solid {css}", BODY[f"foot_{side}"].width, foot))
        highlights(("thigh", "shin"), side)

    arm("far")
    leg("far")
    segment("lumbar", "fig-near")
    segment("thorax", "fig-near")
    highlights(("lumbar", "thorax"), None)
    neck, head = xy(body, "neck"), xy(body, "head")
    chin = (neck[0] + (head[0] - neck[0]) * 0.5, neck[1] + (head[1] - neck[1]) * 0.5)
    add(Shape("neck", "fig-part fig-near", BODY["head"].width, canvas.line(neck, chin)))
    dot("head", head, 11.0, "fig-near")
    if figure.props.stick:
        out += stick(body, canvas)
    leg("near")
    if figure.props.weight:
        out += weight(body, canvas)
    arm("near")
    if any(pose.turn for pose in figure.poses):
        out += turn_arrow(body, canvas)
    if any(pose.rise for pose in figure.poses):
        out += rise_arrow(body, canvas)
    return out


def _paths(items: Iterable[Shape]) -> str:
    return "".join(
        f'<path class="{s.css}" stroke-width="{number(s.width)}" d="{s.d}"/>' for s in items
    )


def _body_shapes(figure: Figure, body: Placed, canvas: Canvas) -> list[Shape]:
    return roller(figure, body, canvas) + shapes(figure, body, canvas)


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


def poses_svg(figure: Figure, name: str, *, alt: str | None = None) -> str:
    """The key poses side by side and numbered, for still viewing. With `alt` (the words
    for its title), for print: no labels in the drawing, which is scaled down to fit its
    box and its text with it (to under 2 pt for a standing figure); the page prints them as
    its own text under the figure."""
    bodies = [place(figure, p) for p in figure.poses]
    labelled = alt is None
    longest = max(len(f"{i}. {p.label}") for i, p in enumerate(figure.poses, 1))
    widest = longest * LABEL_CHAR + 24 if labelled else 0.0
    canvas = Canvas(figure, bodies, min_width=max(PANEL_WIDTH, widest))
    panels = []
    for index, (pose, body) in enumerate(zip(figure.poses, bodies, strict=True)):
        label = f"{index + 1}. {pose.label}"
        below = number(canvas.top + canvas.height + LABEL_HEIGHT / 2)
        text = (
            f'<text class="fig-label" x="{number(canvas.width / 2)}" y="{below}" '
            f'text-anchor="middle">{escape(label)}</text>'
            if labelled
            else ""
        )
        panels.append(
            f'<g transform="translate({number(index * canvas.width)} 0)">'
            + stage(figure, canvas)
            + _paths(_body_shapes(figure, body, canvas))
            + f"{text}</g>"
        )
    width = canvas.width * len(figure.poses)
    return (
        _open(
            canvas,
            width,
            canvas.height + (LABEL_HEIGHT if labelled else 0.0),
            f"{name}: key poses" if alt is None else alt,
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
    "support": "#707c89",
    "tint": "#e4e9ee",
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
