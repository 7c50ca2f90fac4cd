"""Issue #15, item 1, at the command line: nothing is recorded for a day after the clock's
today (`LUMBAR_TODAY` in these tests); reading or planning such a day stays allowed."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.conftest import Cli
from tests.cli.test_commands import _refused

TODAY = "2026-11-09"
AHEAD = "2026-11-11"
AHEAD_SAID = "2026-11-11 is after today (2026-11-09): only a day that has come can be recorded"


@pytest.fixture
def on_the_ninth(started: Cli, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """The program started on 2 November; the clock says Monday 9 November."""
    monkeypatch.setenv("LUMBAR_TODAY", TODAY)
    return started


@pytest.mark.parametrize(
    "args",
    [
        ("log", "-e", "cat-cow=none"),
        ("session",),
        ("checkin", "--pain", "4"),
        ("checkin", "--symptom", "fever"),
        ("clear", "--by", "Dr Rao"),
        ("problem", "other", "--note", "stiff"),
        ("days", "tue,thu,sat"),
    ],
    ids=["log", "session", "checkin", "symptom", "clear", "problem", "days"],
)
def test_every_write_dated_after_today_is_refused_and_writes_nothing(
    on_the_ninth: Cli, args: tuple[str, ...]
) -> None:
    before = on_the_ninth("export").stdout
    _refused(on_the_ninth(*args, "--date", AHEAD, input="\n"), AHEAD_SAID)
    assert on_the_ninth("export").stdout == before


def test_a_day_ahead_can_still_be_planned_and_read(on_the_ninth: Cli) -> None:
    plan = json.loads(on_the_ninth("today", "--date", AHEAD, "--json").stdout)
    assert plan["kind"] == "session" and plan["date"] == AHEAD
    assert on_the_ninth("status", "--date", AHEAD).code == 0
    assert on_the_ninth("calendar").code == 0
    # Today itself is recorded.
    assert on_the_ninth("log", "-e", "cat-cow=none", "--date", TODAY).code == 0


def test_the_wrong_year_no_longer_locks_the_log(on_the_ninth: Cli) -> None:
    """The issue's case: a session dated 2030 was kept, and every later day was refused."""
    _refused(on_the_ninth("log", "--date", "2030-01-02", "-e", "cat-cow=none"), "2030-01-02")
    logged = on_the_ninth("log", "--date", TODAY, "-e", "cat-cow=none")
    assert logged.code == 0, logged.stderr
    _refused(on_the_ninth("checkin", "--pain", "3", "--date", "2099-01-01"), "2099-01-01")
    assert "day 8" in " ".join(on_the_ninth("status").stdout.split())


def test_a_start_or_an_import_dated_ahead_is_refused(
    cli: Cli,
    answers_file: Callable[..., Path],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("LUMBAR_TODAY", TODAY)
    _refused(cli("start", "--answers", str(answers_file()), "--date", AHEAD), AHEAD_SAID)
    assert cli("export").code != 0  # nothing started
    started = cli("start", "--answers", str(answers_file()), "--date", "2026-11-02")
    assert started.code == 0, started.stderr
    assert cli("log", "-e", "cat-cow=none", "--date", "2026-11-02").code == 0
    document = json.loads(cli("export").stdout)
    document["events"][-1]["date"] = AHEAD
    path = tmp_path / "ahead.json"
    path.write_text(json.dumps(document))
    other = tmp_path / "other.db"
    outcome = cli("import", str(path), db=other)
    _refused(outcome, f"ahead.json: events.1: {AHEAD_SAID}")
    assert not other.exists() or cli("export", db=other).code != 0


def test_a_clock_that_is_not_a_date_is_said_plainly(
    started: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LUMBAR_TODAY", "yesterday")
    _refused(started("today"), "LUMBAR_TODAY: 'yesterday' is not a date; use YYYY-MM-DD")
