"""Benchmarks of the session player in Chromium (issue #16): what it weighs, and how fast a
tap on Start gives the first cue.

Targets (issue #16), each reported next to a baseline measured in the same run, because the
machines this runs on are shared and noisy:

- **Page weight.** The session player page (`GET /session`), with everything the browser
  loads for it (HTML, stylesheet, scripts, icons; the figure is inline SVG), as Chromium
  transfers it with gzip on a first load (a fresh browser context, an empty cache): under
  120 KB. The next exercise, the htmx swap after a pain answer (`POST /session/answer`
  with `HX-Request: true`, sent by htmx itself when the "No pain" button is clicked): under
  10 KB. Every swap of the session is measured, up to the last exercise (the answer to the
  last one is the end of the session, not a next exercise, and is listed apart). Baseline:
  the hello-world page of `bench/servers.py hello` (`GET /`, a small JSON object) from the
  same kind of server, loaded the same way.
- **Tap to first cue.** At phone size (390×844, touch), from a tap on the player's Start
  button to the first cue, spoken or shown, over 50 taps (after 3 not counted), the page
  reloaded before each: under 100 ms, median and p95. Baseline: the same tap on a blank
  page whose button's click handler changes one element's text, tapped in turn with the
  player in the same browser.

How it is measured:

- The servers are real processes, as `lumbar serve` runs them (one uvicorn worker on
  127.0.0.1, a free port; `bench/web.py`'s `serving`). The data: a fresh SQLite file in a
  temporary directory, the program started through the command line (`lumbar start --db
  FILE --answers FILE --date 2026-11-02`, a Monday and a training day), then `lumbar serve
  --db FILE --date 2026-11-02`.
- Chromium is Debian's (`/usr/bin/chromium`), launched by Playwright for Python (never
  `playwright install`), headless. Bytes are counted by Chromium itself, through the
  DevTools protocol: for each request, `Network.loadingFinished`'s `encodedDataLength`
  (what came over the connection: the response's headers and its body as sent, gzip
  when the server compressed it; 0 for what the browser's cache or the page's service
  worker answered), and the body's decoded size (the sum of `Network.dataReceived`'s
  `dataLength`). A service worker's own requests (its script, what it keeps when it
  installs, what it fetches for the page) are not seen by the page's DevTools session:
  they come from Playwright's events on the browser context, with the same figures
  (`Request.sizes()`), and count in the total. The requests of a step are taken once none
  has been in flight for half a second. Chromium sends `Accept-Encoding: gzip, deflate,
  br, zstd`; the app compresses with gzip bodies of 1,000 bytes or more. The page is also
  visited a second time in the same context (no target: what a return visit costs).
- The cue: an init script, before the page's own scripts, records `performance.now()` in a
  capturing `pointerdown` listener (the tap), and again in a capturing `click` listener
  (when the browser turns the touch into a click, which the player listens to); wraps
  `SpeechSynthesis.prototype.speak` to record when the player first asks to speak after the
  tap (then speaks as it would); and watches the `[data-stage]` element with a
  MutationObserver to record when its text first changes after the tap, then the next
  frame (a `requestAnimationFrame` callback, then a message posted from it, which runs
  once that frame is produced). The first cue is whichever of the speech and the stage's
  change comes first. The taps are Playwright's `tap()`: a touch start and a touch end
  sent through the DevTools protocol, from which Chromium makes pointer events and a
  click, as a finger's tap would. The blank page and the player are tapped in turn (one
  browser, a context each), so both see the same machine.

A page that does not load, a request that fails, a swap that is not a 200, a tap that gives
no cue within 5 s: the run fails (exit 1) after printing what it has. A missed target is
reported, not a failure. Figures go to `bench/results/player-latest.json` too.

Run: `.venv/bin/python bench/player.py [--taps 50]` (or `.venv/bin/python -m bench.player`).
Needs Chromium (`apt-get install chromium`) and Playwright for Python (`pip install
playwright`, in the test extras).
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
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
sys.path.insert(0, str(ROOT))

from bench.web import Failure, Server, free_port, percentile, serving  # noqa: E402
from lumbar.store.database import sqlite_url  # noqa: E402

CHROMIUM = Path(os.environ.get("LUMBAR_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
DAY = date(2026, 11, 2)
"""A Monday: a training day of the answers below, the day the program starts."""
ANSWERS: dict[str, Any] = {
    "understood": True,
    "age": 42,
    "pain": 6,
    "red_flags": [],
    "pain_weeks": 10,
    "days": ["mon", "wed", "fri"],
    "psfs": [
        {"activity": "lift groceries", "score": 4},
        {"activity": "sit through a film", "score": 5},
        {"activity": "garden for an hour", "score": 3},
    ],
}

PAGE_BYTES = 120 * 1024
SWAP_BYTES = 10 * 1024
CUE_MS = 100.0
WARM_UP_TAPS = 3
IDLE_S = 5
"""How long the main thread is watched on a page left alone."""
SETTLE_MS = 300
QUIET_MS = 500
"""Requests are taken once none has been in flight for this long."""
"""How long a reloaded page is left before the tap: a person does not tap within a frame."""
CUE_TIMEOUT_MS = 5_000

ANSWER_PATH = "/session/answer"
NO_PAIN = "#player .pain-grid button[value=none]"
PLAYER_TITLE = "#player h1"
RUNNER_READY = "#player .runner[data-steps]:not([hidden])"

CUE_RECORDER = """
(() => {
  const now = () => performance.now();
  const taps = [];
  let current = null;
  window.__taps = taps;
  addEventListener("pointerdown", (event) => {
    current = {down: now(), stamp: event.timeStamp, click: null, spoken: null, shown: null,
               frame: null};
    taps.push(current);
  }, true);
  addEventListener("click", () => {
    if (current && current.click === null) current.click = now();
  }, true);
  if (window.SpeechSynthesis) {
    const speak = SpeechSynthesis.prototype.speak;
    SpeechSynthesis.prototype.speak = function (utterance) {
      if (current && current.spoken === null) current.spoken = now();
      return speak.call(this, utterance);
    };
  }
  const channel = new MessageChannel();
  let framed = null;
  channel.port1.onmessage = () => {
    if (framed && framed.frame === null) framed.frame = now();
  };
  function watch() {
    const stage = document.querySelector("[data-stage]");
    if (!stage) return;
    new MutationObserver(() => {
      const tap = current;
      if (!tap || tap.shown !== null) return;
      tap.shown = now();
      requestAnimationFrame(() => {
        framed = tap;
        channel.port2.postMessage(null);
      });
    }).observe(stage, {childList: true, characterData: true, subtree: true});
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watch);
  else watch();
})();
"""

BLANK = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>blank</title></head>
<body><p data-stage>Ready</p><button type="button" data-start>Start</button>
<script>
document.querySelector("[data-start]").addEventListener("click", function () {
  document.querySelector("[data-stage]").textContent = "Go";
});
</script></body></html>"""


