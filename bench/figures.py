"""Benchmark: what the exercise figures cost to load, draw and send.

No target was set for the figures (issue #4); these figures say what they add: the time to
load and check `figures.toml` (paid once when the web app starts), the time to draw each
moving figure (paid once per exercise and hold, then kept), their size raw and gzipped (the
session page carries one inline), and the wall time of `lumbar exercises ID --svg FILE`,
each next to a `python -c pass` baseline measured in the same run.

Run: `.venv/bin/python bench/figures.py [--runs N]`.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.run import wall_ms  # noqa: E402

LUMBAR = str(Path(sys.executable).with_name("lumbar"))
LOAD = (
    "import time; t = time.perf_counter(); "
    "from lumbar.figures.load import default_figures; default_figures(); "
    "print((time.perf_counter() - t) * 1000)"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    runs = parser.parse_args().runs

    baseline = statistics.median(wall_ms([sys.executable, "-c", "pass"], runs))
    loads = [
        float(subprocess.run([sys.executable, "-c", LOAD], check=True, capture_output=True,
                             text=True).stdout)
        for _ in range(runs)
    ]  # fmt: skip
    with tempfile.TemporaryDirectory() as directory:
        target = Path(directory) / "figure.svg"
        command = [LUMBAR, "exercises", "childs-pose", "--svg", str(target), "--db",
                   str(Path(directory) / "lumbar.db")]  # fmt: skip
        cli = statistics.median(wall_ms(command, runs))

    from lumbar.content.load import default_content
    from lumbar.figures.drawings import Drawings
    from lumbar.figures.load import default_figures

    content = default_content()
    figures = default_figures()
    rows = []
    for exercise_id in figures:
        drawings = Drawings(figures, content.catalogue)
        started = time.perf_counter()
        svg = drawings.svg(exercise_id, hold=30)
        drawn = (time.perf_counter() - started) * 1000
        rows.append((exercise_id, drawn, len(svg), len(gzip.compress(svg.encode()))))

    print(f"baseline python -c pass: {baseline:.1f} ms (median of {runs})")
    print(f"load and check figures.toml (in a fresh process): {statistics.median(loads):.0f} ms")
    print(f"lumbar exercises childs-pose --svg FILE: {cli:.0f} ms wall")
    print("| exercise | draw ms (cold) | SVG KB | gzipped KB |")
    print("|---|---|---|---|")
    for exercise_id, drawn, raw, packed in rows:
        print(f"| {exercise_id} | {drawn:.1f} | {raw / 1024:.1f} | {packed / 1024:.1f} |")
    total = sum(r[1] for r in rows)
    print(f"all 13 drawn: {total:.0f} ms; largest gzipped: {max(r[3] for r in rows) / 1024:.1f} KB")


if __name__ == "__main__":
    main()
