"""Every PDF lumbar makes, read as assistive technology and a reader's eyes meet it: tagged
(a structure tree, its language, its title), headings in order, every figure described,
read in the order it is laid out, no text under 6 pt, and a file qpdf finds sound.

The PDFs are the handout of every phase with every exercise the phase holds (A4 and
Letter), the clinician's prescription with its notes, the paused handout and the summary
(after a week, and after a year: compact); see tests/handouts/every_pdf.py.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from lumbar.content.load import default_content
from lumbar.figures.load import drawings_for
from lumbar.formats.pdf import write_pdf
from tests.handouts import every_pdf
from tests.handouts.pdf_reading import Text, backwards, read, reading_order, smallest_text

SMALLEST = 6.0
"""Points: nothing printed smaller (the handout's type is 6.6 to 15 pt)."""
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "handouts"


def _title(html: str) -> str:
    found = re.search(r"<title>(.*?)</title>", html)
    assert found is not None
    return found.group(1)


def _labels() -> dict[str, list[str]]:
    """Each figure's key poses by the name it is taught by (an exercise, a variant or an
    alternative)."""
    content = default_content()
    drawings = drawings_for(content)
    found = {}
    for exercise in content.catalogue.values():
        found[exercise.name] = drawings.labels(exercise.id)
        for version in (*exercise.variants, *exercise.alternatives):
            if drawings.has(exercise.id, version.id):
                found[version.name] = drawings.labels(exercise.id, version.id)
    return found


@pytest.fixture(params=every_pdf.NAMES)
def name(request: pytest.FixtureRequest) -> str:
    value: str = request.param
    return value


@pytest.fixture
def pdf(name: str) -> bytes:
    return every_pdf.pdf(name)


def test_every_pdf_is_tagged_in_english_with_its_title_shown(name: str, pdf: bytes) -> None:
    found = read(pdf)

    assert found.tree is not None, "no structure tree"
    assert found.catalog == {"Lang": "en", "Marked": True, "DisplayDocTitle": True}
    assert found.title == _title(every_pdf.html(name))
    assert found.xmp["{http://www.aiim.org/pdfua/ns/id/}part"] == "1"
    assert [e.tag for e in found.tree.children] == ["Document"]


def test_poppler_sees_a_tagged_pdf(name: str, pdf: bytes, tmp_path: Path) -> None:
    out = tmp_path / f"{name}.pdf"
    out.write_bytes(pdf)

    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True)

    assert re.search(r"^Tagged:\s+yes$", info.stdout, flags=re.M), info.stdout


def test_the_headings_come_in_order_from_one_h1(pdf: bytes) -> None:
    found = read(pdf)
    assert found.tree is not None

    levels = [int(e.tag[1]) for e in found.tree.walk() if re.fullmatch(r"H[1-6]", e.tag)]

    assert levels[0] == 1 and levels.count(1) == 1, levels
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels


def test_every_figure_says_what_it_shows(name: str, pdf: bytes) -> None:
    found = read(pdf)
    assert found.tree is not None

    figures = [e for e in found.tree.walk() if e.tag == "Figure"]

    assert figures, "no figure"
    for figure in figures:
        assert figure.alt and len(figure.alt) > 20, figure.alt
    if name.startswith("summary"):
        assert figures[0].alt is not None and figures[0].alt.startswith("Pain, 0 (none) to 10")
        assert "a line at start 6" in figures[0].alt


@pytest.mark.parametrize("name", [n for n in every_pdf.NAMES if n.startswith("handout")])
def test_each_exercise_is_read_as_its_heading_figure_poses_then_numbered_steps(
    pdf: bytes,
) -> None:
    found = read(pdf)
    assert found.tree is not None

    sections = [e for e in found.tree.walk() if e.tag == "Sect" and e.children[0].tag == "H3"]

    assert len(sections) >= 5
    for number, section in enumerate(sections, start=1):
        heading = found.text(section.children[0])
        assert heading.startswith(f"{number}. "), heading
        figure = next(e for e in section.walk() if e.tag == "Figure")
        caption = next(e for e in section.walk() if e.tag == "Caption")
        exercise = figure.alt.split(": a person")[0] if figure.alt else ""
        assert exercise and exercise in heading, (figure.alt, heading)
        assert figure.alt != found.text(caption)
        labels = _labels()[exercise]
        shown = [f"{i}. {label}" for i, label in enumerate(labels, 1)]
        assert found.text(caption).split() == " ".join(shown).split()
        steps = [e for e in section.walk() if e.tag == "LI"]
        assert steps
        for index, step in enumerate(steps, start=1):
            assert [c.tag for c in step.children] == ["Lbl", "LBody"]
            assert found.text(step.children[0]) == f"{index}."
            assert found.text(step.children[1])
        order = [e.tag for e in section.walk() if e.tag in ("H3", "Figure", "Caption", "L")]
        assert order == ["H3", "Figure", "Caption", "L"]


def test_the_reading_order_follows_the_layout_and_ends_with_the_footer(pdf: bytes) -> None:
    found = read(pdf)
    spoken = reading_order(found)

    assert backwards(spoken) == []
    first, last = spoken[0], spoken[-1]
    on_page_1 = [t for t in found.texts.values() if t.page == 0]
    on_last = [t for t in found.texts.values() if t.page == last.page]
    assert first.top == min(t.top for t in on_page_1)
    assert max(t.top for t in on_last) - last.top < 12  # the footer's last line
    assert last.text.strip().endswith(("what you report.", "a meaningful improvement."))


