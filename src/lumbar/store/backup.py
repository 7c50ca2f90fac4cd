"""A whole database copied to one file, and put back: `lumbar backup` and `lumbar restore`.

An export (`archive.py`) carries one person's history; a backup carries everything a server
holds (every person, the accounts, the audit log, the reminders' secrets), as the database
itself, so that a clinic can put the server back as it was.

- SQLite: the standard library's online backup API (`sqlite3.Connection.backup`). It copies
  every page inside one read transaction, so a backup taken while the server writes holds
  each transaction committed before it began and nothing of any other: never a session
  without its exercises, never a revision that does not match its history. The copy is
  turned from WAL into a rollback journal, so it is one file that can be moved alone. A
  restore copies the backup into place with the same API, which writes it in one
  transaction: the database is all old or all new.
- PostgreSQL: `pg_dump --format=custom` (it reads from one snapshot, so it is consistent
  too) and `pg_restore --clean --if-exists --no-owner --single-transaction`, the newest
  client tools found on PATH or under /usr/lib/postgresql/*/bin (pg_dump refuses a server
  newer than itself).

A backup file is checked before anything is written: a file that is not a lumbar backup,
a backup of the other kind of database, or one made by a newer lumbar (a schema this one
cannot migrate) is refused, and so is a target that already holds data unless the caller
forces it. A backup is written under a temporary name beside FILE and renamed into place
once complete, so a failure never leaves half a backup (nor spoils an older one).

The PostgreSQL client tools are found and run by store/postgres_tools.py.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from lumbar.private_files import create_private
from lumbar.store.database import HEAD, Store
from lumbar.store.postgres_tools import BackupError, HoldsData, dbname, find_tool, run

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

__all__ = ["Backup", "BackupError", "HoldsData", "back_up", "find_tool", "restore"]

Kind = Literal["sqlite", "postgresql"]

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
"""The first bytes of a SQLite file, and of an archive of `pg_dump --format=custom`."""


@dataclass(frozen=True, slots=True)
class Backup:
    """A backup made or restored: the file, its size, the database's kind and schema (its
    Alembic revision; a restored older schema is migrated on the database's next use)."""

    file: Path
    bytes: int
    database: Kind
    schema: str


def back_up(url: str, file: Path) -> Backup:
    """Copy the whole database at `url` into `file` (replaced if it exists)."""
    kind, path = _kind(url)
    _check_destination(file)
    if path is not None:
        return _back_up_sqlite(path, file)
    return _back_up_postgres(url, file)


def restore(file: Path, url: str, *, force: bool = False) -> Backup:
    """Put the backup in `file` into the database at `url`, replacing what it holds.

    Refuses (raising BackupError, writing nothing) a file that is not a lumbar backup of
    this kind of database, a backup from a newer schema, and, unless `force`, a target that
    already holds data (HoldsData).
    """
    kind, path = _kind(url)
    found = _backup_kind(file)
    if found != kind:
        raise BackupError(
            f"{file} is a backup of a {_NAMES[found]} database: restore it into a "
            f"{_NAMES[found]} database, not into {_NAMES[kind]}"
        )
    if path is not None:
        return _restore_sqlite(file, path, force=force)
    return _restore_postgres(file, url, force=force)


_NAMES: dict[Kind, str] = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def _kind(url: str) -> tuple[Kind, Path | None]:
    """The kind of database at `url`, and its file when it is SQLite."""
    path = Store(url).sqlite_path
    if path is not None:
        return "sqlite", path
    if url.split(":", 1)[0].split("+", 1)[0] == "postgresql":
        return "postgresql", None
    scheme = url.split(":", 1)[0] if "://" in url else url
    raise BackupError(
        f"backup and restore work on a SQLite file or a PostgreSQL database, not {scheme}"
    )


def _check_destination(file: Path) -> None:
    if file.is_dir():
        raise BackupError(f"{file} is a folder: give the name of the backup file to write")
    if not file.parent.is_dir():
        raise BackupError(f"cannot write {file}: the folder {file.parent} does not exist")


