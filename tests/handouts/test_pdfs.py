"""The printed hand-outs, made by `lumbar handout` and `lumbar summary` with WeasyPrint and
read back with poppler (`pdfinfo`, `pdftotext`); page 1 of each is also drawn as a PNG in
test-artifacts/handouts/ for a person to look at."""

from __future__ import annotations

import html
import logging
import re
import subprocess
from datetime import date
from pathlib import Path

import pytest

from lumbar.content.load import Content
from lumbar.domain.model import Level
from tests.builders import ACTIVITIES
from tests.cli.conftest import Cli
from tests.handouts import steps

# The command-line fixtures (`cli`, and `started`: a program started on Monday 2 November
# 2026, training on Monday, Wednesday and Friday, with the activities of tests.builders).

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "handouts"
SIZES = {"a4": (595, 842), "letter": (612, 792)}
"""Page sizes in points, as PDF readers report them (A4 is 595.28 x 841.89)."""
NOTE = "Slipped on the wet stairs at home, no new numbness."


# Reading the files back.


def _poppler(*args: str) -> str:
    done = subprocess.run(args, capture_output=True, text=True, check=True, timeout=60)
    return done.stdout


def _info(pdf: Path) -> dict[str, str]:
    lines = _poppler("pdfinfo", str(pdf)).splitlines()
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in lines)}


def _pages(pdf: Path) -> int:
    return int(_info(pdf)["Pages"])


def _page_size(pdf: Path) -> tuple[int, int]:
    found = re.match(r"([\d.]+) x ([\d.]+) pts", _info(pdf)["Page size"])
    assert found is not None, _info(pdf)
    return round(float(found.group(1))), round(float(found.group(2)))


def _text(pdf: Path) -> str:
    """The PDF's words on one line: what a person reads, whatever the line breaks."""
    return " ".join(_poppler("pdftotext", "-enc", "UTF-8", str(pdf), "-").split())


