"""Options given before the command: `lumbar --db FILE start …` uses that file (it once
wrote to the default database instead), every command takes it, and it means the same
before or after; `--date` and `--json` there are refused, saying where they go (`--date`
means different days to different commands)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
import typer

from lumbar.cli.main import app
from tests.cli.conftest import CLOCK


def lumbar(*args: str, default: Path) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "LUMBAR_DATABASE_URL": f"sqlite:///{default}",
        "LUMBAR_TODAY": CLOCK.isoformat(),
    }
    return subprocess.run(
        [sys.executable, "-m", "lumbar", *args],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )


def test_db_before_the_command_is_the_commands_database(
    tmp_path: Path, answers_file: Callable[..., Path]
) -> None:
    default, chosen = tmp_path / "default.db", tmp_path / "chosen.db"
    answers = str(answers_file())

    started = lumbar(
        "--db", str(chosen), "start", "--answers", answers, "--date", "2026-11-02", default=default
    )
    assert started.returncode == 0, started.stderr

    assert not default.exists()
    shown = lumbar("--db", str(chosen), "status", "--json", default=default)
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["phase"] == 1
    # Nested commands too; an option after the command still wins.
    listed = lumbar("--db", str(chosen), "devices", "--json", default=default)
    assert json.loads(listed.stdout) == {"devices": []}
    assert not default.exists()


def test_date_before_a_command_is_refused_and_writes_nothing(tmp_path: Path) -> None:
    default = tmp_path / "default.db"

    outcome = lumbar("--date", "2026-11-02", "today", default=default)

    assert outcome.returncode == 2
    assert "--date goes after the command: lumbar today --date 2026-11-02" in outcome.stderr
    assert not default.exists()


def _commands(command: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    subcommands = getattr(command, "commands", None)
    if not subcommands:
        return [(path, command)]
    return [found for name, sub in subcommands.items() for found in _commands(sub, (*path, name))]


def test_every_command_takes_the_db_given_before_it() -> None:
    """`--db` before the command reaches it through Click's default map, which only a
    command with a `--db` of its own reads: one without would write to the default file."""
    commands = _commands(typer.main.get_command(app))
    assert len(commands) >= 30
    for path, command in commands:
        assert "db" in {p.name for p in command.params}, " ".join(path)


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--json", "status"), "--json goes after the command: lumbar status --json"),
        (("--json",), "--json goes after the command: lumbar today --json"),
        (("--json", "records", "edit"), "goes after the command: lumbar records COMMAND … --json"),
        (("--json", "serve"), "lumbar serve has no --json"),
    ],
)
def test_json_before_a_command_is_refused_saying_where_it_goes(
    tmp_path: Path, args: tuple[str, ...], said: str
) -> None:
    default = tmp_path / "default.db"
    outcome = lumbar(*args, default=default)
    assert outcome.returncode == 2
    assert said in outcome.stderr
    assert outcome.stdout == ""
    assert not default.exists()


@pytest.mark.parametrize(
    "command",
    [("status", "--json"), ("today", "--json"), ("export",), ("exercises", "--json"), ("days",)],
)
def test_db_before_or_after_the_command_means_the_same(
    tmp_path: Path, answers_file: Callable[..., Path], command: tuple[str, ...]
) -> None:
    default, chosen = tmp_path / "default.db", tmp_path / "chosen.db"
    started = lumbar(
        "start", "--answers", str(answers_file()), "--db", str(chosen), default=default
    )
    assert started.returncode == 0, started.stderr
    before = lumbar("--db", str(chosen), *command, default=default)
    after = lumbar(*command, "--db", str(chosen), default=default)
    assert before.returncode == after.returncode == 0, before.stderr + after.stderr
    assert before.stdout == after.stdout and before.stdout
    assert not default.exists()


def test_version_and_short_help(tmp_path: Path) -> None:
    default = tmp_path / "default.db"
    version = lumbar("--version", default=default)
    assert version.returncode == 0
    assert version.stdout == f"lumbar {metadata.version('lumbar')}\n"
    for args in (("-h",), ("today", "-h"), ("records", "edit", "-h")):
        shown = lumbar(*args, default=default)
        assert shown.returncode == 0, args
        assert shown.stdout.startswith("Usage: lumbar"), args
    assert not default.exists()
