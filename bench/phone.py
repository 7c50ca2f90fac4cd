"""What a paired phone's request costs the server (issue #16): the device-cookie check.

Target: a request from a paired phone costs the server no more than 0.1 ms of CPU more than
the same request from this computer (loopback), which skips the check.

How: one `lumbar serve --phone --phone-over-http` process (plain HTTP on the network
address, so that TLS, which a phone pays for on top, does not blur the check's own cost)
answers on 127.0.0.1 and on 10.213.N.1, the end of a virtual cable (veth) into a network
namespace made here, which plays the phone: nothing leaves this machine. A phone is paired
through the real pairing link. Then `GET /api/v1/today` is loaded by wrk (bench/web.py's
runner, 2 threads, 16 connections) from this computer and from the namespace with the
device cookie, alternately, three rounds; the server's CPU time (from /proc) divided by the
answers is each run's figure, and the difference of the medians is the check's cost. The
baseline measured in the same run is the loopback figure itself: what every request costs.

Run (as root, to make the namespace; needs `wrk` and `ip`):
`.venv/bin/python bench/phone.py [--seconds 5]`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.web import (  # noqa: E402
    BENCH,
    CONNECTIONS,
    THREADS,
    TIMEOUT_S,
    Failure,
    Load,
    Server,
    free_port,
    parse_wrk,
    post_json,
    wait_until_up,
)
from tests.web.conftest import ANSWERS  # noqa: E402

NAMESPACE = f"lumbar-bench-{os.getpid() % 100_000}"
OCTET = os.getpid() % 250 + 1
HOST_SIDE = f"10.213.{OCTET}.1"
PHONE_SIDE = f"10.213.{OCTET}.2"
TARGET_MS = 0.1
ROUNDS = 3
PATH = "/api/v1/today"

PAIR = r"""
import http.client, json, sys
job = json.load(sys.stdin)
connection = http.client.HTTPConnection(job["host"], job["port"], timeout=10)
connection.request("POST", job["path"], body="name=Bench+phone",
                   headers={"Content-Type": "application/x-www-form-urlencoded"})
