"""One SELECT that a server makes on every request, read in one round trip.

Accounts mode looks a request's sign-in up before anything else (web/guard.py), and the
today route asks a patient's revision: small indexed reads, made thousands of times a
minute. Through SQLAlchemy's execution layer each costs more in Python than in the database
(building the statement, events, a BEGIN and a COMMIT), and on PostgreSQL the BEGIN and
COMMIT are two more round trips. A `QuickRead` is a statement built and compiled once per
dialect, by SQLAlchemy's own compiler, with its column types' own bind and result processors
(so a row reads back exactly as SQLAlchemy would give it), run on the driver's connection
(`Store.driver_cursor`): on SQLite the connection a server keeps open, on PostgreSQL a pooled
connection in autocommit mode. One statement alone is its own consistent snapshot on both.

Only for reads: nothing here ever writes.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from sqlalchemy.engine import Dialect
    from sqlalchemy.sql import Select

Processor = Callable[[Any], Any] | None


class Cursors(Protocol):
    """Where a quick read runs: `Store.driver_cursor` (store/database.py)."""

    def driver_cursor(self) -> AbstractContextManager[tuple[Any, Any]]: ...


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    names: tuple[str, ...]
    """The bound parameters, in the order a positional driver takes them."""
    positional: bool
    binds: dict[str, Processor]
    results: tuple[Processor, ...]


class QuickRead:
    """A SELECT with named bound parameters (`bindparam`), compiled on first use."""

    def __init__(self, statement: Select[Any]) -> None:
        self.statement = statement
        keys = [str(column.key) for column in statement.selected_columns]
        self.row = namedtuple("Row", keys, rename=True)  # type: ignore[misc]
        self._compiled: dict[str, _Compiled] = {}

    def first(self, store: Cursors, **params: Any) -> Any | None:
        """The first row (its columns by name, as SQLAlchemy's), or None."""
        with store.driver_cursor() as (dialect, cursor):
            compiled = self._for(dialect)
            values = {
                name: (value if (process := compiled.binds.get(name)) is None else process(value))
                for name, value in params.items()
            }
            cursor.execute(
                compiled.sql,
                tuple(values[name] for name in compiled.names) if compiled.positional else values,
            )
            found = cursor.fetchone()
        if found is None:
            return None
        return self.row(
            *(
                value if process is None else process(value)
                for process, value in zip(compiled.results, found, strict=True)
            )
        )

    def _for(self, dialect: Dialect) -> _Compiled:
        compiled = self._compiled.get(dialect.name)
        if compiled is None:
            compiled = self._compiled[dialect.name] = _compile(self.statement, dialect)
        return compiled


def _compile(statement: Select[Any], dialect: Dialect) -> _Compiled:
    compiled = statement.compile(dialect=dialect)
    binds: dict[str, Processor] = {
        name: bind.type.dialect_impl(dialect).bind_processor(dialect)
        for name, bind in compiled.binds.items()
    }
    results = tuple(
        column.type.dialect_impl(dialect).result_processor(dialect, None)
        for column in statement.selected_columns
    )
    names = tuple(compiled.positiontup or ())
    return _Compiled(str(compiled), names, bool(compiled.positional), binds, results)
