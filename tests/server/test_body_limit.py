"""The request body limit (issue #19, finding 5), on a real server process on loopback.

One anonymous 300 MB body to `/api/v1/sign-in` used to take 30 s and 2.2 GB of the
server's memory before it was refused. Here the server is `lumbar serve --accounts` in its
own process; the client is a raw socket, so that it can declare a body it never sends, or
stream one without a length, and see when the server answers.
"""

from __future__ import annotations

import select
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from lumbar.store.database import Store, sqlite_url
from lumbar.usecases.accounts import Accounts
from lumbar.web.app import create_app
from tests.server.conftest import BASE_URL, CHEAP, Clinic
from tests.server.test_crash import Server

DECLARED = 300_000_000


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("limit")
    running = Server(sqlite_url(folder / "server.db"), folder / "server.log")
    running.start()
    yield running
    running.stop()


def _memory_kb(server: Server) -> int:
    """The server process's resident memory (Linux), in kB."""
    assert server.process is not None
    for line in Path(f"/proc/{server.process.pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def _head(server: Server, *lines: str) -> bytes:
    return (
        "\r\n".join(
            [
                "POST /api/v1/sign-in HTTP/1.1",
                f"Host: 127.0.0.1:{server.port}",
                "Content-Type: application/json",
                *lines,
            ]
        )
        + "\r\n\r\n"
    ).encode()


def _answer(connection: socket.socket, within: float) -> bytes:
    """What the server answered until it closed or `within` seconds passed."""
    received = b""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        readable, _, _ = select.select([connection], [], [], 0.1)
        if readable:
            chunk = connection.recv(65536)
            if not chunk:
                break
            received += chunk
            if b"\r\n\r\n" in received and received.rstrip().endswith(b"}"):
                break
    return received


def test_a_declared_300_mb_body_is_refused_413_at_once_unread(server: Server) -> None:
    before = _memory_kb(server)
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as connection:
        started = time.monotonic()
        connection.sendall(_head(server, f"Content-Length: {DECLARED}"))
        connection.sendall(b'{"email": "' + b"a" * 4000)
        answer = _answer(connection, within=5)
        took = time.monotonic() - started
    status_line = answer.split(b"\r\n", 1)[0]
    assert status_line == b"HTTP/1.1 413 Request Entity Too Large", answer[:300]
    assert b"larger than the server accepts (1 MB)" in answer
    assert took < 2
    assert _memory_kb(server) - before < 30_000  # kB: nothing near the body was kept


def test_a_chunked_stream_is_refused_413_as_soon_as_it_passes_the_limit(server: Server) -> None:
    """No length is declared: the server counts what arrives and stops at 1 MB. The client
    goes on sending until it sees the answer; what it sent by then is bounded by the
    network's buffers, not by the 300 MB it was willing to send."""
    before = _memory_kb(server)
    chunk = b"a" * 65536
    framed = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
    sent = 0
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as connection:
        connection.sendall(_head(server, "Transfer-Encoding: chunked"))
        connection.setblocking(False)
        answer = b""
        deadline = time.monotonic() + 20
        while sent < DECLARED and time.monotonic() < deadline:
            readable, writable, _ = select.select([connection], [connection], [], 0.1)
            if readable:
                connection.setblocking(True)
                answer = _answer(connection, within=5)
                break
            if writable:
                try:
                    sent += connection.send(framed)
                except (BlockingIOError, BrokenPipeError, ConnectionResetError):
                    break
    assert answer.split(b"\r\n", 1)[0] == b"HTTP/1.1 413 Request Entity Too Large", answer[:300]
    assert sent < 20_000_000
    assert _memory_kb(server) - before < 30_000


def test_the_server_answers_normally_after_refusing(server: Server) -> None:
    import httpx2 as httpx

    response = httpx.post(
        f"{server.base}/api/v1/sign-in",
        json={"email": "nobody@example.org", "password": "x" * 12},
        timeout=5,
    )
    assert response.status_code in (401, 422)


# In process, on SQLite and PostgreSQL: what a refused body leaves behind (nothing), and
# the larger limit of an import.


def test_a_message_over_the_limit_is_refused_and_nothing_is_written(clinic: Clinic) -> None:
    ann = clinic.client("ann")
    response = ann.post("/api/v1/messages", json={"body": "hello " * 200_000})
    assert response.status_code == 413
    assert "larger than the server accepts (1 MB)" in response.json()["message"]
    assert ann.get("/api/v1/messages").json() == []


def test_a_stream_without_a_length_is_counted_and_refused(clinic: Clinic) -> None:
    ann = clinic.client("ann")

    def pieces() -> Iterator[bytes]:
        yield b'{"body": "'
        for _ in range(40):
            yield b"a" * 50_000
        yield b'"}'

    response = ann.post(
        "/api/v1/messages", content=pieces(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert ann.get("/api/v1/messages").json() == []


def test_an_import_may_be_larger_than_a_form_but_not_than_its_own_limit(clinic: Clinic) -> None:
    """A 2 MB import passes the body limit (and is then read, and refused for what it
    holds); a 21 MB one is refused unread."""
    bob = clinic.client("bob")
    padded = {"format": "not lumbar", "padding": "x" * 2_000_000}
    response = bob.post("/api/v1/import", json=padded)
    assert response.status_code == 422, response.text
    response = bob.post(
        "/api/v1/import",
        content=b"{" + b" " * 21_000_000 + b"}",
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert "(20 MB)" in response.json()["message"]
    assert bob.get("/api/v1/today").status_code != 200  # no program was imported


def test_the_limits_are_the_server_s_to_choose(database_url: str) -> None:
    store = Store(database_url)
    app = create_app(store, accounts=Accounts(store, CHEAP), allowed_hosts=None, body_limit=100)
    try:
        with TestClient(app, base_url=BASE_URL) as client:
            response = client.post("/api/v1/sign-in", json={"email": "a" * 100, "password": "x"})
            assert response.status_code == 413
            assert "(0.0001 MB)" in response.json()["message"]
            response = client.post("/api/v1/sign-in", json={"email": "a", "password": "x"})
            assert response.status_code != 413
    finally:
        store.dispose()