answer = connection.getresponse()
print(json.dumps({"status": answer.status, "cookie": answer.getheader("set-cookie")}))
"""


def ip(*arguments: str) -> None:
    done = subprocess.run(["ip", *arguments], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise Failure(f"ip {' '.join(arguments)}: {done.stderr.strip()} (run as root)")


@contextmanager
def phone_network() -> Iterator[None]:
    host_link, phone_link = f"lbbh{OCTET}", f"lbbp{OCTET}"
    try:
        ip("netns", "add", NAMESPACE)
        ip("link", "add", host_link, "type", "veth", "peer", "name", phone_link)
        ip("link", "set", phone_link, "netns", NAMESPACE)
        ip("addr", "add", f"{HOST_SIDE}/24", "dev", host_link)
        ip("link", "set", host_link, "up")
        inside = ("netns", "exec", NAMESPACE, "ip")
        ip(*inside, "addr", "add", f"{PHONE_SIDE}/24", "dev", phone_link)
        ip(*inside, "link", "set", phone_link, "up")
        ip(*inside, "link", "set", "lo", "up")
        yield
    finally:
        subprocess.run(["ip", "netns", "del", NAMESPACE], capture_output=True, check=False)
        subprocess.run(["ip", "link", "del", host_link], capture_output=True, check=False)


def load(name: str, server: Server, url: str, seconds: int, *, phone: str | None) -> Load:
    """One wrk run, from this computer or (with the cookie) from the phone's namespace."""
    command = [
        "wrk",
        f"-t{THREADS}",
        f"-c{CONNECTIONS}",
        f"-d{seconds}s",
        "--latency",
        "--timeout",
        f"{TIMEOUT_S}s",
        "-s",
        str(BENCH / "wrk_status.lua"),
    ]
    if phone is not None:
        command = ["ip", "netns", "exec", NAMESPACE, *command, "-H", f"Cookie: {phone}"]
    before = server.cpu_seconds()
    done = subprocess.run(
        [*command, url], capture_output=True, text=True, timeout=seconds + 120, check=False
    )
    after = server.cpu_seconds()
    if done.returncode != 0:
        raise Failure(f"{name}: wrk failed ({done.returncode}): {done.stderr}{done.stdout}")
    found = parse_wrk(name, done.stdout)
    if before is None or after is None or not found.requests:
        raise Failure(f"{name}: no CPU time or no answers")
    found.cpu_ms = (after - before) * 1000 / found.requests
    if found.problems():
        raise Failure("; ".join(found.problems()))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    seconds = parser.parse_args().seconds
    with tempfile.TemporaryDirectory() as scratch, phone_network():
        folder = Path(scratch)
        port = free_port()
        log = folder / "serve.log"
        command = [sys.executable, "-m", "lumbar", "serve", "--phone", "--phone-over-http"]
        command += ["--host", HOST_SIDE, "--port", str(port), "--db", str(folder / "x.db")]
        with log.open("wb") as output:
            process = subprocess.Popen(command, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT)
        try:
            base = f"http://127.0.0.1:{port}"
            wait_until_up(process, base + "/library", log)
            status, text = post_json(base + "/api/v1/program", json.dumps(ANSWERS), {})
            if status != 201:
                raise Failure(f"starting the program: {status} {text}")
            link = re.search(r"^http://\S+(/pair/\S+)$", log.read_text(), re.MULTILINE)
            if link is None:
                raise Failure(f"no pairing link printed:\n{log.read_text()}")
            paired = subprocess.run(
                ["ip", "netns", "exec", NAMESPACE, sys.executable, "-c", PAIR],
                input=json.dumps({"host": HOST_SIDE, "port": port, "path": link[1]}),
                capture_output=True,
                text=True,
                check=True,
            )
            answer = json.loads(paired.stdout)
            if answer["status"] != 303 or not answer["cookie"]:
                raise Failure(f"pairing failed: {answer}")
            cookie = answer["cookie"].split(";", 1)[0]
            server = Server(base, process.pid)
            phone_url = f"http://{HOST_SIDE}:{port}{PATH}"
            load("warm-up, this computer", server, base + PATH, 2, phone=None)
            load("warm-up, phone", server, phone_url, 2, phone=cookie)
            here, there = [], []
            for round_ in range(ROUNDS):
                here.append(load(f"computer {round_}", server, base + PATH, seconds, phone=None))
                there.append(load(f"phone {round_}", server, phone_url, seconds, phone=cookie))
                time.sleep(0.5)
        finally:
            process.terminate()
            process.wait(timeout=10)
    computer = statistics.median(r.cpu_ms or 0 for r in here)
    phone = statistics.median(r.cpu_ms or 0 for r in there)
    print(f"GET {PATH}, {ROUNDS} rounds of {seconds} s each, wrk -t{THREADS} -c{CONNECTIONS}")
    print(f"{'from':<30}{'CPU ms/request':>16}{'requests/s':>12}{'p99 ms':>10}")
    for name, runs, cpu in (
        ("this computer (baseline)", here, computer),
        ("paired phone", there, phone),
    ):
        rps = statistics.median(r.rps for r in runs)
        p99 = statistics.median(r.p99_ms for r in runs)
        print(f"{name:<30}{cpu:>16.3f}{rps:>12.0f}{p99:>10.1f}")
    extra = phone - computer
    met = "met" if extra <= TARGET_MS else "MISSED"
    check = f"{extra:+.3f} ms of CPU per request (target <= {TARGET_MS}: {met})"
    print(f"the device-cookie check: {check}")


if __name__ == "__main__":
    try:
        main()
    except Failure as error:
        print(f"bench/phone.py failed: {error}", file=sys.stderr)
        sys.exit(1)