def _backup_kind(file: Path) -> Kind:
    """Which kind of backup `file` holds, by its first bytes; refuses anything else."""
    try:
        with file.open("rb") as opened:
            start = opened.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        raise BackupError(f"{file}: no such file") from None
    except OSError as error:
        raise BackupError(f"{file}: cannot read it ({error.strerror})") from error
    if start == SQLITE_MAGIC:
        return "sqlite"
    if start.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    raise BackupError(f"{file} is not a lumbar backup (neither SQLite nor pg_dump's format)")


def _check_schema(version: str | None, file: Path) -> str:
    """The backup's schema, if this lumbar can use it: its own, or an older one it migrates."""
    if version is None:
        raise BackupError(f"{file} is not a lumbar backup (it holds no schema version)")
    if version in _known_revisions():
        return version
    if version.isdigit() and HEAD.isdigit() and int(version) > int(HEAD):
        raise BackupError(
            f"{file} was made by a newer version of lumbar (schema {version}; this one "
            f"knows up to {HEAD}): upgrade lumbar to restore it"
        )
    raise BackupError(f"{file} is not a lumbar backup (unknown schema {version!r})")


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    from lumbar.store.migrate import alembic_config

    script = ScriptDirectory.from_config(alembic_config())
    return {revision.revision for revision in script.walk_revisions()}


# SQLite.


def _back_up_sqlite(path: Path, file: Path) -> Backup:
    if not path.exists():
        raise BackupError(f"no database at {path}: nothing to back up")
    if file.exists() and file.resolve() == path.resolve():
        raise BackupError(f"{file} is the database itself: write the backup somewhere else")
    # mode=rw, not ro: a read-only connection cannot tidy the WAL's files away when it closes.
    with closing(_open_sqlite(path, "rw")) as source:
        if _sqlite_schema(source, path) is None:
            raise BackupError(f"{path} holds no lumbar data to back up")
        with _replacing(file) as partial, _copying(f"back up {path}"):
            with closing(sqlite3.connect(partial)) as copy:
                source.backup(copy)
                copy.execute("PRAGMA journal_mode = DELETE")
                # The schema the copy holds: a migration may have run since the check.
                schema = _sqlite_schema(copy, path) or ""
    return Backup(file, file.stat().st_size, "sqlite", schema)


def _restore_sqlite(file: Path, path: Path, *, force: bool) -> Backup:
    if path.exists() and path.resolve() == file.resolve():
        raise BackupError(f"{file} is the database itself: restore it into another one")
    with closing(_open_sqlite(file, "ro")) as source:
        try:
            healthy = source.execute("PRAGMA quick_check").fetchone()
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{file} is not a lumbar backup ({error})") from error
        if healthy is None or healthy[0] != "ok":
            raise BackupError(f"{file} is damaged ({healthy[0] if healthy else 'unreadable'})")
        schema = _check_schema(_sqlite_schema(source, file, "backup"), file)
        if path.exists():
            with closing(_open_sqlite(path, "rw")) as target:
                _refuse_held_data(_sqlite_tables_with_rows(target, path), path, force=force)
        if not path.parent.is_dir():
            raise BackupError(
                f"cannot restore into {path}: the folder {path.parent} does not exist"
            )
        create_private(path)  # 0600 before SQLite opens it; its WAL and SHM files follow
        with _copying(f"restore into {path}"), closing(sqlite3.connect(path)) as target:
            source.backup(target)
            target.execute("PRAGMA journal_mode = WAL")  # as lumbar keeps its databases
    return Backup(file, file.stat().st_size, "sqlite", schema)


@contextmanager
def _copying(what: str) -> Iterator[None]:
    """A copy that fails (the database locked past the busy timeout, a full disk) as a
    BackupError; the backup API writes in one transaction, so nothing of it is kept."""
    try:
        yield
    except sqlite3.Error as error:
        raise BackupError(f"cannot {what}: {error}") from error


def _open_sqlite(path: Path, mode: Literal["ro", "rw"]) -> sqlite3.Connection:
    try:
        return sqlite3.connect(f"{path.resolve().as_uri()}?mode={mode}", uri=True)
    except sqlite3.Error as error:
        raise BackupError(f"cannot open {path}: {error}") from error


