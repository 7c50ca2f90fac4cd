"""HTML to PDF with WeasyPrint: real typography, page sizes from CSS, and SVG figures.

Every PDF is tagged as PDF/UA-1 asks: a structure tree in the HTML's order (headings,
lists, figures with their alternative text from each SVG's <title>), the language of
<html lang>, and the <title> shown as the window's title. A screen reader then reads the
page as it is laid out, not in the order the drawing commands happen to come.

WeasyPrint needs pango from the operating system (`scripts/install-system` installs it on
Debian); where it is missing, making a PDF is refused with what to install, and nothing
else in lumbar is affected (it is imported only here, when a PDF is asked for).
"""

from __future__ import annotations

from lumbar.errors import UserError

MISSING = (
    "making a PDF needs the pango library from your system "
    "(Debian or Ubuntu: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0); "
    "the HTML version works without it"
)


COMPACT = "compact"
"""The class a one-page document's body gets when its first layout runs over a page; its
style sheet says how to tighten (smaller figures and type)."""


TAGGED = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}
"""WeasyPrint's options for a tagged PDF, given when it writes the file (where it marks
each box's content and builds the tree): the variant adds the XMP metadata that names it
PDF/UA-1 and PDF 1.7."""


def write_pdf(html: str, *, out_name: str = "the PDF", one_page: bool = False) -> bytes:
    """The PDF of an HTML document, as bytes. With `one_page`, a layout that runs onto a
    second page is laid out again, compact."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as error:
        raise UserError(f"{out_name}: {MISSING} ({error})") from error
    document = HTML(string=html).render()
    if one_page and len(document.pages) > 1:
        compact = html.replace('<body class="', f'<body class="{COMPACT} ', 1)
        document = HTML(string=compact).render()
    pdf: bytes = document.write_pdf(**TAGGED)
    return pdf
