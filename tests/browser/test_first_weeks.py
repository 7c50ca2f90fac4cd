"""The first weeks in Chromium at phone width (issue #17, items 1 and 5): the welcome after
the intake, a first session offered on a day that is not a training day, the week's goal,
and a new phase's card on Today, put away with its button. Each screen passes axe-core,
light and dark, and is photographed into test-artifacts/screenshots/ (`first-weeks-*`)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from tests.browser.conftest import LiveApp, start_by_api, visit

MONDAY = date(2026, 11, 2)
THURSDAY = MONDAY + timedelta(days=3)


def _record_session(page: Any, live_app: LiveApp, on: date) -> None:
    live_app.clock.today = on
    exercises = page.request.get(f"{live_app.url}/api/v1/today").json()["exercises"]
    body = {
        "date": on.isoformat(),
        "exercises": [{"id": e["id"], "pain": "none"} for e in exercises],
    }
    response = page.request.post(
        f"{live_app.url}/api/v1/sessions",
        data=json.dumps(body),
        headers={"content-type": "application/json"},
    )
    assert response.status == 201, response.text()


def test_the_welcome_and_a_first_session_on_a_thursday(live_app: LiveApp, phone: Any) -> None:
    page = phone
    live_app.clock.today = THURSDAY
    start_by_api(page, live_app)
    page.goto(f"{live_app.url}/welcome")
    assert page.get_by_role("heading", level=1).inner_text() == "Your first weeks"
    assert page.locator("main li").count() >= 6, "the phases and the pain answers as lists"
    visit(page, "first-weeks-welcome")
    page.get_by_role("link", name="Skip this").click()
    page.wait_for_url("**/today")
    assert page.get_by_role("heading", level=1).inner_text() == "Your first session"
    assert page.get_by_role("link", name="Start the session").is_visible()
    assert "0 of 1" in page.locator("section.week").inner_text()
    visit(page, "first-weeks-first-day")


def test_a_new_phase_has_a_card_until_it_is_put_away(live_app: LiveApp, phone: Any) -> None:
    page = phone
    start_by_api(page, live_app)
    for offset in (0, 2, 4):
        _record_session(page, live_app, MONDAY + timedelta(days=offset))
    live_app.clock.today = MONDAY + timedelta(days=7)
    response = page.request.post(
        f"{live_app.url}/api/v1/checkins",
        data=json.dumps({"pain": 4}),
        headers={"content-type": "application/json"},
    )
    assert response.status == 201, response.text()
    page.goto(f"{live_app.url}/today")
    card = page.locator("section.milestone")
    assert card.count() == 1
    assert "A new phase" in card.inner_text() and "Phase 2 starts today" in card.inner_text()
    assert "Last week" not in page.locator("section.week").inner_text(), "a full week"
    visit(page, "first-weeks-card")
    card.get_by_role("button", name="Put this away").click()
    page.wait_for_url("**/today")
    assert page.locator("section.milestone").count() == 0
    page.reload()
    assert page.locator("section.milestone").count() == 0, "kept put away"


def test_the_end_of_the_program_and_the_review_each_have_their_card_and_mark(
    live_app: LiveApp, phone: Any
) -> None:
    page = phone
    start_by_api(page, live_app)
    for offset in range(1, 29):  # every session, a check-in (pain 4) each Monday
        on = MONDAY + timedelta(days=offset)
        live_app.clock.today = on
        if offset % 7 == 0:
            response = page.request.post(
                f"{live_app.url}/api/v1/checkins",
                data=json.dumps({"pain": 4}),
                headers={"content-type": "application/json"},
            )
            assert response.status == 201, response.text()
        if page.request.get(f"{live_app.url}/api/v1/today").json()["kind"] == "session":
            _record_session(page, live_app, on)
    page.goto(f"{live_app.url}/today")
    cards = page.locator("section.milestone")
    said = [cards.nth(i).inner_text() for i in range(cards.count())]
    assert any("You have completed the program" in card for card in said), said
    assert any("Your four-week review" in card for card in said), said
    visit(page, "first-weeks-end-cards")
    page.goto(f"{live_app.url}/progress")
    assert page.locator(".milestone-mark").count() == 4  # two new phases, the end, the review
    visit(page, "first-weeks-progress-marks")
