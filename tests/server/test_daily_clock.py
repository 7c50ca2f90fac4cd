"""The clinic server's daily jobs by a clock the test moves (issue #20): the app under
uvicorn on loopback in this process, its jobs' time of day from the test's clock and its
day from the clinic's; the mail through a real SMTP server (aiosmtpd). The digest at the
set time, the summaries after midnight, a refused digest tried again, two senders at once.
On SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as time_of_day

from fastapi.testclient import TestClient

from lumbar.content.load import default_content
from lumbar.store.database import Store
from lumbar.usecases import alerts, summaries
from lumbar.usecases.daily_jobs import DailyJobs, Digest
from lumbar.usecases.mail import Mailer
from lumbar.web.app import create_app
from tests.server.conftest import BASE_URL, Clinic, email
from tests.server.test_alert_mail import smtp as smtp  # the fixture: a real SMTP server
from tests.server.test_crash import _free_port
from tests.server.test_daily_jobs import (
    EVERY_CLINICIAN,
    WAIT_S,
    computed_on,
    eventually,
    recipients,
    sent_days,
)
from tests.server.test_mail import Inbox


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
