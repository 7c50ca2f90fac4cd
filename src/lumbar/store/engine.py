"""Building the SQLAlchemy engine, with SQLite set up for safe concurrent writes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine

SQLITE_BUSY_MS = 5000
"""How long a SQLite writer waits for another to finish before giving up."""


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        # Every use of a connection ends in COMMIT or ROLLBACK (`engine.begin()`), so the
        # pool's own rollback when a connection is returned would only cost a round trip.
        engine = create_engine(url, pool_reset_on_return=None)
    else:
        engine = create_engine(url)
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
