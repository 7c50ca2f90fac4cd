"""Load benchmark of the web app: requests per second and p50/p99 latency under 16 clients.

Targets (issue #3), at 16 concurrent clients (wrk, 2 threads, on loopback):

- `GET /api/v1/today` (a person with a year of history) serves at least 40% of the
  requests per second of a bare hello-world app on the same server, measured in the same
  run (the ceiling), with p99 under 25 ms;
- `POST /api/v1/sessions`, each answered only once committed to disk, at least 500 per
  second with p99 under 50 ms;
- the Today page, with every asset it references, weighs under 100 KB.

Every server is its own process, started as `lumbar serve` runs the app (one uvicorn worker
on 127.0.0.1 on a free port, log level warning, no access log), and stopped afterwards; the
load comes from `wrk` in another process. The ceiling is `bench/servers.py hello`: `GET /`
from an `async def` route (and, for reference, `GET /sync` from a plain `def` route, which
runs in the thread pool as every lumbar route does). Today's plan is read from `lumbar
serve --date 2027-11-01` on a SQLite file holding `tests.builders.a_year_of_history` (a
program started a year before that day: 156 sessions and 54 check-ins).

Why the write benchmark is built the way it is: in local mode a database holds one person,
who can record one session per planned day and only in date order, so 16 clients posting
for one person would refuse each other (422) after the first session of each day. Every
POST here is a real, successful write instead: `bench/servers.py people` builds the same
app with `create_app`, changing only its `person_of` (whose data a request is about; local
mode answers the one person) to read the person from an `X-Bench-Person` header. The file is
seeded, through the store's own transactions, with N people (2,000 by default) who share
one short history (four weeks of a program on Monday, Wednesday and Friday, with weekly
check-ins). The sessions they go on to record are simulated beforehand with
`tests.builders.Follower` (every exercise of each planned day, no pain), and
`bench/wrk_sessions.lua` posts them: each wrk thread takes every other person and posts
for its people in turn, each round the next planned day. So each person's sessions go in
date order on planned days, no two requests in flight are for the same person (a person
comes round again only after all the other people of its thread, with 8 requests in
flight), and every answer must be 201. Before the run, a few spare people check that the
server plans the simulated exercises, and warm it up; and every person reads Today once for
the first day, as a person opens Today before pressing Start, so the server holds their
history in memory (by revision, see `lumbar.store.cache`) as it would in use.

After the run, the sessions in the file are counted, and each person's must be the first
of the simulated ones, in order. Every 201 answer must have its session; there may be more
sessions only by the requests wrk left in flight when its time was up (at most one per
connection): wrk stops without waiting for their answers, but the server still commits
them, so the script counts the requests it sent as well as the answers. SQLite runs in WAL
mode with its default `synchronous = FULL`, so a commit is synced to disk before the
answer; the server reports both settings from its own engine, and they are printed with
the file system the database is on.

Any answer that is not 2xx, any socket error, a session count that does not match, or an
asset of the Today page that cannot be fetched fails the run: everything is printed, then
it exits with status 1. Missing a target is reported, not a failure.

Run: `.venv/bin/python bench/web.py [--seconds 10] [--people 2000]`, or `--quick` (2 s) to
check that it works. Needs `wrk` on the PATH.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import math
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
sys.path.insert(0, str(ROOT))

from bench.run import year_database  # noqa: E402
from lumbar.domain.model import CheckIn, SessionLog  # noqa: E402
from lumbar.store.database import Store, sqlite_url  # noqa: E402
from tests import builders  # noqa: E402
from tests.builders import START, Follower  # noqa: E402

THREADS = 2
CONNECTIONS = 16
PERSON_HEADER = "X-Bench-Person"  # as in bench/servers.py
YEAR_DAY = date(2027, 11, 1)
"""The day the Today plan is read for: the last of `a_year_of_history`, a year after START."""
SEEDED_WEEKS = 4
SPARE_PEOPLE = 4
"""People beyond N, who check the simulated plan and warm the server up before the run."""
MOST_RPS = 10_000
"""More posts per second than the server could answer: the sessions planned cover it."""

TIMEOUT_S = 10
"""wrk counts a request still unanswered after this long as a socket error (a timeout)."""

CEILING = "hello-world GET / (the ceiling)"
SYNC = "hello-world GET /sync (a def route)"

CEILING_SHARE = 0.40
TODAY_P99_MS = 25.0
POST_RPS = 500.0
POST_P99_MS = 50.0
PAGE_BYTES = 100 * 1024


class Failure(Exception):
    """The benchmark itself went wrong: its figures cannot be trusted."""


@dataclass
class Load:
    """One wrk run: its figures, and the answers counted by status."""

    name: str
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    statuses: dict[int, int]
    socket_errors: str | None
    first_bad: list[str] = field(default_factory=list)
    sent: int | None = None
    """Requests sent, answered or not (bench/wrk_sessions.lua counts them)."""
    cpu_ms: float | None = None
    """The server process's CPU time (user and system) per answer, in milliseconds."""

    @property
    def not_2xx(self) -> int:
        return sum(count for status, count in self.statuses.items() if not 200 <= status <= 299)

    def problems(self) -> list[str]:
        found = []
        if self.not_2xx:
            found.append(
                f"{self.name}: {self.not_2xx} of {self.requests} answers were not 2xx "
                f"({self.statuses}); first: {'; '.join(self.first_bad)}"
            )
        if self.socket_errors:
            found.append(f"{self.name}: socket errors ({self.socket_errors})")
        if sum(self.statuses.values()) != self.requests:
            found.append(
                f"{self.name}: wrk counted {self.requests} requests but "
                f"{sum(self.statuses.values())} answers"
            )
        return found