@dataclass
class Transfer:
    """One request as Chromium saw it."""

    url: str
    method: str
    kind: str
    """Chromium's resource type: Document, Stylesheet, Script, Image, Fetch, XHR, Other."""
    hx_request: bool = False
    """Sent with `HX-Request: true` (by htmx)."""
    status: int = 0
    encoding: str = ""
    header_bytes: int = 0
    """The response's headers, as received."""
    wire_bytes: int = 0
    """Everything received for it: headers and body as sent (gzip or not)."""
    decoded_bytes: int = 0
    """The body once decoded."""
    served_by: str = "network"
    """"network", or "cache" (the browser's HTTP cache) or "service worker" (the page's
    service worker answered it; what the worker fetched is listed as its own request):
    then nothing came over the connection for it."""
    worker: bool = False
    """Sent by the service worker (its script, what it keeps, what it fetches for a page)."""
    svg_count: int = 0
    svg_bytes: int = 0
    """Inline SVG in an HTML answer (the figures): how many, and their decoded bytes."""
    failed: str | None = None
    finished: bool = False

    @property
    def path(self) -> str:
        return "/" + self.url.split("/", 3)[3] if self.url.count("/") >= 3 else self.url


INLINE_SVG = re.compile(r"<svg\b.*?</svg>", re.DOTALL)