def test_every_text_on_the_page_is_in_the_tree(pdf: bytes) -> None:
    found = read(pdf)
    assert found.tree is not None
    in_tree = set(found.tree.marked())

    untagged = [t.text for key, t in found.texts.items() if key not in in_tree and t.text.strip()]

    assert untagged == []


def test_no_text_is_under_6_pt(name: str, pdf: bytes) -> None:
    sizes = smallest_text(pdf)

    assert sizes, "no text"
    assert [s for s in sizes if s[0] < SMALLEST] == []


def test_no_date_or_title_is_broken_across_lines_in_the_summary() -> None:
    """A narrow table column once broke "Mon 2 Nov 2026" into "202" and "6", and "completed"
    into "compl" and "eted": every date the year's summary prints as text (the chart's are in
    its description) is whole on one line, and every word of its titles is a whole word."""
    import io

    import pdfplumber

    html = re.sub(r"<svg.*?</svg>", "", every_pdf.html("summary-year"), flags=re.S)
    dates = set(re.findall(r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]{2} \d{4}", html))
    titles = re.findall(r'<td class="label">([^<]*)</td>', html)
    with pdfplumber.open(io.BytesIO(every_pdf.pdf("summary-year"))) as document:
        lines = "\n".join(page.extract_text() for page in document.pages).splitlines()
    words = {word.strip(".,:;()") for line in lines for word in line.split()}

    assert len(dates) >= 5 and titles
    assert [d for d in dates if not any(d in line for line in lines)] == []
    title_words = {w for title in titles for w in title.split() if w.isalpha() and len(w) > 3}
    assert "completed" in title_words
    assert sorted(title_words - words) == []


@pytest.mark.parametrize("size", ["a4", "letter"])
def test_squat_hip_hinge_and_lunge_poses_print_as_readable_text(size: str) -> None:
    """The standing figures are the narrowest, so their labels shrank the most (to under
    2 pt) when they were drawn inside the figure."""
    found = read(every_pdf.pdf(f"handout-phase-3-{size}"))
    assert found.tree is not None
    sections = [e for e in found.tree.walk() if e.tag == "Sect" and e.children[0].tag == "H3"]

    checked = []
    for section in sections:
        heading = found.text(section.children[0])
        if not any(name in heading for name in ("Squat", "Hip hinge", "Lunge")):
            continue
        caption = next(e for e in section.walk() if e.tag == "Caption")
        texts = [found.texts[key] for key in caption.marked() if key in found.texts]
        assert texts and min(t.smallest for t in texts) >= SMALLEST, heading
        assert found.text(caption).startswith("1. ")
        checked.append(heading.split(" · ")[0])

    assert checked == ["5. Squat", "6. Hip hinge", "7. Lunge"]  # its first step's version


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf: scripts/install-system test")
def test_qpdf_finds_no_error(name: str, pdf: bytes, tmp_path: Path) -> None:
    out = tmp_path / f"{name}.pdf"
    out.write_bytes(pdf)

    checked = subprocess.run(["qpdf", "--check", str(out)], capture_output=True, text=True)

    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "No syntax or stream encoding errors found" in checked.stdout


@pytest.mark.parametrize("name", ["handout-phase-3-a4", "summary"])
def test_weasyprint_tags_without_complaint(
    name: str, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    """WeasyPrint logs an error where tagging lacks something (a language, an image's alt)."""
    caplog.set_level(logging.WARNING, logger="weasyprint")

    made = write_pdf(every_pdf.html(name), one_page=True)

    assert made.startswith(b"%PDF-")
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"tagged-{name}.pdf").write_bytes(made)


def test_the_checks_catch_an_untagged_pdf_with_tiny_text_in_a_figure() -> None:
    """What the tests above read fails on what lumbar printed before: no tree, and labels
    drawn inside a figure scaled down to a few points."""
    from weasyprint import HTML

    figure = (
        '<svg viewBox="0 0 900 120" style="width: 60mm"><title>Two poses</title>'
        '<text x="10" y="100" font-size="15">1. Stand tall</text></svg>'
    )
    untagged = HTML(string=f"<html><body><p>Steps</p>{figure}</body></html>").write_pdf()

    found = read(untagged)

    assert found.tree is None
    assert found.catalog["Marked"] is False and found.catalog["Lang"] is None
    assert smallest_text(untagged)[0][0] < SMALLEST


def test_a_footer_read_before_the_steps_above_it_is_caught() -> None:
    """What the untagged handout did: the footer at the foot of the page, then a step."""
    step = Text("1. Lie on your back", 0, 300.0, 40.0, 250.0, 7.9)
    footer = Text("lumbar guides exercise", 0, 780.0, 40.0, 500.0, 7.4)
    right_column = Text("2. Cat-cow", 0, 200.0, 300.0, 400.0, 9.0)

    assert backwards([step, footer]) == []
    assert backwards([step, right_column]) == []  # up, into the next column
    assert backwards([step, footer, step]) == [(footer.text, step.text)]
