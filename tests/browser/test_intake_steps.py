"""The intake's five pages in Chromium (issue #17): without JavaScript at desktop width,
going back and reloading keep every answer; at phone width every page passes axe in the
light and the dark (screenshots in test-artifacts/)."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import DESKTOP, LiveApp, fill_intake, visit


def test_without_javascript_back_and_reload_keep_every_answer(
    live_app: LiveApp, browser: Any
) -> None:
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(f"{live_app.url}/start")
        page.wait_for_url("**/start/about")
        assert "Step 1 of 5" in page.locator("nav.intake-steps").inner_text()
        page.get_by_label("I have read this and I understand it.").check()
        page.get_by_label("Your age").fill("42")
        page.get_by_label("How many weeks ago did this episode of back pain begin?").fill("10")
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url("**/start/signs")
        page.get_by_label("Numbness or tingling in one leg that is not getting worse?").check()
        page.locator("#seen_by").fill("my GP")
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url("**/start/days")
        for day in ("Monday", "Wednesday", "Friday"):
            page.get_by_label(day).uncheck()
        for day in ("Tuesday", "Thursday", "Saturday"):
            page.get_by_label(day).check()
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url("**/start/activities")
        page.locator("#activity_1").fill("lift my child")

        page.get_by_role("button", name="Back").click()  # what was typed here is kept
        page.wait_for_url("**/start/days")
        assert page.get_by_label("Tuesday").is_checked()
        assert not page.get_by_label("Monday").is_checked()
        page.go_back()  # the browser's own back, then a reload: the same answers
        page.goto(f"{live_app.url}/start/signs")
        page.reload()
        assert page.locator("#seen_by").input_value() == "my GP"
        nav = page.locator("nav.intake-steps")
        nav.get_by_role("link", name="About you").click()
        page.wait_for_url("**/start/about")
        assert page.get_by_label("Your age").input_value() == "42"
        assert page.get_by_label("I have read this and I understand it.").is_checked()

        page.goto(f"{live_app.url}/start")  # where the person left off
        page.wait_for_url("**/start/activities")
        assert page.locator("#activity_1").input_value() == "lift my child"
        page.get_by_role("radio", name="6", exact=True).check()
        page.locator("#score_1").select_option("3")
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url("**/start/equipment")
        page.get_by_label("Nothing of these").check()
        page.get_by_role("button", name="Start my program").click()
        page.wait_for_url("**/welcome")
    finally:
        context.close()
    kept = live_app.store.read()
    assert kept is not None
    assert kept.profile.training_days.label == "tue,thu,sat"
    assert kept.profile.psfs_activities == ("lift my child",)


def test_every_page_of_the_intake_passes_axe_at_phone_width(live_app: LiveApp, phone: Any) -> None:
    page = phone
    page.goto(f"{live_app.url}/start")
    fill_intake(page, each=lambda page, step: visit(page, f"start-{step}"))
    page.wait_for_url("**/welcome")
