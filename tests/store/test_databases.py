"""The store on both databases it supports, SQLite and PostgreSQL, through the same code.

The same Alembic migrations build the same tables on both; a history reads back as it was
written; a refused write leaves nothing; concurrent writers of one person's history queue
instead of interleaving (BEGIN IMMEDIATE on SQLite, a row lock on PostgreSQL).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError

from lumbar.domain.model import CheckIn, Clearance, History, Pain, SessionLog
from lumbar.errors import DatabaseError
from lumbar.store import migrate
from lumbar.store.database import LOCAL_PERSON, Store
from lumbar.store.tables import events, metadata, people
from tests import builders as b


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    opened = Store(database_url)
    yield opened
    opened.dispose()


def record(store: Store, history: History, person: int = LOCAL_PERSON) -> None:
    with store.transaction() as tx:
        tx.add_person(person, history.profile)
        for event in history.events:
            if isinstance(event, SessionLog):
                tx.add_session(person, event)
            elif isinstance(event, Clearance):
                tx.add_clearance(person, event)
            else:
                tx.add_checkin(person, event)


def fresh_read(store: Store, person: int = LOCAL_PERSON) -> History | None:
    """The history as a new Store reads it (nothing cached)."""
    other = Store(store.url)
    try:
        return other.read(person)
    finally:
        other.dispose()


def test_the_migrations_build_exactly_the_tables_the_metadata_describes(store: Store) -> None:
    store.migrate()
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection)
        assert compare_metadata(context, metadata) == []
        assert context.get_current_revision() == migrate.head_revision()


def test_a_history_reads_back_as_it_was_written(store: Store) -> None:
    recorded = History.of(
        b.profile(),
        [
            b.intake(pain=7, psfs=(3, 4, 2), symptoms=("leg_numbness",)),
            b.clearance(b.START, "leg_numbness", by="my physical therapist"),
            b.session(b.day(0), ("cat-cow", Pain.ACHE), ("dead-bug", Pain.RADIATING)),
            CheckIn(b.day(7), pain=4, psfs=(6, 6, 5)),
            CheckIn(b.day(1), pain=0, psfs=(10, 0, 10), screened=True),
            CheckIn(b.day(8), symptoms=("fever", "trauma"), follow_up=True),
            b.clearance(b.day(9), "fever", "trauma", by="pt@clinic.example", confirmed=True),
        ],
    )
    record(store, recorded)
    assert fresh_read(store) == recorded
    assert store.read() == recorded
    assert [type(e) for e in recorded.events].count(Clearance) == 2


def test_each_person_reads_only_their_own_history(store: Store) -> None:
    first = History.of(b.profile(age=30), [b.intake(pain=5)])
    second = History.of(b.profile(age=60), [b.intake(pain=8)])
    record(store, first, person=1)
    record(store, second, person=2)
    assert fresh_read(store, 1) == first
    assert fresh_read(store, 2) == second
    assert fresh_read(store, 3) is None


def test_a_refused_write_leaves_nothing_behind(store: Store) -> None:
    record(store, History.of(b.profile(), [b.intake(pain=5)]))
    before = fresh_read(store)
    with pytest.raises(IntegrityError), store.transaction() as tx:
        tx.add_session(LOCAL_PERSON, b.session(b.day(0), ("cat-cow", Pain.NONE)))
        tx.connection.execute(insert(events).values(person_id=99, on_date=b.day(0), kind="x"))
    assert fresh_read(store) == before


def test_a_database_from_a_newer_lumbar_is_refused(store: Store) -> None:
    store.migrate()
    with store.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    newer = Store(store.url)
    try:
        with pytest.raises(DatabaseError, match="newer version of lumbar"):
            newer.read()
    finally:
        newer.dispose()


def test_concurrent_writers_of_one_history_queue_and_lose_nothing(store: Store) -> None:
    """Eight threads, each with its own Store (as separate server processes would have),
    record sessions for one person at once: every session is kept, and the revision rose
    once for each, so no two transactions read the same revision and wrote over each other.
    """
    record(store, History.of(b.profile(), [b.intake(pain=5)]))
    writers, each = 8, 5
    errors: list[BaseException] = []

    def write(number: int) -> None:
        own = Store(store.url)
        try:
            for i in range(each):
                day = b.day(number * each + i)
                with own.transaction() as tx:
                    tx.add_session(LOCAL_PERSON, b.session(day, ("cat-cow", Pain.NONE)))
        except BaseException as error:  # reported below, in the test's own thread
            errors.append(error)
        finally:
            own.dispose()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with store.engine.connect() as connection:
        sessions = connection.execute(
            select(func.count()).select_from(events).where(events.c.kind == "session")
        ).scalar_one()
        revision = connection.execute(select(people.c.revision)).scalar_one()
    assert sessions == writers * each
    assert revision == writers * each + 1  # the intake check-in raised it once too


def test_a_check_constraint_holds_on_both_databases(store: Store) -> None:
    record(store, History.of(b.profile(), [b.intake(pain=5)]))
    with pytest.raises(IntegrityError), store.engine.begin() as connection:
        connection.execute(update(people).values(age=12))