@dataclass
class Recorder:
    """Every request of one page, from the DevTools protocol's Network domain, and those
    of its service worker (which the page's DevTools session does not see), from
    Playwright's events on the browser context."""

    cdp: Any
    context: Any
    requests: dict[str, Transfer] = field(default_factory=dict)
    worker_requests: list[Any] = field(default_factory=list)
    worker_done: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.context.on("request", self.worker_sent)
        self.context.on("requestfinished", self.worker_ended)
        self.context.on("requestfailed", self.worker_ended)
        self.cdp.on("Network.requestWillBeSent", self.sent)
        self.cdp.on("Network.requestServedFromCache", self.from_cache)
        self.cdp.on("Network.responseReceived", self.received)
        self.cdp.on("Network.dataReceived", self.data)
        self.cdp.on("Network.loadingFinished", self.finished)
        self.cdp.on("Network.loadingFailed", self.failed)
        self.cdp.send("Network.enable")

    def sent(self, event: dict[str, Any]) -> None:
        request = event["request"]
        headers = {name.lower(): value for name, value in request["headers"].items()}
        self.requests[event["requestId"]] = Transfer(
            url=request["url"],
            method=request["method"],
            kind=event.get("type", ""),
            hx_request=headers.get("hx-request") == "true",
        )

    def from_cache(self, event: dict[str, Any]) -> None:
        if transfer := self.requests.get(event["requestId"]):
            transfer.served_by = "cache"

    def received(self, event: dict[str, Any]) -> None:
        if transfer := self.requests.get(event["requestId"]):
            response = event["response"]
            headers = {name.lower(): value for name, value in response["headers"].items()}
            transfer.status = response["status"]
            transfer.encoding = headers.get("content-encoding", "")
            if response.get("fromServiceWorker"):
                transfer.served_by = "service worker"
            elif response.get("fromDiskCache"):
                transfer.served_by = "cache"
            else:
                transfer.header_bytes = int(response.get("encodedDataLength", 0))

    def data(self, event: dict[str, Any]) -> None:
        if transfer := self.requests.get(event["requestId"]):
            transfer.decoded_bytes += event["dataLength"]

    def finished(self, event: dict[str, Any]) -> None:
        if transfer := self.requests.get(event["requestId"]):
            transfer.wire_bytes = int(event["encodedDataLength"])
            transfer.finished = True

    def failed(self, event: dict[str, Any]) -> None:
        if transfer := self.requests.get(event["requestId"]):
            transfer.failed = event.get("errorText", "failed")
            transfer.finished = True

    def worker_sent(self, request: Any) -> None:
        if request.service_worker is not None:
            self.worker_requests.append(request)

    def worker_ended(self, request: Any) -> None:
        if request.service_worker is not None:
            self.worker_done.add(id(request))

    def busy(self) -> list[str]:
        page = [t.url for t in self.requests.values() if not t.finished]
        worker = [r.url for r in self.worker_requests if id(r) not in self.worker_done]
        return page + worker

    def take(self, page: Any) -> list[Transfer]:
        """The requests so far, once none has been in flight for QUIET_MS (a service
        worker installs after the page's load, and fetches what it keeps), with the inline
        SVG of the HTML answers counted; then start afresh."""
        quiet_since = None
        for _ in range(200):
            if self.busy():
                quiet_since = None
            elif quiet_since is None:
                quiet_since = time.monotonic()
            elif time.monotonic() - quiet_since >= QUIET_MS / 1000:
                break
            page.wait_for_timeout(50)
        else:
            raise Failure(f"requests still loading after 10 s: {self.busy()}")
        for request_id, transfer in self.requests.items():
            if transfer.kind in ("Document", "XHR", "Fetch") and not transfer.failed:
                body = self.cdp.send("Network.getResponseBody", {"requestId": request_id})
                if not body["base64Encoded"]:
                    figures = INLINE_SVG.findall(body["body"])
                    transfer.svg_count = len(figures)
                    transfer.svg_bytes = sum(len(svg.encode()) for svg in figures)
        taken = list(self.requests.values()) + [worker_transfer(r) for r in self.worker_requests]
        self.requests = {}
        self.worker_requests = []
        self.worker_done = set()
        return taken


