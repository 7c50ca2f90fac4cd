"""The clinic server keeps its own day (issue #20): `lumbar serve --accounts` computes again
the concern summaries that a new day makes stale, and mails the daily digest at the time an
admin sets, once a day per clinician, across restarts; `--no-background-jobs` does neither.

Real servers on loopback, on SQLite and PostgreSQL: the command itself as a process (its
day from `--date`), and the app under uvicorn in this process where the test moves the
clock's time of day. The mail goes through a real SMTP server (aiosmtpd).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as time_of_day
from pathlib import Path

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from lumbar.content.load import default_content
from lumbar.store.notification_tables import digest_days
from lumbar.store.tables import concern_summaries
from lumbar.usecases import alerts, summaries
from lumbar.usecases.daily_jobs import DailyJobs, Digest
from lumbar.usecases.mail import Mailer
from lumbar.web.app import create_app
from tests.server.conftest import BASE_URL, Clinic, email
from tests.server.test_admin import lumbar
from tests.server.test_alert_mail import assert_says_nothing_of_health
from tests.server.test_alert_mail import smtp as smtp  # the fixture: a real SMTP server
from tests.server.test_crash import _free_port
from tests.server.test_mail import Inbox

WAIT_S = 30
"""The longest a test waits for a job it expects (they take well under a second)."""
QUIET_S = 3
"""How long a test watches for what must not happen."""


def eventually(check: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_S
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"not within {WAIT_S} s: {what}")
        time.sleep(0.05)


def computed_on(clinic: Clinic) -> dict[int, date]:
    with clinic.store.reading() as connection:
        found = connection.execute(
            select(concern_summaries.c.patient_id, concern_summaries.c.computed_on)
        ).all()
    return {int(patient): day for patient, day in found}


def sent_days(clinic: Clinic) -> dict[int, date]:
    with clinic.store.reading() as connection:
        return {int(u): d for u, d in connection.execute(select(digest_days)).all()}


def recipients(inbox: Inbox) -> list[str]:
    return sorted(m["To"] for m in inbox.messages)


EVERY_CLINICIAN = sorted(email(n) for n in ("north_pt", "north_pt2", "south_pt"))
"""Each has a patient not started yet (Bob, Cy, Dee): news for their first digest."""


@dataclass
class Served:
    """`lumbar serve --accounts` as a process on loopback; its standard error kept."""

    database_url: str
    log: Path
    environ: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=_free_port)
    process: subprocess.Popen[bytes] | None = None

    def start(self, day: date, *options: str) -> None:
        command = [
            sys.executable, "-m", "lumbar", "serve", "--accounts", "--allow-http",
            "--public-url", BASE_URL, "--port", str(self.port), "--db", self.database_url,
            "--date", day.isoformat(), *options,
        ]  # fmt: skip
        environ = {**os.environ, **self.environ}
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                command, stdout=subprocess.DEVNULL, stderr=log, env=environ
            )
        deadline = time.monotonic() + WAIT_S
        while True:
            if self.process.poll() is not None:
                pytest.fail(f"the server stopped: {self.log.read_text()[-2000:]}")
            try:
                response = httpx.get(f"http://127.0.0.1:{self.port}/sign-in", timeout=1)
                if response.status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("the server did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        """Stop it as systemd does (SIGTERM): it ends cleanly, jobs and all (uvicorn shuts
        down, then ends by the signal it was sent)."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        assert self.process.wait(timeout=WAIT_S) in (0, -signal.SIGTERM)
        said = self.log.read_text()
        assert "Traceback" not in said and "Error" not in said, said


@pytest.fixture
def served(clinic: Clinic, tmp_path: Path) -> Iterator[Served]:
    server = Served(clinic.store.url, tmp_path / "server.log")
    yield server
    if server.process is not None and server.process.poll() is None:
        server.process.kill()
        server.process.wait(timeout=WAIT_S)


@pytest.fixture
def smtp_served(served: Served, smtp: tuple[Inbox, dict[str, str]]) -> tuple[Served, Inbox]:
    inbox, settings = smtp
    served.environ.update(settings)
    return served, inbox


def test_a_server_computes_for_its_day_the_summaries_computed_the_day_before(
    clinic: Clinic, ann: TestClient, served: Served
) -> None:
    """Ann's summary was computed yesterday (by her session's write); the server started
    today computes it for today without anyone listing the dashboard. With
    --no-background-jobs it is left for the first listing."""
    yesterday = clinic.clock()
    patient = clinic.people["ann"].id
    assert computed_on(clinic)[patient] == yesterday
    today = yesterday + timedelta(days=1)

    served.start(today, "--no-background-jobs")
    time.sleep(QUIET_S)
    assert computed_on(clinic)[patient] == yesterday
    served.stop()

    served.start(today)
    eventually(lambda: computed_on(clinic)[patient] == today, "Ann's summary computed again")
    served.stop()


