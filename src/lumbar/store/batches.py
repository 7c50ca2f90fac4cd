"""Group commit: writes that arrive together share one transaction and one sync to disk.

A server's writers hand their use cases to one writer thread. It takes every use case
waiting, runs each inside its own savepoint of one transaction (a use case that refuses,
or fails, rolls back only its own part), commits once, and only then answers each caller:
every answer still comes after its write is on disk. Sixteen sessions posted together cost
one sync instead of sixteen, and a slow sync holds up one batch instead of a queue.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from contextlib import AbstractContextManager
from typing import Any, Protocol, TypeVar

T = TypeVar("T")

MAX_BATCH = 64
"""Use cases in one transaction at most, so one batch never holds the lock for long."""

_Job = tuple[Callable[..., Any], tuple[Any, ...], "Future[Any]"]


class Transactions(Protocol):
    """What the writer needs of a store: transactions, a nested one being a savepoint."""

    def transaction(self) -> AbstractContextManager[Any]: ...


class BatchWriter:
    def __init__(self, store: Transactions, max_batch: int = MAX_BATCH) -> None:
        self._store = store
        self._max_batch = max_batch
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()

    def submit(self, use_case: Callable[..., T], *args: Any) -> Future[T]:
        """Queue a use case; the future holds its result (or error) once committed."""
        with self._start_lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="lumbar-writer", daemon=True)
                self._thread.start()
        done: Future[T] = Future()
        self._jobs.put((use_case, args, done))
        return done

    def stop(self) -> None:
        with self._start_lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._jobs.put(None)
            thread.join(timeout=10)

    def _run(self) -> None:
        while True:
            first = self._jobs.get()
            if first is None:
                return
            jobs = [first]
            while len(jobs) < self._max_batch:
                try:
                    job = self._jobs.get_nowait()
                except queue.Empty:
                    break
                if job is None:
                    self._jobs.put(None)  # stop after this batch
                    break
                jobs.append(job)
            self._write(jobs)

    def _write(self, jobs: list[_Job]) -> None:
        # A caller that gave up (its future cancelled) is skipped: nothing of it is written.
        jobs = [job for job in jobs if job[2].set_running_or_notify_cancel()]
        if not jobs:
            return
        outcomes: list[tuple[Future[Any], Any, BaseException | None]] = []
        try:
            with self._store.transaction():  # each use case's own is a savepoint of it
                for use_case, args, done in jobs:
                    try:
                        outcomes.append((done, use_case(*args), None))
                    except Exception as error:  # the use case's own savepoint is rolled back
                        outcomes.append((done, None, error))
        except Exception as error:  # the commit itself failed: nothing of the batch is kept
            for _, _, done in jobs:
                done.set_exception(error)
            return
        for done, result, failure in outcomes:
            if failure is None:
                done.set_result(result)
            else:
                done.set_exception(failure)
