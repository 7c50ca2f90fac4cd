"""The Content-Security-Policy in Chromium (issue #19): the main pages, their htmx swaps,
figures, the summary and a form's problems break none of it; the API's docs page works
with every other origin cut off.

The `phone` fixture (conftest.py) fails any test whose pages break the policy; here the
pages of the main journeys are walked through it, and the watcher itself is shown to see
a violation, so that its silence means something.
"""

from __future__ import annotations

import re
from typing import Any

from tests.browser.conftest import (
    PHONE,
    LiveApp,
    answer,
    exercise_title,
    photograph,
    start_by_api,
    watch_policy,
)
from tests.browser.test_clinic import LiveClinic, live_clinic, sign_in  # noqa: F401


def test_the_watcher_sees_a_violation(live_app: LiveApp, browser: Any) -> None:
    context = browser.new_context(viewport=PHONE)
    try:
        violations = watch_policy(context)
        page = context.new_page()
        page.goto(f"{live_app.url}/library")
        page.evaluate("() => document.body.setAttribute('style', 'color: red')")
        page.wait_for_timeout(200)
        assert any("style-src" in v for v in violations), violations
        # And the style was refused: the browser did not apply it.
        colour = page.evaluate("() => getComputedStyle(document.body).color")
        assert colour != "rgb(255, 0, 0)"
    finally:
        context.close()


def test_the_main_pages_keep_to_the_policy(live_app: LiveApp, phone: Any) -> None:
    page = phone
    start_by_api(page, live_app)
    for path in ("/", "/today", "/progress", "/library", "/library/bird-dog", "/learn"):
        page.goto(f"{live_app.url}{path}")
        page.wait_for_load_state("networkidle")
        assert page.locator("h1").first.is_visible(), path
    # A figure drawn inline keeps its colours (its style, allowed by its hash).
    page.goto(f"{live_app.url}/library/bird-dog")
    stroke = page.evaluate(
        "() => getComputedStyle(document.querySelector('svg.figure .fig-near')).stroke"
    )
    assert stroke not in ("", "none"), stroke
    photograph(page, "policy-exercise")

    # The session player swaps with htmx: no style of its own, no eval.
    page.goto(f"{live_app.url}/session")
    first = exercise_title(page)
    answer(page, "No pain")
    page.get_by_text(re.compile(r"Exercise 2 of \d+")).wait_for()
    assert exercise_title(page) != first

    # The summary stands alone with its own style, allowed by its hash: it is applied.
    page.goto(f"{live_app.url}/summary")
    assert page.evaluate("() => getComputedStyle(document.querySelector('.cols')).display") == (
        "flex"
    )
    photograph(page, "policy-summary")

    # A form's problems: the summary takes the focus, from static/errors.js.
    page.goto(f"{live_app.url}/problem")
    page.get_by_role("button", name="Save the report").click()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("() => document.activeElement.id") == "error-summary"
    page.locator("#error-summary a").first.click()
    assert page.evaluate("() => document.activeElement.name") == "kind"
    photograph(page, "policy-problem-errors")


def test_the_clinic_pages_keep_to_the_policy(
    live_clinic: LiveClinic,  # noqa: F811 (test_clinic's fixture)
    phone: Any,
) -> None:
    page = phone
    url = live_clinic.url
    page.goto(f"{url}/sign-in?next=%3Cstyle%3Ebody%7Bcolor:red%7D%3C/style%3E")
    page.get_by_label("Email").fill("pt@north.example")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#error-summary").is_visible()
    sign_in(page, url, "pt@north.example")
    assert page.url == f"{url}/clinic"
    page.get_by_text("Invite a new patient").click()
    page.get_by_label("Name").fill("Ann Lee")
    page.get_by_label("Date of birth").fill("1961-02-03")
    page.get_by_role("button", name="Make an invitation link").click()
    page.wait_for_load_state("networkidle")
    photograph(page, "policy-clinic")


def test_the_api_docs_work_with_other_origins_cut_off(live_app: LiveApp, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        violations = watch_policy(context)
        elsewhere: list[str] = []

        def only_here(route: Any) -> None:
            if route.request.url.startswith(live_app.url):
                route.continue_()
            else:
                elsewhere.append(route.request.url)
                route.abort()

        context.route("**/*", only_here)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(f"{live_app.url}/api/docs")
        page.locator(".opblock").first.wait_for()
        assert page.locator(".opblock").count() > 20
        assert page.get_by_text("/api/v1/today").first.is_visible()
        # An operation opens, with its parameters and responses.
        page.locator(".opblock-summary").first.click()
        page.locator(".opblock-body").first.wait_for()
        page.wait_for_load_state("networkidle")
        photograph(page, "policy-api-docs")
        assert elsewhere == []
        assert violations == []
    finally:
        context.close()
