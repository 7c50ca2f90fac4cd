"""The patient's comment per exercise in the clinician's records (issue #20): the summary
(HTML, and the PDF read back with poppler), which prints the latest few so it stays one
page, and the FHIR Bundle, where a comment is the `note` of its exercise's pain
Observation, written by the Patient; the Bundle still validates with both validators."""

from __future__ import annotations

import gzip
import html
import json
import re
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft6Validator

from lumbar.content.load import Content
from lumbar.domain.model import COMMENT_MAX, History, SessionLog
from lumbar.domain.progress import progress_report
from lumbar.formats.documents import COMMENTS_SHOWN, Commented, latest_comments, summary_html
from lumbar.formats.fhir import fhir_bundle
from lumbar.formats.pdf import write_pdf
from tests.builders import Follower, a_year_of_history, day, history, program
from tests.handouts.test_fhir_validators import (
    SCHEMA,
    by_id,
    r4b_round_trip,
    resources,
    schema_errors,
)

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "handouts"
SAID = "Tight on the left <b>side</b> & a little sore after the third set"
LATER = "Easier today, the left side was fine"
ON = day(27)


def commented(sessions: int) -> History:
    """Four weeks of sessions; the first exercise of the first `sessions` sessions has a
    comment: the first one `SAID`, the last one `LATER`, numbered ones between."""
    lived = Follower(program(), history()).follow(ON)
    done = [e for e in lived.events if isinstance(e, SessionLog)][:sessions]
    words = {d.on: f"Comment number {n}" for n, d in enumerate(done, start=1)}
    words[done[0].on], words[done[-1].on] = SAID, LATER
    events = [
        replace(e, results=(replace(e.results[0], comment=words[e.on]), *e.results[1:]))
        if isinstance(e, SessionLog) and e.on in words
        else e
        for e in lived.events
    ]
    return History.of(lived.profile, events)


def summary(lived: History, content: Content, on: date = ON) -> str:
    chosen = program()
    return summary_html(
        on=on,
        content=content,
        history=lived,
        program=chosen,
        progress=progress_report(on, lived, chosen),
        problems=[],
    )


def words(page: str) -> str:
    body = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def pdf_text(pdf: bytes, tmp_path: Path, name: str, pages: int = 1) -> str:
    """The PDF's words on one line (pdftotext), once it is `pages` long; page 1 drawn as a
    PNG to look at."""
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    run = {"capture_output": True, "text": True, "check": True, "timeout": 60}
    info = subprocess.run(["pdfinfo", str(path)], **run).stdout  # type: ignore[call-overload]
    assert re.search(rf"^Pages:\s+{pages}$", info, flags=re.M), info
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(  # type: ignore[call-overload]
        ["pdftoppm", "-png", "-r", "80", "-singlefile", str(path), str(ARTIFACTS / name)], **run
    )
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], **run).stdout  # type: ignore[call-overload]
    return " ".join(text.split())


def test_the_summary_shows_a_comment_in_html_and_in_the_pdf(
    content: Content, tmp_path: Path
) -> None:
    lived = commented(2)
    page = summary(lived, content)

    assert "Tight on the left &lt;b&gt;side&lt;/b&gt; &amp; a little sore" in page  # escaped
    shown = words(page)
    assert (
        "The patient's comments on exercises Mon 2 Nov 2026 Diaphragmatic breathing, no pain: "
        f"“{SAID}” Wed 4 Nov 2026 Diaphragmatic breathing, no pain: “{LATER}”"
    ) in shown
    assert "latest of" not in shown
    text = pdf_text(write_pdf(page, one_page=True), tmp_path, "summary-comments")
    assert "The patient's comments on exercises" in text
    assert SAID in text and LATER in text


def test_the_summary_prints_the_latest_comments_and_how_many_there_are(
    content: Content, tmp_path: Path
) -> None:
    lived = commented(12)
    page = summary(lived, content)

    shown = words(page)
    assert f"The {COMMENTS_SHOWN} latest of 12." in shown
    first = 12 - COMMENTS_SHOWN + 1  # the numbered comments are those of sessions 2 to 11
    assert SAID not in shown and f"Comment number {first - 1}”" not in shown
    assert all(f"Comment number {n}”" in shown for n in range(first, 12)) and LATER in shown
    text = pdf_text(write_pdf(page, one_page=True), tmp_path, "summary-comments-latest")
    assert LATER in text and f"Comment number {first}" in text


