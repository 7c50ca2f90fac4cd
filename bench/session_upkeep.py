"""What posting a session costs inside the server, apart from HTTP: the use case and its
transaction, and the concern summary kept with it (issue #20), on SQLite and PostgreSQL.

`bench/clinic.py` measures the whole request under load, where the machine's noise and the
server's threads blur the part the summary adds. This one seeds the same clinic
(`bench.clinic.seed`: patients with four weeks of a program) and posts each patient's
next sessions through `usecases.sessions.log`, in this process, alternating two halves of
the patients: one with the summary kept (`usecases.summaries.keep`, as the clinic server
sets it), one without. Each post's CPU time (`time.process_time`) is recorded, and the
summary's own part (the `after_write` hook) apart. The baseline, measured in the same run,
is one transaction that reads a patient's history and writes nothing: what any write costs
before it does anything.

`--same-day` sets the server's day to each session's own day (a session posted on the day
it is done, as people do); without it the server stands on the last day, as in
bench/clinic.py, so the summary is computed for a later day than the session's.

Run: `scripts/with-postgres .venv/bin/python bench/session_upkeep.py [--patients 40]
[--same-day]` (PostgreSQL is skipped without LUMBAR_TEST_POSTGRES_URL).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from bench.clinic import postgres_database, seed  # noqa: E402
from lumbar.content.load import default_content  # noqa: E402
from lumbar.domain.access import Account, Role  # noqa: E402
from lumbar.domain.model import SessionLog  # noqa: E402
from lumbar.store.accounts import accounts as accounts_of  # noqa: E402
from lumbar.store.database import Store  # noqa: E402
from lumbar.store.writes import Transaction  # noqa: E402
from lumbar.usecases import sessions, summaries  # noqa: E402
from lumbar.usecases.person import Person  # noqa: E402


def measure(url: str, patients: int, same_day: bool) -> dict[str, list[float]]:
    seeded = seed(url, patients, 16)
    store = Store(url)
    content = default_content()
    day = [seeded.days[-1].on]
    summaries.keep(store, content, lambda: day[0])
    kept = store.after_write
    assert kept is not None
    upkeep: list[float] = []

    def timed(tx: Transaction, people: set[int]) -> None:
        started = time.process_time()
        kept(tx, people)
        upkeep.append(time.process_time() - started)

    with store.reading() as connection:
        found = [a for a in accounts_of(connection) if a.role is Role.PATIENT]
    half = len(found) // 2
    keeping, bare = found[:half], found[half:]
    figures: dict[str, list[float]] = {"with": [], "without": [], "upkeep": upkeep, "base": []}

    def post(account: Account, session: SessionLog) -> float:
        person = Person(store, content, account.id, clinic=True, today=day[0])
        entries = [(r.exercise_id, r.pain) for r in session.results]
        started = time.process_time()
        sessions.log(person, session.on, entries)
        return time.process_time() - started

    def base(account: Account) -> float:
        started = time.process_time()
        with store.transaction() as tx:
            tx.history(account.id)
        return time.process_time() - started

    try:
        for session in seeded.days[1:]:
            if same_day:
                day[0] = session.on
            for one, other in zip(keeping, bare, strict=False):
                store.after_write = timed
                figures["with"].append(post(one, session))
                store.after_write = None
                figures["without"].append(post(other, session))
                figures["base"].append(base(other))
    finally:
        store.dispose()
    return figures


def row(name: str, figures: dict[str, list[float]]) -> str:
    def ms(key: str) -> str:
        return f"{statistics.median(figures[key]) * 1000:.2f}"

    return (
        f"| {name} | {len(figures['with'])} | {ms('base')} | {ms('without')} | {ms('with')} "
        f"| {ms('upkeep')} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--patients", type=int, default=40, help="patients of the clinician")
    parser.add_argument("--same-day", action="store_true", help="post on the server's day")
    args = parser.parse_args()
    runs: list[tuple[str, Callable[[], dict[str, list[float]]]]] = []
    scratch = Path(tempfile.mkdtemp(prefix="lumbar-upkeep-"))
    runs.append(
        ("SQLite", lambda: measure(f"sqlite:///{scratch}/b.db", args.patients, args.same_day))
    )
    admin = os.environ.get("LUMBAR_TEST_POSTGRES_URL")

    def on_postgres() -> dict[str, list[float]]:
        assert admin is not None
        with postgres_database(admin) as url:
            return measure(url, args.patients, args.same_day)

    if admin:
        runs.append(("PostgreSQL", on_postgres))
    else:
        print("PostgreSQL skipped: LUMBAR_TEST_POSTGRES_URL is not set", file=sys.stderr)
    print(
        f"{args.patients} patients, sessions posted through usecases.sessions.log "
        f"({'on each session' if args.same_day else 'with the server on the last'} day); "
        f"medians of process CPU ms; {date.today().isoformat()}, load average "
        f"{' '.join(f'{v:.2f}' for v in os.getloadavg())}\n"
    )
    print(
        "| database | posts each | baseline: a transaction that reads | a session, no summary "
        "| a session, summary kept | the summary alone |"
    )
    print("|---|---|---|---|---|---|")
    for name, run in runs:
        print(row(name, run()))


if __name__ == "__main__":
    main()
