"""Fresh databases for tests, on SQLite and on PostgreSQL.

A test that asks for `database_url` runs twice: once on a new SQLite file, once on a new
PostgreSQL database in the throwaway cluster that `scripts/with-postgres` starts (its
address is in LUMBAR_TEST_POSTGRES_URL). Every test gets databases of its own, dropped
after it. Without a cluster the PostgreSQL runs skip, unless LUMBAR_REQUIRE_POSTGRES is set
(CI sets it), which turns the skip into a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from lumbar.store.database import sqlite_url

POSTGRES_VARIABLE = "LUMBAR_TEST_POSTGRES_URL"
REQUIRE_VARIABLE = "LUMBAR_REQUIRE_POSTGRES"
BACKENDS = ("sqlite", "postgresql")


def postgres_admin_url() -> str | None:
    return os.environ.get(POSTGRES_VARIABLE) or None


def _libpq(url: str) -> str:
    """A SQLAlchemy URL (postgresql+psycopg://) as psycopg itself takes it."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


class Databases:
    """Makes new, empty databases of one kind for one test, and drops them afterwards."""

    def __init__(self, backend: str, folder: Path) -> None:
        self.backend = backend
        self.folder = folder
        self._made: list[str] = []

    def new(self) -> str:
        """The URL of a new, empty database."""
        if self.backend == "sqlite":
            self._made.append(f"db-{len(self._made) + 1}.db")
            return sqlite_url(self.folder / self._made[-1])
        admin = postgres_admin_url()
        assert admin is not None
        import psycopg

        name = f"t_{uuid.uuid4().hex[:16]}"
        with psycopg.connect(_libpq(admin), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        self._made.append(name)
        return admin.rsplit("/", 1)[0] + f"/{name}"

    def drop(self) -> None:
        if self.backend != "postgresql" or not self._made:
            return
        import psycopg

        admin = postgres_admin_url()
        assert admin is not None
        with psycopg.connect(_libpq(admin), autocommit=True) as connection:
            for name in self._made:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    if name == "postgresql" and postgres_admin_url() is None:
        if os.environ.get(REQUIRE_VARIABLE):
            pytest.fail(f"{REQUIRE_VARIABLE} is set but {POSTGRES_VARIABLE} is not")
        pytest.skip(f"no PostgreSQL cluster ({POSTGRES_VARIABLE}); run under scripts/with-postgres")
    return name


@pytest.fixture
def databases(backend: str, tmp_path: Path) -> Iterator[Databases]:
    made = Databases(backend, tmp_path)
    yield made
    made.drop()


@pytest.fixture
def database_url(databases: Databases) -> str:
    return databases.new()
