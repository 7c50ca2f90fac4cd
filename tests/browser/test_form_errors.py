"""The GOV.UK error pattern in a real browser, at phone width: the intake's first step
sent with three problems shows them all at once, the focus on the summary; a link in it
focuses its field; axe passes in the light and the dark."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import LiveApp, start_by_api, visit


def _focused(page: Any) -> str:
    found: str = page.evaluate("document.activeElement && document.activeElement.id")
    return found


def test_the_intake_with_three_problems_shows_them_all_and_the_summary_leads_to_each(
    live_app: LiveApp, phone: Any
) -> None:
    page = phone
    page.goto(f"{live_app.url}/start")
    page.wait_for_url("**/start/about")
    # The safety information not ticked: the third problem.
    page.fill("#age", "130")
    page.fill("#pain_weeks", "-3")
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")

    summary = page.locator("#error-summary")
    assert summary.get_attribute("role") == "alert"
    assert "There is a problem" in summary.inner_text()
    links = summary.locator("a")
    assert links.count() == 3
    assert [links.nth(i).get_attribute("href") for i in range(3)] == [
        "#understood",
        "#age",
        "#pain_weeks",
    ]
    assert _focused(page) == "error-summary"
    for field, said in (
        ("understood", "Tick the box to say you have read and understood the safety"),
        ("age", "Your age must be 120 or less"),
        ("pain_weeks", "The number of weeks cannot be below 0: give 0 if it began this week"),
    ):
        assert said in page.locator(f"#{field}-error").inner_text()
    assert page.input_value("#age") == "130"
    assert page.input_value("#pain_weeks") == "-3"
    visit(page, "start-errors")

    for index, target in ((1, "age"), (2, "pain_weeks"), (0, "understood")):
        page.locator("#error-summary a").nth(index).click()
        assert _focused(page) == target
        assert page.locator(f"#{target}").is_visible()
    page.locator("#error-summary a").nth(1).click()
    page.screenshot(path=str(_artifact("start-errors-link-focused")), full_page=False)


def _artifact(name: str) -> Any:
    from tests.browser.conftest import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / f"{name}-phone.png"


def test_an_import_refusal_beside_the_picker_and_a_reports_advice_pass_axe(
    live_app: LiveApp, phone: Any, tmp_path: Any
) -> None:
    page = phone
    start_by_api(page, live_app)
    empty = tmp_path / "notes.json"
    empty.write_text("")

    page.goto(f"{live_app.url}/settings")
    page.set_input_files("#file", str(empty))
    page.click("form[action='/settings/import'] button[type=submit]")
    page.wait_for_load_state("networkidle")

    assert _focused(page) == "error-summary"
    said = page.locator("#file-error").inner_text()
    assert "notes.json is empty: choose the .json file that lumbar's export made" in said
    assert page.locator("#file").get_attribute("aria-invalid") == "true"
    visit(page, "settings-import-error")

    # A real export into this lumbar, which holds a program: what would be lost, then replace.
    mine = tmp_path / "lumbar-export.json"
    mine.write_bytes(page.request.get(f"{live_app.url}/settings/export").body())
    page.set_input_files("#file", str(mine))
    page.click("form[action='/settings/import'] button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "This computer already holds a program (since Mon 2 Nov 2026: 1 check-in)" in (
        page.locator("#replace-loss").inner_text()
    )
    assert _focused(page) == "replace-loss"
    visit(page, "settings-import-replace")
    page.click("form[action='/settings/import/replace'] button[type=submit]")
    page.wait_for_load_state("networkidle")
    notice = page.locator(".notice").inner_text()
    assert "Your data is imported" in notice and "lumbar-replaced-" in notice
    page.screenshot(path=str(_artifact("settings-import-replaced")), full_page=False)

    page.goto(f"{live_app.url}/problem")
    page.check("#kind-1")  # a fall
    page.check("#hurt_back-no")
    page.click("form[action='/problem'] button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Nobody else reads it" in page.locator(".notice").inner_text()
    assert "After a fall" in page.locator("section.advice").inner_text()
    visit(page, "problem-advice")
