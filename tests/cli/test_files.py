"""Issue #15, items 4 and 5, at the command line: lumbar's files are private (0600, folders
0700) whatever the umask, a database others could read is tightened with a notice, and
every document is written the same way (`--out FILE`, `-` for standard output, the suffix
checked, a missing folder refused with its path)."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from lumbar.cli.main import run
from tests.cli.conftest import Cli
from tests.cli.test_commands import _refused


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def open_umask() -> Iterator[None]:
    """The usual umask (files 0644, folders 0755): lumbar must not rely on a stricter one."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def test_the_database_and_every_document_are_readable_by_their_owner_only(
    started: Cli, db_path: Path, tmp_path: Path
) -> None:
    assert started("log", "-e", "cat-cow=none", "--date", "2026-11-02").code == 0
    written = {
        "export.json": ("export", "--out"),
        "fhir.json": ("export", "--format", "fhir", "--out"),
        "plan.ics": ("calendar", "--out"),
        "sheet.pdf": ("handout", "--date", "2026-11-02", "--out"),
        "summary.pdf": ("summary", "--date", "2026-11-02", "--out"),
        "summary.html": ("summary", "--date", "2026-11-02", "--out"),
    }
    for name, args in written.items():
        outcome = started(*args, str(tmp_path / name))
        assert outcome.code == 0, (name, outcome.stderr)
    assert started("backup", str(tmp_path / "copy.backup")).code == 0
    files = [db_path, *(tmp_path / name for name in (*written, "copy.backup"))]
    files += [p for p in (Path(f"{db_path}-wal"), Path(f"{db_path}-shm")) if p.exists()]
    assert {f.name: oct(_mode(f)) for f in files} == {f.name: "0o600" for f in files}
    restored = tmp_path / "restored.db"
    assert started("restore", str(tmp_path / "copy.backup"), db=restored).code == 0
    assert _mode(restored) == 0o600


def test_a_database_others_could_read_is_made_private_with_one_line(
    started: Cli, db_path: Path
) -> None:
    os.chmod(db_path, 0o644)
    outcome = started("today", "--json")
    assert outcome.code == 0
    assert outcome.stderr == (
        f"lumbar: made {db_path} private (other users of this computer could read it)\n"
    )
    assert _mode(db_path) == 0o600
    assert started("today", "--json").stderr == ""  # once


def test_lumbar_s_own_data_folder_is_made_private(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    answers_file: Callable[..., Path],
) -> None:
    """Without --db, the database lives in the user's data folder, made 0700."""
    monkeypatch.delenv("LUMBAR_DATABASE_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("LUMBAR_TODAY", "2027-12-31")
    with pytest.raises(SystemExit) as done:
        run(["start", "--answers", str(answers_file()), "--date", "2026-11-02", "--json"])
    assert done.value.code in (0, None), capsys.readouterr()
    folder = tmp_path / "data" / "lumbar"
    assert _mode(folder) == 0o700 and _mode(tmp_path / "data") == 0o700
    assert _mode(folder / "lumbar.db") == 0o600


def test_a_database_in_a_missing_folder_is_refused_with_its_path(
    cli: Cli, answers_file: Callable[..., Path], tmp_path: Path
) -> None:
    missing = tmp_path / "nowhere" / "x.db"
    outcome = cli("start", "--answers", str(answers_file()), "--date", "2026-11-02", db=missing)
    _refused(outcome, f"the folder {missing.parent} does not exist")
    assert not missing.parent.exists()


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("handout", "--out", "sheet.txt"), "sheet.txt ends in .txt: give a file ending in .pdf"),
        (("handout",), "give --out FILE.pdf (or --out - for standard output)"),
        (
            ("summary", "--out", "summary"),
            "summary has no suffix: give a file ending in .pdf or .html",
        ),
        (("calendar", "--out", "plan.txt"), "plan.txt ends in .txt: give a file ending in .ics"),
        (("export", "--out", "data.csv"), "data.csv ends in .csv: give a file ending in .json"),
        (("export", "--out", "missing/data.json"), "the folder missing does not exist"),
    ],
    ids=[
        "handout-suffix",
        "handout-no-out",
        "summary-suffix",
        "calendar-suffix",
        "export-suffix",
        "folder",
    ],
)
def test_a_file_name_that_does_not_fit_is_refused_and_nothing_is_written(
    started: Cli,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    fragment: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    _refused(started(*args), fragment)
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_documents_go_to_standard_output_with_a_dash_or_by_default(started: Cli) -> None:
    assert started("calendar").stdout.startswith("BEGIN:VCALENDAR")
    assert started("calendar", "--out", "-").stdout.startswith("BEGIN:VCALENDAR")
    assert json.loads(started("export", "--out", "-").stdout)["format"] == "lumbar-export"
