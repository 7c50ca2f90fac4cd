"""Load benchmark of a clinic's server (`lumbar serve --accounts`) on SQLite and on PostgreSQL.

Issue #6: the server figures of accounts mode, on both databases, next to the ceiling of a
bare hello-world app measured in the same run. No target is set for them yet: the figures
are reported, never judged.

For each database (a SQLite file in a temporary directory; a new database in the PostgreSQL
cluster named by LUMBAR_TEST_POSTGRES_URL, created here and dropped afterwards, or skipped
with a message when the variable is missing), the script:

- seeds a clinic through the use cases themselves: one clinician and N patients
  (`lumbar.usecases.accounts.Accounts`, with cheap argon2id parameters: the server verifies each
  password with the parameters stored in its hash), each with a program started
  (`lumbar.usecases.program.start` on a clinic's record, the intake answers of the web tests)
  on Monday 2 November 2026 and four weeks of it recorded (every planned session, no pain,
  a check-in each week; simulated by `tests.builders.Follower`);
- starts the real server process, `python -m lumbar serve --accounts --allow-http --port P
  --db URL --date D --no-background-jobs`, D being the Monday after those four weeks;
- signs every patient and the clinician in over HTTP (`POST /api/v1/sign-in`), keeping each
  one's session cookie and CSRF token;
- measures with wrk (2 threads, 16 connections, like bench/web.py), in this order:
  1. `GET /api/v1/today` as one signed-in patient (its Cookie header);
  2. `GET /api/v1/clinic/patients` as the clinician: the dashboard over the N patients,
     which also writes one audit entry per patient it lists (one transaction each). It is
     first asked for alone a few times (its latency alone, and its warm-up), and its run
     lasts long enough for each connection to get about three answers (60 s at most);
  3. `POST /api/v1/problems` spread over all the patients (`bench/wrk_clinic.lua` cycles
     through their cookies and CSRF tokens): every one a real report, answered 201;
  4. `POST /api/v1/sessions` spread over all the patients, each patient posting its next
     training day in date order (as bench/wrk_sessions.lua does), every one a real
     session, answered 201. Here wrk runs 16 threads of one connection each: a patient's
     next day is sent only once the one before was answered. With 2 threads of 8, a
     patient's next day could overtake the one before inside the server (a request can wait
     longer than the other patients' turns take, on PostgreSQL in particular) and be
     refused as out of order. The measured run goes on from each patient's last recorded
     day after the warm-up.
  Each run but the dashboard's comes after a warm-up under the same load, and the script
  waits for the server to go idle after every run (it still finishes the requests wrk left
  in flight). The reads come before the writes, so the dashboard reads the clinic as seeded
  (the posted sessions are on days after the server's "today").

Before those, `GET /api/v1/today` is measured in local mode (`lumbar serve`, no accounts)
on a database of its own with the same program and weeks, on each database: accounts
mode's overhead on that request (the sign-in lookup and the guard) is the difference of
the server CPU per answer (issue #20).

After each run that writes, once the database has settled, the rows are counted: N audit
entries for each dashboard answered (or left in flight), a problem report for each 201 (or
request left in flight), sessions likewise, and each patient's sessions must be the first
of the simulated days, in order. The ceiling is `bench/servers.py hello` (`GET /`, an `async
def` route), measured before the databases and again after them, to show how much the
machine drifted during the run. The settings each database commits with are printed: the
cluster of scripts/with-postgres runs with fsync and synchronous_commit off (it holds only
throwaway databases), so its commits are not durable, while SQLite's (WAL,
synchronous=FULL) are synced before the answer.

Sign-in checks a password on purpose slowly: the script also times one
`argon2.PasswordHasher().hash` with the default parameters (the ones `lumbar admin
create-user` and the join page use), next to a bare `python -c pass`.

Any answer that is not 2xx, any socket error (a request unanswered after the timeout
counts as one), or a count that does not match fails the run: everything is printed, then
it exits with status 1.

Run: `scripts/with-postgres .venv/bin/python bench/clinic.py [--seconds 10] [--patients 200]`,
or `--quick` (2 s each) to check that it works. Needs `wrk` on the PATH.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
sys.path.insert(0, str(ROOT))

from bench.web import (  # noqa: E402
    CONNECTIONS,
    THREADS,
    Failure,
    Load,
    Server,
    file_system,
    free_port,
    parse_wrk,
    serving,
)
from lumbar.domain.model import CheckIn, SessionLog  # noqa: E402
from lumbar.store.database import sqlite_url  # noqa: E402
from lumbar.usecases.summaries import PAGE_SIZE  # noqa: E402
from tests import builders  # noqa: E402
from tests.builders import START, Follower  # noqa: E402

POSTGRES_VARIABLE = "LUMBAR_TEST_POSTGRES_URL"
PASSWORD = "correct horse battery"
CLINICIAN = "pt@bench.example"
SEEDED_WEEKS = 4
SERVER_DAY = START + timedelta(weeks=SEEDED_WEEKS)
"""The server's "today" (--date): the Monday after the seeded weeks, a training day."""
MOST_POSTS_RPS = 1_500
"""More sessions per second than the server could answer: the training days planned per
patient cover it (a patient out of days sends a request answered 404, failing the run)."""
TIMEOUT_S = 60
"""wrk counts a request unanswered after this long as a socket error (a timeout). Longer
than bench/web.py's 10 s: a dashboard over 200 patients takes a quarter to two thirds of a
second alone, and 16 of them share one process."""
DASHBOARDS_ALONE = 5
"""Dashboards asked for one at a time before the load: their latency alone, and the
dashboard's warm-up (a wrk warm-up would leave 16 slow dashboards running in the server
after it, into the measurement)."""
DASHBOARD_ROUNDS = 3
"""The dashboard's run lasts long enough for each connection to get about this many answers
(16 dashboards at a time each take 16 times as long as one alone), 60 s at most."""
LOOKUPS = 500
"""Sign-in lookups timed in this process (what the server does first on every request)."""
PROBLEM_BODIES = [
    json.dumps({"kind": "pain_after_session", "note": "Stiff the morning after."}),
    json.dumps({"kind": "other", "note": "Knee sore on the stairs."}),
]