def test_a_years_summary_with_comments_runs_onto_a_second_page(
    content: Content, tmp_path: Path
) -> None:
    """After a year the summary's page is full (its phases and milestones): the latest
    comments that fit in the room print on a second page, in full (a word of 100 letters
    on the last one wraps, it does not run off the page)."""
    year, chosen = a_year_of_history()
    last = [e for e in year.events if isinstance(e, SessionLog)][-10:]
    longest = {d.on: "Sore and stiff on the left side all day, easier after a walk" for d in last}
    longest[last[-1].on] = "x" * 100
    events = [
        replace(e, results=(replace(e.results[0], comment=longest[e.on]), *e.results[1:]))
        if isinstance(e, SessionLog) and e.on in longest
        else e
        for e in year.events
    ]
    lived = History.of(year.profile, events)
    on = events[-1].on
    page = summary_html(
        on=on,
        content=content,
        history=lived,
        program=chosen,
        progress=progress_report(on, lived, chosen),
        problems=[],
    )
    assert f"The {COMMENTS_SHOWN} latest of 10." in words(page)
    text = pdf_text(write_pdf(page, one_page=True), tmp_path, "summary-comments-year", pages=2)
    assert "x" * 100 in text.replace(" ", "") and "easier after a walk" in text


def test_a_summary_without_comments_says_none_and_leaves_out_later_ones(
    content: Content,
) -> None:
    assert "The patient's comments on exercises None." in words(summary(history(), content, day(0)))
    lived = commented(2)
    before = words(summary(lived, content, day(2)))  # the second comment is on day 2
    assert SAID in before and LATER in before
    assert LATER not in words(summary(lived, content, day(1)))


@pytest.fixture(scope="module")
def r4_schema() -> Draft6Validator:
    """HL7's R4 JSON Schema (tests/handouts/vendor/), as test_fhir_validators.py reads it."""
    return Draft6Validator(json.loads(gzip.decompress(SCHEMA.read_bytes())))


def test_a_comment_is_the_note_of_its_exercises_pain_observation(
    content: Content, r4_schema: Draft6Validator
) -> None:
    lived = commented(2)
    bundle = fhir_bundle(lived, program(), content, ON)

    found = by_id(bundle)
    [patient] = [
        e["fullUrl"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"
    ]
    first = found["session-2026-11-02-diaphragmatic-breathing"]
    assert first["partOf"] == [{"reference": found_url(bundle, "session-2026-11-02")}]
    assert first["note"] == [{"authorReference": {"reference": patient}, "text": SAID}]
    assert found["session-2026-11-04-diaphragmatic-breathing"]["note"][0]["text"] == LATER
    noted = [o for o in resources(bundle, "Observation") if "note" in o]
    assert len(noted) == 2  # the other answers carry none
    # The Procedure's note says the answers in words, as before (no comment there).
    assert SAID not in found["session-2026-11-02"]["note"][0]["text"]
    assert r4b_round_trip(bundle) == bundle
    assert schema_errors(r4_schema, bundle) == []
    # The schema reads the note: a note that is not a list of Annotations is refused.
    assert schema_errors(r4_schema, {**first, "note": SAID})
    assert schema_errors(r4_schema, {**first, "note": [{"comment": SAID}]})


def found_url(bundle: dict[str, Any], resource_id: str) -> str:
    [url] = [e["fullUrl"] for e in bundle["entry"] if e["resource"]["id"] == resource_id]
    full: str = url
    return full


def test_the_room_keeps_the_latest_comment_whole_and_leaves_older_ones_out() -> None:
    longest = [
        Commented(day(n), "Squat", "no pain", f"{n}" + "x" * (COMMENT_MAX - 1)) for n in (0, 2, 4)
    ]
    assert latest_comments(longest) == longest[-1:]  # two would be 560 characters
    short = [Commented(day(n), "Squat", "no pain", "Fine") for n in range(10)]
    assert latest_comments(short) == short[-COMMENTS_SHOWN:]
    assert latest_comments([]) == []
