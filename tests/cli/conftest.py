"""Running the real `lumbar` entry point in-process, with its exit code and both streams."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from lumbar.cli.main import run

CLOCK = date(2027, 12, 31)
"""Where the command line's clock stands in these tests (`LUMBAR_TODAY`)."""

ANSWERS: dict[str, Any] = {
    "understood": True,
    "age": 42,
    "pain": 6,
    "red_flags": [],
    "pain_weeks": 10,
    "days": ["mon", "wed", "fri"],
    "psfs": [
        {"activity": "lift groceries", "score": 4},
        {"activity": "sit through a film", "score": 5},
        {"activity": "garden for an hour", "score": 3},
    ],
}


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


Cli = Callable[..., Outcome]


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], db_path: Path) -> Cli:
    """`cli("today", "--json")` runs `lumbar today --json --db <a fresh file>`."""
    monkeypatch.delenv("LUMBAR_DATABASE_URL", raising=False)
    monkeypatch.setenv("COLUMNS", "100")
    # The tests live a program from November 2026 on, in seconds: the clock stands after
    # every day they record (a test of a day ahead of the clock sets its own).
    monkeypatch.setenv("LUMBAR_TODAY", CLOCK.isoformat())

    def invoke(*args: str, input: str = "", db: Path | None = None) -> Outcome:
        monkeypatch.setattr(sys, "stdin", io.StringIO(input))
        argv = [*args, "--db", str(db or db_path)]
        try:
            run(argv)
            code = 0
        except SystemExit as exit:
            code = exit.code if isinstance(exit.code, int) else 1
        out, err = capsys.readouterr()
        return Outcome(code, out, err)

    return invoke


@pytest.fixture
def answers_file(tmp_path: Path) -> Callable[..., Path]:
    def write(**changes: Any) -> Path:
        path = tmp_path / "answers.json"
        path.write_text(json.dumps({**ANSWERS, **changes}))
        return path

    return write


@pytest.fixture
def started(cli: Cli, answers_file: Callable[..., Path]) -> Cli:
    """A program started on Monday 2 November 2026."""
    outcome = cli("start", "--answers", str(answers_file()), "--date", "2026-11-02", "--json")
    assert outcome.code == 0, outcome.stderr
    return cli


def in_a_terminal(command: list[str], env: dict[str, str]) -> Any:
    """The command in a pseudo-terminal, as a person runs it: Ctrl-C interrupts it.

    A process started in the background by a non-interactive shell (`make test &`, a CI
    runner) inherits SIGINT ignored, and Python then never installs its KeyboardInterrupt
    handler: the child gets the default back, as a terminal's own shell would give it."""
    import signal

    import pexpect

    def default_interrupt() -> None:
        signal.signal(signal.SIGINT, signal.SIG_DFL)

    return pexpect.spawn(
        command[0],
        command[1:],
        env=env,
        encoding="utf-8",
        timeout=30,
        preexec_fn=default_interrupt,
    )