CEILING = "hello-world GET / (the ceiling)"
TODAY = "GET /api/v1/today (one patient)"
LOCAL_TODAY = "GET /api/v1/today (local mode, no sign-in: the comparison)"
DASHBOARD = "GET /api/v1/clinic/patients (the dashboard)"
PROBLEMS = "POST /api/v1/problems"
SESSIONS = "POST /api/v1/sessions"


@dataclass(frozen=True)
class Identity:
    """A signed-in account: its id, its session cookie (as sent) and its CSRF token."""

    id: int
    cookie: str
    csrf: str


@dataclass
class Seeded:
    url: str
    patients: list[str]
    """Their emails, in the order they were made."""
    seeded_sessions: int
    days: list[SessionLog]
    """The sessions each patient goes on to post, in date order (the same for all)."""
    seconds: float


@dataclass
class Run:
    """A measured wrk run, with its length and its number of wrk threads."""

    load: Load
    seconds: int
    threads: int = THREADS
    opened: int | None = None
    """PostgreSQL: the connections the server opened during the run (and its wind-down)."""


@dataclass
class Result:
    """One database's figures and what was checked."""

    name: str
    runs: list[Run] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


# The clinic.


def simulated_days(rounds: int) -> tuple[list[CheckIn | SessionLog], list[SessionLog]]:
    """The seeded weeks' events after the intake, and the `rounds` sessions that follow."""
    weekly: dict[date, tuple[int | None, tuple[int, ...] | None]] = {
        START + timedelta(weeks=week): (5, (5, 6, 4)) for week in range(1, SEEDED_WEEKS)
    }
    follower = Follower(builders.program(), builders.history(), checkins=weekly)
    lived = follower.follow(SERVER_DAY + timedelta(weeks=rounds // 2 + 4))
    seeded = [e for e in lived.events[1:] if e.on < SERVER_DAY]
    later = [e for e in lived.events if e.on >= SERVER_DAY and isinstance(e, SessionLog)]
    if len(later) < rounds:
        raise Failure(f"only {len(later)} training days simulated, {rounds} needed")
    kept: list[CheckIn | SessionLog] = []
    for event in seeded:
        assert isinstance(event, CheckIn | SessionLog)
        kept.append(event)
    return kept, later[:rounds]


def seed(url: str, patients: int, rounds: int) -> Seeded:
    """One clinician and `patients` patients, each with four weeks of a program."""
    from argon2 import PasswordHasher

    from lumbar.content.load import default_content
    from lumbar.formats.intake import IntakeAnswers
    from lumbar.store.database import Store
    from lumbar.usecases import checkins, program, sessions
    from lumbar.usecases.accounts import Accounts, now_utc
    from lumbar.usecases.person import Person
    from tests.web.conftest import ANSWERS

    started = time.perf_counter()
    seeded, days = simulated_days(rounds)
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    store = Store(url)
    try:
        accounts = Accounts(store, cheap)
        content = default_content()
        now = now_utc()
        accounts.create_user(CLINICIAN, PASSWORD, "clinician", now, clinic="Bench Clinic")
        emails = [f"patient{n}@bench.example" for n in range(patients)]
        for n, email in enumerate(emails):
            account = accounts.create_user(
                email, PASSWORD, "patient", now, clinician_email=CLINICIAN
            )
            person = Person(store, content, account.id, clinic=True)
            # Each patient's own age and weeks of pain (20-49, never a new episode's alert):
            # patients whose histories were equal would share the plans the server keeps
            # (domain/plan.py), as real patients never do.
            own = {**ANSWERS, "age": 20 + n % 30, "pain_weeks": 13 + n % 40}
            answers = IntakeAnswers.model_validate_json(json.dumps(own))
            with store.transaction():  # one commit per patient: the seeding is not measured
                program.start(person, answers, START)
                for event in seeded:
                    if isinstance(event, SessionLog):
                        entries = [(r.exercise_id, r.pain) for r in event.results]
                        sessions.log(person, event.on, entries)
                    else:
                        checkins.record(person, event.on, pain=event.pain, psfs=event.psfs)
    finally:
        store.dispose()
    recorded = sum(1 for e in seeded if isinstance(e, SessionLog))
    return Seeded(url, emails, recorded, days, time.perf_counter() - started)


def seed_local(url: str) -> None:
    """Local mode's one person, with the same program and weeks as each patient: the
    record `GET /api/v1/today` reads without a sign-in, for the comparison."""
    from lumbar.content.load import default_content
    from lumbar.formats.intake import IntakeAnswers
    from lumbar.store.database import Store
    from lumbar.usecases import checkins, program, sessions
    from lumbar.usecases.person import Person
    from tests.web.conftest import ANSWERS

    seeded, _ = simulated_days(1)
    answers = IntakeAnswers.model_validate_json(json.dumps(ANSWERS))
    store = Store(url)
    try:
        person = Person(store, default_content())
        with store.transaction():
            program.start(person, answers, START)
            for event in seeded:
                if isinstance(event, SessionLog):
                    sessions.log(person, event.on, [(r.exercise_id, r.pain) for r in event.results])
                else:
                    checkins.record(person, event.on, pain=event.pain, psfs=event.psfs)
    finally:
        store.dispose()


def local_today(name: str, url: str, scratch: Path, seconds: int, warm_up: int) -> Run:
    """`GET /api/v1/today` in local mode (no accounts, no sign-in) on a database of its
    own: what accounts mode's per-request overhead is measured against."""
    seed_local(url)
    port = free_port()
    command = [
        sys.executable, "-m", "lumbar", "serve", "--port", str(port), "--db", url,
        "--date", SERVER_DAY.isoformat(),
    ]  # fmt: skip
    logs = scratch / f"local-{name.lower()}"
    logs.mkdir()
    route = f"/api/v1/today?date={SERVER_DAY.isoformat()}"
    script = BENCH / "wrk_status.lua"
    with serving("local", command, port, logs, route) as server:
        wrk(f"{LOCAL_TODAY} (warm-up)", server, route, warm_up, script)
        quiesce(server)
        opened = connections_opened(url)
        load = wrk(LOCAL_TODAY, server, route, seconds, script)
        if load.problems():
            raise Failure(f"{LOCAL_TODAY}: {'; '.join(load.problems())}")
        quiesce(server)
        return Run(load, seconds, opened=connections_opened(url, opened))


# The databases.


def libpq(url: str) -> str:
    """A SQLAlchemy URL (postgresql+psycopg://) as psycopg itself takes it."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


@contextmanager
def postgres_database(admin_url: str) -> Iterator[str]:
    """A new database in the cluster, dropped afterwards; its SQLAlchemy URL."""
    import psycopg

    name = f"bench_clinic_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(libpq(admin_url), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(libpq(admin_url), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def scalar(url: str, sql: str) -> Any:
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return connection.execute(text(sql)).scalar()
    finally:
        engine.dispose()


def count(url: str, table: str, where: str = "") -> int:
    return int(scalar(url, f"SELECT count(*) FROM {table} {where}"))


def connections_opened(url: str, before: int | None = None) -> int | None:
    """PostgreSQL: the connections ever opened to the database (pg_stat_database.sessions,
    whose counter may lag a little), or, given an earlier count, those opened since (not
    counting the one asking). None on SQLite."""
    if url.startswith("sqlite"):
        return None
    total = int(
        scalar(url, "SELECT sessions FROM pg_stat_database WHERE datname = current_database()")
    )
    return total if before is None else total - before - 1


def settled(measure: Callable[[], int], timeout: float = 120.0) -> int:
    """`measure()` once it has stopped changing (the server finishes the requests wrk left
    in flight, and a dashboard writes its audit entries one by one)."""
    last = measure()
    steady = 0
    deadline = time.monotonic() + timeout
    while steady < 3 and time.monotonic() < deadline:
        time.sleep(0.5)
        now = measure()
        steady = steady + 1 if now == last else 0
        last = now
    return last


def database_settings(url: str) -> str:
    """How the database commits, as the server's own engine sets it up."""
    from lumbar.store.database import Store

    store = Store(url)
    try:
        with store.engine.connect() as connection:
            if store.engine.dialect.name == "sqlite":
                found = {
                    name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
                    for name in ("journal_mode", "synchronous")
                }
                return (
                    f"SQLite {connection.exec_driver_sql('select sqlite_version()').scalar()}, "
                    f"journal_mode={found['journal_mode']}, synchronous={found['synchronous']} "
                    "(2 = FULL)"
                )
            shown = {
                name: connection.exec_driver_sql(f"SHOW {name}").scalar()
                for name in ("server_version", "fsync", "synchronous_commit", "full_page_writes")
            }
            return (
                f"PostgreSQL {shown['server_version']}, fsync={shown['fsync']}, "
                f"synchronous_commit={shown['synchronous_commit']}, "
                f"full_page_writes={shown['full_page_writes']}"
            )
    finally:
        store.dispose()


def recorded_days(url: str) -> dict[int, list[str]]:
    """Each patient's sessions from the server's day on, in the order they were recorded."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT person_id, on_date FROM events WHERE kind = 'session' "
                    "AND on_date >= :first ORDER BY person_id, id"
                ),
                {"first": SERVER_DAY},
            ).all()
    finally:
        engine.dispose()
    recorded: dict[int, list[str]] = {}
    for person, on in rows:
        recorded.setdefault(int(person), []).append(str(on)[:10])
    return recorded


def out_of_order(recorded: dict[int, list[str]], days: list[SessionLog]) -> list[str]:
    """Patients whose sessions are not the first of the simulated days, in order."""
    planned = [s.on.isoformat() for s in days]
    return [
        f"patient {person}: {found}"
        for person, found in recorded.items()
        if found != planned[: len(found)]
    ]


# Signing in.


def sign_in(base: str, email: str) -> Identity:
    body = json.dumps({"email": email, "password": PASSWORD}).encode()
    request = urllib.request.Request(
        base + "/api/v1/sign-in",
        data=body,
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            document = json.load(answer)
            cookies: SimpleCookie = SimpleCookie()
            for header in answer.headers.get_all("Set-Cookie") or []:
                cookies.load(header)
    except urllib.error.HTTPError as error:
        raise Failure(f"sign-in as {email}: {error.code} {error.read().decode()[:300]}") from None
    morsel = cookies.get("lumbar_session")
    if morsel is None:
        raise Failure(f"sign-in as {email}: no lumbar_session cookie")
    return Identity(int(document["id"]), f"lumbar_session={morsel.value}", document["csrf_token"])


def get_json(base: str, path: str, who: Identity) -> Any:
    request = urllib.request.Request(base + path, headers={"Cookie": who.cookie})
    with urllib.request.urlopen(request, timeout=60) as answer:
        return json.load(answer)


def lua_string(text: str) -> str:
    if "]==]" in text:
        raise Failure(f"cannot quote {text!r} in Lua")
    return f"[==[{text}]==]"


def script_data(
    path: Path,
    method: str,
    route: str,
    accounts: list[Identity],
    bodies: list[str] | None = None,
    *,
    cycle: bool = False,
    threads: int = THREADS,
    rounds: dict[int, int] | None = None,
) -> Path:
    """The data file of bench/wrk_clinic.lua; `rounds`: each account's next body (from 1)."""
    rounds = rounds or {}
    entries = [
        f"  {{cookie = {lua_string(a.cookie)}, csrf = {lua_string(a.csrf)}, "
        f"next = {rounds.get(a.id, 1)}}},"
        for a in accounts
    ]
    lines = [
        "return {",
        f" threads = {threads},",
        f' method = "{method}",',
        f' path = "{route}",',
        f" cycle = {'true' if cycle else 'false'},",
        " accounts = {",
        *entries,
        " },",
        " bodies = {",
        *(f"  {lua_string(body)}," for body in bodies or []),
        " },",
        "}",
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


# Load.


def wrk(
    name: str,
    server: Server,
    path: str,
    seconds: int,
    script: Path,
    script_args: list[str] | None = None,
    headers: dict[str, str] | None = None,
    threads: int = THREADS,
) -> Load:
    """One wrk run: its figures."""
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{CONNECTIONS}",
        f"-d{seconds}s",
        "--latency",
        "--timeout",
        f"{TIMEOUT_S}s",
        "-s",
        str(script),
    ]
    for header, value in (headers or {}).items():
        command += ["-H", f"{header}: {value}"]
    command.append(server.base + path)
    if script_args:
        command += ["--", *script_args]
    cpu_before = server.cpu_seconds()
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 180)
    cpu_after = server.cpu_seconds()
    if done.returncode != 0:
        raise Failure(f"{name}: wrk failed ({done.returncode}): {done.stderr}{done.stdout}")
    load = parse_wrk(name, done.stdout)
    if cpu_before is not None and cpu_after is not None and load.requests:
        load.cpu_ms = (cpu_after - cpu_before) * 1000 / load.requests
    return load


def quiesce(server: Server, timeout: float = 120.0) -> None:
    """Wait until the server process is idle: the requests wrk left in flight when it
    stopped are finished, and take no CPU from the next measurement."""
    last = server.cpu_seconds()
    if last is None:
        time.sleep(2)
        return
    idle = 0
    deadline = time.monotonic() + timeout
    while idle < 2 and time.monotonic() < deadline:
        time.sleep(0.25)
        now = server.cpu_seconds() or last
        idle = idle + 1 if now - last < 0.02 else 0
        last = now


def unanswered(*loads: Load) -> int:
    """Requests wrk sent but stopped waiting for (at most one per connection and run)."""
    return sum((load.sent or 0) - load.requests for load in loads)


def ok_statuses(load: Load, wanted: int) -> list[str]:
    if any(status != wanted for status in load.statuses):
        return [f"{load.name}: answers other than {wanted}: {load.statuses}"]
    return []


def check_written(
    name: str, written: int, answered: int, in_flight: int, loads: tuple[Load, ...]
) -> list[str]:
    """Every acknowledged write is there; more only by the requests left in flight."""
    if in_flight > CONNECTIONS * len(loads) or not answered <= written <= answered + in_flight:
        return [
            f"{name}: {written} rows were written, but {answered} answers were 2xx and "
            f"{in_flight} requests were left in flight when wrk stopped"
        ]
    return []


def measure(
    name: str, seeded: Seeded, scratch: Path, seconds: int, warm_up: int, quick: bool
) -> Result:
    result = Result(name)
    url = seeded.url
    patients = len(seeded.patients)
    parts = dashboard_parts(url)
    port = free_port()
    command = [
        sys.executable, "-m", "lumbar", "serve", "--accounts", "--allow-http",
        "--port", str(port), "--db", url, "--date", seeded.days[-1].on.isoformat(),
        "--no-background-jobs",
    ]  # fmt: skip
    # No daily jobs: the server's refresh at start would compete with what is measured.
    # The server's clock stands on the last day the patients post a session for (nothing is
    # recorded ahead of the clock); today's plan is read for SERVER_DAY, as before.
    logs = scratch / name.lower()
    logs.mkdir()
    status_script = BENCH / "wrk_status.lua"
    clinic_script = BENCH / "wrk_clinic.lua"
    with serving("server", command, port, logs, "/sign-in") as server:
        started = time.perf_counter()
        people = [sign_in(server.base, email) for email in seeded.patients]
        clinician = sign_in(server.base, CLINICIAN)
        signed_in_s = time.perf_counter() - started
        lookup = lookup_ms(url, patient_token(people[0]))
        result.notes.append(
            f"seeding took {seeded.seconds:.1f} s; {patients + 1} sign-ins over HTTP (cheap "
            f"hashes) {signed_in_s:.1f} s; in this process, looking a sign-in up (the "
            f"guard's `Accounts.session`, on every request) takes {lookup:.3f} ms"
        )

        # 1. Today, as one patient.
        patient = people[0]
        route = f"/api/v1/today?date={SERVER_DAY.isoformat()}"
        plan = get_json(server.base, route, patient)
        result.notes.append(
            f"today's plan ({SERVER_DAY}): {plan['kind']}, phase {plan['phase']}, "
            f"{len(plan.get('exercises', []))} exercises, after {seeded.seeded_sessions} "
            "sessions and 4 check-ins"
        )
        cookie = {"Cookie": patient.cookie}
        warm = wrk(f"{TODAY} (warm-up)", server, route, warm_up, status_script, headers=cookie)
        quiesce(server)
        opened = connections_opened(url)
        load = wrk(TODAY, server, route, seconds, status_script, headers=cookie)
        result.problems += warm.problems() + load.problems()
        quiesce(server)
        result.runs.append(Run(load, seconds, opened=connections_opened(url, opened)))

        # 2. The dashboard, as the clinician; asked for alone first (its warm-up).
        route = "/api/v1/clinic/patients"
        alone = []
        for _ in range(DASHBOARDS_ALONE):
            started = time.perf_counter()
            listed = get_json(server.base, route, clinician)
            alone.append((time.perf_counter() - started) * 1000)
        shown = min(patients, PAGE_SIZE)  # a page of the stored concern summaries (#20)
        if len(listed) != shown:
            result.problems.append(f"the dashboard lists {len(listed)} patients, not {shown}")
        length = seconds
        if not quick:
            wanted = DASHBOARD_ROUNDS * CONNECTIONS * median(alone) / 1000
            length = min(60, max(seconds, math.ceil(wanted)))
        audit_before = count(url, "audit_log")
        data = script_data(logs / "dashboard.lua", "GET", route, [clinician])
        opened = connections_opened(url)
        load = wrk(DASHBOARD, server, route, length, clinic_script, [str(data)])
        result.problems += load.problems()
        quiesce(server)
        result.runs.append(Run(load, length, opened=connections_opened(url, opened)))
        audited = settled(lambda: count(url, "audit_log")) - audit_before
        in_flight = unanswered(load)
        result.problems += check_written(
            f"{DASHBOARD}: audit entries / {shown}",
            audited // shown,
            load.requests,
            in_flight,
            (load,),
        )
        if audited % shown:
            result.problems.append(
                f"{DASHBOARD}: {audited} audit entries, not a multiple of {shown}"
            )
        result.notes.append(
            f"the dashboard alone (one request at a time, before the load): "
            f"{', '.join(f'{ms:.0f}' for ms in alone)} ms; {len(json.dumps(listed))} bytes "
            f"of JSON. In this process, the whole list as it was computed before the stored "
            f"summaries (#20): {patients} audit entries, one transaction each, "
            f"{parts[0]:.0f} ms, and {patients} overviews {parts[1]:.0f} ms"
        )
        result.notes.append(
            f"the dashboard under load: {load.requests} answered in {length} s, {in_flight} "
            f"left in flight; {audited} audit entries written, {shown} a dashboard (one insert)"
        )

        # 3. Problem reports, spread over the patients.
        before = count(url, "problem_reports")
        route = "/api/v1/problems"
        data = script_data(logs / "problems.lua", "POST", route, people, PROBLEM_BODIES, cycle=True)
        warm = wrk(f"{PROBLEMS} (warm-up)", server, route, warm_up, clinic_script, [str(data)])
        quiesce(server)
        opened = connections_opened(url)
        load = wrk(PROBLEMS, server, route, seconds, clinic_script, [str(data)])
        result.problems += warm.problems() + load.problems()
        result.problems += ok_statuses(warm, 201) + ok_statuses(load, 201)
        quiesce(server)
        result.runs.append(Run(load, seconds, opened=connections_opened(url, opened)))
        written = settled(lambda: count(url, "problem_reports")) - before
        created = warm.statuses.get(201, 0) + load.statuses.get(201, 0)
        in_flight = unanswered(warm, load)
        result.problems += check_written(PROBLEMS, written, created, in_flight, (warm, load))
        result.notes.append(
            f"problem reports: {created} answered 201 (warm-up included), {in_flight} left "
            f"in flight, {written} written"
        )

        # 4. Sessions: each patient's next training day, in date order. One connection per
        # wrk thread, so a patient's next day goes only once the one before was answered.
        sessions = "events", "WHERE kind = 'session'"
        before = count(url, *sessions)
        route = "/api/v1/sessions"
        bodies = [session_body(s) for s in seeded.days]
        data = script_data(
            logs / "sessions-warm-up.lua", "POST", route, people, bodies, threads=CONNECTIONS
        )
        args = [str(data)]
        name = f"{SESSIONS} (warm-up)"
        warm = wrk(name, server, route, warm_up, clinic_script, args, threads=CONNECTIONS)
        quiesce(server)
        settled(lambda: count(url, *sessions))
        # The measured run goes on from each patient's last recorded day (a request left in
        # flight by the warm-up may or may not have been written).
        recorded = recorded_days(url)
        wrong = out_of_order(recorded, seeded.days)
        rounds = {a.id: len(recorded.get(a.id, [])) + 1 for a in people}
        data = script_data(
            logs / "sessions.lua",
            "POST",
            route,
            people,
            bodies,
            threads=CONNECTIONS,
            rounds=rounds,
        )
        args = [str(data)]
        opened = connections_opened(url)
        load = wrk(SESSIONS, server, route, seconds, clinic_script, args, threads=CONNECTIONS)
        result.problems += warm.problems() + load.problems()
        result.problems += ok_statuses(warm, 201) + ok_statuses(load, 201)
        quiesce(server)
        opened = connections_opened(url, opened)
        result.runs.append(Run(load, seconds, CONNECTIONS, opened))
        written = settled(lambda: count(url, *sessions)) - before
        created = warm.statuses.get(201, 0) + load.statuses.get(201, 0)
        in_flight = unanswered(warm, load)
        result.problems += check_written(SESSIONS, written, created, in_flight, (warm, load))
        recorded = recorded_days(url)
        wrong += out_of_order(recorded, seeded.days)
        if wrong:
            result.problems.append(f"sessions not in the simulated order: {'; '.join(wrong[:5])}")
        most = max((len(days) for days in recorded.values()), default=0)
        result.notes.append(
            f"sessions: {created} answered 201 (warm-up included), {in_flight} left in "
            f"flight, {written} written; at most {most} of the {len(seeded.days)} training "
            f"days planned for a patient; wrk -t{CONNECTIONS} -c{CONNECTIONS} (one connection "
            "per wrk thread, to keep each patient's days in order)"
        )
    log = (logs / "server.log").read_text(errors="replace")
    log = log.replace(f"lumbar is running at {server.base}/\n", "")
    log = log.replace("Open that address in your browser. Press Ctrl+C to stop.\n", "").strip()
    if log:
        result.notes.append(f"the server logged (last 2,000 characters): {log[-2000:]}")
    return result


def patient_token(who: Identity) -> str:
    return who.cookie.split("=", 1)[1]


def lookup_ms(url: str, token: str) -> float:
    """The mean time (ms) of `Accounts.session` in this process, as the server's guard calls
    it (in a thread of the pool) at the start of every request."""
    from lumbar.store.database import Store
    from lumbar.usecases.accounts import Accounts, now_utc

    store = Store(url)
    store.keep_connection()  # as the server's (web/app.py)
    try:
        accounts = Accounts(store)
        for _ in range(20):
            if accounts.session(token, now_utc()) is None:
                raise Failure("the sign-in looked up in this process is not current")
        started = time.perf_counter()
        for _ in range(LOOKUPS):
            accounts.session(token, now_utc())
        return (time.perf_counter() - started) * 1000 / LOOKUPS
    finally:
        store.dispose()


def dashboard_parts(url: str) -> tuple[float, float]:
    """What a dashboard does, timed in this process (ms): the audit entries, one transaction
    each, and the overviews of the patients (the second of two rounds: caches warm). The
    store keeps its SQLite read connection, as the server's does; the split is what counts,
    this process is not the server."""
    from lumbar.content.load import default_content
    from lumbar.store.database import Store
    from lumbar.usecases import audit, caseload
    from lumbar.usecases.accounts import Accounts, now_utc

    store = Store(url)
    store.keep_connection()
    try:
        accounts = Accounts(store)
        content = default_content()
        clinician = next(a for a in accounts.accounts() if a.email == CLINICIAN)
        patients = audit.patients(accounts, clinician)
        timings = (0.0, 0.0)
        for _ in range(2):
            started = time.perf_counter()
            for patient in patients:
                audit.log(
                    accounts,
                    clinician,
                    audit.Action.READ,
                    "bench/clinic.py: timing",
                    now_utc(),
                    patient.id,
                )
            audited = time.perf_counter()
            caseload.dashboard(store, content, patients, SERVER_DAY)
            done = time.perf_counter()
            timings = ((audited - started) * 1000, (done - audited) * 1000)
        return timings
    finally:
        store.dispose()


def session_body(session: SessionLog) -> str:
    exercises = [{"id": r.exercise_id, "pain": r.pain.value} for r in session.results]
    return json.dumps({"date": session.on.isoformat(), "exercises": exercises})


def ceiling(scratch: Path, seconds: int, warm_up: int, label: str) -> tuple[Load, list[str]]:
    port = free_port()
    command = [sys.executable, str(BENCH / "servers.py"), "hello", "--port", str(port)]
    with serving(f"hello-{label}", command, port, scratch) as hello:
        script = BENCH / "wrk_status.lua"
        warm = wrk(f"{CEILING} (warm-up)", hello, "/", warm_up, script)
        quiesce(hello)
        load = wrk(f"{CEILING}, {label}", hello, "/", seconds, script)
    return load, warm.problems() + load.problems()


# Hashing.


def wall_ms(command: list[str], runs: int) -> list[float]:
    subprocess.run(command, check=True, capture_output=True)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append((time.perf_counter() - started) * 1000)
    return times


def hash_ms(runs: int) -> tuple[list[float], list[float], str]:
    """One default-parameter argon2id hash, and one verification, `runs` times each (ms)."""
    from argon2 import PasswordHasher

    hasher = PasswordHasher()
    hashed = hasher.hash(PASSWORD)
    hashes, verifies = [], []
    for _ in range(runs):
        started = time.perf_counter()
        hashed = hasher.hash(PASSWORD)
        hashes.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        hasher.verify(hashed, PASSWORD)
        verifies.append((time.perf_counter() - started) * 1000)
    return hashes, verifies, hashed.rsplit("$", 2)[0]


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


# The report.


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def main() -> None:
    try:
        run()
    except Failure as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        sys.exit(1)


def run() -> None:
    assert __doc__ is not None
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10, help="each measurement's length")
    parser.add_argument("--quick", action="store_true", help="2 s each, to check it works")
    parser.add_argument("--patients", type=int, default=200, help="patients of the clinician")
    args = parser.parse_args()
    seconds = 2 if args.quick else args.seconds
    warm_up = 1 if args.quick else 2
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (apt-get install wrk)")
    if args.patients < 2 * CONNECTIONS:
        sys.exit(
            f"--patients: at least {2 * CONNECTIONS}, so that no two sessions in flight "
            "are for the same patient"
        )
    admin_url = os.environ.get(POSTGRES_VARIABLE) or None
    if admin_url is None:
        print(
            f"NOTE: {POSTGRES_VARIABLE} is not set, so PostgreSQL is SKIPPED: only SQLite is "
            "measured. Run under scripts/with-postgres for both.\n",
            file=sys.stderr,
        )
    rounds = math.ceil(MOST_POSTS_RPS * (seconds + warm_up) / args.patients) + 2
    load_before = load_average()
    problems: list[str] = []
    results: list[Result] = []
    settings: dict[str, str] = {}

    with tempfile.TemporaryDirectory(prefix="lumbar-bench-clinic-") as scratch_name:
        scratch = Path(scratch_name)
        hashes, verifies, parameters = hash_ms(5)
        baseline = wall_ms([sys.executable, "-c", "pass"], 5)
        first, found = ceiling(scratch, seconds, warm_up, "before")
        problems += found

        path = scratch / "clinic.db"
        sqlite = sqlite_url(path)
        seeded = seed(sqlite, args.patients, rounds)
        settings["SQLite"] = database_settings(sqlite) + f", on {file_system(path)}"
        results.append(measure("SQLite", seeded, scratch, seconds, warm_up, args.quick))
        local = sqlite_url(scratch / "local.db")
        results[-1].runs.insert(0, local_today("SQLite", local, scratch, seconds, warm_up))

        if admin_url is not None:
            with postgres_database(admin_url) as postgres:
                seeded = seed(postgres, args.patients, rounds)
                settings["PostgreSQL"] = database_settings(postgres)
                results.append(measure("PostgreSQL", seeded, scratch, seconds, warm_up, args.quick))
            with postgres_database(admin_url) as local:
                run = local_today("PostgreSQL", local, scratch, seconds, warm_up)
                results[-1].runs.insert(0, run)

        last, found = ceiling(scratch, seconds, warm_up, "after")
        problems += found
    load_after = load_average()

    print(
        f"wrk -c{CONNECTIONS} --latency --timeout {TIMEOUT_S}s, -t{THREADS} but where the "
        f"table says otherwise, each run after a warm-up ({warm_up} s under the same load; the "
        f"dashboard: {DASHBOARDS_ALONE} alone); {args.patients} patients of one clinician; "
        "server `python -m lumbar serve --accounts --allow-http --date D --no-background-jobs` "
        "(D: the last day a "
        f"session is posted for; today's plan is read for {SERVER_DAY}) (one "
        f"uvicorn worker); Python {sys.version.split()[0]}, {platform.platform()}, "
        f"{os.cpu_count()} cores; load average (1, 5, 15 min) {load_before} before, "
        f"{load_after} after (this benchmark's own processes included)\n"
    )
    print(
        "| database | measurement | wrk | requests | rps | share of ceiling | p50 ms | p99 ms "
        "| server CPU ms/request |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for load in (first, last):
        print(row("", Run(load, seconds), first.rps))
    for result in results:
        for measured in result.runs:
            print(row(result.name, measured, first.rps))
    if admin_url is None:
        print("| PostgreSQL | skipped: LUMBAR_TEST_POSTGRES_URL is not set | | | | | | | |")
    print(
        f"\nargon2id with the default parameters ({parameters}), in this process: one hash "
        f"{median(hashes):.1f} ms (median of {len(hashes)}, fastest {min(hashes):.1f}), one "
        f"verification {median(verifies):.1f} ms; `python -c pass` {median(baseline):.1f} ms "
        f"(median of {len(baseline)})"
    )
    for result in results:
        print(f"\n{result.name}: {settings[result.name]}")
        cpu = {m.load.name: m.load.cpu_ms for m in result.runs}
        accounts_ms, local_ms = cpu.get(TODAY), cpu.get(LOCAL_TODAY)
        if accounts_ms is not None and local_ms is not None:
            print(
                f"- accounts mode's overhead on `GET /api/v1/today` (the sign-in lookup and "
                f"the guard): {accounts_ms - local_ms:.2f} ms of server CPU a request "
                f"({accounts_ms:.2f} signed in, {local_ms:.2f} in local mode)"
            )
        for note in result.notes:
            print(f"- {note}")
        opened = [
            f"{m.load.name.split(' (')[0]}: {m.opened} for {m.load.requests} answers"
            for m in result.runs
            if m.opened is not None
        ]
        if opened:
            print(f"- connections the server opened to PostgreSQL in each run: {'; '.join(opened)}")
        problems += result.problems

    summary = {
        "seconds": seconds,
        "patients": args.patients,
        "load_average": {"before": load_before, "after": load_after},
        "ceiling_rps": {"before": first.rps, "after": last.rps},
        "argon2_hash_ms": median(hashes),
        "argon2_verify_ms": median(verifies),
        "python_pass_ms": median(baseline),
        "databases": {
            result.name: {
                "settings": settings[result.name],
                "loads": {
                    measured.load.name: {
                        "seconds": measured.seconds,
                        "wrk_threads": measured.threads,
                        "rps": measured.load.rps,
                        "p50_ms": measured.load.p50_ms,
                        "p99_ms": measured.load.p99_ms,
                        "requests": measured.load.requests,
                        "server_cpu_ms_per_request": measured.load.cpu_ms,
                        "connections_opened": measured.opened,
                    }
                    for measured in result.runs
                },
            }
            for result in results
        },
        "problems": problems,
    }
    output = BENCH / "results"
    output.mkdir(exist_ok=True)
    (output / "clinic-latest.json").write_text(json.dumps(summary, indent=2) + "\n")
    if problems:
        print("\nFAILED: the figures above cannot be trusted:", file=sys.stderr)
        for problem in problems:
            print(f"- {problem}", file=sys.stderr)
        sys.exit(1)


def row(database: str, measured: Run, ceiling_rps: float) -> str:
    load = measured.load
    shape = f"-t{measured.threads} -c{CONNECTIONS} -d{measured.seconds}s"
    if not load.requests:
        return f"| {database} | {load.name} | {shape} | 0 | no answer within the run | | | | |"
    cpu = "" if load.cpu_ms is None else f"{load.cpu_ms:.2f}"
    rps = f"{load.rps:.0f}" if load.rps >= 100 else f"{load.rps:.1f}"
    return (
        f"| {database} | {load.name} | {shape} | {load.requests} | {rps} | "
        f"{load.rps / ceiling_rps:.1%} | {load.p50_ms:.2f} | {load.p99_ms:.2f} | {cpu} |"
    )


if __name__ == "__main__":
    main()
