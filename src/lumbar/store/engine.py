"""Building the SQLAlchemy engine, with SQLite set up for safe concurrent writes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine

SQLITE_BUSY_MS = 5000
"""How long a SQLite writer waits for another to finish before giving up."""

POOL_SIZE = 40
"""Connections a server keeps open to a database server (PostgreSQL): one for each thread
of the ASGI server's thread pool (anyio's default: 40), where the guard's sign-in lookup
and the routes run. SQLAlchemy's default keeps 5 and opens up to 10 more that it closes as
soon as they are returned: with 16 requests at a time, most requests opened a connection
of their own (issue #20: 319 connections for 1,146 answers), a new backend process each.
Only as many are opened as requests run at once; each is then kept."""
POOL_OVERFLOW = 10
"""Beyond those, for a thread that needs a second connection (a read inside a transaction):
opened, and closed when returned."""
POOL_RECYCLE_S = 3600
"""A kept connection is replaced after an hour, so that a firewall or a server setting
that drops idle connections does not leave broken ones in the pool (there is no ping
before each use: that would be one more round trip on every request)."""


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        # Every use of a connection ends in COMMIT or ROLLBACK (`engine.begin()`), so the
        # pool's own rollback when a connection is returned would only cost a round trip.
        engine = create_engine(url, pool_reset_on_return=None)
    else:
        engine = create_engine(
            url,
            pool_size=POOL_SIZE,
            max_overflow=POOL_OVERFLOW,
            pool_use_lifo=True,
            pool_recycle=POOL_RECYCLE_S,
        )
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event emit BEGIN itself (see _sqlite_begin): the sqlite3
    # module's own implicit transactions would start too late to hold the write lock.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.close()


READ_ONLY = "lumbar_read_only"
"""The execution option of a connection that only reads (`Store.reading`)."""


def _sqlite_begin(connection: Connection) -> None:
    # BEGIN IMMEDIATE takes the write lock at the start, so a read-check-write use case
    # (is today a session day? then record it) cannot interleave with another writer. A
    # connection that only reads begins a plain (deferred) transaction: in WAL mode it
    # reads its snapshot without waiting for the writers.
    if connection.get_execution_options().get(READ_ONLY):
        connection.exec_driver_sql("BEGIN")
    else:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
