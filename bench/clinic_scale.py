"""The dashboard at a practice's size (issue #20): 8 clinicians at once, each opening the
list of their patients, in a clinic of 10 clinicians (by default 2,000 patients each, a year
of history each: 20,000), on SQLite and on PostgreSQL, next to a hello-world baseline
measured the same way.

For each database the clinic is seeded by bench/seed_clinic.py (a new SQLite file in a
temporary directory; a new database in the PostgreSQL cluster named by
LUMBAR_TEST_POSTGRES_URL, dropped afterwards; or, with `--postgres-url`, a database of an
existing cluster, left in place), the real server is started (`python -m lumbar serve
--accounts --allow-http`), the clinicians sign in over HTTP, and then `--concurrent`
clients, one per clinician, each on one kept-alive connection, ask for the dashboard again
and again for `--seconds` (every request sent before the end is answered and counted). Each
client is a thread of this process; the figures are latencies of whole answers (p50, p95,
p99, the slowest), answers per second, and the server's CPU time per answer.

The dashboard's route is `--route` (default `/api/v1/clinic/patients`, the whole list;
once the dashboard is paginated, run it again with
`--route '/api/v1/clinic/patients?limit=50&offset=0'` or whatever the page's address is).
Every answer must be 200 with a JSON list or object, else the run fails.

Run, small (a minute or two): `scripts/with-postgres .venv/bin/python bench/clinic_scale.py
--patients 50 --weeks 8 --seconds 10`. Full size (hours of seeding on a small machine):
`scripts/with-postgres .venv/bin/python bench/clinic_scale.py --patients 2000 --seconds 60`.
To measure databases seeded beforehand by bench/seed_clinic.py (with the same --clinicians,
--patients and --weeks): `--seeded --sqlite-url URL --postgres-url URL` (or --skip-sqlite,
--skip-postgres).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
sys.path.insert(0, str(ROOT))

from bench.clinic import (  # noqa: E402
    POSTGRES_VARIABLE,
    load_average,
    postgres_database,
    sign_in,
)
from bench.seed_clinic import clinician_email, database_size, seed  # noqa: E402
from bench.web import Failure, Server, free_port, serving  # noqa: E402
from lumbar.store.database import sqlite_url  # noqa: E402
from tests.builders import START  # noqa: E402

ROUTE = "/api/v1/clinic/patients"


@dataclass
class Figures:
    name: str
    latencies_ms: list[float] = field(default_factory=list)
    seconds: float = 0.0
    cpu_ms: float | None = None
    statuses: dict[int, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies_ms)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]

    def row(self) -> str:
        n = len(self.latencies_ms)
        if not n:
            return f"| {self.name} | 0 | no answer | | | | | |"
        cpu = "" if self.cpu_ms is None else f"{self.cpu_ms:.1f}"
        return (
            f"| {self.name} | {n} | {n / self.seconds:.2f} | {self.percentile(0.5):.0f} | "
            f"{self.percentile(0.95):.0f} | {self.percentile(0.99):.0f} | "
            f"{max(self.latencies_ms):.0f} | {cpu} |"
        )


def hammer(
    name: str, server: Server, route: str, cookies: list[str | None], seconds: float
) -> Figures:
    """One client per cookie, each asking for `route` again and again for `seconds`."""
    figures = Figures(name)
    lock = threading.Lock()
    port = int(server.base.rsplit(":", 1)[1])
    stop = time.monotonic() + seconds
    failures: list[str] = []

    def client(cookie: str | None) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=3600)
        headers = {} if cookie is None else {"Cookie": cookie}
        try:
            while True:  # at least one request, then until the time is up
                started = time.perf_counter()
                connection.request("GET", route, headers=headers)
                answer = connection.getresponse()
                body = answer.read()
                took = (time.perf_counter() - started) * 1000
                with lock:
                    figures.latencies_ms.append(took)
                    figures.statuses[answer.status] = figures.statuses.get(answer.status, 0) + 1
                if answer.status != 200:
                    failures.append(f"{answer.status}: {body[:300]!r}")
                    return
                json.loads(body)
                if time.monotonic() >= stop:
                    return
        except Exception as error:  # reported, and the run fails
            failures.append(repr(error))
        finally:
            connection.close()

    cpu_before = server.cpu_seconds()
    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(c,)) for c in cookies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    figures.seconds = time.perf_counter() - started
    cpu_after = server.cpu_seconds()
    if cpu_before is not None and cpu_after is not None and figures.latencies_ms:
        figures.cpu_ms = (cpu_after - cpu_before) * 1000 / len(figures.latencies_ms)
    if failures:
        raise Failure(f"{name}: {failures[0]} ({len(failures)} clients failed)")
    return figures


def baseline(scratch: Path, concurrent: int, seconds: float) -> Figures:
    port = free_port()
    command = [sys.executable, str(BENCH / "servers.py"), "hello", "--port", str(port)]
    with serving("hello", command, port, scratch) as hello:
        hammer("warm-up", hello, "/", [None] * concurrent, 1)
        return hammer("hello-world GET / (the baseline)", hello, "/", [None] * concurrent, seconds)


def measure(
    name: str, url: str, args: argparse.Namespace, scratch: Path
) -> tuple[list[Figures], list[str]]:
    notes = []
    if args.seeded:
        took = "before this run (--seeded)"
    else:
        seeded = seed(url, args.clinicians, args.patients, weeks=args.weeks, progress=True)
        took = f"in {seeded.seconds:.0f} s"
    size = database_size(url)
    notes.append(
        f"{name}: seeded {args.clinicians} clinicians x {args.patients} patients, "
        f"{args.weeks} weeks each, {took}; the database is {size / 1e6:.0f} MB"
    )
    day = START + timedelta(weeks=args.weeks)
    port = free_port()
    command = [
        sys.executable, "-m", "lumbar", "serve", "--accounts", "--allow-http",
        "--port", str(port), "--db", url, "--date", day.isoformat(),
        "--no-background-jobs",
    ]  # fmt: skip
    # No daily jobs: the server's refresh at start would compete with what is measured.
    logs = scratch / name.lower()
    logs.mkdir()
    with serving("server", command, port, logs, "/sign-in") as server:
        staff = [sign_in(server.base, clinician_email(c)) for c in range(args.concurrent)]
        cookies: list[str | None] = [who.cookie for who in staff]
        started = time.perf_counter()
        hammer("alone (warm-up)", server, args.route, cookies[:1], 0)
        alone = (time.perf_counter() - started) * 1000
        notes.append(f"{name}: one dashboard alone (the first, cold): {alone:.0f} ms")
        figures = hammer(
            f"{name}: GET {args.route}, {args.concurrent} clinicians at once",
            server,
            args.route,
            cookies,
            args.seconds,
        )
    return [figures], notes


def main() -> None:
    assert __doc__ is not None
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clinicians", type=int, default=10, help="clinicians of the clinic")
    parser.add_argument("--patients", type=int, default=2000, help="patients per clinician")
    parser.add_argument("--weeks", type=int, default=52, help="weeks of history each")
    parser.add_argument("--concurrent", type=int, default=8, help="clinicians at once")
    parser.add_argument("--seconds", type=float, default=60, help="each measurement's length")
    parser.add_argument("--route", default=ROUTE, help="the dashboard's address")
    parser.add_argument("--postgres-url", help="a PostgreSQL database to seed (else a new one)")
    parser.add_argument("--sqlite-url", help="a SQLite database to seed (else a new file)")
    parser.add_argument(
        "--seeded",
        action="store_true",
        help="the databases named are seeded already (bench/seed_clinic.py, same sizes)",
    )
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    if args.concurrent > args.clinicians:
        sys.exit("--concurrent: at most --clinicians")
    if args.seeded and not (args.sqlite_url or args.skip_sqlite):
        sys.exit("--seeded: name the seeded SQLite database (--sqlite-url) or --skip-sqlite")
    load_before = load_average()
    rows: list[Figures] = []
    notes: list[str] = []
    try:
        with tempfile.TemporaryDirectory(prefix="lumbar-bench-scale-") as scratch_name:
            scratch = Path(scratch_name)
            rows.append(baseline(scratch, args.concurrent, min(args.seconds, 10)))
            if not args.skip_sqlite:
                url = args.sqlite_url or sqlite_url(scratch / "clinic.db")
                found, said = measure("SQLite", url, args, scratch)
                rows += found
                notes += said
            admin = os.environ.get(POSTGRES_VARIABLE)
            if args.skip_postgres:
                pass
            elif args.postgres_url:
                found, said = measure("PostgreSQL", args.postgres_url, args, scratch)
                rows += found
                notes += said
            elif admin:
                with postgres_database(admin) as url:
                    found, said = measure("PostgreSQL", url, args, scratch)
                    rows += found
                    notes += said
            else:
                notes.append(f"PostgreSQL SKIPPED: {POSTGRES_VARIABLE} is not set")
    except Failure as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        sys.exit(1)
    print(
        f"{args.concurrent} clients at once, one kept-alive connection each; load average "
        f"(1, 5, 15 min) {load_before} before, {load_average()} after; {os.cpu_count()} cores\n"
    )
    print("| measurement | answers | per second | p50 ms | p95 ms | p99 ms | slowest ms | CPU ms |")
    print("|---|---|---|---|---|---|---|---|")
    for figures in rows:
        print(figures.row())
    print()
    for note in notes:
        print(f"- {note}")


if __name__ == "__main__":
    main()
