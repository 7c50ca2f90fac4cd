"""The whole journey in Chromium at phone width: intake, a session with a sharp pain,
the next session at reduced range, progress; every page checked by axe-core."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from tests.browser.conftest import (
    LiveApp,
    answer,
    answer_and_wait,
    exercise_title,
    fill_intake,
    start_by_api,
    start_hold,
    to_first_hold,
    visit,
)

MONDAY = date(2026, 11, 2)
WEDNESDAY = date(2026, 11, 4)


def test_a_new_user_starts_does_a_session_with_sharp_pain_and_sees_reduced_range(
    live_app: LiveApp, phone: Any
) -> None:
    page = phone
    page.goto(live_app.url)
    assert page.url == f"{live_app.url}/"  # the intake's first page, shown at / itself
    assert page.get_by_role("heading", name="About you").is_visible()
    visit(page, "start")

    fill_intake(page)
    page.wait_for_url("**/welcome")  # the first weeks, then today (issue 17)
    page.get_by_role("link", name="See today's plan").first.click()
    page.wait_for_url("**/today")
    assert page.get_by_role("heading", name="Today's session").is_visible()
    visit(page, "today")

    page.get_by_role("link", name="Start the session").click()
    page.wait_for_url("**/session")
    assert page.get_by_text(re.compile(r"Exercise 1 of \d+")).is_visible()
    visit(page, "session")

    first = exercise_title(page)
    answer(page, "No pain")
    page.get_by_text(re.compile(r"Exercise 2 of \d+")).wait_for()
    page.reload()  # nothing is lost: the player resumes at the next exercise
    assert page.get_by_text(re.compile(r"Exercise 2 of \d+")).is_visible()
    assert exercise_title(page) != first

    hurt = exercise_title(page)
    answer(page, "Sharp pain")
    response = page.locator(".response")
    response.wait_for()
    assert "reduced range" in response.inner_text().lower()
    visit(page, "session-after-sharp-pain")

    while not page.get_by_role("heading", name="Session saved").is_visible():
        answer_and_wait(page, "No pain")
    visit(page, "session-saved")

    live_app.clock.today = WEDNESDAY
    page.goto(f"{live_app.url}/today")
    reduced = page.locator("ol.plan li", has_text=hurt)
    assert reduced.get_by_text("Smaller range").is_visible()
    visit(page, "today-reduced-range")

    page.goto(f"{live_app.url}/session")
    while exercise_title(page) != hurt:
        answer_and_wait(page, "No pain")
    assert page.get_by_role("heading", name="Smaller range today").is_visible()
    visit(page, "session-reduced-range")

    page.goto(f"{live_app.url}/progress")
    assert page.locator("svg[role=img]").count() >= 1
    assert page.get_by_role("table").first.is_visible()
    visit(page, "progress")


def test_an_emergency_answer_shows_the_emergency_page_and_starts_nothing(
    live_app: LiveApp, phone: Any
) -> None:
    page = phone
    page.goto(f"{live_app.url}/start")
    question = "Numbness or tingling around your genitals, buttocks, inner thighs or back passage?"
    fill_intake(page, red_flags=(question,), until="signs")
    assert page.get_by_role("heading", name="Please get medical care now").is_visible()
    visit(page, "emergency")
    assert live_app.store.read() is None


def test_every_other_page_passes_axe(live_app: LiveApp, phone: Any) -> None:
    page = phone
    start_by_api(page, live_app)
    for name, path in [
        ("library", "/library"),
        ("library-phase-2", "/library?phase=2"),
        ("exercise", "/library/bird-dog"),
        ("learn", "/learn"),
        ("topic", "/learn/disclaimer"),
        ("settings", "/settings"),
        ("check-in", "/check-in"),
        ("new-symptom", "/check-in?focus=symptoms"),
        ("phase-check", "/check-in?focus=phase"),
        ("clear", "/clear"),
    ]:
        page.goto(f"{live_app.url}{path}")
        assert page.locator("h1").first.is_visible(), name
        visit(page, name)


def test_the_library_filters_in_place(live_app: LiveApp, phone: Any) -> None:
    page = phone
    page.goto(f"{live_app.url}/library")
    everything = page.locator("#results li").count()
    page.get_by_label("Phase").select_option("1")
    page.wait_for_url("**/library?phase=1*")
    filtered = page.locator("#results li").count()
    assert 0 < filtered < everything


def test_a_whole_session_can_be_done_with_the_keyboard_alone(live_app: LiveApp, phone: Any) -> None:
    page = phone
    start_by_api(page, live_app)
    page.goto(f"{live_app.url}/session")
    for _ in range(20):
        if page.get_by_role("heading", name="Session saved").is_visible():
            break
        before = exercise_title(page)
        _tab_to(page, "No pain")
        page.keyboard.press("Enter")
        # The next title (or "Session saved") takes the focus once htmx settles; tabbing
        # before then would race that move.
        page.wait_for_function(
            """before => {
                const h1 = document.querySelector('#player h1');
                return h1.textContent !== before && document.activeElement === h1;
            }""",
            arg=before,
        )
    assert page.get_by_role("heading", name="Session saved").is_visible()
    today = page.request.get(f"{live_app.url}/api/v1/today").json()
    assert today["completed"] is True


def test_a_hold_counts_down_and_the_player_moves_on_by_itself(
    live_app: LiveApp, phone: Any
) -> None:
    """In real time (tests/browser/test_player_handsfree.py runs whole sessions on a fake
    clock): the hold counts down, then the release begins without a tap."""
    page = phone
    to_first_hold(page, live_app)
    start_hold(page)
    assert page.locator("#player [data-stage]").inner_text() == "Hold"
    assert page.locator("#player [data-where]").inner_text().startswith("Hold 1 of ")
    seconds = int(page.locator("#player [data-clock]").inner_text())
    page.wait_for_function(
        "() => document.querySelector('#player .runner').dataset.kind === 'release'",
        timeout=(seconds + 3) * 1000,
    )
    assert page.locator("#player [data-stage]").inner_text() == "Release"


def _tab_to(page: Any, label: str) -> None:
    for _ in range(60):
        page.keyboard.press("Tab")
        focused = page.evaluate("() => document.activeElement.textContent")
        if focused.strip().startswith(label):
            return
    raise AssertionError(f"Tab never reached {label!r}")


def test_print_and_share_and_the_problem_report_pass_axe(live_app: LiveApp, phone: Any) -> None:
    page = phone
    start_by_api(page, live_app)
    page.goto(f"{live_app.url}/share")
    assert page.get_by_role("heading", name="Print and share").is_visible()
    visit(page, "share")
    page.get_by_role("button", name="Make an address").click()
    assert "/calendar/" in page.locator("code.address").inner_text()
    page.goto(f"{live_app.url}/problem")
    page.get_by_role("radio", name="A fall").check()
    page.locator("input[name=hurt_back][value=no]").check()
    page.get_by_label("In your own words").fill("Slipped on a wet step")
    page.get_by_role("button", name="Save the report").click()
    assert page.get_by_text("Thank you: it is saved. Nobody else reads it").is_visible()
    visit(page, "problem")
    page.goto(f"{live_app.url}/summary")
    assert page.get_by_text("Slipped on a wet step").is_visible()
    visit(page, "summary")
