"""What every accounts-mode request costs the database (issue #20): the sign-in is looked up
once per request, in one statement, and a PostgreSQL server keeps its connections.

The statements are counted where they reach the driver: SQLite's trace callback on every
connection (the one the server keeps for reads, and the engine's), psycopg's cursors on
PostgreSQL. So a lookup made outside SQLAlchemy is counted as surely as one made through it.
"""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from tests.server.conftest import Clinic

TODAY = "/api/v1/today?date=2026-11-02"


class Statements:
    """The SQL statements the store sends to its database while it is switched on."""

    def __init__(self, clinic: Clinic) -> None:
        self.sent: list[str] = []
        self.on = False
        self._store = clinic.store
        engine = clinic.store.engine
        if engine.dialect.name == "sqlite":
            event.listen(engine, "checkout", self._trace_sqlite)
        else:
            event.listen(engine, "checkout", self._trace_psycopg)

    def record(self, sql: str) -> None:
        if self.on:
            self.sent.append(" ".join(sql.split()))

    def _trace_sqlite(self, dbapi: Any, _record: Any, _proxy: Any) -> None:
        dbapi.set_trace_callback(self.record)

    def _trace_psycopg(self, dbapi: Any, _record: Any, _proxy: Any) -> None:
        import psycopg

        statements = self

        class Counted(psycopg.Cursor):
            def execute(self, query: Any, *args: Any, **kwargs: Any) -> Any:
                statements.record(str(query))
                return super().execute(query, *args, **kwargs)

        dbapi.cursor_factory = Counted

    def start(self) -> None:
        # The connection a server keeps to read a SQLite file (made by the first request).
        kept = getattr(self._store, "_reader", None)
        if kept is not None:
            kept.set_trace_callback(self.record)
        self.sent.clear()
        self.on = True

    def about(self, table: str) -> list[str]:
        return [sql for sql in self.sent if table in sql]


@pytest.fixture
def statements(clinic: Clinic) -> Iterator[Statements]:
    yield Statements(clinic)


def test_a_request_looks_its_sign_in_up_once_in_one_statement(
    clinic: Clinic, ann: TestClient, statements: Statements
) -> None:
    assert ann.get(TODAY).status_code == 200  # the server's kept connection is made
    statements.start()

    answered = ann.get(TODAY)

    assert answered.status_code == 200, answered.text
    assert answered.json()["kind"] in {"session", "rest"}
    lookups = statements.about("auth_sessions")
    assert len(lookups) == 1, statements.sent
    assert lookups[0].startswith("SELECT"), lookups
    assert "token_hash" in lookups[0] and "JOIN users" in lookups[0]
    # Nothing else of the sign-in, and no transaction around the lookup or the revision:
    # the lookup and the patient's revision (the answer itself is kept in memory).
    assert len(statements.sent) == 2, statements.sent
    assert statements.about("people") == [statements.sent[1]], statements.sent
    assert not [sql for sql in statements.sent if sql.split()[0] in {"BEGIN", "COMMIT"}]


def test_a_write_looks_its_sign_in_up_once_too(
    clinic: Clinic, ann: TestClient, statements: Statements
) -> None:
    statements.start()

    reported = ann.post("/api/v1/problems", json={"kind": "other", "note": "Sore knee."})

    assert reported.status_code == 201, reported.text
    assert len(statements.about("FROM auth_sessions")) == 1, statements.sent


def test_a_signed_out_token_is_refused_after_one_lookup(
    clinic: Clinic, ann: TestClient, statements: Statements
) -> None:
    token = ann.cookies["lumbar_session"]
    assert ann.post("/api/v1/sign-out").status_code in {200, 204, 303}
    stranger = TestClient(clinic.app, base_url="https://clinic.example")
    stranger.cookies.set("lumbar_session", token)
    statements.start()

    refused = stranger.get(TODAY)

    assert refused.status_code == 401, refused.text
    assert len(statements.about("auth_sessions")) == 1, statements.sent
    assert len(statements.sent) == 1, statements.sent


def test_the_postgresql_pool_keeps_its_connections_under_concurrent_requests(
    clinic: Clinic, ann: TestClient
) -> None:
    """16 clients at once, 400 requests: with SQLAlchemy's default pool (5 kept, 10 more
    closed on return) most requests opened a connection of their own."""
    engine = clinic.store.engine
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite opens no server connections")
    import uvicorn

    from tests.browser.conftest import _free_port

    opened: list[int] = []
    event.listen(engine, "connect", lambda *_: opened.append(1))
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(clinic.app, host="127.0.0.1", port=port, log_level="warning")
    )
    serving = threading.Thread(target=server.run, daemon=True)
    serving.start()
    while not server.started:
        assert serving.is_alive(), "the server did not start"
        threading.Event().wait(0.02)
    cookie = f"lumbar_session={ann.cookies['lumbar_session']}"
    statuses: list[int] = []

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for _ in range(25):
            connection.request("GET", TODAY, headers={"Cookie": cookie})
            answer = connection.getresponse()
            answer.read()
            statuses.append(answer.status)
        connection.close()

    try:
        clients = [threading.Thread(target=client) for _ in range(16)]
        for started in clients:
            started.start()
        for finished in clients:
            finished.join(timeout=120)
    finally:
        server.should_exit = True
        serving.join(timeout=10)

    assert statuses == [200] * 400
    assert len(opened) <= 16 + 1, f"{len(opened)} connections opened for 400 requests"
