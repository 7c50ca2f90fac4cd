"""Browser tests: the real app on a real HTTP server on loopback, driven in real Chromium.

Chromium is Debian's (`/usr/bin/chromium`), launched by Playwright through its executable
path (no browser download). Without it the tests skip, unless LUMBAR_REQUIRE_BROWSER is set
(CI sets it), in which case they fail: a browser suite that silently skipped would prove
nothing.

Every page visited is checked with axe-core (vendored from the npm registry in ./vendor)
and photographed at phone and desktop width into test-artifacts/screenshots/.
"""

from __future__ import annotations

import functools
import json
import os
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from lumbar.store.database import Store, sqlite_url

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
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
ARTIFACTS = Path(__file__).parents[2] / "test-artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def _unavailable() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed"
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    missing = _unavailable()
    if missing is not None:
        if os.environ.get("LUMBAR_REQUIRE_BROWSER"):
            pytest.fail(f"browser tests are required here, but {missing}")
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@dataclass
class Clock:
    """The server's today, moved by the test."""

    today: date

    def __call__(self) -> date:
        return self.today


@dataclass
class LiveApp:
    url: str
    clock: Clock
    store: Store


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def live_app(tmp_path: Path) -> Iterator[LiveApp]:
    """The app served by uvicorn on 127.0.0.1, in a thread of this process."""
    import uvicorn

    from lumbar.web.app import create_app

    clock = Clock(date(2026, 11, 2))
    store = Store(sqlite_url(tmp_path / "lumbar.db"))
    app = create_app(store, clock=clock)
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the test server did not start")
        time.sleep(0.02)
    yield LiveApp(f"http://127.0.0.1:{port}", clock, store)
    server.should_exit = True
    thread.join(timeout=10)
    store.dispose()


POLICY_WATCH = """
document.addEventListener("securitypolicyviolation", function (event) {
  window.__policyViolation([event.violatedDirective, event.blockedURI,
    event.sourceFile + ":" + event.lineNumber, location.pathname, event.sample].join(" | "));
});
"""


def watch_policy(context: Any) -> list[str]:
    """Every Content-Security-Policy violation in the context's pages, as it happens (a
    script refused, an inline style, a request to another origin): the list to assert
    empty. The watcher is the browser's own event, installed before any page script."""
    seen: list[str] = []

    def report(violation: str) -> None:
        seen.append(violation)

    context.expose_function("__policyViolation", report)
    context.add_init_script(POLICY_WATCH)
    return seen


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    """A phone-sized page; whatever the test does with it, no page may break the
    Content-Security-Policy (checked when the test ends)."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, has_touch=True)
    violations = watch_policy(context)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
    assert violations == [], "Content-Security-Policy violations:\n" + "\n".join(violations)


@functools.cache
def axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def check_accessibility(page: Any, name: str) -> None:
    """Run axe-core on the page as it is; fail with every violation, said plainly."""
    # Evaluated, not added as a <script>: the pages' Content-Security-Policy runs no
    # inline script (web/headers.py), and the test must not loosen it to look.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    problems = [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in result["violations"]
    ]
    assert problems == [], f"{name}: accessibility violations:\n" + "\n".join(problems)


def photograph(page: Any, name: str) -> None:
    """Save the page at phone width and at desktop width, full length."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    viewport = page.viewport_size
    for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(size)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(viewport)


def visit(page: Any, name: str) -> None:
    """What every page goes through: axe-core in the light and the dark scheme, and
    screenshots at phone and desktop width (and at phone width in the dark)."""
    page.wait_for_load_state("networkidle")
    check_accessibility(page, name)
    photograph(page, name)
    page.emulate_media(color_scheme="dark")
    page.wait_for_timeout(300)  # let the colour transitions (120 ms) finish
    try:
        check_accessibility(page, f"{name} (dark)")
        page.screenshot(path=str(ARTIFACTS / f"{name}-phone-dark.png"), full_page=True)
    finally:
        page.emulate_media(color_scheme="light")


INTAKE_ACTIVITIES = (("lift my child", "3"), ("sit through a film", "4"), ("walk to work", "6"))


