"""A link as a QR code (segno makes it): an SVG for the pairing page, text for a terminal.

The pairing link (`lumbar serve --phone`, issue #16) is long and random; a phone's camera
reads it from the screen instead of anyone typing it.
"""

from __future__ import annotations

import io


def svg(link: str, title: str = "The pairing link as a QR code") -> str:
    """The code as inline SVG, dark on a light quiet zone (readable in dark mode too)."""
    import segno

    code = segno.make(link, error="m")
    return str(code.svg_inline(scale=5, dark="#000", light="#fff", title=title))


def terminal(link: str) -> str:
    """The code in block characters, two rows of modules to a line of text."""
    import segno

    out = io.StringIO()
    segno.make(link, error="m").terminal(out=out, compact=True)
    return out.getvalue()
