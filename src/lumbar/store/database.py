"""Opening the database: reads, one-transaction writes, and migrations on first use.

SQLAlchemy and Alembic are imported inside the methods that need them, so a read of a
SQLite file (every `lumbar today`) never pays for them.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing, contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lumbar.domain.model import History
from lumbar.errors import DatabaseError
from lumbar.store import touched
from lumbar.store.cache import HistoryCache
from lumbar.store.history import REVISION, SCHEMA_VERSION, read_revised
from lumbar.store.queue import FairLock

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

    from lumbar.store.batches import BatchWriter
    from lumbar.store.writes import Transaction

HEAD = "0027"
"""The newest migration. A test holds it to Alembic's head, so the fast read path knows
without importing Alembic whether a database is up to date."""

LOCAL_PERSON = 1
"""In local mode one person uses the database; their rows carry this id."""


class Store:
    def __init__(self, url: str) -> None:
        self.url = url
        self.sqlite_path = _sqlite_file(url)
        self._engine: Engine | None = None
        self._migrated = False
        self.cache = HistoryCache()
        self._reader: sqlite3.Connection | None = None
        self._keep_reader = False
        self._reader_lock = threading.Lock()
        self._writer_lock = FairLock()
        self._open = _OpenTransaction()
        self._writer: BatchWriter | None = None
        self.after_write: Callable[[Transaction, set[int]], None] | None = None
        """Run before a transaction commits, in it, with the people whose concerns it
        changed (store/touched.py): a clinic's server keeps their summaries with it
        (usecases/summaries.py). Set once, before the store is used by more than one thread."""

    def keep_connection(self) -> None:
        """Keep one SQLite read connection open (a server); a command opens one per read.

        A kept connection saves the ~0.1 ms of opening a file at every request, which is
        most of the cost of asking whether a cached history is still current.
        """
        self._keep_reader = True

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            from sqlalchemy.exc import ArgumentError

            from lumbar.store.engine import make_engine

            if self.sqlite_path is not None:
                self._create_private(self.sqlite_path)
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

    @staticmethod
    def _create_private(path: Path) -> None:
        """The database file made 0600 before SQLite opens it (its WAL and SHM files take
        its permissions), in a folder that exists: a folder named by mistake is said, not
        made (`lumbar`'s own data folder is made by the command line, 0700)."""
        from lumbar.private_files import create_private

        if not path.parent.is_dir():
            raise DatabaseError(
                f"cannot make the database {path}: the folder {path.parent} does not exist"
            )
        try:
            create_private(path)
        except OSError as error:
            raise DatabaseError(f"cannot make the database {path}: {error.strerror}") from error

    def make_private(self) -> list[Path]:
        """Tighten a SQLite database (and its WAL and SHM files) that others on this
        computer could read: the files that had to change."""
        from lumbar.private_files import tighten

        path = self.sqlite_path
        if path is None or not _is_sqlite(path):
            return []  # nothing, or not a database: opening it will say so
        files = [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
        return [file for file in files if tighten(file)]

    def read(self, person: int = LOCAL_PERSON) -> History | None:
        """The person's history, or None when no program was started.

        Records nothing; the only write it can make is migrating an out-of-date schema.
        """
        path = self.sqlite_path
        if path is not None:
            if not path.exists():
                return None
            with self._reading(path) as connection:
                answered, history = _read_sqlite(connection, path, person, self.cache)
            if answered:
                return history
        with self.transaction() as tx:
            return tx.history(person)

    def revision(self, person: int = LOCAL_PERSON) -> int | None:
        """The person's revision (it rises with every write of their history), or None when
        they have no program or the schema is not yet up to date."""
        path = self.sqlite_path
        if path is None:
            from lumbar.store.writes import QUICK_REVISION

            row = QUICK_REVISION.first(self, person=person)  # one round trip, no transaction
            return None if row is None else int(row.revision)
        if self._reader is None and not path.exists():
            return None
        with self._reading(path) as connection:
            try:
                row = connection.execute(REVISION, {"person": person}).fetchone()
            except sqlite3.DatabaseError:
                return None  # an older schema: the full read path migrates it
        return None if row is None else int(row[0])

    @contextmanager
    def _reading(self, path: Path) -> Iterator[sqlite3.Connection]:
        if not self._keep_reader:
            connection = _connect(path)
            with closing(connection):
                yield connection
            return
        with self._reader_lock:
            if self._reader is None:
                self._reader = _connect(path, check_same_thread=False)
            yield self._reader

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """One transaction: everything inside is written together, or nothing is.

        Opened while this thread already has one open, it is a savepoint of that one (as
        Django's nested `atomic`): it rolls back alone when what runs in it fails, and is
        written when the outer transaction commits. The writer thread uses this to run the
        use cases that arrive together in one transaction (store/batches.py)."""
        from lumbar.store.writes import Transaction

        outer = self._open.value
        if outer is not None:
            with self._unusable(), outer.connection.begin_nested():
                tx = Transaction(outer.connection, self.cache)
                yield tx
            outer.views.update(tx.views)
            return
        self.migrate()
        # Writers of this process queue here, in order, rather than in SQLite's busy
        # handler (see store/queue.py); other processes still meet at BEGIN IMMEDIATE.
        lock = self._writer_lock if self.sqlite_path is not None else nullcontext()
        with lock:
            with self._unusable(), self.engine.begin() as connection:
                tx = Transaction(connection, self.cache)
                self._open.value = tx
                touched.take(connection)  # from a transaction rolled back on this connection
                try:
                    yield tx
                    written = touched.take(connection)
                    if written and self.after_write is not None:
                        self.after_write(tx, written)
                finally:
                    self._open.value = None
                    touched.take(connection)
            for person, (revision, history) in tx.views.items():
                self.cache.put(person, revision, history)

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """One read-only transaction, outside the writers' queue: a consistent snapshot
        that waits for no writer (on SQLite a deferred BEGIN in WAL mode; on PostgreSQL an
        ordinary transaction). For reads that need SQLAlchemy (accounts mode's look-ups);
        a write in it is refused by SQLite only if another writer holds the lock, so
        nothing here may write."""
        from lumbar.store.engine import READ_ONLY

        self.migrate()
        with self._unusable(), self.engine.connect() as connection:
            connection.execution_options(**{READ_ONLY: True})
            with connection.begin():
                yield connection

    @contextmanager
    def driver_cursor(self) -> Iterator[tuple[Any, Any]]:
        """The dialect, and a cursor of the database driver for one statement that only
        reads, in autocommit (store/quick_read.py): on a SQLite file the connection a
        server keeps (`keep_connection`), elsewhere a connection of the engine's pool."""
        self.migrate()
        path = self.sqlite_path
        if path is not None:
            try:
                with self._reading(path) as connection:
                    yield self.engine.dialect, connection.cursor()
            except sqlite3.Error as error:
                raise DatabaseError(f"cannot use the database at {path}: {error}") from error
            return
        engine = self.engine
        with self._unusable():
            pooled = engine.raw_connection()
        driver: Any = pooled.driver_connection
        postgres = engine.dialect.name == "postgresql"
        try:
            if postgres:
                driver.autocommit = True  # no BEGIN, no COMMIT: one round trip
            yield engine.dialect, pooled.cursor()
        except engine.dialect.loaded_dbapi.Error as error:
            pooled.invalidate()  # a broken connection goes, the pool opens another
            where = self.url.split("@")[-1]
            raise DatabaseError(f"cannot use the database at {where}: {error}") from error
        finally:
            if postgres and pooled.is_valid:
                driver.autocommit = False
            pooled.close()

    @property
    def writer(self) -> BatchWriter:
        """The thread that writes a server's use cases in batches (started on first use)."""
        if self._writer is None:
            from lumbar.store.batches import BatchWriter

            self._writer = BatchWriter(self)
        return self._writer

    def migrate(self) -> None:
        """Bring the schema up to date (Alembic), once per Store."""
        if self._migrated:
            return
        from lumbar.store.migrate import upgrade

        with self._unusable(), self.engine.connect() as connection:
            sqlite = connection.dialect.name == "sqlite"
            if sqlite:
                # A migration that rebuilds a table others refer to must run with foreign
                # keys off (SQLite's procedure for a schema change: dropping the old table
                # would otherwise delete every row that refers to it). The pragma only
                # works outside a transaction, so it goes to the driver before one begins.
                _driver(connection).execute("PRAGMA foreign_keys = OFF")
            try:
                with connection.begin():
                    upgrade(connection)
                    if sqlite:
                        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                        if broken:
                            raise RuntimeError(f"the migration broke foreign keys: {broken}")
            finally:
                if sqlite:
                    _driver(connection).execute("PRAGMA foreign_keys = ON")
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
        if self._writer is not None:
            self._writer.stop()
            self._writer = None
        with self._reader_lock:
            if self._reader is not None:
                self._reader.close()
                self._reader = None
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


class _OpenTransaction(threading.local):
    """The transaction this thread has open, if any (the next one opened is nested in it)."""

    value: Transaction | None = None


def _connect(path: Path, *, check_same_thread: bool = True) -> sqlite3.Connection:
    # mode=rw: never create the file. Not mode=ro: a read-only connection cannot remove the
    # WAL's -wal and -shm files when it closes, and would leave them beside the database.
    # isolation_level=None: no implicit transactions; a read takes its own (see below).
    uri = f"{path.resolve().as_uri()}?mode=rw"
    try:
        return sqlite3.connect(
            uri, uri=True, isolation_level=None, check_same_thread=check_same_thread
        )
    except sqlite3.Error as error:
        raise DatabaseError(f"cannot open {path}: {error}") from error


def _driver(connection: Any) -> Any:
    """The sqlite3 connection under a SQLAlchemy one (for a pragma outside a transaction)."""
    return connection.connection.driver_connection


def _read_sqlite(
    connection: sqlite3.Connection, path: Path, person: int, cache: HistoryCache
) -> tuple[bool, History | None]:
    """Read with the standard library; `answered` is False when the schema needs migrating.

    One read transaction, so the revision and every row come from the same snapshot (a
    writer committing half-way through cannot give a session without its exercises).
    """
    try:
        connection.execute("BEGIN")
    except sqlite3.DatabaseError as error:
        raise DatabaseError(f"{path} is not a lumbar database ({error})") from error
    try:
        try:
            row = connection.execute(SCHEMA_VERSION).fetchone()
        except sqlite3.DatabaseError as error:
            if "no such table" in str(error):
                return True, None
            raise DatabaseError(f"{path} is not a lumbar database ({error})") from error
        if row is None or row[0] != HEAD:
            return False, None
        found = connection.execute(REVISION, {"person": person}).fetchone()
        if found is None:
            return True, None
        cached = cache.get(person, int(found[0]))
        if cached is not None:
            return True, cached

        def fetch(sql: str, params: dict[str, Any]) -> Iterable[Sequence[Any]]:
            return connection.execute(sql, params).fetchall()

        read = read_revised(fetch, person)
        if read is None:
            return True, None
        cache.put(person, *read)
        return True, read[1]
    finally:
        connection.execute("COMMIT")


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


def _is_sqlite(path: Path) -> bool:
    """Whether the file starts as every SQLite database does."""
    try:
        with path.open("rb") as file:
            return file.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False
