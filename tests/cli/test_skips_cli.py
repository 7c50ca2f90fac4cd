"""`lumbar log --skip` and `--swap`, and the terminal guide's skip with a reason (issue
#17): each recorded with the session, a bad reason refused with nothing written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import Cli, Outcome

MONDAY = "2026-11-02"
PHASE_1 = (
    "diaphragmatic-breathing",
    "cat-cow",
    "glute-bridge",
    "dead-bug",
    "hip-flexor-stretch",
    "piriformis-stretch",
    "childs-pose",
)


def _sessions(cli: Cli) -> list[dict[str, Any]]:
    return [e for e in cli("export").json()["events"] if e["type"] == "session"]


def _done(*leave: str) -> list[str]:
    return [arg for e in PHASE_1 if e not in leave for arg in ("-e", f"{e}=none")]


def test_log_records_a_skip_for_no_equipment_and_a_swap_and_the_session_counts(
    started: Cli,
) -> None:
    args = [*_done("glute-bridge"), "--skip", "glute-bridge=no_equipment"]
    args += ["--swap", "cat-cow=chair", "--date", MONDAY, "--json"]
    logged = started("log", *args)
    assert logged.code == 0, logged.stderr
    rules = [d["rule"] for d in logged.json()["plan"]["decisions"]]
    assert "progression.skipped" in rules and "progression.partial_session" not in rules
    [session] = _sessions(started)
    assert session["skipped"] == [{"id": "glute-bridge", "reason": "no_equipment"}]
    assert {"id": "cat-cow", "pain": "none", "version": "chair"} in session["exercises"]
    status = started("status", "--date", "2026-11-03", "--json").json()
    assert status["sessions_in_phase"] == 1
    records = started("records")
    assert "Glute bridge skipped: no equipment" in " ".join(records.stdout.split())


def test_log_with_other_keeps_the_words_and_the_session_does_not_count(started: Cli) -> None:
    logged = started(
        "log", *_done("dead-bug"), "--skip", "dead-bug=other:my knee is sore", "--date", MONDAY
    )
    assert logged.code == 0, logged.stderr
    assert "does not count toward the next phase" in " ".join(logged.stdout.split())
    [session] = _sessions(started)
    assert session["skipped"] == [{"id": "dead-bug", "reason": "other", "note": "my knee is sore"}]
    assert started("status", "--date", "2026-11-03", "--json").json()["sessions_in_phase"] == 0


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("--skip", "glute-bridge=bored"), "'bored' is not a reason to skip an exercise"),
        (("--skip", "glute-bridge=other"), "say in a few words why"),
        (("--skip", "glute-bridge=no_time:in a rush"), "a note goes with the reason other only"),
        (("--skip", "glute-bridge"), "--skip: 'glute-bridge' is not ID=REASON"),
        (("--skip", "cat-cow=no_time"), "cat-cow is skipped, so it has no pain answer"),
        (("--swap", "cat-cow=trampoline"), "Cat-cow has no alternative 'trampoline'"),
        (("--swap", "glute-bridge=standing"), "glute-bridge is swapped but has no pain answer"),
    ],
)
def test_log_refuses_a_bad_skip_or_swap_and_writes_nothing(
    started: Cli, args: tuple[str, ...], fragment: str
) -> None:
    before = started("export").stdout
    outcome = started("log", *_done("glute-bridge"), *args, "--date", MONDAY)
    assert isinstance(outcome, Outcome)
    assert outcome.code == 2, (outcome.stdout, outcome.stderr)
    assert fragment in outcome.stderr
    assert started("export").stdout == before


def test_the_guide_asks_why_an_exercise_is_skipped_and_keeps_the_reason(started: Cli) -> None:
    # Breathing skipped for no time (s, then 2); the rest skipped without a reason, which
    # leaves them out: the session is recorded with the one skip and nothing else done.
    answers = "s\n2\n" + "s\n\n" * 6
    outcome = started("session", "--no-timers", "--date", MONDAY, input=answers)
    flat = " ".join(outcome.stdout.split())
    assert "Why skip it?" in flat and "Skipped: not enough time." in flat
    assert outcome.code == 0, outcome.stdout
    [session] = _sessions(started)
    assert session["skipped"] == [{"id": "diaphragmatic-breathing", "reason": "no_time"}]
    assert session["exercises"] == []


def test_the_export_round_trips_skips_swaps_and_a_session_of_skips_only(
    started: Cli, tmp_path: Path
) -> None:
    args = [
        *_done("glute-bridge"),
        "--skip",
        "glute-bridge=other:my knee",
        "--swap",
        "cat-cow=chair",
    ]
    assert started("log", *args, "--date", MONDAY).code == 0
    everything = [a for e in PHASE_1 for a in ("--skip", f"{e}=no_time")]
    assert started("log", *everything, "--date", "2026-11-04").code == 0
    exported = started("export").stdout
    document = json.loads(exported)
    assert document["version"] == 8
    assert [s["exercises"] == [] for s in _sessions(started)] == [False, True]
    path = tmp_path / "export.json"
    path.write_text(exported)
    other = tmp_path / "other.db"
    imported = started("import", str(path), db=other)
    assert imported.code == 0, imported.stderr
    assert started("export", db=other).stdout == exported
    # A document with an unknown reason is refused, and nothing is written.
    document["events"][1]["skipped"][0]["reason"] = "bored"
    path.write_text(json.dumps(document))
    third = tmp_path / "third.db"
    refused = started("import", str(path), db=third)
    assert refused.code == 2 and "reason" in refused.stderr
    assert started("export", db=third).code != 0


def test_the_guide_swaps_an_exercise_for_its_alternative_today_only(started: Cli) -> None:
    # w: breathing in a chair today; Enter after the breaths; 1: no pain, with a comment;
    # the rest left out.
    answers = "w\n\n1\nEasy in the chair\n" + "s\n\n" * 6
    outcome = started("session", "--no-timers", "--date", MONDAY, input=answers)
    assert outcome.code == 0, outcome.stdout
    flat = " ".join(outcome.stdout.split())
    assert "w to swap it for Breathing in a chair today" in flat
    assert "Breathing in a chair (instead of diaphragmatic breathing)" in flat
    [session] = _sessions(started)
    assert session["exercises"] == [
        {
            "id": "diaphragmatic-breathing",
            "pain": "none",
            "version": "chair",
            "comment": "Easy in the chair",
        }
    ]
    # Today only: the next session teaches the exercise itself again.
    wednesday = started("today", "--date", "2026-11-04", "--json").json()
    assert wednesday["exercises"][0]["version"] is None


def test_a_correction_keeps_the_skips_unless_it_answers_the_skipped_exercise(
    started: Cli,
) -> None:
    args = [*_done("glute-bridge", "dead-bug"), "--skip", "glute-bridge=no_equipment"]
    args += ["--skip", "dead-bug=floor", "--swap", "cat-cow=chair", "--date", MONDAY]
    assert started("log", *args).code == 0
    listed = started("records", "--json").json()["records"]
    [record] = [r for r in listed if r["type"] == "session"]
    edited = started("records", "edit", str(record["id"]), "-e", "dead-bug=ache")
    assert edited.code == 0, edited.stderr
    [session] = _sessions(started)
    assert session["skipped"] == [{"id": "glute-bridge", "reason": "no_equipment"}]
    assert {"id": "dead-bug", "pain": "ache"} in session["exercises"]
    assert {"id": "cat-cow", "pain": "none", "version": "chair"} in session["exercises"]