def worker_transfer(request: Any) -> Transfer:
    """A service worker's request, as Playwright reports it (from the same DevTools
    figures: its `sizes()` split `encodedDataLength` into headers and body)."""
    transfer = Transfer(
        url=request.url,
        method=request.method,
        kind=request.resource_type,
        worker=True,
        hx_request=request.headers.get("hx-request") == "true",
        finished=True,
    )
    if request.failure is not None:
        transfer.failed = request.failure
        return transfer
    response = request.response()
    if response is None:
        transfer.failed = "no response"
        return transfer
    headers = response.headers
    sizes = request.sizes()
    transfer.status = response.status
    transfer.encoding = headers.get("content-encoding", "")
    received = sizes["responseHeadersSize"] + sizes["responseBodySize"]
    if received <= 0:
        transfer.served_by = "cache"
        return transfer
    transfer.header_bytes = sizes["responseHeadersSize"]
    transfer.wire_bytes = received
    length = int(headers.get("content-length", "0"))
    if sizes["responseBodySize"] == 0 and length > 0:
        # The worker's own script: Chromium fetches it outside the worker and reports no
        # body; its Content-Length is what was sent (gzip when the server compressed it).
        transfer.wire_bytes += length
    try:
        transfer.decoded_bytes = len(response.body())
    except Exception:  # Chromium keeps no body for some of a worker's fetches
        if not transfer.encoding:
            transfer.decoded_bytes = transfer.wire_bytes - transfer.header_bytes
    return transfer


@dataclass
class Swap:
    """What a pain answer brought: the requests from the click until the player showed
    what comes next."""

    answered: str
    shows: str
    transfers: list[Transfer]
    ends: bool
    """The answer ended the session (no pain question after it)."""


@dataclass
class Weights:
    hello: list[Transfer]
    page: list[Transfer]
    again: list[Transfer]
    """The session page visited again in the same context (the browser's cache warm)."""
    swaps: list[Swap]


@dataclass
class Tap:
    """One tap, in milliseconds of `performance.now()`; `stamp` is the pointer event's
    own timeStamp."""

    down: float
    stamp: float
    click: float
    spoken: float | None
    shown: float | None
    frame: float | None

    @property
    def cue_ms(self) -> float:
        return min(t for t in (self.spoken, self.shown) if t is not None) - self.down


# The data.


def started_database(scratch: Path) -> Path:
    """A fresh SQLite file holding a program started on DAY, through the command line."""
    db = scratch / "lumbar.db"
    answers = scratch / "answers.json"
    answers.write_text(json.dumps(ANSWERS))
    lumbar = str(Path(sys.executable).with_name("lumbar"))
    # The subcommand's own --db: `lumbar --db FILE start` writes to the default database
    # (the options before a command are read only when no command follows).
    command = [lumbar, "start", "--db", str(db), "--answers", str(answers)]
    done = subprocess.run(
        [*command, "--date", DAY.isoformat(), "--json"],
        capture_output=True,
        text=True,
        env={**os.environ, "LUMBAR_DATABASE_URL": sqlite_url(db)},
    )
    if done.returncode != 0:
        raise Failure(f"lumbar start failed ({done.returncode}): {done.stderr}{done.stdout}")
    if not db.exists():
        raise Failure(f"lumbar start did not write {db}")
    return db


# The browser.


def phone_context(browser: Any) -> Any:
    return browser.new_context(viewport=PHONE, device_scale_factor=2, has_touch=True)


def recorded_page(context: Any) -> tuple[Any, Recorder]:
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page, Recorder(context.new_cdp_session(page), context)


def loaded(page: Any, recorder: Recorder, url: str) -> list[Transfer]:
    answer = page.goto(url, wait_until="networkidle")
    if answer is None or answer.status != 200:
        raise Failure(f"{url} answered {None if answer is None else answer.status}")
    return recorder.take(page)


def weigh(browser: Any, hello: Server, lumbar: Server) -> Weights:
    """The hello-world page; then, in a fresh context, the session page, the same page
    visited again, and every pain answer of the session ("No pain" each time)."""
    context = phone_context(browser)
    try:
        page, recorder = recorded_page(context)
        hello_page = loaded(page, recorder, hello.base + "/")
    finally:
        context.close()

    context = phone_context(browser)
    try:
        page, recorder = recorded_page(context)
        session_page = loaded(page, recorder, lumbar.base + "/session")
        again = loaded(page, recorder, lumbar.base + "/session")
        swaps = []
        while page.locator(NO_PAIN).count():
            title = page.locator(PLAYER_TITLE).inner_text()
            page.locator(NO_PAIN).click()
            page.wait_for_function(
                "before => document.querySelector('#player h1')?.textContent !== before",
                arg=title,
            )
            page.wait_for_load_state("networkidle")
            transfers = recorder.take(page)
            ends = page.locator(NO_PAIN).count() == 0
            shows = page.locator(PLAYER_TITLE).inner_text()
            swaps.append(Swap(title, shows, transfers, ends))
    finally:
        context.close()
    if not swaps:
        raise Failure("the player showed no pain question to answer")
    return Weights(hello_page, session_page, again, swaps)


