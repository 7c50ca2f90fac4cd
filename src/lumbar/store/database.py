"""Opening the database: reads, one-transaction writes, and migrations on first use.

SQLAlchemy and Alembic are imported inside the methods that need them, so a read of a
SQLite file (every `lumbar today`) never pays for them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lumbar.domain.model import History
from lumbar.store.history import SCHEMA_VERSION, read_history

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

    from lumbar.store.writes import Transaction

HEAD = "0002"
"""The newest migration. A test holds it to Alembic's head, so the fast read path knows
without importing Alembic whether a database is up to date."""

LOCAL_PERSON = 1
"""In local mode one person uses the database; their rows carry this id."""


class DatabaseError(Exception):
    """The database cannot be used as it is; the message says why."""


class Store:
    def __init__(self, url: str) -> None:
        self.url = url
        self.sqlite_path = _sqlite_file(url)
        self._engine: Engine | None = None
        self._migrated = False

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            from sqlalchemy.exc import ArgumentError

            from lumbar.store.engine import make_engine

            if self.sqlite_path is not None:
                self.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
            try:
                self._engine = make_engine(self.url)
            except ModuleNotFoundError as error:
                raise DatabaseError(
                    f"the database driver for {self.url.split(':')[0]} is not installed "
                    f"(no module {error.name!r}); install it with pip"
                ) from error
            except ArgumentError as error:
                raise DatabaseError(f"{self.url!r} is not a database URL ({error})") from error
        return self._engine

    def read(self, person: int = LOCAL_PERSON) -> History | None:
        """The person's history, or None when no program was started.

        Records nothing; the only write it can make is migrating an out-of-date schema.
        """
        path = self.sqlite_path
        if path is not None:
            if not path.exists():
                return None
            answered, history = _read_sqlite(path, person)
            if answered:
                return history
        with self.transaction() as tx:
            return tx.history(person)

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """One transaction: everything inside is written together, or nothing is."""
        from lumbar.store.writes import Transaction

        self.migrate()
        with self._unusable(), self.engine.begin() as connection:
            yield Transaction(connection)

    def migrate(self) -> None:
        """Bring the schema up to date (Alembic), once per Store."""
        if self._migrated:
            return
        from lumbar.store.migrate import upgrade

        with self._unusable(), self.engine.begin() as connection:
            upgrade(connection)
        self._migrated = True

    @contextmanager
    def _unusable(self) -> Iterator[None]:
        """Turn a database that cannot be opened or used into a DatabaseError with a reason.

        Integrity errors are bugs (the use cases check their input first) and pass through.
        """
        from sqlalchemy.exc import DatabaseError as SQLDatabaseError
        from sqlalchemy.exc import IntegrityError, OperationalError

        try:
            yield
        except IntegrityError:
            raise
        except (OperationalError, SQLDatabaseError) as error:
            where = self.sqlite_path or self.url.split("@")[-1]
            raise DatabaseError(f"cannot use the database at {where}: {error.orig}") from error

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


def _read_sqlite(path: Path, person: int) -> tuple[bool, History | None]:
    """Read with the standard library; `answered` is False when the schema needs migrating."""
    # mode=rw: never create the file. Not mode=ro: a read-only connection cannot remove the
    # WAL's -wal and -shm files when it closes, and would leave them beside the database.
    uri = f"{path.resolve().as_uri()}?mode=rw"
    try:
        connection = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as error:
        raise DatabaseError(f"cannot open {path}: {error}") from error
    with closing(connection):
        try:
            row = connection.execute(SCHEMA_VERSION).fetchone()
        except sqlite3.DatabaseError as error:
            if "no such table" in str(error):
                return True, None
            raise DatabaseError(f"{path} is not a lumbar database ({error})") from error
        if row is None or row[0] != HEAD:
            return False, None

        def fetch(sql: str, params: dict[str, Any]) -> Iterable[Sequence[Any]]:
            return connection.execute(sql, params).fetchall()

        return True, read_history(fetch, person)


def _sqlite_file(url: str) -> Path | None:
    """The file behind a plain `sqlite:///path` URL, or None for anything else."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or "?" in url:
        return None
    rest = url[len(prefix) :]
    if rest in ("", ":memory:"):
        return None
    return Path(rest)


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path.expanduser().resolve()}"


def fetch_with(connection: Connection) -> Any:
    """A `history.Fetch` over a SQLAlchemy connection."""
    from sqlalchemy import text

    def fetch(sql: str, params: dict[str, Any]) -> Iterable[Sequence[Any]]:
        return connection.execute(text(sql), params).all()

    return fetch
