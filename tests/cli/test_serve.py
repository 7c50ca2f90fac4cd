"""`lumbar serve`: the web app as a real process on loopback, and what it refuses."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.cli.conftest import Cli


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_serve_starts_the_web_app_and_prints_its_address(tmp_path: Path) -> None:
    port = _free_port()
    db = tmp_path / "lumbar.db"
    server = subprocess.Popen(
        [sys.executable, "-m", "lumbar", "serve", "--port", str(port), "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        first_line = server.stdout.readline()
        assert first_line.strip() == f"lumbar is running at http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as answer:
                    # `/` shows the intake's first step itself, without a redirect.
                    assert answer.url == f"http://127.0.0.1:{port}/"
                    assert "Welcome to lumbar" in answer.read().decode()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.1)
        assert db.exists()  # the database is created and migrated at start
    finally:
        server.terminate()
        server.communicate(timeout=10)


def test_serve_refuses_an_address_other_than_this_computer(cli: Cli, db_path: Path) -> None:
    outcome = cli("serve", "--host", "0.0.0.0")
    assert outcome.code == 2
    assert "only on this computer (127.0.0.1)" in outcome.stderr
    assert "health data" in outcome.stderr
    assert not db_path.exists()


def test_serve_refuses_a_port_in_use_with_the_next_one_to_try(cli: Cli, db_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        outcome = cli("serve", "--port", str(port))
    assert outcome.code == 2
    assert f"port {port} is already in use" in outcome.stderr
    assert f"--port {port + 1}" in outcome.stderr
    assert not db_path.exists()


def test_serve_phone_refuses_what_would_not_reach_a_phone_or_would_expose_a_clinic(
    cli: Cli, db_path: Path
) -> None:
    refusals = {
        ("--phone", "--accounts"): "--phone is for lumbar on your own computer",
        ("--phone-over-http",): "--phone-over-http goes with --phone",
        ("--phone", "--host", "0.0.0.0"): "every address at once",
        ("--phone", "--host", "::"): "every address at once",
        ("--phone", "--host", "127.0.0.2"): "loopback address, which a phone cannot reach",
        ("--phone", "--host", "my-laptop"): "is not an IP address",
        ("--phone", "--host", "203.0.113.9"): "cannot answer on 203.0.113.9",
    }
    for arguments, said in refusals.items():
        outcome = cli("serve", *arguments)
        assert outcome.code == 2, arguments
        assert said in outcome.stderr, (arguments, outcome.stderr)
    assert not db_path.exists()
    assert list(db_path.parent.glob("phone-*.pem")) == []