def taps(browser: Any, lumbar: Server, count: int) -> tuple[list[Tap], list[Tap]]:
    """Tap the blank page's button and the player's Start in turn, reloading each first;
    the first WARM_UP_TAPS of each are not counted."""
    blank_context = phone_context(browser)
    player_context = phone_context(browser)
    try:
        blank_context.add_init_script(CUE_RECORDER)
        player_context.add_init_script(CUE_RECORDER)
        blank = blank_context.new_page()
        player = player_context.new_page()
        blank.set_default_timeout(10_000)
        player.set_default_timeout(10_000)
        # The blank page comes from the browser itself (a routed URL), not from a server.
        blank_url = lumbar.base + "/bench-blank"
        blank.route(blank_url, fulfil_blank)
        blank.goto(blank_url)
        player.goto(lumbar.base + "/session")
        baseline: list[Tap] = []
        measured: list[Tap] = []
        for round_ in range(WARM_UP_TAPS + count):
            on_blank = tap(blank, "[data-start]", "[data-stage]")
            on_player = tap(player, "#player [data-start]", RUNNER_READY)
            if round_ >= WARM_UP_TAPS:
                baseline.append(on_blank)
                measured.append(on_player)
    finally:
        blank_context.close()
        player_context.close()
    return baseline, measured


IDLE_METRICS = ("TaskDuration", "ScriptDuration", "RecalcStyleDuration", "LayoutDuration")


def idle(browser: Any, lumbar: Server) -> dict[str, dict[str, float]]:
    """The main thread's work on a page left alone (no tap), per second of IDLE_S: the
    blank page and the player before Start. From the DevTools protocol's Performance
    metrics (task, script, style and layout time; the number of layouts)."""
    found = {}
    for name, path, ready in (
        ("blank page", "/bench-blank", "[data-stage]"),
        ("player, before Start", "/session", RUNNER_READY),
    ):
        context = phone_context(browser)
        try:
            page = context.new_page()
            page.set_default_timeout(10_000)
            page.route(lumbar.base + "/bench-blank", fulfil_blank)
            cdp = context.new_cdp_session(page)
            cdp.send("Performance.enable")
            page.goto(lumbar.base + path, wait_until="networkidle")
            page.locator(ready).wait_for()
            page.wait_for_timeout(1000)
            before = metrics(cdp)
            page.wait_for_timeout(IDLE_S * 1000)
            after = metrics(cdp)
        finally:
            context.close()
        found[name] = {
            **{key: (after[key] - before[key]) * 1000 / IDLE_S for key in IDLE_METRICS},
            "LayoutCount": (after["LayoutCount"] - before["LayoutCount"]) / IDLE_S,
        }
    return found


def metrics(cdp: Any) -> dict[str, float]:
    answer = cdp.send("Performance.getMetrics")
    return {metric["name"]: metric["value"] for metric in answer["metrics"]}


def fulfil_blank(route: Any) -> None:
    route.fulfill(content_type="text/html", body=BLANK)


def tap(page: Any, button: str, ready: str) -> Tap:
    page.reload(wait_until="load")
    page.locator(ready).wait_for()
    page.wait_for_timeout(SETTLE_MS)
    page.locator(button).tap()
    try:
        page.wait_for_function(
            "() => { const t = window.__taps.at(-1); return t && t.click !== null"
            " && (t.spoken !== null || t.shown !== null) && t.frame !== null; }",
            timeout=CUE_TIMEOUT_MS,
        )
    except Exception as error:
        recorded = page.evaluate("() => window.__taps")
        raise Failure(f"{page.url}: no cue within {CUE_TIMEOUT_MS} ms ({recorded})") from error
    recorded = page.evaluate("() => window.__taps")
    if len(recorded) != 1:
        raise Failure(f"{page.url}: {len(recorded)} pointer downs recorded for one tap")
    return Tap(**recorded[0])


# The report.


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def kb(size: float) -> str:
    return f"{size / 1024:.1f} KB"


def total(transfers: list[Transfer]) -> int:
    return sum(t.wire_bytes for t in transfers)


def unpacked(transfers: list[Transfer]) -> int:
    """What the page itself received, decoded (not its service worker's fetches)."""
    return sum(t.decoded_bytes for t in transfers if not t.worker)


