"""Issue #17 in Chromium at phone size: one exercise skipped for no equipment, the next
swapped for its chair version today only, the rest answered; the record says so. The
player with the skip control open passes axe-core in light and dark, photographed into
test-artifacts/screenshots/skip-*.png."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import (
    ARTIFACTS,
    LiveApp,
    answer_and_wait,
    check_accessibility,
    exercise_title,
    start_by_api,
)


def _both_schemes(page: Any, name: str) -> None:
    """axe-core and a screenshot of what the phone shows, in light and in dark."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        for scheme, suffix in (("light", ""), ("dark", "-dark")):
            page.emulate_media(color_scheme=scheme)
            page.wait_for_timeout(300)  # the colour transitions (120 ms)
            check_accessibility(page, f"{name} ({scheme})")
            page.screenshot(path=str(ARTIFACTS / f"{name}{suffix}.png"))
    finally:
        page.emulate_media(color_scheme="light")


def test_skip_one_exercise_for_no_equipment_swap_the_next_and_the_record_says_so(
    phone: Any, live_app: LiveApp
) -> None:
    page = phone
    start_by_api(page, live_app)
    page.goto(f"{live_app.url}/session")
    assert exercise_title(page) == "Diaphragmatic breathing"

    skip = page.locator("#player details.skip-exercise")
    skip.locator("summary").click()
    page.get_by_label("No equipment").check()
    skip.scroll_into_view_if_needed()
    _both_schemes(page, "skip-open")
    skip.get_by_role("button", name="Skip it").click()
    page.wait_for_function("() => document.querySelector('#player h1').textContent === 'Cat-cow'")
    assert "stays at the same dose" in page.locator("#player .response").inner_text()

    page.locator("#player details.alternatives summary").click()
    page.get_by_role("button", name="Swap for seated cat-cow, today only").click()
    page.wait_for_function(
        "() => document.querySelector('#player h1').textContent === 'Seated cat-cow'"
    )
    assert "today only" in page.locator("#player").inner_text()
    page.evaluate("() => window.scrollTo(0, 0)")
    page.wait_for_timeout(200)
    page.screenshot(path=str(ARTIFACTS / "skip-swapped.png"))
    answer_and_wait(page, "No pain")

    for _ in range(10):
        if page.get_by_role("heading", name="Session saved").count():
            break
        answer_and_wait(page, "No pain")
    page.get_by_role("heading", name="Session saved").wait_for()

    page.goto(f"{live_app.url}/records")
    said = " ".join(page.locator("main").inner_text().split())
    assert "Diaphragmatic breathing skipped: no equipment" in said
    assert "Cat-cow done as Seated cat-cow instead" in said
    page.screenshot(path=str(ARTIFACTS / "skip-records.png"), full_page=True)
    document = page.request.get(f"{live_app.url}/api/v1/export").json()
    [session] = [e for e in document["events"] if e["type"] == "session"]
    assert session["skipped"] == [{"id": "diaphragmatic-breathing", "reason": "no_equipment"}]
    assert session["exercises"][0] == {"id": "cat-cow", "pain": "none", "version": "chair"}