def _sqlite_schema(
    connection: sqlite3.Connection, path: Path, what: str = "database"
) -> str | None:
    """The database's Alembic revision; refuses a file that is not a lumbar `what`."""
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a lumbar {what} ({error})") from error
    return None if row is None else str(row[0])


def _sqlite_tables_with_rows(connection: sqlite3.Connection, path: Path) -> list[str]:
    try:
        names = [
            str(row[0])
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' AND name != 'alembic_version' ORDER BY name"
            )
        ]
        return [
            name
            for name in names
            if connection.execute(f'SELECT EXISTS (SELECT 1 FROM "{name}")').fetchone()[0]
        ]
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a lumbar database ({error})") from error


# PostgreSQL.


def _back_up_postgres(url: str, file: Path) -> Backup:
    schema = _postgres_schema(url)
    if schema is None:
        raise BackupError(f"the database at {_where(url)} holds no lumbar data to back up")
    pg_dump = find_tool("pg_dump")
    with _replacing(file) as partial:
        run([pg_dump, "--format=custom", f"--file={partial}", dbname(url)], url)
    return Backup(file, file.stat().st_size, "postgresql", schema)


def _restore_postgres(file: Path, url: str, *, force: bool) -> Backup:
    pg_restore = find_tool("pg_restore")
    # The archive's own copy of alembic_version, as SQL, read without a server.
    try:
        listing = run(
            [pg_restore, "--data-only", "--table=alembic_version", "--file=-", str(file)], None
        )
    except BackupError as error:
        raise BackupError(f"{file} is not a lumbar backup ({error})") from error
    schema = _check_schema(_copied_version(listing), file)
    _refuse_held_data(_postgres_tables_with_rows(url), _where(url), force=force)
    run(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            # All or nothing: a restore that fails half-way leaves the database as it was.
            "--single-transaction",
            dbname(url),
            str(file),
        ],
        url,
    )
    return Backup(file, file.stat().st_size, "postgresql", schema)


def _copied_version(sql: str) -> str | None:
    """The version in the `COPY ... alembic_version ... FROM stdin;` block pg_restore printed."""
    lines = sql.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("COPY ") and "alembic_version" in line:
            rows = lines[index + 1 :]
            if rows and rows[0] != "\\.":
                return rows[0].strip()
            return None
    return None


@contextmanager
def _postgres(url: str) -> Iterator[Connection]:
    from sqlalchemy.exc import DBAPIError

    store = Store(url)
    try:
        with store.engine.connect() as connection:
            yield connection
    except DBAPIError as error:
        raise BackupError(f"cannot use the database at {_where(url)}: {error.orig}") from error
    finally:
        store.dispose()


def _postgres_schema(url: str) -> str | None:
    from sqlalchemy import text

    with _postgres(url) as connection:
        if not _postgres_tables(connection, "alembic_version"):
            return None
        found = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        return None if found is None else str(found)


def _postgres_tables(connection: Connection, *only: str) -> list[str]:
    from sqlalchemy import text

    names = connection.execute(
        text(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' "
            "ORDER BY table_name"
        )
    ).scalars()
    return [str(name) for name in names if not only or name in only]


def _postgres_tables_with_rows(url: str) -> list[str]:
    from sqlalchemy import text

    with _postgres(url) as connection:
        return [
            name
            for name in _postgres_tables(connection)
            if name != "alembic_version"
            and connection.execute(text(f'SELECT EXISTS (SELECT 1 FROM "{name}")')).scalar()
        ]


# Both.


def _refuse_held_data(tables: list[str], where: object, *, force: bool) -> None:
    if tables and not force:
        shown = ", ".join(tables[:3]) + (", ..." if len(tables) > 3 else "")
        raise HoldsData(f"the database at {where} already holds data ({shown})")


@contextmanager
def _replacing(file: Path) -> Iterator[Path]:
    """A new file beside `file` to write, renamed over `file` only once the block succeeds."""
    handle, name = tempfile.mkstemp(prefix=f".{file.name}.", suffix=".partial", dir=file.parent)
    os.close(handle)
    partial = Path(name)
    try:
        yield partial
        os.replace(partial, file)
    finally:
        partial.unlink(missing_ok=True)


def _where(url: str) -> str:
    """The database named without its password: a path, or host/database."""
    return url.split("@")[-1]
