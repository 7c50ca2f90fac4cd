"""`lumbar backup FILE` and `lumbar restore FILE`: the commands over store/backup.py.

In-process for the messages and exit codes, and as real processes (the console script) on
SQLite and on PostgreSQL, where the database comes from LUMBAR_DATABASE_URL or --db.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from lumbar.store.database import HEAD
from tests.cli.conftest import ANSWERS, Cli, Outcome
from tests.databases import Databases


def _refused(outcome: Outcome, fragment: str) -> None:
    assert outcome.code == 2, (outcome.stdout, outcome.stderr)
    assert outcome.stderr.startswith("lumbar: ")
    assert outcome.stderr.count("\n") == 1, outcome.stderr
    assert fragment in outcome.stderr
    assert "Traceback" not in outcome.stderr + outcome.stdout


def test_backup_then_restore_gives_back_the_same_data(started: Cli, tmp_path: Path) -> None:
    assert started("log", "-e", "cat-cow=ache", "-e", "glute-bridge=none").code == 0
    file = tmp_path / "lumbar.backup"

    made = started("backup", str(file), "--json")

    assert made.code == 0, made.stderr
    size = file.stat().st_size
    assert made.json() == {
        "backup": {"file": str(file), "bytes": size, "database": "sqlite", "schema": HEAD}
    }
    other = tmp_path / "restored.db"
    restored = started("restore", str(file), "--json", db=other)
    assert restored.code == 0, restored.stderr
    assert restored.json()["restored"] == made.json()["backup"]
    assert started("export", db=other).stdout == started("export").stdout


def test_backup_and_restore_say_what_they_did(started: Cli, tmp_path: Path) -> None:
    file = tmp_path / "lumbar.backup"
    made = started("backup", str(file))
    assert made.code == 0, made.stderr
    assert made.stdout.startswith(f"Backed up the SQLite database to {file} (")
    restored = started("restore", str(file), db=tmp_path / "other.db")
    assert restored.code == 0, restored.stderr
    assert restored.stdout.startswith(f"Restored the SQLite database from {file} (")


def test_restore_over_data_needs_force(
    started: Cli, answers_file: Callable[..., Path], tmp_path: Path
) -> None:
    file = tmp_path / "lumbar.backup"
    assert started("backup", str(file)).code == 0
    other = tmp_path / "other.db"
    assert started("start", "--answers", str(answers_file(age=70)), db=other).code == 0
    before = started("export", db=other).stdout

    outcome = started("restore", str(file), db=other)

    _refused(outcome, "already holds data (")
    assert outcome.stderr.rstrip().endswith("give --force to replace it with the backup")
    assert started("export", db=other).stdout == before
    forced = started("restore", str(file), "--force", db=other)
    assert forced.code == 0, forced.stderr
    assert started("export", db=other).stdout == started("export").stdout


def test_restore_refuses_what_is_not_a_backup_in_one_line(cli: Cli, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a backup")
    target = tmp_path / "target.db"

    _refused(cli("restore", str(notes), db=target), "notes.txt is not a lumbar backup")
    _refused(cli("restore", str(tmp_path / "gone"), db=target), "gone: no such file")
    _refused(cli("backup", str(tmp_path / "b"), db=target), "nothing to back up")
    assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def _lumbar(*args: str, url: str) -> subprocess.CompletedProcess[str]:
    """The console script in its own process, its database given by LUMBAR_DATABASE_URL."""
    script = Path(sys.executable).with_name("lumbar")
    environment = {**os.environ, "LUMBAR_DATABASE_URL": url}
    return subprocess.run(
        [str(script), *args], capture_output=True, text=True, env=environment, timeout=120
    )


def test_the_commands_copy_a_database_of_either_kind(databases: Databases, tmp_path: Path) -> None:
    source = databases.new()
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(ANSWERS))
    for command in (
        ["start", "--answers", str(answers), "--date", "2026-11-02"],
        ["log", "-e", "cat-cow=sharp", "--date", "2026-11-02"],
        ["checkin", "--pain", "4", "--date", "2026-11-03"],
    ):
        done = _lumbar(*command, url=source)
        assert done.returncode == 0, done.stderr
    file = tmp_path / "clinic.backup"

    made = _lumbar("backup", str(file), "--json", url=source)
    assert made.returncode == 0, made.stderr
    target = databases.new()
    restored = _lumbar("restore", str(file), "--db", target, "--json", url="sqlite:///unused")
    assert restored.returncode == 0, restored.stderr

    assert json.loads(restored.stdout)["restored"] == json.loads(made.stdout)["backup"]
    exports = [_lumbar("export", url=url).stdout for url in (source, target)]
    assert exports[0] == exports[1] and '"cat-cow"' in exports[0]
    again = _lumbar("restore", str(file), url=target)
    assert again.returncode == 2
    assert again.stderr.startswith("lumbar: the database at ")
    assert again.stderr.count("\n") == 1 and "--force" in again.stderr
