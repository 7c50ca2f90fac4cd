"""Benchmarks: start-up of the command line, and the engine's plan for a year of history.

Each figure is reported next to a baseline measured in the same run (a bare
`python -c pass`), because the machines this runs on are shared and noisy. Targets
(issue #2): `lumbar --help` under 150 ms, `lumbar today` under 300 ms wall, and the engine's
plan for a user with one year of history under 1 ms.

Run: `make bench` (or `.venv/bin/python bench/run.py [--runs N]`).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lumbar.content.load import default_content  # noqa: E402
from lumbar.domain.plan import plan_day, program_status  # noqa: E402
from lumbar.formats import archive  # noqa: E402
from lumbar.store.database import Store, sqlite_url  # noqa: E402
from lumbar.usecases import records  # noqa: E402
from lumbar.usecases.person import Person  # noqa: E402
from tests.builders import a_year_of_history  # noqa: E402

TARGETS_MS = {"lumbar --help": 150.0, "lumbar today": 300.0, "engine: plan_day, 1 year": 1.0}


def wall_ms(command: list[str], runs: int) -> list[float]:
    """Wall-clock times of whole processes, in milliseconds (after one warm-up run)."""
    subprocess.run(command, check=True, capture_output=True)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append((time.perf_counter() - started) * 1000)
    return times


def engine_ms(runs: int) -> tuple[list[float], list[float], int]:
    history, program = a_year_of_history()
    on = history.events[-1].on
    per_call = []
    status_calls = []
    for _ in range(runs):
        per_call.append(timeit.timeit(lambda: plan_day(on, history, program), number=50) / 50)
        status_calls.append(
            timeit.timeit(lambda: program_status(on, history, program), number=50) / 50
        )
    return [t * 1000 for t in per_call], [t * 1000 for t in status_calls], len(history.events)


def year_database(directory: Path) -> Path:
    history, _ = a_year_of_history()
    path = directory / "year.db"
    # The year is lived: the clock stands on its last day.
    today = history.events[-1].on
    person = Person(Store(sqlite_url(path)), default_content(), today=today)
    records.import_(person, archive.dumps(archive.to_document(history)), source="bench")
    person.store.dispose()
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    lumbar = str(Path(sys.executable).with_name("lumbar"))
    rows: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        db = year_database(Path(scratch))
        last_day = "2027-11-01"
        rows["python -c pass (baseline)"] = wall_ms([sys.executable, "-c", "pass"], args.runs)
        rows["lumbar --help"] = wall_ms([lumbar, "--help"], args.runs)
        rows["lumbar today"] = wall_ms(
            [lumbar, "today", "--db", str(db), "--date", last_day], args.runs
        )
        rows["lumbar today --json"] = wall_ms(
            [lumbar, "today", "--json", "--db", str(db), "--date", last_day], args.runs
        )
        rows["lumbar status"] = wall_ms(
            [lumbar, "status", "--db", str(db), "--date", last_day], args.runs
        )
    plan, status, events = engine_ms(args.runs)
    rows["engine: plan_day, 1 year"] = plan
    rows["engine: program_status, 1 year"] = status

    baseline = statistics.median(rows["python -c pass (baseline)"])
    print(f"{events} events in the year of history; {args.runs} runs each; median (min)\n")
    print("| measurement | median ms | min ms | target ms | baseline ms |")
    print("|---|---|---|---|---|")
    for name, times in rows.items():
        target = TARGETS_MS.get(name)
        print(
            f"| {name} | {statistics.median(times):.2f} | {min(times):.2f} | "
            f"{'' if target is None else f'{target:g}'} | {baseline:.1f} |"
        )
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    summary = {
        name: {"median_ms": statistics.median(t), "min_ms": min(t)} for name, t in rows.items()
    }
    (results / "latest.json").write_text(json.dumps(summary, indent=2) + "\n")


if __name__ == "__main__":
    main()
