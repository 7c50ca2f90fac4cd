"""Histories kept in memory by revision: every write raises it, whoever makes it, and a
reader never answers from a history older than the database's."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from lumbar.domain.model import CheckIn, ExerciseResult, Pain, SessionLog
from lumbar.store.database import LOCAL_PERSON, Store, sqlite_url
from lumbar.store.queue import FairLock
from tests import builders as b


@pytest.fixture
def server(db_path: Path) -> Iterator[Store]:
    """A store as the web app holds it: one read connection kept open, a warm cache."""
    opened = Store(sqlite_url(db_path))
    opened.keep_connection()
    yield opened
    opened.dispose()


@pytest.fixture
def other(db_path: Path) -> Iterator[Store]:
    """Another writer on the same file, as `lumbar log` in another process would be."""
    opened = Store(sqlite_url(db_path))
    yield opened
    opened.dispose()


def _start(store: Store) -> None:
    with store.transaction() as tx:
        tx.add_person(LOCAL_PERSON, b.profile())
        tx.add_checkin(LOCAL_PERSON, b.intake())


def _session(day_offset: int) -> SessionLog:
    return SessionLog(b.START + timedelta(days=day_offset), (ExerciseResult("cat-cow", Pain.NONE),))


def test_every_write_raises_the_revision(server: Store) -> None:
    assert server.revision() is None
    _start(server)
    first = server.revision()
    assert first is not None
    with server.transaction() as tx:
        tx.add_session(LOCAL_PERSON, _session(0))
    assert server.revision() == first + 1
    with server.transaction() as tx:
        tx.set_training_days(LOCAL_PERSON, b.profile().training_days, on=b.day(3))
    assert server.revision() == first + 2


def test_a_write_by_another_writer_is_seen_at_the_next_read(server: Store, other: Store) -> None:
    _start(server)
    before = server.read()
    assert before is not None and server.read() is before  # the second read is the cache
    with other.transaction() as tx:
        tx.add_session(LOCAL_PERSON, _session(0))
    after = server.read()
    assert after is not None and after is not before
    assert [type(e) for e in after.events] == [CheckIn, SessionLog]
    assert after == other.read()


def test_a_transaction_keeps_the_history_it_wrote_under_the_new_revision(
    server: Store, other: Store
) -> None:
    _start(server)
    server.read()
    with server.transaction() as tx:
        tx.add_session(LOCAL_PERSON, _session(0))
    cached = server.read()
    assert cached is not None
    assert cached == other.read()  # what the writer kept is what a fresh reader reads


def test_a_rolled_back_transaction_changes_neither_the_revision_nor_the_cache(
    server: Store,
) -> None:
    _start(server)
    before, revision = server.read(), server.revision()
    with pytest.raises(RuntimeError), server.transaction() as tx:
        tx.add_session(LOCAL_PERSON, _session(0))
        raise RuntimeError("refused half-way")
    assert server.revision() == revision
    assert server.read() == before


def test_the_writers_queue_serves_waiters_in_the_order_they_came() -> None:
    lock = FairLock()
    order: list[int] = []
    lock.acquire()
    threads = []
    for number in range(5):
        thread = threading.Thread(target=_take, args=(lock, number, order))
        thread.start()
        threads.append(thread)
        _wait_for_waiters(lock, number + 1)
    lock.release()
    for thread in threads:
        thread.join(timeout=5)
    assert order == [0, 1, 2, 3, 4]


def _take(lock: FairLock, number: int, order: list[int]) -> None:
    with lock:
        order.append(number)


def _wait_for_waiters(lock: FairLock, count: int) -> None:
    deadline = time.monotonic() + 5
    while len(lock._waiters) < count:  # the test waits for each thread to queue
        assert time.monotonic() < deadline, "a thread never queued"
        time.sleep(0.001)


def test_writes_that_arrive_together_share_one_transaction_and_each_keeps_its_answer(
    server: Store, other: Store
) -> None:
    """The writer thread runs waiting use cases in one transaction, each in a savepoint:
    one that refuses rolls back alone, and every answer comes after the commit."""
    _start(server)
    committed = server.revision()
    gate, running = threading.Event(), threading.Event()

    def hold() -> str:
        running.set()
        gate.wait(5)  # keeps the writer busy while the next three queue behind it
        return "held"

    def record(day: int) -> int:
        with server.transaction() as tx:
            tx.add_session(LOCAL_PERSON, _session(day))
        # Not committed yet: a reader on another connection still sees the old revision.
        return day if server.revision() == committed else -1

    def refuse() -> None:
        with server.transaction() as tx:
            tx.add_session(LOCAL_PERSON, _session(1))
            raise ValueError("refused")

    held = server.writer.submit(hold)
    assert running.wait(5)
    first = server.writer.submit(record, 0)
    refused = server.writer.submit(refuse)
    second = server.writer.submit(record, 2)
    gate.set()
    assert held.result(5) == "held"
    assert first.result(5) == 0 and second.result(5) == 2
    with pytest.raises(ValueError, match="refused"):
        refused.result(5)
    history = other.read()
    assert history is not None
    sessions = [e.on for e in history.events if isinstance(e, SessionLog)]
    assert sessions == [b.START, b.START + timedelta(days=2)]  # the refused one is not there
    assert server.read() == history


def test_a_batch_whose_commit_fails_keeps_nothing_and_answers_everyone_with_the_error(
    server: Store, other: Store
) -> None:
    _start(server)
    gate, running = threading.Event(), threading.Event()

    def hold() -> None:
        running.set()
        gate.wait(5)  # the two below queue meanwhile, and go in one batch after this one

    def record() -> None:
        with server.transaction() as tx:
            tx.add_session(LOCAL_PERSON, _session(0))

    def fail_at_commit() -> None:
        # A foreign key checked only at COMMIT: the savepoint is released, the commit fails.
        with server.transaction() as tx:
            tx.connection.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
            tx.connection.exec_driver_sql(
                "INSERT INTO events (person_id, on_date, kind) VALUES (42, '2026-11-02', 'checkin')"
            )

    held = server.writer.submit(hold)
    assert running.wait(5)
    recorded = server.writer.submit(record)
    failing = server.writer.submit(fail_at_commit)
    gate.set()
    held.result(5)
    for future in (recorded, failing):
        with pytest.raises(IntegrityError, match="FOREIGN KEY"):
            future.result(5)
    history = other.read()
    assert history is not None and not any(isinstance(e, SessionLog) for e in history.events)
    assert server.read() == history


def test_a_write_whose_caller_gave_up_is_skipped_and_the_writer_carries_on(
    server: Store, other: Store
) -> None:
    _start(server)
    gate, running = threading.Event(), threading.Event()

    def hold() -> None:
        running.set()
        gate.wait(5)

    def record(day: int) -> int:
        with server.transaction() as tx:
            tx.add_session(LOCAL_PERSON, _session(day))
        return day

    server.writer.submit(hold)
    assert running.wait(5)
    abandoned = server.writer.submit(record, 0)
    assert abandoned.cancel()  # as asyncio does when the request is cancelled
    gate.set()
    assert server.writer.submit(record, 2).result(5) == 2
    history = other.read()
    assert history is not None
    assert [e.on for e in history.events if isinstance(e, SessionLog)] == [
        b.START + timedelta(days=2)
    ]
