"""Mutation testing: change one token of the code at a time and see whether a test fails.

    .venv/bin/python scripts/mutate.py [--jobs 2] [--only PATH[:LINE]] [--list]

`make mutate` runs it over the code that decides what people are told and who sees what:
the domain, web/authorization.py and web/guard.py. Each mutant is one token changed
(`<` and `<=`, `==` and `!=`, `and` and `or`, `+` and `-`, a `not` dropped, `True` and
`False`, a whole number plus one); it is applied to a copy of `src/` that the tests import
(PYTHONPATH), the tests that cover its file run, and a mutant that no test fails on
*survives*. A survivor is a missing test, or a change that makes no difference; the second
kind is marked in the code with `# pragma: no mutate` and a word on why.

Why a script and not mutmut: mutmut 3 copies the code into `mutants/` and relies on the
tests importing that copy, which an editable install (this project's `.venv`) defeats: it
reported every mutant as untested. This script keeps to what it needs: tokens, a copy,
pytest.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tokenize
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src"

UNIT = ["tests/unit", "tests/content", "--ignore=tests/unit/test_fhir.py"]
"""The domain's tests (FHIR is a format: its tests import fhir.resources, slow to load)."""
TARGETS: dict[str, list[str]] = {
    "src/lumbar/domain": UNIT,
    "src/lumbar/web/authorization.py": [
        "tests/server/test_matrix.py",
        "tests/server/test_audit_actions.py",
        "tests/server/test_accounts.py",
        "tests/server/test_authorization.py",
    ],
    "src/lumbar/web/guard.py": [
        "tests/web/test_guard.py",
        "tests/web/test_compress.py",
        "tests/server/test_accounts.py",
        "tests/server/test_matrix.py",
        "tests/server/test_authorization.py",
    ],
}
"""What is mutated, and the tests that must notice (SQLite only: each mutant runs them)."""

SWAPS = {
    "<": "<=",
    "<=": "<",
    ">": ">=",
    ">=": ">",
    "==": "!=",
    "!=": "==",
    "+": "-",
    "-": "+",
    "and": "or",
    "or": "and",
    "True": "False",
    "False": "True",
}
SKIP = "pragma: no mutate"


@dataclass(frozen=True)
class Mutant:
    path: str
    line: int
    column: int
    old: str
    new: str

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"

    def __str__(self) -> str:
        return f"{self.where}:{self.column + 1}: {self.old!r} -> {self.new!r}"


