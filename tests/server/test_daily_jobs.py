"""The clinic server keeps its own day (issue #20): `lumbar serve --accounts` computes again
the concern summaries that a new day makes stale, and mails the daily digest at the time an
admin sets, once a day per clinician, across restarts; `--no-background-jobs` does neither.

The command itself as a process on loopback (its day from `--date`), on SQLite and
PostgreSQL; the mail through a real SMTP server (aiosmtpd). The same jobs by a clock the
test moves (the time of day): test_daily_clock.py.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from lumbar.store.notification_tables import digest_days
from lumbar.store.tables import concern_summaries
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