def problems_of(name: str, transfers: list[Transfer], allowed: tuple[str, ...] = ()) -> list[str]:
    return [
        f"{name}: {t.method} {t.path} answered {t.failed or t.status}"
        for t in transfers
        if (t.failed or not 200 <= t.status <= 299) and t.path not in allowed
    ]


def spread(values: list[float]) -> str:
    """Median, p95 and max."""
    if not values:
        return "none"
    return f"{statistics.median(values):.1f}, {percentile(values, 95):.1f}, {max(values):.1f}"


def print_transfers(transfers: list[Transfer], label: str = "") -> None:
    for t in transfers:
        encoding = t.encoding or "none"
        if t.served_by != "network":
            encoding = f"from {t.served_by}"
        svg = f"{t.svg_count}: {t.svg_bytes}" if t.svg_count else ""
        hx = "yes" if t.hx_request else ""
        who = "worker: " if t.worker else ""
        print(
            f"| {label}{who}{t.method} {t.path} | {t.kind} | {hx} | {t.status} | {encoding} | "
            f"{t.header_bytes} | {t.wire_bytes} | {t.decoded_bytes} | {svg} |"
        )


TRANSFER_COLUMNS = (
    "| type | HX-Request | status | encoding | header bytes | transferred bytes "
    "| decoded bytes | inline SVG: bytes |\n|---|---|---|---|---|---|---|---|---|"
)


def main() -> None:
    try:
        run()
    except Failure as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        sys.exit(1)