def test_the_digest_goes_once_a_day_across_a_restart_and_not_without_jobs(
    clinic: Clinic, smtp_served: tuple[Served, Inbox]
) -> None:
    """A server started after the digest's time sends today's at once; started again the
    same day with news (a message from Ann) it sends nothing more: the day is recorded.
    With --no-background-jobs nothing is sent at all."""
    served, inbox = smtp_served
    day = clinic.clock()

    served.start(day, "--no-background-jobs")
    time.sleep(QUIET_S)
    assert inbox.messages == [] and sent_days(clinic) == {}
    served.stop()

    served.start(day, "--digest-at", "00:00")
    eventually(lambda: len(inbox.messages) == 3, "a digest to each clinician")
    assert recipients(inbox) == EVERY_CLINICIAN
    for message in inbox.messages:
        assert_says_nothing_of_health(message)
    served.stop()
    pts = [clinic.people[n].id for n in ("north_pt", "north_pt2", "south_pt")]
    assert sent_days(clinic) == dict.fromkeys(pts, day)

    said = clinic.client("ann").post("/api/v1/messages", json={"body": "A question"})
    assert said.status_code == 201, said.text
    served.start(day, "--digest-at", "00:00")
    time.sleep(QUIET_S)
    served.stop()
    assert len(inbox.messages) == 3


@pytest.mark.parametrize(
    ("options", "said"),
    [
        (("--digest-at", "25:00"), "--digest-at: give a time of day as HH:MM"),
        (("--digest-at", "07:00", "--no-background-jobs"), "--no-background-jobs turns off"),
        (("--digest-at", "07:00"), "--digest-at: no mail server is set up"),
    ],
)
def test_the_jobs_options_refuse_what_cannot_be_done_and_start_nothing(
    clinic: Clinic, options: tuple[str, ...], said: str
) -> None:
    port = str(_free_port())
    refused = lumbar(clinic, "serve", "--accounts", "--port", port, *options)
    assert refused.code == 2 and said in refused.stderr, refused.stderr
    assert "Traceback" not in refused.stderr
    assert sent_days(clinic) == {}


def test_local_mode_has_no_background_jobs(clinic: Clinic) -> None:
    port = str(_free_port())
    for options in (("--digest-at", "07:00"), ("--no-background-jobs",)):
        refused = lumbar(clinic, "serve", "--port", port, *options)
        assert refused.code == 2 and "are for a server with --accounts" in refused.stderr


# The time of day from a clock the test moves.


@dataclass
class WallClock:
    """The server's time of day, moved by the test (its day is the clinic's clock)."""

    at: time_of_day = time_of_day(8, 59)

    def __call__(self) -> datetime:
        return datetime.combine(date(2000, 1, 1), self.at)


@dataclass
class InProcess:
    """The app under uvicorn on loopback in a thread of this process, with its jobs."""

    clinic: Clinic
    wall: WallClock
    mailer: Mailer
    jobs: DailyJobs | None = None
    _server: object | None = None
    _thread: threading.Thread | None = None

    def start(self) -> None:
        import uvicorn

        content = default_content()
        digest = Digest(self.mailer, BASE_URL, time_of_day(9, 0))
        self.jobs = DailyJobs(
            self.clinic.store, content, self.clinic.clock, self.wall, digest=digest, tick=0.02
        )
        app = create_app(
            self.clinic.store,
            content=content,
            clock=self.clinic.clock,
            accounts=self.clinic.accounts,
            allowed_hosts=None,
            mailer=self.mailer,
            public_url=BASE_URL,
            jobs=self.jobs,
        )
        config = uvicorn.Config(app, host="127.0.0.1", port=_free_port(), log_level="warning")
        server = uvicorn.Server(config)
        self._server, self._thread = server, threading.Thread(target=server.run, daemon=True)
        self._thread.start()
        eventually(lambda: server.started, "the server started")

    def stop(self) -> None:
        server, thread, jobs = self._server, self._thread, self.jobs
        assert server is not None and thread is not None and jobs is not None
        server.should_exit = True  # type: ignore[attr-defined]
        thread.join(timeout=WAIT_S)
        assert not thread.is_alive()
        assert not [t for t in threading.enumerate() if t.name == "lumbar-daily-jobs"]