@dataclass
class Asset:
    url: str
    status: int
    content_type: str
    header_bytes: int
    sent_bytes: int
    """The body as transferred (gzip when the server compressed it)."""
    plain_bytes: int
    gzipped: bool


# Servers.


@dataclass
class Server:
    base: str
    """Its URL, without a slash at the end."""
    pid: int

    def cpu_seconds(self) -> float | None:
        """User and system CPU time used so far (from /proc), or None where there is none."""
        try:
            fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def serving(
    name: str, command: list[str], port: int, logs: Path, ready: str = "/"
) -> Iterator[Server]:
    """Run a server process until the block ends (terminate, then kill).

    It is up once `ready` answers."""
    log = logs / f"{name}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(process, base + ready, log)
        yield Server(base, process.pid)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until_up(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise Failure(f"the server exited ({process.returncode}):\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                answer.read()
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.1)
    raise Failure(f"the server did not answer within 60 s:\n{log.read_text()}")


def get_json(url: str, headers: dict[str, str] | None = None) -> Any:
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.load(answer)


def post_json(url: str, body: str, headers: dict[str, str]) -> tuple[int, str]:
    request = urllib.request.Request(
        url, data=body.encode(), method="POST", headers={"Content-Type": "application/json"}
    )
    for name, value in headers.items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


# Load.

WRK_TIME = re.compile(r"([\d.]+)(us|ms|s|m|h)$")
WRK_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def wrk_ms(text: str) -> float:
    found = WRK_TIME.match(text)
    if found is None:
        raise Failure(f"cannot read wrk's time {text!r}")
    return float(found[1]) * WRK_UNITS_MS[found[2]]


def parse_wrk(name: str, output: str) -> Load:
    """The figures of wrk's report (with --latency) and the statuses our scripts print."""

    def one(pattern: str) -> str:
        found = re.search(pattern, output, re.MULTILINE)
        if found is None:
            raise Failure(f"{name}: no {pattern!r} in wrk's output:\n{output}")
        return found[1]

    statuses: dict[int, int] = {}
    for status, count in re.findall(r"^bench: status (\d+) (\d+)$", output, re.MULTILINE):
        statuses[int(status)] = statuses.get(int(status), 0) + int(count)
    socket_errors = re.search(r"^\s*Socket errors: (.*)$", output, re.MULTILINE)
    sent = re.findall(r"^bench: sent (\d+)$", output, re.MULTILINE)
    return Load(
        name=name,
        rps=float(one(r"^Requests/sec:\s+([\d.]+)")),
        p50_ms=wrk_ms(one(r"^\s+50%\s+(\S+)")),
        p99_ms=wrk_ms(one(r"^\s+99%\s+(\S+)")),
        requests=int(one(r"^\s+(\d+) requests in ")),
        statuses=statuses,
        socket_errors=None if socket_errors is None else socket_errors[1],
        first_bad=re.findall(r"^bench: first-bad (.*)$", output, re.MULTILINE),
        sent=sum(int(n) for n in sent) if sent else None,
    )


def wrk(
    name: str, server: Server, path: str, seconds: int, script: Path, *script_args: str
) -> Load:
    command = [
        "wrk",
        f"-t{THREADS}",
        f"-c{CONNECTIONS}",
        f"-d{seconds}s",
        "--latency",
        "--timeout",
        f"{TIMEOUT_S}s",
        "-s",
        str(script),
        server.base + path,
    ]
    if script_args:
        command += ["--", *script_args]
    cpu_before = server.cpu_seconds()
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 120)
    cpu_after = server.cpu_seconds()
    if done.returncode != 0:
        raise Failure(f"{name}: wrk failed ({done.returncode}): {done.stderr}{done.stdout}")
    load = parse_wrk(name, done.stdout)
    if cpu_before is not None and cpu_after is not None and load.requests:
        load.cpu_ms = (cpu_after - cpu_before) * 1000 / load.requests
    return load


