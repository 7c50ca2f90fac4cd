"""The clinic server keeps its own day (issue #20): the two daily jobs that otherwise need an
administrator's timer, run by `lumbar serve --accounts` itself in one background thread.

- The concern summaries that a new day makes stale are computed again when the server
  starts and each day shortly after midnight (`REFRESH_AT`), in `refresh_all`'s batches,
  so that no clinician's first dashboard of the day pays for them and writers never wait
  long.
- The daily digest is mailed at the time an admin sets (`--digest-at`); the database
  records the day each clinician was sent it (`alerts.send_digest`), so a restart, a
  second server or a timer that also sends it sends nothing more that day.

The thread is never the event loop's: a request is never kept waiting by a job. It looks at
the clock every `tick` seconds rather than sleeping until the next run, so that a clock
set forward or back, or a summer time change, is followed within a tick. `day` is the
server's day (its `--date`, or today) and `now` its wall clock; tests pass their own.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from lumbar.content.load import Content
from lumbar.domain.daily import REFRESH_AT, first_run, next_run
from lumbar.errors import DatabaseError, UserError
from lumbar.store.database import Store
from lumbar.usecases import alerts, summaries
from lumbar.usecases.accounts import now_utc
from lumbar.usecases.mail import Mailer

log = logging.getLogger(__name__)

TICK_S = 30.0
"""How often the thread looks at the clock: a job runs at most this late."""
RETRY = timedelta(minutes=30)
"""When a mail server refused a digest, how long until the job tries again (the day's
other clinicians, already sent theirs, are not sent another)."""


@dataclass(frozen=True, slots=True)
class Digest:
    """The daily digest's settings: where it is sent from, the address its links point to,
    and the time of day it goes."""

    mailer: Mailer
    base_url: str
    at: time


@dataclass
class DailyJobs:
    """The server's daily jobs: start them with the server, stop them with it."""

    store: Store
    content: Content
    day: Callable[[], date]
    now: Callable[[], datetime] = datetime.now
    digest: Digest | None = None
    tick: float = TICK_S
    _stopping: threading.Event = field(default_factory=threading.Event, init=False)
    _thread: threading.Thread | None = field(default=None, init=False)

    def start(self) -> None:
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="lumbar-daily-jobs", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 60) -> None:
        """Ask the thread to stop and wait for it: a refresh stops after the batch it is in,
        a digest after the mail it is sending."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def moment(self) -> datetime:
        """The server's day at the time of day of its clock."""
        return datetime.combine(self.day(), self.now().time())

    def _run(self) -> None:
        moment = self.moment()
        refresh_due = moment  # at once: the rows stale for the server's day
        digest_due = None if self.digest is None else first_run(moment, self.digest.at, None)
        while not self._stopping.is_set():
            moment = self.moment()
            if refresh_due <= moment:
                self.refresh()
                refresh_due = next_run(moment, REFRESH_AT)
            if self.digest is not None and digest_due is not None and digest_due <= moment:
                tomorrow = next_run(moment, self.digest.at)
                sent = self.send_digest(self.digest, moment)
                digest_due = tomorrow if sent else min(tomorrow, moment + RETRY)
            self._stopping.wait(self.tick)

    def refresh(self) -> None:
        """Compute again the summaries stale for the server's day."""
        try:
            summaries.refresh_all(
                self.store, self.content, self.day(), lambda: not self._stopping.is_set()
            )
        except (DatabaseError, UserError) as error:  # a clinician's first view computes them
            log.warning("the concern summaries were not computed again: %s", error)
        except Exception:  # a bug: said, and the server goes on (the next run tries again)
            log.exception("the concern summaries were not computed again")

    def send_digest(self, digest: Digest, moment: datetime) -> bool:
        """Mail today's digest to the clinicians not sent it yet today: whether every mail
        went (those refused are tried again later)."""
        try:
            sent = alerts.send_digest(
                self.store,
                self.content,
                digest.mailer,
                base_url=digest.base_url,
                on=moment.date(),
                now=now_utc(),
            )
        except (DatabaseError, UserError) as error:
            log.warning("the daily digest was not sent: %s", error)
            return False
        except Exception:
            log.exception("the daily digest was not sent")
            return False
        for reason in sent.failed:
            log.warning("a daily digest was not sent: %s", reason)
        return not sent.failed
