"""A lock that serves its waiters in the order they came: the writers' queue.

SQLite lets one writer at a time. The threads of a server that want to write wait here
rather than in SQLite's busy handler, which sleeps in growing steps (up to 100 ms) and lets
later writers pass. `threading.Lock` is no fairer: a thread that has just released it can
take it again before the ones waiting wake up, so one request can wait many turns. With
the lock handed to the oldest waiter, a write waits at most one turn per writer ahead.
"""

from __future__ import annotations

import threading
from collections import deque
from types import TracebackType


class FairLock:
    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._waiters: deque[threading.Lock] = deque()
        self._held = False

    def acquire(self) -> None:
        with self._guard:
            if not self._held:
                self._held = True
                return
            turn = threading.Lock()
            turn.acquire()
            self._waiters.append(turn)
        turn.acquire()  # released by `release`, which hands the lock over to this thread

    def release(self) -> None:
        with self._guard:
            if self._waiters:
                self._waiters.popleft().release()  # still held: now by the oldest waiter
            else:
                self._held = False

    def __enter__(self) -> FairLock:
        self.acquire()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()
