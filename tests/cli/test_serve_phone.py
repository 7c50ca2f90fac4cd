"""`lumbar serve --phone` end to end (issue #16): a real server process, and a real second
device on another network address.

The test makes its own network (tests/netns.py): the server answers on 127.0.0.1 and on
this side of a virtual cable (HTTPS); the "phone" is a Python process on the other side,
which checks the server's certificate against the one lumbar made. Nothing leaves this
machine.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import iter_route_contexts
from starlette.routing import Mount

from lumbar.store.database import Store, sqlite_url
from lumbar.usecases.phone import certificate_fingerprint
from lumbar.web.app import create_app
from tests.cli.test_serve import _free_port
from tests.netns import PhoneNetwork, phone_network
from tests.web.conftest import ANSWERS

PHONE_CLIENT = r"""
import http.client, json, ssl, sys, urllib.parse
job = json.load(sys.stdin)
out = {"answers": [], "certificate": None}
host, port = job["host"], job["port"]
out["certificate"] = ssl.get_server_certificate((host, port), timeout=10)
context = ssl.create_default_context(cafile=job["cafile"])
for r in job["requests"]:
    connection = http.client.HTTPSConnection(host, port, context=context, timeout=10)
    connection.request(r["method"], r["path"], body=r.get("body"), headers=r.get("headers", {}))
    answer = connection.getresponse()
    out["answers"].append({
        "status": answer.status,
        "cookie": answer.getheader("set-cookie"),
        "body": answer.read().decode("utf-8", "replace")[:600],
    })
    connection.close()
print(json.dumps(out))
"""
"""The phone: each request on its own TLS connection, verified against lumbar's certificate."""


@pytest.fixture(scope="module")
def network() -> Iterator[PhoneNetwork]:
    with phone_network("c") as made:
        yield made


