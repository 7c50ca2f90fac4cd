"""`lumbar import --replace`: an export in the place of the program a database holds, after
an export of what it held is kept (0600) in lumbar's data folder, and its path printed."""

from __future__ import annotations

import json
import re
import stat
from collections.abc import Callable
from pathlib import Path

from tests.cli.conftest import Cli


def _exported(cli: Cli, db: Path | None = None) -> str:
    outcome = cli("export", db=db)
    assert outcome.code == 0, outcome.stderr
    return outcome.stdout


def _other(cli: Cli, answers_file: Callable[..., Path], tmp_path: Path) -> Path:
    """A second database, holding another program (and a session on it)."""
    other = tmp_path / "data" / "other.db"
    other.parent.mkdir()
    answers = answers_file(age=61, days="every-other-day")
    started = cli("start", "--answers", str(answers), "--date", "2026-11-09", db=other)
    assert started.code == 0, started.stderr
    logged = cli("log", "-e", "cat-cow=none", "--date", "2026-11-09", db=other)
    assert logged.code == 0, logged.stderr
    return other


def test_replace_keeps_a_private_export_of_what_was_held_then_imports(
    started: Cli, answers_file: Callable[..., Path], tmp_path: Path
) -> None:
    other = _other(started, answers_file, tmp_path)
    held = _exported(started, other)
    mine = tmp_path / "mine.json"
    mine.write_text(_exported(started))

    refused = started("import", str(mine), db=other)
    replaced = started("import", str(mine), "--replace", db=other)

    assert refused.code == 2 and "--replace" in refused.stderr
    assert "since Mon 9 Nov 2026: 1 session and 1 check-in" in refused.stderr
    assert replaced.code == 0, replaced.stderr
    assert "Replaced the program held (since Mon 9 Nov 2026: 1 session and 1 check-in)." in (
        replaced.stdout
    )
    found = re.search(r"What it held is kept in (\S+)", replaced.stdout)
    assert found is not None, replaced.stdout
    backup = Path(found.group(1))
    assert backup.parent == other.parent  # lumbar's data folder: the database's own
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert json.loads(backup.read_text()) == json.loads(held)
    assert _exported(started, other) == _exported(started)


def test_replace_with_a_file_that_is_not_an_export_writes_nothing(
    started: Cli, answers_file: Callable[..., Path], tmp_path: Path
) -> None:
    other = _other(started, answers_file, tmp_path)
    before = _exported(started, other)
    junk = tmp_path / "notes.json"
    junk.write_text('{"format": "lumbar-export", "version": 9}')

    refused = started("import", str(junk), "--replace", db=other)

    assert refused.code == 2
    assert "notes.json is from a newer lumbar (format 9); this lumbar reads up to 8: update " in (
        refused.stderr
    )
    assert _exported(started, other) == before
    assert sorted(p.name for p in other.parent.iterdir() if p.suffix == ".json") == []


def test_replace_into_an_empty_database_imports_and_keeps_nothing(
    started: Cli, tmp_path: Path
) -> None:
    mine = tmp_path / "mine.json"
    mine.write_text(_exported(started))
    empty = tmp_path / "empty" / "new.db"
    empty.parent.mkdir()

    outcome = started("import", str(mine), "--replace", "--json", db=empty)

    assert outcome.code == 0, outcome.stderr
    assert outcome.json()["replaced_backup"] is None
    assert _exported(started, empty) == _exported(started)
