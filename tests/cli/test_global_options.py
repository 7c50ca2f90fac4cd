"""Options given before the command: `lumbar --db FILE start …` uses that file (it once
wrote to the default database instead), and `--date` there is refused, as it means
different days to different commands."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

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
