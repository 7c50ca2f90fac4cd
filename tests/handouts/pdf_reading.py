"""Reading a PDF as assistive technology does: the structure tree (with pikepdf, as a
screen reader walks it) and the text drawn on each page with its size and place (with
pdfplumber, whose characters carry the marked-content id that ties them to the tree).

pdfplumber rather than PyMuPDF: it is pure Python over pdfminer.six (MIT), where PyMuPDF is
AGPL and a compiled wheel; and its characters carry their marked-content ids, which the
reading-order test needs to put text to the tree's elements.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pdfplumber
import pikepdf

SAME_LINE = 1.5
"""Points: text whose tops differ by less is on the same line."""


@dataclass
class Element:
    """A structure element: its type (H1, P, Figure...), alternative text, children in
    reading order, and the marked content it holds directly, as (page, id)."""

    tag: str
    alt: str | None
    children: list[Element] = field(default_factory=list)
    content: list[tuple[int, int]] = field(default_factory=list)

    def walk(self) -> Iterator[Element]:
        yield self
        for child in self.children:
            yield from child.walk()

    def marked(self) -> Iterator[tuple[int, int]]:
        """Its marked content and its children's, in reading order."""
        yield from self.content
        for child in self.children:
            yield from child.marked()


@dataclass(frozen=True)
class Text:
    """The characters of one marked-content sequence: what they say, where, how big."""

    text: str
    page: int
    top: float
    x0: float
    x1: float
    smallest: float


@dataclass
class Read:
    catalog: dict[str, bool | str | None]
    title: str | None
    xmp: dict[str, str]
    tree: Element | None
    texts: dict[tuple[int, int], Text]
    """Every run of text on the pages by (page, marked-content id); id -1 for text marked
    as nothing (invisible to a screen reader)."""

    def text(self, element: Element) -> str:
        """Its words, and its children's, in reading order, one space apart."""
        runs = (self.texts[key].text for key in element.marked() if key in self.texts)
        return " ".join(" ".join(runs).split())


def read(pdf: bytes) -> Read:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        pages = {page.obj.objgen: index for index, page in enumerate(document.pages)}
        root = document.Root
        catalog: dict[str, bool | str | None] = {
            "Lang": str(root.Lang) if "/Lang" in root else None,
            "Marked": bool(root.MarkInfo.get("/Marked", False)) if "/MarkInfo" in root else False,
            "DisplayDocTitle": (
                bool(root.ViewerPreferences.get("/DisplayDocTitle", False))
                if "/ViewerPreferences" in root
                else False
            ),
        }
        title = str(document.docinfo["/Title"]) if "/Title" in document.docinfo else None
        xmp = {key: str(value) for key, value in document.open_metadata().items()}
        tree = None
        if "/StructTreeRoot" in root:
            tree = Element("StructTreeRoot", None)
            _children(root.StructTreeRoot, tree, None, pages)
    return Read(catalog, title, xmp, tree, _texts(pdf))


def _children(
    node: pikepdf.Object, into: Element, page: int | None, pages: dict[tuple[int, int], int]
) -> None:
    kids = node.get("/K")
    if kids is None:
        return
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, int):
            assert page is not None, "marked content without a page"
            into.content.append((page, int(kid)))
        elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            on = pages[kid.Pg.objgen] if "/Pg" in kid else page
            alt = str(kid.Alt) if "/Alt" in kid else None
            child = Element(str(kid.S).removeprefix("/"), alt)
            into.children.append(child)
            _children(kid, child, on, pages)
        elif isinstance(kid, pikepdf.Dictionary) and "/MCID" in kid:
            on = pages[kid.Pg.objgen] if "/Pg" in kid else page
            assert on is not None, "marked content without a page"
            into.content.append((on, int(kid.MCID)))
        # Object references (links, form fields) hold no text.


def _texts(pdf: bytes) -> dict[tuple[int, int], Text]:
    found: dict[tuple[int, int], list[dict[str, Any]]] = {}
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for index, page in enumerate(document.pages):
            for char in page.chars:
                mcid = char.get("mcid")
                found.setdefault((index, -1 if mcid is None else mcid), []).append(char)
    return {
        key: Text(
            "".join(c["text"] for c in chars),
            key[0],
            min(c["top"] for c in chars),
            min(c["x0"] for c in chars),
            max(c["x1"] for c in chars),
            min(c["size"] for c in chars),
        )
        for key, chars in found.items()
    }


def smallest_text(pdf: bytes) -> list[tuple[float, str]]:
    """Every word with its size in points, smallest first."""
    sizes = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            for word in page.extract_words(extra_attrs=["size"]):
                sizes.append((round(word["size"], 2), word["text"]))
    return sorted(sizes)


def reading_order(read: Read) -> list[Text]:
    """The text a screen reader speaks, in the order it speaks it: the tree's marked
    content, depth first, without the figures (read by their alternative text)."""
    assert read.tree is not None
    spoken: list[Text] = []

    def visit(element: Element) -> None:
        if element.tag == "Figure":
            return
        spoken.extend(read.texts[key] for key in element.content if key in read.texts)
        for child in element.children:
            visit(child)

    visit(read.tree)
    return [t for t in spoken if t.text.strip()]


def backwards(spoken: list[Text]) -> list[tuple[str, str]]:
    """Where the reading order goes back up a column: the next text starts above the one
    before, on the same page, without being in a column to its right. A page read in its
    layout's order goes down each column, left to right across a row or columns."""
    wrong = []
    for before, after in zip(spoken, spoken[1:], strict=False):
        if after.page != before.page:
            if after.page < before.page:
                wrong.append((before.text, after.text))
            continue
        above = after.top < before.top - SAME_LINE
        to_the_right = after.x0 >= before.x1 - SAME_LINE
        if above and not to_the_right:
            wrong.append((before.text, after.text))
    return wrong