@dataclass
class Served:
    db: Path
    port: int
    url: str
    fingerprint: str
    link: str
    certificate: Path
    process: subprocess.Popen[str]
    network: PhoneNetwork

    def phone(self, *requests: dict[str, Any]) -> dict[str, Any]:
        """Send the requests from the phone's network; the answers and the certificate."""
        job = {
            "host": self.network.host_side,
            "port": self.port,
            "cafile": str(self.certificate),
            "requests": list(requests),
        }
        ran = subprocess.run(
            self.network.inside(sys.executable, "-c", PHONE_CLIENT),
            input=json.dumps(job),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert ran.returncode == 0, ran.stderr
        found: dict[str, Any] = json.loads(ran.stdout)
        return found


def _loopback(port: int, path: str, body: bytes | None = None) -> tuple[int, str]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body)
    if body is not None:
        request.add_header("Content-Type", "application/json")
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=10) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture(scope="module")
def served(network: PhoneNetwork, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    folder = tmp_path_factory.mktemp("phone")
    db, port = folder / "lumbar.db", _free_port()
    command = [sys.executable, "-m", "lumbar", "serve", "--phone", "--host", network.host_side]
    process = subprocess.Popen(
        [*command, "--port", str(port), "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        printed = []
        for line in process.stdout:
            printed.append(line)
            if line.startswith("A new code"):
                break
        text = "".join(printed)
        url = re.search(r"For your phone on the same Wi-Fi: (\S+)", text)
        fingerprint = re.search(r"SHA-256 fingerprint: (\S+)", text)
        link = re.search(r"^(https://\S+/pair/\S+)$", text, re.MULTILINE)
        assert url and fingerprint and link, text
        deadline = time.monotonic() + 20
        while True:
            try:
                status, _ = _loopback(port, "/api/v1/program", json.dumps(ANSWERS).encode())
                assert status == 201
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.1)
        yield Served(
            db,
            port,
            url.group(1),
            fingerprint.group(1),
            link.group(1),
            folder / "phone-certificate.pem",
            process,
            network,
        )
    finally:
        process.terminate()
        process.communicate(timeout=10)


def every_route(db: Path) -> list[tuple[str, str]]:
    """(method, path) of every route local mode has, from its route table, and two files."""
    store = Store(sqlite_url(db.with_name("routes.db")))
    app = create_app(store)
    found = [("GET", "/static/lumbar.css"), ("GET", "/static/player.js")]
    for context in iter_route_contexts(app.routes):
        if isinstance(context.original_route, Mount) or context.path is None:
            continue
        for method in sorted(context.methods or ()):
            if method != "HEAD" and not context.path.startswith("/pair/"):
                found.append((method, re.sub(r"\{[^}]+\}", "x", context.path)))
    store.dispose()
    return found


def test_the_command_prints_both_addresses_and_the_certificate_is_the_one_served(
    served: Served,
) -> None:
    assert served.url == f"https://{served.network.host_side}:{served.port}/"
    assert served.link.startswith(f"{served.url}pair/")
    pem = served.certificate.read_bytes()
    assert certificate_fingerprint(pem) == served.fingerprint
    assert oct(served.certificate.stat().st_mode & 0o777) == "0o600"
    # What the phone receives in the TLS handshake is that certificate.
    received = served.phone()["certificate"]
    assert certificate_fingerprint(received.encode()) == served.fingerprint
    # And this computer's page shows the same fingerprint.
    status, page = _loopback(served.port, "/settings/phone")
    assert status == 200 and served.fingerprint in page


def test_an_unpaired_phone_is_refused_on_every_route(served: Served) -> None:
    routes = every_route(served.db)
    assert len(routes) > 60

    answers = served.phone(
        *({"method": m, "path": p, "headers": {"Accept": "application/json"}} for m, p in routes)
    )["answers"]

    refused = {route: answer["status"] for route, answer in zip(routes, answers, strict=True)}
    assert set(refused.values()) == {403}, {r: s for r, s in refused.items() if s != 403}
    assert all("lumbar" in a["body"] for a in answers)
    # This computer still opens everything.
    assert _loopback(served.port, "/today")[0] == 200


def test_a_phone_pairs_once_uses_the_app_and_is_shut_out_when_revoked(served: Served) -> None:
    pairing = served.link.removeprefix(served.url.rstrip("/"))
    form = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Origin": served.url.rstrip("/"),
        "Sec-Fetch-Site": "same-origin",
    }
    first = served.phone(
        {"method": "GET", "path": pairing},
        {"method": "POST", "path": pairing, "body": "name=Mat+phone", "headers": form},
    )["answers"]
    assert first[0]["status"] == 200 and "Pair this device" in first[0]["body"]
    assert first[1]["status"] == 303
    cookie = first[1]["cookie"]
    for flag in ("HttpOnly", "Secure", "SameSite=strict"):
        assert flag.lower() in cookie.lower(), cookie
    secret = cookie.split(";", 1)[0]

    paired = {"Cookie": secret, "Accept": "application/json"}
    then = served.phone(
        {"method": "GET", "path": "/api/v1/today", "headers": paired},
        {"method": "GET", "path": "/static/lumbar.css", "headers": paired},
        {"method": "GET", "path": "/settings/phone", "headers": paired},
        {"method": "POST", "path": pairing, "body": "name=Another", "headers": form},
        {"method": "GET", "path": "/api/v1/today", "headers": {"Cookie": "lumbar_device=guess"}},
    )["answers"]
    assert [a["status"] for a in then] == [200, 200, 403, 410, 403]
    assert "exercises" in then[0]["body"]

    listed = subprocess.run(
        [sys.executable, "-m", "lumbar", "devices", "--db", str(served.db), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    [device] = json.loads(listed.stdout)["devices"]
    assert device["name"] == "Mat phone"
    subprocess.run(
        [sys.executable, "-m", "lumbar", "devices", "revoke", str(device["id"])]
        + ["--db", str(served.db)],
        capture_output=True,
        check=True,
    )

    after = served.phone({"method": "GET", "path": "/api/v1/today", "headers": paired})
    assert after["answers"][0]["status"] == 403