def _html_text(page: str) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def _keep_page_1(pdf: Path, name: str) -> Path:
    """Draw page 1 as a PNG in test-artifacts/handouts/, for a person to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    stem = ARTIFACTS / name
    _poppler(
        "pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)
    )
    png = stem.with_suffix(".png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    return png


# Making the data.


@pytest.fixture
def followed(started: Cli) -> Cli:
    """Monday's session with sharp pain on the glute bridge (so it comes back at reduced
    range on Wednesday), a fall on Thursday that did not hurt the back (so the program goes
    on), a check-in a week in (pain 4)."""
    steps.log(started, 0, {"glute-bridge": "sharp"})
    steps.ok(started("problem", "fall", "--back-fine", "--note", NOTE, "--date", steps.iso(3)))
    steps.ok(started("checkin", "--pain", "4", "--psfs", "6,6,5", "--date", steps.iso(7)))
    return started


# The handout.


@pytest.mark.parametrize("size", ["a4", "letter"])
def test_the_handout_is_one_page_of_the_asked_size(
    followed: Cli, tmp_path: Path, size: str
) -> None:
    out = tmp_path / f"handout-{size}.pdf"

    outcome = followed("handout", "--out", str(out), "--size", size, "--date", steps.iso(1))

    assert outcome.code == 0, outcome.stderr
    assert outcome.stdout == f"Wrote the handout to {out}.\n"
    assert out.read_bytes().startswith(b"%PDF-")
    assert _pages(out) == 1
    assert _page_size(out) == SIZES[size]
    _keep_page_1(out, f"handout-{size}")


def test_a4_is_the_default_size(followed: Cli, tmp_path: Path) -> None:
    out = tmp_path / "handout.pdf"

    steps.ok(followed("handout", "--out", str(out), "--date", steps.iso(1)))

    assert _page_size(out) == SIZES["a4"]


@pytest.mark.parametrize("size", ["a4", "letter"])
def test_the_handout_holds_the_next_sessions_plan_the_pain_rules_and_the_warning_signs(
    followed: Cli, content: Content, tmp_path: Path, size: str
) -> None:
    out = tmp_path / "handout.pdf"
    tuesday = steps.plan(followed, steps.day(1))
    wednesday = steps.plan(followed, date.fromisoformat(tuesday["next_session"]))

    steps.ok(followed("handout", "--out", str(out), "--size", size, "--date", steps.iso(1)))

    text = _text(out)
    assert f"phase 1 of 3, {wednesday['phase_name']}" in text
    assert "Sessions on Monday, Wednesday and Friday (never two days in a row), at 18:00" in text
    for number, exercise in enumerate(wednesday["exercises"], start=1):
        assert f"{number}. {exercise['name']}" in text
    reduced = [e for e in wednesday["exercises"] if e["range"] == "reduced"]
    assert [e["id"] for e in reduced] == ["glute-bridge"]
    assert f"Smaller range for now: {content.catalogue['glute-bridge'].reduced_range}" in text
    assert "Good pain, bad pain" in text
    assert "Twice within 14 days means seeing a clinician" in text
    assert "Stop and get help" in text
    for level in (Level.EMERGENCY, Level.URGENT):
        for symptom in content.symptoms.values():
            if symptom.level is level:
                assert symptom.label in text, symptom.code


def test_the_handout_follows_the_session_time(followed: Cli, tmp_path: Path) -> None:
    out = tmp_path / "handout.pdf"
    steps.ok(followed("calendar", "--at", "07:15", "--date", steps.iso(1)))

    steps.ok(followed("handout", "--out", str(out), "--date", steps.iso(1)))

    assert "(never two days in a row), at 07:15" in _text(out)


def test_a_paused_program_gets_a_handout_that_says_so(started: Cli, tmp_path: Path) -> None:
    out = tmp_path / "paused.pdf"
    steps.ok(started("checkin", "--symptom", "fever", "--date", steps.iso(1)))

    steps.ok(started("handout", "--out", str(out), "--date", steps.iso(2)))

    text = _text(out)
    assert "Your program is paused until a clinician has seen you" in text
    assert "1. Diaphragmatic breathing" in text  # the phase's exercises, for afterwards
    assert _pages(out) == 1
    _keep_page_1(out, "handout-paused")


def test_the_handout_stays_on_one_page_with_three_exercises_at_reduced_range(
    started: Cli, tmp_path: Path
) -> None:
    sharp = dict.fromkeys(("diaphragmatic-breathing", "cat-cow", "glute-bridge"), "sharp")
    steps.log(started, 0, sharp)
    out = tmp_path / "reduced.pdf"

    steps.ok(started("handout", "--out", str(out), "--size", "a4", "--date", steps.iso(1)))

    assert _pages(out) == 1


def test_handout_json_names_the_file_and_its_size(followed: Cli, tmp_path: Path) -> None:
    out = tmp_path / "handout.pdf"

    outcome = steps.ok(followed("handout", "--out", str(out), "--date", steps.iso(1), "--json"))

    assert outcome.json() == {"file": str(out), "bytes": out.stat().st_size, "kind": "handout"}


# The clinician summary.


def _check_summary(text: str, content: Content) -> None:
    assert "Home exercise program for lower back pain: summary" in text
    assert "Baseline 6" in text
    assert "Latest 4" in text
    assert "33% better" in text
    for activity in ACTIVITIES:
        assert activity in text
    assert NOTE in text and "A fall" in text
    # The bad-pain report (a column of its own, so PDF text may interleave it).
    assert "Bad pain during exercise Mon 2 Nov 2026 Glute bridge" in text
    assert content.catalogue["glute-bridge"].name == "Glute bridge"
    assert "sharp pain" in text


def test_the_summary_pdf_is_one_a4_page_for_the_clinician(
    followed: Cli, content: Content, tmp_path: Path
) -> None:
    out = tmp_path / "summary.pdf"

    outcome = followed("summary", "--out", str(out), "--date", steps.iso(8))

    assert outcome.code == 0, outcome.stderr
    assert outcome.stdout == f"Wrote the summary to {out}.\n"
    assert _pages(out) == 1
    assert _page_size(out) == SIZES["a4"]
    _check_summary(_text(out), content)
    _keep_page_1(out, "summary")


def test_the_summary_as_html_says_the_same(followed: Cli, content: Content, tmp_path: Path) -> None:
    out = tmp_path / "summary.HTML"

    outcome = steps.ok(followed("summary", "--out", str(out), "--date", steps.iso(8), "--json"))

    assert outcome.json() == {"file": str(out), "bytes": out.stat().st_size, "kind": "summary"}
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>")
    _check_summary(_html_text(page), content)


def test_the_summary_leaves_out_what_came_after_its_day(followed: Cli, tmp_path: Path) -> None:
    out = tmp_path / "summary.html"

    steps.ok(followed("summary", "--out", str(out), "--date", steps.iso(2)))

    text = _html_text(out.read_text(encoding="utf-8"))
    assert NOTE not in text  # reported on day 3
    assert "Latest not rated since" in text  # the check-in of day 7


def test_the_summary_pdf_draws_its_pain_chart_with_the_styles_it_asks_for(
    followed: Cli, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    for offset, pain in ((14, "5"), (21, "2"), (28, "4")):
        steps.ok(followed("checkin", "--pain", pain, "--date", steps.iso(offset)))
    out = tmp_path / "summary.pdf"
    caplog.set_level(logging.WARNING, logger="weasyprint")

    steps.ok(followed("summary", "--out", str(out), "--date", steps.iso(29)))

    _keep_page_1(out, "summary-four-check-ins")
    ignored = [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")]
    assert ignored == []


# Refusals: exit 2, one line, and no file.


def test_an_unknown_paper_size_is_refused(followed: Cli, tmp_path: Path) -> None:
    out = tmp_path / "handout.pdf"

    steps.refused(
        followed("handout", "--out", str(out), "--size", "a3", "--date", steps.iso(1)),
        "--size: 'a3': choose a4 or letter",
    )
    assert not out.exists()


@pytest.mark.parametrize("command", [("handout",), ("summary",)], ids=["handout", "summary"])
def test_a_file_in_a_missing_folder_is_refused(
    followed: Cli, tmp_path: Path, command: tuple[str, ...]
) -> None:
    out = tmp_path / "missing" / "out.pdf"

    steps.refused(
        followed(*command, "--out", str(out), "--date", steps.iso(1)),
        f"the folder {out.parent} does not exist",
    )
    assert not out.parent.exists()


def test_a_summary_that_is_neither_pdf_nor_html_is_refused(followed: Cli, tmp_path: Path) -> None:
    out = tmp_path / "summary.txt"

    steps.refused(
        followed("summary", "--out", str(out), "--date", steps.iso(1)),
        "give a file ending in .pdf or .html",
    )
    assert not out.exists()


def test_no_handout_before_a_program(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "handout.pdf"

    steps.refused(cli("handout", "--out", str(out), "--date", steps.iso(0)), "no program yet")
    assert not out.exists()


def test_no_handout_for_a_day_before_the_start(followed: Cli, tmp_path: Path) -> None:
    out = tmp_path / "handout.pdf"

    steps.refused(
        followed("handout", "--out", str(out), "--date", steps.iso(-1)),
        "--date: 2026-11-01 is before the program started (2026-11-02)",
    )
    assert not out.exists()