def get_load(
    name: str, server: Server, path: str, seconds: int, warm_up: int, problems: list[str]
) -> Load:
    """Warm the route up with the same load, then measure it; problems of both are added."""
    script = BENCH / "wrk_status.lua"
    warm = wrk(f"{name} (warm-up)", server, path, warm_up, script)
    load = wrk(name, server, path, seconds, script)
    problems.extend(warm.problems() + load.problems())
    return load


# The data.


@dataclass
class People:
    """The database of the write benchmark, and the sessions its people go on to record."""

    path: Path
    people: int
    sessions: list[SessionLog]
    seeded_sessions: int


def session_body(session: SessionLog) -> str:
    exercises = [{"id": r.exercise_id, "pain": r.pain.value} for r in session.results]
    return json.dumps({"date": session.on.isoformat(), "exercises": exercises})


def people_database(directory: Path, people: int, rounds: int) -> People:
    """`people` + SPARE_PEOPLE people with one short history, and `rounds` sessions to post."""
    first_post = START + timedelta(weeks=SEEDED_WEEKS)
    weekly: dict[date, tuple[int | None, tuple[int, ...] | None]] = {
        START + timedelta(weeks=week): (5, (5, 6, 4)) for week in range(1, SEEDED_WEEKS)
    }
    follower = Follower(builders.program(), builders.history(), checkins=weekly)
    # Past the seeded weeks no check-ins: the simulated days are the ones the posts make.
    lived = follower.follow(first_post + timedelta(weeks=rounds // 2 + 4))
    seeded = [e for e in lived.events if e.on < first_post]
    sessions = [e for e in lived.events if e.on >= first_post and isinstance(e, SessionLog)]
    if len(sessions) < rounds:
        raise Failure(f"only {len(sessions)} session days simulated, {rounds} needed")
    path = directory / "people.db"
    store = Store(sqlite_url(path))
    with store.transaction() as tx:
        for person in range(1, people + SPARE_PEOPLE + 1):
            tx.add_person(person, lived.profile)
            for event in seeded:
                if isinstance(event, SessionLog):
                    tx.add_session(person, event)
                else:
                    assert isinstance(event, CheckIn)
                    tx.add_checkin(person, event)
    store.dispose()
    seeded_sessions = sum(1 for e in seeded if isinstance(e, SessionLog))
    return People(path, people, sessions[:rounds], seeded_sessions)


def count_sessions(path: Path) -> int:
    with closing(sqlite3.connect(path)) as connection:
        row = connection.execute("SELECT count(*) FROM events WHERE kind = 'session'").fetchone()
    return int(row[0])


def out_of_order(data: People) -> list[str]:
    """People whose recorded sessions are not the first of the simulated ones, in order."""
    first_post = data.sessions[0].on.isoformat()
    with closing(sqlite3.connect(data.path)) as connection:
        rows = connection.execute(
            "SELECT person_id, on_date FROM events WHERE kind = 'session' AND on_date >= ?"
            " ORDER BY person_id, id",
            (first_post,),
        ).fetchall()
    recorded: dict[int, list[str]] = {}
    for person, on in rows:
        recorded.setdefault(person, []).append(str(on))
    planned = [s.on.isoformat() for s in data.sessions]
    return [
        f"person {person}: {days}"
        for person, days in recorded.items()
        if days != planned[: len(days)]
    ]


def file_system(path: Path) -> str:
    """The type of the file system `path` is on (from /proc/mounts), or "unknown"."""
    try:
        mounts = [line.split() for line in Path("/proc/mounts").read_text().splitlines()]
    except OSError:
        return "unknown"
    where = str(path.resolve())
    best = ("", "unknown")
    for mount in mounts:
        point = mount[1]
        inside = where == point or where.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best[0]):
            best = (point, mount[2])
    return best[1]


def post_load(server: Server, data: People, seconds: int, scratch: Path) -> tuple[Load, int]:
    """Check the plan and warm up with the spare people, then post; (load, warm-up 201s)."""
    base = server.base
    first = data.sessions[0]
    spare = range(data.people + 1, data.people + SPARE_PEOPLE + 1)
    planned = get_json(
        f"{base}/api/v1/today?date={first.on.isoformat()}", {PERSON_HEADER: str(spare[0])}
    )
    simulated = [r.exercise_id for r in first.results]
    served = [e["id"] for e in planned["exercises"]]
    if served != simulated:
        raise Failure(f"the server plans {served} on {first.on}, the simulation {simulated}")
    # Each person opens Today before their first session, as a person does before pressing
    # Start: the server then holds their history in memory, as it would in use.
    for person in range(1, data.people + 1):
        get_json(f"{base}/api/v1/today?date={first.on.isoformat()}", {PERSON_HEADER: str(person)})
    warm_created = 0
    for session in data.sessions[:5]:
        for person in spare:
            status, body = post_json(
                f"{base}/api/v1/sessions", session_body(session), {PERSON_HEADER: str(person)}
            )
            if status != 201:
                raise Failure(f"warm-up post for person {person}: {status} {body}")
            warm_created += 1
    bodies = []
    for session in data.sessions:
        body = session_body(session)
        if "]==]" in body:
            raise Failure(f"cannot quote {body!r} in Lua")
        bodies.append(f"  [==[{body}]==],")
    script_data = scratch / "sessions.lua"
    script_data.write_text(
        f"return {{\n threads = {THREADS},\n people = {data.people},\n"
        f' header = "{PERSON_HEADER}",\n bodies = {{\n' + "\n".join(bodies) + "\n }\n}\n"
    )
    load = wrk(
        "POST /api/v1/sessions",
        server,
        "/",
        seconds,
        BENCH / "wrk_sessions.lua",
        str(script_data),
    )
    return load, warm_created


# The disk.


def commit_latency(path: Path, seconds: int) -> list[float]:
    """Each commit's time (ms) of a loop of one-row transactions, for `seconds`: what the
    disk's sync costs, and how far its tail reaches, beside the server's figures."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = FULL")
        connection.execute("CREATE TABLE t (x INTEGER)")
        times: list[float] = []
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            start = time.perf_counter()
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("INSERT INTO t VALUES (?)", (len(times),))
            connection.execute("COMMIT")
            times.append((time.perf_counter() - start) * 1000)
        return times
    finally:
        connection.close()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(len(ordered) * share / 100) - 1)]


# The Today page.


class References(HTMLParser):
    """The assets a page references: stylesheets, scripts, icons, manifest, images."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "link" and values.get("href"):
            self.found.append((values.get("rel", "link"), values["href"]))
        elif tag in ("script", "img", "source") and values.get("src"):
            self.found.append((tag, values["src"]))


def fetch(url: str) -> tuple[Asset, bytes]:
    """GET with gzip accepted; the asset's sizes (as sent and unpacked) and its body."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.netloc, timeout=10)
    try:
        connection.request("GET", parts.path or "/", headers={"Accept-Encoding": "gzip"})
        answer = connection.getresponse()
        sent = answer.read()
        header_bytes = len(f"HTTP/1.1 {answer.status} {answer.reason}\r\n") + sum(
            len(name) + len(value) + 4 for name, value in answer.getheaders()
        )
        gzipped = answer.getheader("Content-Encoding", "") == "gzip"
        plain = gzip.decompress(sent) if gzipped else sent
        asset = Asset(
            url=parts.path,
            status=answer.status,
            content_type=answer.getheader("Content-Type", "").split(";")[0],
            header_bytes=header_bytes + 2,
            sent_bytes=len(sent),
            plain_bytes=len(plain),
            gzipped=gzipped,
        )
        return asset, plain
    finally:
        connection.close()


def page_weight(base: str, path: str) -> list[Asset]:
    """The page and every asset it references (those of its stylesheets and its manifest
    too), each fetched once, as a browser with an empty cache would."""
    page, html = fetch(base + path)
    assets = [page]
    parser = References()
    parser.feed(html.decode())
    queue = [urljoin(base + path, href) for _, href in parser.found]
    seen = {base + path}
    while queue:
        url = queue.pop(0)
        if url in seen or urlsplit(url).netloc != urlsplit(base).netloc:
            continue
        seen.add(url)
        asset, body = fetch(url)
        assets.append(asset)
        if asset.status != 200:
            continue
        if asset.content_type == "text/css":
            for ref in re.findall(r"url\(\s*['\"]?([^'\")]+)", body.decode()):
                if not ref.startswith("data:"):
                    queue.append(urljoin(url, ref))
        elif "manifest" in asset.content_type:
            for icon in json.loads(body).get("icons", []):
                queue.append(urljoin(url, icon["src"]))
    return assets


# The report.


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def main() -> None:
    try:
        run()
    except Failure as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        sys.exit(1)


def run() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10, help="each measurement's length")
    parser.add_argument("--quick", action="store_true", help="2 s each, to check it works")
    parser.add_argument("--people", type=int, default=2000, help="people posting sessions")
    args = parser.parse_args()
    seconds = 2 if args.quick else args.seconds
    warm_up = 1 if args.quick else 2
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (apt-get install wrk)")
    if args.people < 100 * THREADS:
        sys.exit("--people: at least 200, so that no two requests in flight share a person")
    lumbar_script = str(Path(sys.executable).with_name("lumbar"))
    servers = [sys.executable, str(BENCH / "servers.py")]
    rounds = math.ceil(MOST_RPS * seconds / args.people) + 1
    problems: list[str] = []

    with tempfile.TemporaryDirectory(prefix="lumbar-bench-web-") as scratch_name:
        scratch = Path(scratch_name)
        started = time.perf_counter()
        year_db = year_database(scratch)
        data = people_database(scratch, args.people, rounds)
        seeded_in = time.perf_counter() - started

        port = free_port()
        with serving("hello", [*servers, "hello", "--port", str(port)], port, scratch) as hello:
            ceiling = get_load(CEILING, hello, "/", seconds, warm_up, problems)
            ceiling_sync = get_load(SYNC, hello, "/sync", seconds, warm_up, problems)

        port = free_port()
        command = [lumbar_script, "serve", "--db", str(year_db), "--date", YEAR_DAY.isoformat()]
        ready = "/api/v1/today"
        with serving("lumbar", [*command, "--port", str(port)], port, scratch, ready) as lumbar:
            today = get_load("GET /api/v1/today", lumbar, ready, seconds, warm_up, problems)
            plan = get_json(lumbar.base + ready)
            page = page_weight(lumbar.base, "/today")

        before = count_sessions(data.path)
        port = free_port()
        command = [*servers, "people", "--db", str(data.path), "--date", START.isoformat()]
        ready = "/bench/pragmas"
        with serving("people", [*command, "--port", str(port)], port, scratch, ready) as people:
            pragmas = get_json(people.base + ready)
            posts, warm_created = post_load(people, data, seconds, scratch)
        after = count_sessions(data.path)
        wrong = out_of_order(data)
        disk = file_system(data.path)
        commits = commit_latency(scratch / "commits.db", seconds)

    problems += posts.problems()
    created = posts.statuses.get(201, 0)
    written = after - before - warm_created
    unanswered = (posts.sent or 0) - posts.requests
    if not created <= written <= created + unanswered or unanswered > CONNECTIONS:
        problems.append(
            f"POST /api/v1/sessions: {written} sessions were written, but {created} answers "
            f"were 201 and {unanswered} requests were left in flight when wrk stopped"
        )
    if any(status != 201 for status in posts.statuses):
        problems.append(f"POST /api/v1/sessions: answers other than 201: {posts.statuses}")
    if wrong:
        problems.append(f"sessions not in the simulated order: {'; '.join(wrong[:5])}")
    problems += [f"Today page: {a.url} answered {a.status}" for a in page if a.status != 200]

    ratio = today.rps / ceiling.rps
    rows = [
        (ceiling, "", ""),
        (ceiling_sync, "", ""),
        (
            today,
            f">= {CEILING_SHARE:.0%} of ceiling, p99 < {TODAY_P99_MS:g} ms",
            verdict(ratio >= CEILING_SHARE and today.p99_ms < TODAY_P99_MS),
        ),
        (
            posts,
            f">= {POST_RPS:g}/s, p99 < {POST_P99_MS:g} ms",
            verdict(posts.rps >= POST_RPS and posts.p99_ms < POST_P99_MS),
        ),
    ]
    sent = sum(a.header_bytes + a.sent_bytes for a in page)
    plain = sum(a.plain_bytes for a in page)

    print(
        f"wrk -t{THREADS} -c{CONNECTIONS} -d{seconds:g}s --latency, after a {warm_up:g} s "
        f"warm-up; Python {sys.version.split()[0]}, {os.cpu_count()} cores; "
        f"data built in {seeded_in:.1f} s\n"
    )
    print(
        "| measurement | requests | rps | p50 ms | p99 ms | target | ceiling rps | verdict "
        "| server CPU ms/request |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for load, target, met in rows:
        cpu = "" if load.cpu_ms is None else f"{load.cpu_ms:.2f}"
        print(
            f"| {load.name} | {load.requests} | {load.rps:.0f} | {load.p50_ms:.2f} | "
            f"{load.p99_ms:.2f} | {target} | {ceiling.rps:.0f} | {met} | {cpu} |"
        )
    print(
        f"\ntoday / ceiling: {ratio:.1%} (target >= {CEILING_SHARE:.0%}); "
        f"today / def-route ceiling: {today.rps / ceiling_sync.rps:.1%}"
    )
    print(
        f"today's plan ({YEAR_DAY}): {plan['kind']}, phase {plan['phase']}, "
        f"{len(plan.get('exercises', []))} exercises, a year of history"
    )
    print(
        f"posts: {args.people} people; {created} sessions answered 201, {unanswered} requests "
        f"in flight when wrk stopped, {written} sessions written ({written - created} of "
        f"those in flight), {warm_created} more in the warm-up; SQLite "
        f"journal_mode={pragmas['journal_mode']}, synchronous={pragmas['synchronous']} "
        f"(2 = FULL), on {disk}"
    )
    print(
        f"the disk, in the same run: {len(commits)} SQLite commits of one row (WAL, "
        f"synchronous=FULL) in a loop, latency p50 {percentile(commits, 50):.2f} ms, "
        f"p99 {percentile(commits, 99):.2f} ms, p99.9 {percentile(commits, 99.9):.2f} ms, "
        f"max {max(commits):.2f} ms"
    )
    print("\n| Today page asset | status | type | sent bytes (gzip?) | unpacked bytes |")
    print("|---|---|---|---|---|")
    for a in page:
        packed = f"{a.sent_bytes} ({'gzip' if a.gzipped else 'plain'})"
        print(f"| {a.url} | {a.status} | {a.content_type} | {packed} | {a.plain_bytes} |")
    print(
        f"\nToday page: {sent} bytes transferred ({sent / 1024:.1f} KB, headers included), "
        f"{plain} bytes unpacked ({plain / 1024:.1f} KB); target < {PAGE_BYTES // 1024} KB "
        f"transferred: {verdict(sent < PAGE_BYTES)}"
    )

    results = BENCH / "results"
    results.mkdir(exist_ok=True)
    summary = {
        "seconds": seconds,
        "loads": {
            load.name: {
                "rps": load.rps,
                "p50_ms": load.p50_ms,
                "p99_ms": load.p99_ms,
                "requests": load.requests,
                "server_cpu_ms_per_request": load.cpu_ms,
            }
            for load, _, _ in rows
        },
        "today_over_ceiling": ratio,
        "disk_commit_ms": {
            "p50": percentile(commits, 50),
            "p99": percentile(commits, 99),
            "max": max(commits),
        },
        "page": {"transferred_bytes": sent, "unpacked_bytes": plain},
        "problems": problems,
    }
    (results / "web-latest.json").write_text(json.dumps(summary, indent=2) + "\n")
    if problems:
        print("\nFAILED: the figures above cannot be trusted:", file=sys.stderr)
        for problem in problems:
            print(f"- {problem}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
