"""The shape of the code: a pure domain core, and a command line that starts light."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import lumbar.domain
import lumbar.figures
from lumbar.content.load import default_content
from lumbar.formats.intake import IntakeAnswers
from lumbar.store.database import Store, sqlite_url
from lumbar.usecases import program
from lumbar.usecases.person import Person

DOMAIN = Path(lumbar.domain.__file__).parent

FORBIDDEN_TEXT = {
    "date.today": r"\bdate\.today\b",
    "datetime.now": r"\bdatetime\.now\b",
    "datetime.today": r"\bdatetime\.today\b",
    "time.time": r"\btime\.time\b",
    "time.monotonic": r"\btime\.monotonic\b",
    "open(": r"\bopen\(",
    "Path(": r"\bPath\(",
}
"""What the domain's source may not mention: clocks and files. What it may import is a
contract import-linter holds (pyproject.toml, `make lint`); a clock or a file is not an
import, so this walk checks them."""


def impurities(source: str) -> list[str]:
    """Every mention of a clock or a file in the source."""
    return [word for word, pattern in FORBIDDEN_TEXT.items() if re.search(pattern, source)]


def domain_modules() -> list[Path]:
    return sorted(DOMAIN.rglob("*.py"))


def test_the_domain_walk_finds_the_domain_modules() -> None:
    names = {path.name for path in domain_modules()}
    assert {"__init__.py", "model.py", "plan.py", "rules.py"} <= names


def test_the_domain_reads_no_clock_and_no_file() -> None:
    problems = {
        str(path.relative_to(DOMAIN)): found
        for path in domain_modules()
        if (found := impurities(path.read_text(encoding="utf-8")))
    }
    assert problems == {}


def test_the_purity_check_catches_clocks_and_files() -> None:
    assert impurities("from datetime import date\nx = date(2026, 1, 1)\n") == []
    assert impurities("x = date.today()") == ["date.today"]
    assert impurities("x = datetime.datetime.now()") == ["datetime.now"]
    assert impurities("t = time.time()") == ["time.time"]
    assert impurities("f = open('x')") == ["open("]
    assert impurities("p = Path('x')") == ["Path("]
    assert impurities('"""An enriched reopen(x) is fine."""') == []


def run_python(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_importing_the_command_line_loads_no_database_or_validation_library(
    tmp_path: Path,
) -> None:
    code = (
        "import sys, lumbar.cli.main; "
        "print(sorted(m for m in sys.modules "
        "if m.split('.')[0] in ('sqlalchemy','alembic','pydantic','rich','fastapi',"
        "'starlette','uvicorn','jinja2')))"
    )
    done = run_python("-c", code, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    loaded = {name.split(".")[0] for name in ast.literal_eval(done.stdout.strip())}
    assert loaded <= {"rich"}


def test_today_on_an_up_to_date_sqlite_file_never_imports_sqlalchemy_or_pydantic(
    tmp_path: Path,
) -> None:
    """The start-up budget of `lumbar today` (300 ms) leaves no room for either library."""
    db = tmp_path / "lumbar.db"
    start = date(2026, 11, 2)  # a Monday, so today is a session day
    store = Store(sqlite_url(db))
    try:
        answers = IntakeAnswers.model_validate(
            {
                "understood": True,
                "age": 40,
                "pain": 5,
                "pain_weeks": 20,
                "psfs": [{"activity": "walk the dog", "score": 4}],
            }
        )
        program.start(Person(store, default_content()), answers, start)
    finally:
        store.dispose()

    done = run_python(
        "-X",
        "importtime",
        "-m",
        "lumbar",
        "today",
        "--db",
        str(db),
        "--date",
        start.isoformat(),
        cwd=tmp_path,
    )

    assert done.returncode == 0, done.stderr
    assert "Cat-cow" in done.stdout
    assert "lumbar.store.database" in done.stderr, "expected -X importtime output"
    imported = [line for line in done.stderr.splitlines() if "sqlalchemy" in line]
    assert imported == []
    assert [line for line in done.stderr.splitlines() if "alembic" in line] == []
    web = ("fastapi", "starlette", "uvicorn", "jinja2")
    assert [line for line in done.stderr.splitlines() if any(w in line for w in web)] == []
    # The content was validated (and cached) when the program started above.
    assert [line for line in done.stderr.splitlines() if "pydantic" in line] == []


def test_the_figure_geometry_and_drawing_are_pure_too() -> None:
    """Body, poses, motion and SVG are computed, not read: they import the standard library
    and each other only (files and pydantic stay in `load.py`)."""
    figures = Path(lumbar.figures.__file__).parent
    problems = {}
    pure = ("body.py", "pose.py", "joints.py", "supports.py", "motion.py", "svg.py")
    for name in (*pure, "canvas.py", "scenery.py"):
        tree = ast.parse((figures / name).read_text(encoding="utf-8"))
        modules = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        modules += [
            n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.level == 0
        ]
        outside = [
            m
            for m in modules
            if not m.startswith("lumbar.figures.")
            and (m.split(".")[0] == "lumbar" or m.split(".")[0] not in sys.stdlib_module_names)
        ]
        if outside:
            problems[name] = outside
    assert problems == {}
