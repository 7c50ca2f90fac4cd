"""The patient's comment per exercise at the command line (issue #20): `lumbar session` asks
for one after each pain answer and records it through the same use case as the web player
(the same 280-character limit and message; one refused is asked for again, nothing
written); `lumbar log --comment ID=WORDS` gives one with `--exercise`."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pexpect
import pytest

from tests.cli.conftest import Cli
from tests.cli.test_session_terminal import spawn

MONDAY = "2026-11-02"
FIRST = "diaphragmatic-breathing"
TOO_LONG = "x" * 281
REFUSED = "keep the comment to 280 characters (it has 281)"


def sessions(cli: Cli) -> list[dict[str, Any]]:
    events = cli("export").json()["events"]
    return [e for e in events if e["type"] == "session"]


def recorded_answers(cli: Cli) -> list[dict[str, Any]]:
    """The answers kept so far, recorded as a partial session."""
    assert cli("session", "--no-timers", "--date", MONDAY, input="r\n").code == 0
    done: list[dict[str, Any]] = sessions(cli)[-1]["exercises"]
    return done


def test_the_guide_asks_for_a_comment_after_the_pain_answer_and_keeps_it(started: Cli) -> None:
    # Start, the breaths, no pain, a comment; then stopped at the next exercise.
    outcome = started(
        "session", "--no-timers", "--date", MONDAY, input="\n\n1\nEasier  than last week\n"
    )

    assert outcome.code == 1  # the end of input at the next exercise: paused
    flat = " ".join(outcome.stdout.split())
    assert "Anything to add about this exercise? (Enter to skip)" in flat
    assert flat.index("How did that feel?") < flat.index("Anything to add")
    assert "Session paused: your 1 answer is kept" in flat
    assert recorded_answers(started) == [
        {"id": FIRST, "pain": "none", "comment": "Easier than last week"}
    ]


def test_a_comment_too_long_is_refused_and_asked_again_nothing_written(started: Cli) -> None:
    outcome = started(
        "session", "--no-timers", "--date", MONDAY, input=f"\n\n1\n{TOO_LONG}\nShorter\n"
    )

    flat = " ".join(outcome.stdout.split())
    assert f"{REFUSED}; shorten it, or press Enter to skip it" in flat
    assert flat.count("Anything to add about this exercise?") == 2  # asked again
    assert "Session paused: your 1 answer is kept" in flat
    assert recorded_answers(started) == [{"id": FIRST, "pain": "none", "comment": "Shorter"}]


def test_stopped_at_the_comment_the_pain_answer_is_kept_without_one(started: Cli) -> None:
    """The refused comment wrote nothing; the end of input at the question asked again
    keeps the pain answer alone, as every answer is kept at once."""
    outcome = started("session", "--no-timers", "--date", MONDAY, input=f"\n\n2\n{TOO_LONG}\n")

    assert outcome.code == 1
    assert REFUSED in " ".join(outcome.stdout.split())
    assert "Session paused: your 1 answer is kept" in outcome.stdout
    assert recorded_answers(started) == [{"id": FIRST, "pain": "ache"}]


def test_ctrl_c_at_the_comment_question_in_a_terminal_keeps_the_pain_answer(
    started: Cli, db_path: Path
) -> None:
    child = spawn(db_path, "--no-timers")
    child.expect("Press Enter to start")
    child.sendline("")
    child.expect("then press Enter")
    child.sendline("")
    child.expect(r"Your answer \(1-4\)")
    child.sendline("2")
    child.expect("Anything to add about this exercise")
    child.sendintr()
    child.expect("Session paused: your 1 answer is kept")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert recorded_answers(started) == [{"id": FIRST, "pain": "ache"}]


def test_stopped_at_the_comment_after_the_answer_that_ends_the_session_it_is_saved(
    started: Cli,
) -> None:
    """Pain down the leg ends the session: stopped at the comment question after it, the
    session is recorded (not "paused") and what to watch for is still said."""
    outcome = started("session", "--no-timers", "--date", MONDAY, input="\n\n4\n")

    assert outcome.code == 1
    flat = " ".join(outcome.stdout.split())
    assert "Session saved, without a comment on the last exercise." in flat
    assert "Session paused" not in flat
    assert "call your emergency number or go to an emergency department" in flat
    assert sessions(started)[-1]["exercises"] == [{"id": FIRST, "pain": "radiating"}]


def test_a_comment_with_a_hidden_character_is_refused_and_asked_again(started: Cli) -> None:
    outcome = started("session", "--no-timers", "--date", MONDAY, input="\n\n1\nsore\u200b\n\n")

    assert "invisible character" in " ".join(outcome.stdout.split())
    assert recorded_answers(started) == [{"id": FIRST, "pain": "none"}]  # Enter: none


def test_log_takes_a_comment_with_an_exercise(started: Cli) -> None:
    outcome = started(
        "log", "-e", "cat-cow=ache", "-e", f"{FIRST}=none",
        "--comment", "cat-cow=tight on the left", "--date", MONDAY, "--json",
    )  # fmt: skip

    assert outcome.code == 0, outcome.stderr
    assert sessions(started)[-1]["exercises"] == [
        {"id": "cat-cow", "pain": "ache", "comment": "tight on the left"},
        {"id": FIRST, "pain": "none"},
    ]


@pytest.mark.parametrize(
    ("given", "said"),
    [
        (f"cat-cow={TOO_LONG}", f"--comment: {REFUSED}"),
        ("cat-cow=sore\u0007", "is a control character"),
        ("squat=tight", "squat has a comment but no pain answer"),
        ("cat-cow", "--comment: 'cat-cow' is not ID=WORDS"),
        ("no-such=tight", "--comment"),
    ],
)
def test_log_refuses_a_comment_it_cannot_keep_and_writes_nothing(
    started: Cli, given: str, said: str
) -> None:
    before = started("export").stdout
    outcome = started("log", "-e", "cat-cow=ache", "--comment", given, "--date", MONDAY)

    assert outcome.code == 2
    assert said in outcome.stderr
    assert outcome.stderr.count("\n") == 1  # one line
    assert started("export").stdout == before


def test_log_refuses_two_comments_on_one_exercise(started: Cli) -> None:
    outcome = started(
        "log", "-e", "cat-cow=ache", "--comment", "cat-cow=one", "--comment", "cat-cow=two",
        "--date", MONDAY,
    )  # fmt: skip

    assert outcome.code == 2
    assert "--comment: cat-cow has two comments; give one" in outcome.stderr
    assert sessions(started) == []


def test_a_comment_logged_is_in_the_summary_pdf(started: Cli, tmp_path: Path) -> None:
    """Through the real command line and SQLite: logged with `--comment`, printed by
    `lumbar summary` (the PDF's text, read back with poppler)."""
    logged = started(
        "log", "-e", "cat-cow=ache", "--comment", "cat-cow=Tight on the left, better after",
        "--date", MONDAY,
    )  # fmt: skip
    assert logged.code == 0, logged.stderr
    out = tmp_path / "summary.pdf"

    assert started("summary", "--out", str(out), "--date", "2026-11-03").code == 0

    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(out), "-"], capture_output=True, text=True, check=True
    )
    text = " ".join(done.stdout.split())
    assert (
        "The patient's comments on exercises Mon 2 Nov 2026 Cat-cow, a dull ache: "
        "“Tight on the left, better after”"
    ) in text