def run() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--taps", type=int, default=50, help="taps measured on each page")
    args = parser.parse_args()
    if args.taps < 1:
        parser.error("--taps: at least 1")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sys.exit("Playwright for Python is not installed (pip install playwright)")
    if not CHROMIUM.exists():
        sys.exit(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    lumbar_script = str(Path(sys.executable).with_name("lumbar"))

    with tempfile.TemporaryDirectory(prefix="lumbar-bench-player-") as scratch_name:
        scratch = Path(scratch_name)
        db = started_database(scratch)
        hello_port, lumbar_port = free_port(), free_port()
        hello_command = [sys.executable, str(BENCH / "servers.py"), "hello"]
        serve = [lumbar_script, "serve", "--db", str(db), "--date", DAY.isoformat()]
        with (
            serving(
                "hello", [*hello_command, "--port", str(hello_port)], hello_port, scratch
            ) as hello,
            serving("lumbar", [*serve, "--port", str(lumbar_port)], lumbar_port, scratch) as lumbar,
            sync_playwright() as playwright,
        ):
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                version = browser.version
                # The taps first: they need the session's first exercise, and the weights
                # answer the whole session.
                baseline, player = taps(browser, lumbar, args.taps)
                quiet = idle(browser, lumbar)
                weights = weigh(browser, hello, lumbar)
            finally:
                browser.close()
    report(version, weights, baseline, player, quiet)


def report(
    version: str,
    weights: Weights,
    baseline: list[Tap],
    player: list[Tap],
    quiet: dict[str, dict[str, float]],
) -> None:
    problems = problems_of("hello-world page", weights.hello, allowed=("/favicon.ico",))
    problems += problems_of("session page", weights.page)
    problems += problems_of("session page again", weights.again)
    for swap in weights.swaps:
        problems += problems_of(f"answer to {swap.answered}", swap.transfers)
        if not any(t.method == "POST" and t.path == ANSWER_PATH for t in swap.transfers):
            problems.append(f"answer to {swap.answered}: no POST {ANSWER_PATH} was sent")
    if not weights.swaps[-1].ends:
        problems.append("the session did not end after its last answer")
    page_bytes, again_bytes, hello_bytes = (
        total(weights.page),
        total(weights.again),
        total(weights.hello),
    )
    next_ones = [s for s in weights.swaps if not s.ends]
    largest = max(next_ones, key=lambda s: total(s.transfers), default=None)
    largest_bytes = 0 if largest is None else total(largest.transfers)
    sizes = [total(s.transfers) for s in next_ones]
    cues = [t.cue_ms for t in player]
    blank_cues = [t.cue_ms for t in baseline]

    print(f"Chromium {version}, Python {sys.version.split()[0]}, {os.cpu_count()} cores\n")
    print("| measurement | figure | target | verdict | baseline (same run) |")
    print("|---|---|---|---|---|")
    print(
        f"| session page, first load, everything it loads | {page_bytes} B "
        f"({kb(page_bytes)}) | < {kb(PAGE_BYTES)} | {verdict(page_bytes < PAGE_BYTES)} | "
        f"hello-world page {hello_bytes} B |"
    )
    if largest is not None:
        print(
            f"| next exercise (htmx swap), largest of {len(next_ones)} ({largest.shows}; "
            f"median {statistics.median(sizes):.0f} B) | "
            f"{largest_bytes} B ({kb(largest_bytes)}) | < {kb(SWAP_BYTES)} | "
            f"{verdict(largest_bytes < SWAP_BYTES)} | hello-world page {hello_bytes} B |"
        )
    for label, share in (("median", 50.0), ("p95", 95.0)):
        figure = percentile(cues, share)
        print(
            f"| tap on Start to first cue, {label} of {len(cues)} | {figure:.1f} ms | "
            f"< {CUE_MS:g} ms | {verdict(figure < CUE_MS)} | blank page "
            f"{percentile(blank_cues, share):.1f} ms |"
        )

    print("\nThe session page, first load, and visited again (warm cache):\n")
    print(f"| resource {TRANSFER_COLUMNS}")
    print_transfers(weights.page)
    print(f"| **total, first load** | | | | | | **{page_bytes}** | {unpacked(weights.page)} | |")
    print_transfers(weights.again, "again: ")
    print(f"| **total, again** | | | | | | **{again_bytes}** | {unpacked(weights.again)} | |")
    print("\nThe hello-world page (the baseline):\n")
    print(f"| resource {TRANSFER_COLUMNS}")
    print_transfers(weights.hello)
    print(f"| **total** | | | | | | **{hello_bytes}** | | |")
    print('\nEach pain answer ("No pain"), and what it brought:\n')
    print(f"| answered, then shown | request {TRANSFER_COLUMNS}")
    for swap in weights.swaps:
        shown = f"{swap.answered} → {swap.shows}{' (the end)' if swap.ends else ''}"
        for t in swap.transfers:
            print(f"| {shown} ", end="")
            print_transfers([t])

    print("\nTaps, ms after the pointer down (median, p95, max):\n")
    print("| page | click | first cue | stage changed | speak called | next frame |")
    print("|---|---|---|---|---|---|")
    for name, recorded in (("blank page (baseline)", baseline), ("player", player)):
        columns = [
            [t.click - t.down for t in recorded],
            [t.cue_ms for t in recorded],
            [t.shown - t.down for t in recorded if t.shown is not None],
            [t.spoken - t.down for t in recorded if t.spoken is not None],
            [t.frame - t.down for t in recorded if t.frame is not None],
        ]
        print(f"| {name} | {' | '.join(spread(values) for values in columns)} |")

    print(f"\nThe main thread on a page left alone, per second (over {IDLE_S} s; no target):\n")
    print("| page | tasks ms | script ms | style ms | layout ms | layouts |")
    print("|---|---|---|---|---|---|")
    for name, figures in quiet.items():
        cells = " | ".join(f"{figures[key]:.1f}" for key in (*IDLE_METRICS, "LayoutCount"))
        print(f"| {name} | {cells} |")

    results = BENCH / "results"
    results.mkdir(exist_ok=True)
    summary = {
        "chromium": version,
        "page_bytes": page_bytes,
        "page_again_bytes": again_bytes,
        "hello_bytes": hello_bytes,
        "page_decoded_bytes": unpacked(weights.page),
        "next_exercise_bytes": sizes,
        "largest_next_exercise_bytes": largest_bytes,
        "cue_ms": {"median": statistics.median(cues), "p95": percentile(cues, 95)},
        "baseline_cue_ms": {
            "median": statistics.median(blank_cues),
            "p95": percentile(blank_cues, 95),
        },
        "idle_per_second": quiet,
        "page": [asdict(t) for t in weights.page],
        "page_again": [asdict(t) for t in weights.again],
        "hello": [asdict(t) for t in weights.hello],
        "swaps": [asdict(s) for s in weights.swaps],
        "taps": [asdict(t) for t in player],
        "baseline_taps": [asdict(t) for t in baseline],
        "problems": problems,
    }
    (results / "player-latest.json").write_text(json.dumps(summary, indent=2) + "\n")
    if problems:
        print("\nFAILED: the figures above cannot be trusted:", file=sys.stderr)
        for problem in problems:
            print(f"- {problem}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