def test_the_digest_goes_at_the_set_time_and_the_summaries_after_midnight(
    clinic: Clinic, ann: TestClient, smtp: tuple[Inbox, dict[str, str]]
) -> None:
    inbox, settings = smtp
    mailer = Mailer.from_environment(settings)
    assert mailer is not None
    wall = WallClock(time_of_day(8, 59))
    server = InProcess(clinic, wall, mailer)
    server.start()
    try:
        time.sleep(1)
        assert inbox.messages == []  # 08:59: not yet
        wall.at = time_of_day(9, 0)
        eventually(lambda: len(inbox.messages) == 3, "the digest at 09:00")
        assert recipients(inbox) == EVERY_CLINICIAN
        # Midnight passes: the server's next day, shortly after midnight.
        patient = clinic.people["ann"].id
        first_day = clinic.clock()
        assert computed_on(clinic)[patient] == first_day
        wall.at = time_of_day(23, 59)
        time.sleep(0.3)
        wall.at = time_of_day(0, 4)  # the time first, then the day: never the next day's 23:59
        clinic.clock.today = first_day + timedelta(days=1)
        time.sleep(0.5)
        assert computed_on(clinic)[patient] == first_day  # 00:04: not yet
        wall.at = time_of_day(0, 5)
        eventually(lambda: computed_on(clinic)[patient] == clinic.clock(), "the summaries at 00:05")
        assert len(inbox.messages) == 3  # the digest waits for 09:00
    finally:
        server.stop()

    # Restarted at 10:00 on the second day: today's digest, at once; started again, not twice.
    wall.at = time_of_day(10, 0)
    said = clinic.client("ann").post("/api/v1/messages", json={"body": "A question"})
    assert said.status_code == 201, said.text
    server.start()
    try:
        eventually(lambda: len(inbox.messages) == 4, "the second day's digest")
        assert inbox.messages[-1]["To"] == email("north_pt")
        assert f"/clinic/patients/{clinic.people['ann'].id}" in str(inbox.messages[-1])
    finally:
        server.stop()
    clinic.client("ann").post("/api/v1/messages", json={"body": "Another question"})
    server.start()
    try:
        time.sleep(1)
        assert len(inbox.messages) == 4
    finally:
        server.stop()


def test_a_digest_the_mail_server_refused_is_tried_again_half_an_hour_later(
    clinic: Clinic, smtp: tuple[Inbox, dict[str, str]]
) -> None:
    """Refused at 09:00, the day is given back (nothing recorded as sent) and the digest
    goes at 09:30, once."""
    inbox, settings = smtp
    mailer = Mailer.from_environment(settings)
    assert mailer is not None
    refused: list[int] = []

    async def refuse(*_: object) -> str:
        refused.append(1)
        return "451 4.3.0 Try again later"

    accept = inbox.handle_DATA
    inbox.handle_DATA = refuse  # type: ignore[method-assign, assignment]
    wall = WallClock(time_of_day(9, 0))
    server = InProcess(clinic, wall, mailer)
    server.start()
    try:
        eventually(lambda: len(refused) == 3, "the three digests refused")
        assert inbox.messages == [] and sent_days(clinic) == {}
        inbox.handle_DATA = accept  # type: ignore[method-assign]
        wall.at = time_of_day(9, 29)
        time.sleep(0.5)
        assert inbox.messages == [] and len(refused) == 3
        wall.at = time_of_day(9, 30)
        eventually(lambda: len(inbox.messages) == 3, "the digests at 09:30")
        assert recipients(inbox) == EVERY_CLINICIAN
        wall.at = time_of_day(10, 30)
        time.sleep(0.5)
        assert len(inbox.messages) == 3
    finally:
        server.stop()


def test_two_senders_at_once_send_one_digest_each(
    clinic: Clinic, smtp: tuple[Inbox, dict[str, str]]
) -> None:
    """Two servers (or a server and a timer) on one database, at the same moment: each
    clinician gets one digest, whichever claimed the day first."""
    inbox, settings = smtp
    mailer = Mailer.from_environment(settings)
    assert mailer is not None
    from lumbar.store.database import Store

    stores = [Store(clinic.store.url) for _ in range(2)]
    results: list[alerts.DigestSent] = []
    gate = threading.Barrier(2)

    def send(store: Store) -> None:
        gate.wait()
        results.append(
            alerts.send_digest(
                store,
                default_content(),
                mailer,
                base_url=BASE_URL,
                on=clinic.clock(),
                now=datetime(2026, 11, 2, 9, 0),
            )
        )

    try:
        threads = [threading.Thread(target=send, args=(s,)) for s in stores]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=WAIT_S)
    finally:
        for store in stores:
            store.dispose()
    assert recipients(inbox) == EVERY_CLINICIAN
    assert sum(r.mails for r in results) == 3


def test_refresh_all_stops_between_batches_when_asked(clinic: Clinic, ann: TestClient) -> None:
    """The server's job stops after the batch it is in: asked to stop first, it computes
    nothing."""
    later = clinic.clock() + timedelta(days=1)
    patient = clinic.people["ann"].id
    assert summaries.refresh_all(clinic.store, default_content(), later, lambda: False) == 0
    assert computed_on(clinic)[patient] == clinic.clock()
    assert summaries.refresh_all(clinic.store, default_content(), later) == 1
    assert computed_on(clinic)[patient] == later