def mutants_of(path: Path) -> list[Mutant]:
    """Every one-token change of the file, outside strings, docstrings and skipped lines."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    relative = str(path.relative_to(ROOT))
    found: list[Mutant] = []
    previous: tokenize.TokenInfo | None = None
    tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    for index, token in enumerate(tokens):
        line = lines[token.start[0] - 1] if token.start[0] <= len(lines) else ""
        if SKIP in line or line.lstrip().startswith(("import ", "from ", "@")):
            previous = token
            continue
        new = _changed(token, previous, tokens[index + 1] if index + 1 < len(tokens) else None)
        if new is not None:
            found.append(Mutant(relative, token.start[0], token.start[1], token.string, new))
        if token.type not in (tokenize.NL, tokenize.COMMENT):
            previous = token
    return found


def _changed(
    token: tokenize.TokenInfo,
    previous: tokenize.TokenInfo | None,
    following: tokenize.TokenInfo | None,
) -> str | None:
    if token.type == tokenize.OP and token.string in SWAPS:
        if token.string in "+-" and _unary(previous):
            return None
        return SWAPS[token.string]
    if token.type == tokenize.NAME:
        if token.string in SWAPS:
            return SWAPS[token.string]
        if token.string == "not":
            before = previous.string if previous is not None else ""
            after = following.string if following is not None else ""
            if before != "is" and after != "in":
                return ""
    if token.type == tokenize.NUMBER and token.string.isdigit():
        return str(int(token.string) + 1)
    return None


def _unary(previous: tokenize.TokenInfo | None) -> bool:
    """A sign, not a sum: after an operator, an opening bracket, a comma or a keyword."""
    if previous is None:
        return True
    if previous.type == tokenize.OP:
        return previous.string not in (")", "]", "}")
    return previous.type == tokenize.NAME and previous.string in (
        "return", "in", "and", "or", "not", "if", "else", "yield", "lambda", "is",
    )  # fmt: skip


def collect(only: str | None) -> list[tuple[Mutant, list[str]]]:
    chosen: list[tuple[Mutant, list[str]]] = []
    wanted_path, _, wanted_line = (only or "").partition(":")
    for target, tests in TARGETS.items():
        base = ROOT / target
        files = sorted(base.rglob("*.py")) if base.is_dir() else [base]
        for path in files:
            for mutant in mutants_of(path):
                if wanted_path and not mutant.path.startswith(wanted_path):
                    continue
                if wanted_line and mutant.line != int(wanted_line):
                    continue
                chosen.append((mutant, tests))
    return chosen


class Worker:
    """A copy of `src/` of its own, where one mutant at a time is applied and undone."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="lumbar-mutate-"))
        shutil.copytree(SOURCE, self.dir / "src", ignore=shutil.ignore_patterns("__pycache__"))

    def run(self, mutant: Mutant, tests: list[str]) -> bool:
        """True when a test failed (the mutant is killed)."""
        copy = self.dir / mutant.path
        original = copy.read_text(encoding="utf-8")
        lines = original.splitlines(keepends=True)
        line = lines[mutant.line - 1]
        start = mutant.column
        assert line[start : start + len(mutant.old)] == mutant.old, mutant
        lines[mutant.line - 1] = line[:start] + mutant.new + line[start + len(mutant.old) :]
        copy.write_text("".join(lines), encoding="utf-8")
        try:
            environment = {
                **os.environ,
                "PYTHONPATH": str(self.dir / "src"),
                "PYTHONDONTWRITEBYTECODE": "1",
                "LUMBAR_TEST_POSTGRES_URL": "",
                "LUMBAR_REQUIRE_POSTGRES": "",
            }
            done = subprocess.run(
                [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests],
                cwd=ROOT,
                env=environment,
                capture_output=True,
                timeout=180,
            )
            return done.returncode != 0
        except subprocess.TimeoutExpired:
            return True  # an endless loop is noticed too
        finally:
            copy.write_text(original, encoding="utf-8")

    def close(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=max(1, (os.cpu_count() or 2)))
    parser.add_argument("--only", help="PATH or PATH:LINE, relative to the repository")
    parser.add_argument("--list", action="store_true", help="list the mutants and stop")
    options = parser.parse_args()
    chosen = collect(options.only)
    if options.list:
        for mutant, _ in chosen:
            print(mutant)
        print(f"{len(chosen)} mutants")
        return 0
    started = time.monotonic()
    workers = [Worker() for _ in range(options.jobs)]
    free = list(workers)
    survivors: list[Mutant] = []

    def attempt(item: tuple[Mutant, list[str]]) -> tuple[Mutant, bool]:
        worker = free.pop()
        try:
            return item[0], worker.run(*item)
        finally:
            free.append(worker)

    try:
        with ThreadPoolExecutor(options.jobs) as pool:
            for count, (mutant, killed) in enumerate(pool.map(attempt, chosen), start=1):
                if not killed:
                    survivors.append(mutant)
                    print(f"survived: {mutant}", flush=True)
                if count % 25 == 0:
                    print(f"... {count}/{len(chosen)}", flush=True)
    finally:
        for worker in workers:
            worker.close()
    caught = len(chosen) - len(survivors)
    minutes = (time.monotonic() - started) / 60
    score = 100 * caught / len(chosen) if chosen else 100.0
    print(f"\n{caught} of {len(chosen)} mutants killed ({score:.1f}%) in {minutes:.1f} min")
    for mutant in survivors:
        print(f"  survived: {mutant}")
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())
