"""A real clinic server process under load: killed mid-stream, and 50 clients at once.

The server is `python -m lumbar serve --accounts` on loopback, on SQLite and on PostgreSQL;
the clients are real HTTP clients in threads, each a patient who signed in. Nothing here
is simulated: the server is killed with SIGKILL while sessions are being posted, started
again on the same database, and the clients retry what was not acknowledged with the same
Idempotency-Key, as a phone that lost its connection would.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest

from lumbar.store.database import Store
from lumbar.usecases.accounts import Accounts, now_utc
from tests.server.conftest import CHEAP, PASSWORD
from tests.web.conftest import ANSWERS

START = date(2026, 11, 2)  # a Monday: the program's first day
SERVER_TODAY = START + timedelta(days=365)
"""The server's fixed "today": after every day the test records (none is ahead of it)."""
SESSION_DAYS = [START + timedelta(days=7 * week + d) for week in range(4) for d in (0, 2, 4)]
"""Monday, Wednesday and Friday for four weeks: the patients' training days."""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Server:
    database_url: str
    log: Path
    port: int = field(default_factory=_free_port)
    process: subprocess.Popen[bytes] | None = None
    clients: list[httpx.Client] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        command = [
            sys.executable, "-m", "lumbar", "serve", "--accounts", "--allow-http",
            "--port", str(self.port), "--db", self.database_url, "--date", SERVER_TODAY.isoformat(),
        ]  # fmt: skip
        with self.log.open("ab") as log:  # the child keeps its own copy of the handle
            self.process = subprocess.Popen(
                command, stdout=subprocess.DEVNULL, stderr=log, env=dict(os.environ)
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the server stopped: {self.log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{self.base}/sign-in", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.05)
        raise AssertionError("the server did not start within 30 s")

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        for client in self.clients:
            client.close()
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def make_patients(database_url: str, count: int) -> list[str]:
    """A clinician and `count` patients (cheap password hashes: the server verifies with the
    parameters stored in each hash). Their emails."""
    store = Store(database_url)
    try:
        accounts = Accounts(store, CHEAP)
        now = now_utc()
        accounts.create_user("pt@example.org", PASSWORD, "clinician", now, clinic="Load")
        emails = [f"patient{i}@example.org" for i in range(count)]
        for email in emails:
            accounts.create_user(email, PASSWORD, "patient", now, clinician_email="pt@example.org")
        return emails
    finally:
        store.dispose()


class Patient:
    """One patient's HTTP client: signs in, starts the program, posts sessions."""

    def __init__(self, server: Server, email: str) -> None:
        self.server = server
        self.http = httpx.Client(base_url=server.base, timeout=10)
        server.clients.append(self.http)
        response = self.http.post("/api/v1/sign-in", json={"email": email, "password": PASSWORD})
        assert response.status_code == 200, response.text
        self.http.headers["X-CSRF-Token"] = response.json()["csrf_token"]
        self.email = email
        self.acknowledged: list[date] = []
        self.errors: list[str] = []
        self.retries = 0
        self.replayed = 0

    def start(self) -> None:
        response = self.http.post("/api/v1/program", json={**ANSWERS, "date": START.isoformat()})
        assert response.status_code == 201, response.text

    def session_body(self, day: date) -> dict[str, Any]:
        plan = self.http.get("/api/v1/today", params={"date": day.isoformat()}).json()
        exercises = [{"id": e["id"], "pain": "none"} for e in plan["exercises"]]
        return {"date": day.isoformat(), "exercises": exercises}

    def post_until_acknowledged(self, day: date, key: str, deadline: float) -> None:
        """Post one session, and after any failure to get an answer (the server gone), the
        same request again with the same key until it is acknowledged."""
        body: dict[str, Any] | None = None
        while time.monotonic() < deadline:
            try:
                if body is None:
                    body = self.session_body(day)
                response = self.http.post(
                    "/api/v1/sessions", json=body, headers={"Idempotency-Key": key}
                )
            except httpx.HTTPError:
                self.retries += 1
                time.sleep(0.05)
                continue
            if response.status_code == 201:
                self.acknowledged.append(day)
                self.replayed += response.headers.get("Idempotent-Replayed") == "true"
                return
            if response.status_code >= 500:
                self.errors.append(f"{day}: {response.status_code} {response.text[:200]}")
                time.sleep(0.05)
                continue
            self.errors.append(f"{day}: {response.status_code} {response.text[:200]}")
            return
        self.errors.append(f"{day}: no answer before the deadline")

    def sessions(self) -> list[date]:
        document = self.http.get("/api/v1/export").json()
        return [date.fromisoformat(e["date"]) for e in document["events"] if e["type"] == "session"]


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[Server]:
    running = Server(database_url, tmp_path / "server.log")
    yield running
    running.stop()


def test_every_acknowledged_session_survives_a_sigkill_exactly_once(server: Server) -> None:
    emails = make_patients(server.database_url, 8)
    server.start()
    patients = [Patient(server, email) for email in emails]
    for patient in patients:
        patient.start()
    deadline = time.monotonic() + 90

    def follow(patient: Patient) -> None:
        for number, day in enumerate(SESSION_DAYS):
            patient.post_until_acknowledged(day, f"{patient.email}-{number}", deadline)

    threads = [threading.Thread(target=follow, args=(p,)) for p in patients]
    for thread in threads:
        thread.start()
    # Kill the server once sessions are streaming in: some acknowledged, some in flight.
    while sum(len(p.acknowledged) for p in patients) < 20 and time.monotonic() < deadline:
        time.sleep(0.01)
    killed_after = sum(len(p.acknowledged) for p in patients)
    server.kill()
    time.sleep(0.3)
    server.start()
    for thread in threads:
        thread.join(timeout=120)
    assert killed_after >= 20
    # The kill did land mid-stream: requests failed and were sent again.
    assert sum(p.retries for p in patients) > 0
    for patient in patients:
        assert patient.errors == [], patient.errors
        assert patient.acknowledged == SESSION_DAYS
        # Every session once, none twice, none lost: retried requests were not logged again.
        assert patient.sessions() == SESSION_DAYS


def test_fifty_clients_at_once_lose_nothing_and_duplicate_nothing(server: Server) -> None:
    """25 patients, two clients each (a phone and a laptop), all at once: each pair posts
    the same day's session and a problem report. One session per patient is kept (the
    second is refused as already done, with a clear message), every report is kept, and no
    client ever sees a server error such as "database is locked"."""
    emails = make_patients(server.database_url, 25)
    server.start()
    clients = [Patient(server, email) for email in emails for _ in range(2)]
    for phone in clients[::2]:
        phone.start()
    bodies = [c.session_body(START) for c in clients]
    barrier = threading.Barrier(len(clients))
    sessions: dict[int, httpx.Response] = {}
    reports: dict[int, httpx.Response] = {}

    def post(number: int) -> None:
        client = clients[number]
        barrier.wait()
        sessions[number] = client.http.post("/api/v1/sessions", json=bodies[number])
        reports[number] = client.http.post(
            "/api/v1/problems", json={"kind": "other", "note": f"client {number}"}
        )

    threads = [threading.Thread(target=post, args=(n,)) for n in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    answers = [*sessions.values(), *reports.values()]
    assert len(answers) == 2 * len(clients)
    assert [r.text for r in answers if r.status_code >= 500] == []
    assert not any("locked" in r.text for r in answers)
    assert all(r.status_code == 201 for r in reports.values())
    for pair in range(25):
        first, second = sessions[2 * pair], sessions[2 * pair + 1]
        kept, refused = (first, second) if first.status_code == 201 else (second, first)
        assert kept.status_code == 201
        assert 400 <= refused.status_code < 500 and refused.json()["message"]
        patient = clients[2 * pair]
        assert patient.sessions() == [START]
        notes = sorted(r["note"] for r in patient.http.get("/api/v1/problems").json())
        assert notes == sorted([f"client {2 * pair}", f"client {2 * pair + 1}"])