def fill_intake(
    page: Any,
    *,
    red_flags: tuple[str, ...] = (),
    seen_by: str = "",
    activities: tuple[tuple[str, str], ...] = INTAKE_ACTIVITIES,
    equipment: str = "",
    until: str = "",
    each: Callable[[Any, str], None] | None = None,
) -> None:
    """Answer the intake's five pages as a person would, from its first (issue #17); each
    page is handed to `each` once filled in, before it is sent. `until` stops after the
    page of that name is sent (an emergency ends the intake on "signs"). The first page
    may be `/`, which shows it (issue #18)."""
    page.wait_for_url(re.compile(r"/(start/about)?$"))
    page.get_by_label("I have read this and I understand it.").check()
    page.get_by_label("Your age").fill("42")
    page.get_by_label("How many weeks ago did this episode of back pain begin?").fill("10")
    steps: list[tuple[str, Callable[[], None]]] = [
        ("about", lambda: None),
        ("signs", lambda: _signs(page, red_flags, seen_by)),
        ("days", lambda: None),
        ("activities", lambda: _activities(page, activities)),
        ("equipment", lambda: _equipment(page, equipment)),
    ]
    for number, (name, fill) in enumerate(steps):
        if number:
            page.wait_for_url(f"**/start/{name}")
        fill()
        if each is not None:
            each(page, name)
        last = number == len(steps) - 1
        page.get_by_role("button", name="Start my program" if last else "Continue").click()
        if name == until:
            page.wait_for_load_state("networkidle")
            return


def _signs(page: Any, red_flags: tuple[str, ...], seen_by: str) -> None:
    for question in red_flags:
        page.get_by_label(question).check()
    if seen_by:
        page.locator("#seen_by").fill(seen_by)


def _equipment(page: Any, ticked: str) -> None:
    if ticked:
        page.get_by_label(ticked).check()


def _activities(page: Any, activities: tuple[tuple[str, str], ...]) -> None:
    page.get_by_role("radio", name="6", exact=True).check()
    for index, (activity, score) in enumerate(activities, start=1):
        page.locator(f"#activity_{index}").fill(activity)
        page.locator(f"#score_{index}").select_option(score)


def start_by_api(page: Any, live_app: LiveApp) -> None:
    """Start the program through the JSON API, for tests about what comes after."""
    answers = {
        "understood": True,
        "age": 42,
        "pain_weeks": 10,
        "pain": 6,
        "days": ["mon", "wed", "fri"],
        "psfs": [
            {"activity": "lift my child", "score": 3},
            {"activity": "sit through a film", "score": 4},
            {"activity": "walk to work", "score": 6},
        ],
    }
    response = page.request.post(
        f"{live_app.url}/api/v1/program",
        data=json.dumps(answers),
        headers={"content-type": "application/json"},
    )
    assert response.status == 201, response.text()


def answer(page: Any, pain: str) -> None:
    """Press one of the pain buttons under the exercise (not the "Stop: it hurts" bar)."""
    page.locator(".pain-grid").get_by_role("button", name=re.compile(f"^{pain}")).click()


def exercise_title(page: Any) -> str:
    title: str = page.locator("#player h1").inner_text()
    return title


def answer_and_wait(page: Any, pain: str) -> None:
    """Answer, then wait until the player shows something else (the next exercise, or the end)."""
    before = exercise_title(page)
    answer(page, pain)
    page.wait_for_function(
        "before => document.querySelector('#player h1').textContent !== before", arg=before
    )


def to_first_hold(page: Any, live_app: LiveApp) -> None:
    """Start the program and answer "No pain" until the player shows an exercise with a hold
    (one of the steps the hands-free player runs is a hold)."""
    start_by_api(page, live_app)
    page.goto(f"{live_app.url}/session")
    for _ in range(10):
        if page.locator("""#player .runner[data-steps*='"kind":"hold"']""").count():
            return
        answer_and_wait(page, "No pain")
    raise AssertionError("no exercise with a hold in the first session")


def start_hold(page: Any) -> None:
    """Start the exercise and skip its get-ready: the first hold is under way."""
    page.locator("#player [data-start]").click()
    page.locator("#player [data-skip]").click()
    page.locator("#player .runner[data-kind=hold]").wait_for()
