"""Issue #14 in Chromium: stop at once during a hold, the leg's follow-up with each of its
branches, the next session's questions, a clinician clearing a patient's fever with the
dashboard before and after, and choosing a chair alternative in the player. Every page
passes axe-core (light and dark)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from lumbar.usecases.accounts import now_utc
from tests.browser.conftest import (
    PHONE,
    LiveApp,
    start_by_api,
    start_hold,
    to_first_hold,
    visit,
)
from tests.browser.test_clinic import PASSWORD, LiveClinic, api, live_clinic, sign_in

__all__ = ["live_clinic"]  # the fixture, shared with test_clinic.py

WEDNESDAY = date(2026, 11, 4)
SADDLE = "Numbness or tingling around your genitals, buttocks, inner thighs or back passage?"


def _stop_down_the_leg_during_a_hold(page: Any, live_app: LiveApp) -> None:
    to_first_hold(page, live_app)
    start_hold(page)
    page.get_by_role("button", name="Stop: down my leg").click()
    page.get_by_role("heading", name="Session saved").wait_for()


def test_stop_during_a_hold_then_a_sign_that_needs_care_is_an_emergency(
    live_app: LiveApp, phone: Any
) -> None:
    page = phone
    _stop_down_the_leg_during_a_hold(page, live_app)
    assert page.get_by_role("heading", name="Pain down your leg").is_visible()
    assert "Well done" not in page.content()
    visit(page, "session-stopped-down-the-leg")
    page.get_by_label(SADDLE).check()
    page.get_by_role("button", name="Save my answers").click()
    page.get_by_role("heading", name="Please get medical care now").wait_for()
    visit(page, "leg-follow-up-emergency")
    page.goto(f"{live_app.url}/today")
    assert "paused" in page.content()


def test_stop_then_nothing_more_and_the_next_session_asks_first_and_is_gentler(
    live_app: LiveApp, phone: Any
) -> None:
    page = phone
    _stop_down_the_leg_during_a_hold(page, live_app)
    page.get_by_role("button", name="Save my answers").click()
    page.wait_for_url("**/today")

    live_app.clock.today = WEDNESDAY
    page.goto(f"{live_app.url}/session")
    page.wait_for_url(re.compile(r".*/check-in\?focus=follow_up$"))
    assert page.get_by_role("heading", name="Before your next session").is_visible()
    visit(page, "leg-check-before-the-session")
    page.get_by_role("button", name="Save and go to the session").click()
    page.wait_for_url("**/session")
    assert page.get_by_role("heading", name="Smaller range today").is_visible()


def test_a_clinician_clears_a_patients_fever_and_the_dashboard_follows(
    live_clinic: LiveClinic, browser: Any
) -> None:
    url = live_clinic.url
    now = now_utc()
    for name in ("fay", "sam"):
        live_clinic.accounts.create_user(
            f"{name}@example.org",
            PASSWORD,
            "patient",
            now,
            clinician_email="pt@north.example",
        )
    contexts = [browser.new_context(viewport=PHONE, device_scale_factor=2) for _ in range(3)]
    try:
        fay, sam, clinician = (context.new_page() for context in contexts)
        answers = {
            "understood": True,
            "age": 42,
            "pain_weeks": 10,
            "pain": 6,
            "psfs": [{"activity": "walk to work", "score": 4}],
        }
        for page, email in ((fay, "fay@example.org"), (sam, "sam@example.org")):
            page.set_default_timeout(10_000)
            sign_in(page, url, email)
            plan = api(page, url, "POST", "/api/v1/program", answers)
        pains = [{"id": plan["exercises"][0]["id"], "pain": "sharp"}]
        api(sam, url, "POST", "/api/v1/sessions", {"exercises": pains})
        api(fay, url, "POST", "/api/v1/checkins", {"symptoms": ["fever"]})
        fay.goto(f"{url}/clear")
        visit(fay, "clinic-patient-asks-to-be-cleared")
        fay.get_by_label(re.compile("A fever")).check()
        fay.get_by_label("Who saw you?").fill("my GP")
        fay.get_by_role("button", name="Send to my clinician").click()
        fay.get_by_text("Sent to your clinician").wait_for()

        clinician.set_default_timeout(10_000)
        sign_in(clinician, url, "pt@north.example")
        rows = clinician.locator("table.patients tbody th a").all_inner_texts()
        assert rows.index("fay@example.org") < rows.index("sam@example.org")
        visit(clinician, "clinic-dashboard-urgent-first")

        clinician.get_by_role("link", name="fay@example.org").click()
        clinician.get_by_role("heading", name="Safety").wait_for()
        visit(clinician, "clinic-patient-safety")
        clinician.get_by_label(re.compile("A fever")).check()
        clinician.get_by_role("button", name="Clear the ticked alerts").click()
        clinician.wait_for_load_state("networkidle")
        clinician.goto(f"{url}/clinic")
        rows = clinician.locator("table.patients tbody th a").all_inner_texts()
        assert rows.index("sam@example.org") < rows.index("fay@example.org")

        fay.goto(f"{url}/today")
        assert "pt@north.example cleared you" in " ".join(fay.content().split())
    finally:
        for context in contexts:
            context.close()


def test_a_chair_alternative_is_chosen_in_the_player_and_kept(
    live_app: LiveApp, phone: Any
) -> None:
    """Someone who cannot get down to the floor chooses breathing in a chair from the
    player: the seated steps and figure show at once, and the choice holds in Settings."""
    page = phone
    start_by_api(page, live_app)
    page.goto(f"{live_app.url}/session")
    page.get_by_text("Can't get down to the floor or kneel?").click()
    visit(page, "player-alternatives-offered")
    page.get_by_role("button", name="Do breathing in a chair instead, from now on").click()
    title = page.get_by_role("heading", level=1)
    title.filter(has_text="Breathing in a chair").wait_for()
    assert "Sit back in a chair with your feet flat" in page.content()
    figure = page.locator(".player-figure svg")
    assert figure.count() == 1
    assert figure.get_attribute("aria-label") == "Breathing in a chair"
    visit(page, "player-chair-alternative")
    page.goto(f"{live_app.url}/settings")
    chosen = page.get_by_label("Diaphragmatic breathing")
    assert chosen.input_value() == "chair"
