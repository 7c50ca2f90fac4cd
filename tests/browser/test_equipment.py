"""Issue #17, item 3, in Chromium at phone width: the intake with nothing and kilograms (the
unit from the browser's language, even where the server heard another), then the first
phase-3 session, where the player says the household load in kilograms, and the handout
that prints it; axe-core in the light and the dark scheme on the pages with the Equipment
fieldset."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

from lumbar.content.load import default_content
from lumbar.domain.model import CheckIn, SessionLog
from lumbar.usecases import checkins, sessions
from lumbar.usecases.person import Person
from tests.browser.conftest import (
    ARTIFACTS,
    PHONE,
    LiveApp,
    answer_and_wait,
    exercise_title,
    fill_intake,
    visit,
)
from tests.builders import Follower, day, history, profile, program


def test_with_nothing_in_kilograms_the_player_says_the_household_load(
    live_app: LiveApp, browser: Any, tmp_path: Path
) -> None:
    # A British phone whose requests say en-US: the server offers pounds, and the page
    # follows the browser's own language (navigator.language) to kilograms.
    context = browser.new_context(
        viewport=PHONE,
        device_scale_factor=2,
        has_touch=True,
        locale="en-GB",
        extra_http_headers={"Accept-Language": "en-US,en;q=0.9"},
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(f"{live_app.url}/start")

        def at_equipment(page: Any, step: str) -> None:
            if step != "equipment":
                return
            page.wait_for_load_state("networkidle")
            equipment = page.get_by_role("group", name="Equipment")
            assert equipment.get_by_role("radio", name="Kilograms (kg)").is_checked()
            visit(page, "equipment-start")
            _photograph_fieldset(page, equipment, "equipment-fieldset")

        fill_intake(page, equipment="Nothing of these", each=at_equipment)
        page.wait_for_url("**/welcome")  # the first weeks, then today (issue 17)
        page.get_by_role("link", name="See today's plan").first.click()
        page.wait_for_url("**/today")

        _live_to_phase_3(live_app)
        page.goto(f"{live_app.url}/session")
        assert page.get_by_text(re.compile(r"Phase 3")).first.is_visible()
        for _ in range(12):
            if exercise_title(page) == "Squat":
                break
            answer_and_wait(page, "No pain")
        assert exercise_title(page) == "Squat"
        dose = page.locator("#player .dose").inner_text()
        assert "with a bag holding three 1.5 L bottles of water (4.5 kg)" in dose
        assert "lb" not in dose
        visit(page, "equipment-player-squat")

        page.goto(f"{live_app.url}/settings")
        settings = page.get_by_role("group", name="Equipment")
        assert settings.get_by_label("Nothing of these").is_checked()
        assert settings.get_by_role("radio", name="Kilograms (kg)").is_checked()
        visit(page, "equipment-settings")
        _photograph_fieldset(page, settings, "equipment-settings-fieldset")

        # And through to the printed handout, fetched as the browser would download it.
        handout = page.request.get(f"{live_app.url}/handout.pdf")
        assert handout.status == 200
        pdf = tmp_path / "handout.pdf"
        pdf.write_bytes(handout.body())
        words = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        flat = " ".join(words.split())
        assert "three 1.5 L bottles of water (4.5 kg)" in flat
        assert " lb" not in flat, flat[max(flat.find(" lb") - 80, 0) : flat.find(" lb") + 40]
    finally:
        context.close()


def _photograph_fieldset(page: Any, fieldset: Any, name: str) -> None:
    """The Equipment fieldset alone, light and dark, to look at closely."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    fieldset.screenshot(path=str(ARTIFACTS / f"{name}-phone.png"))
    page.emulate_media(color_scheme="dark")
    page.wait_for_timeout(300)
    fieldset.screenshot(path=str(ARTIFACTS / f"{name}-phone-dark.png"))
    page.emulate_media(color_scheme="light")


def _live_to_phase_3(live_app: LiveApp) -> None:
    """Days 1 to 13 as a person who does every session and rates their pain weekly lives
    them (tests.builders.Follower), written through the use cases on their days; the clock
    then on day 14, the first session of phase 3, after the safety questions a new phase
    asks first (answered: none of the signs)."""
    follower = Follower(program(), history(who=profile()), weekly=4)
    lived = follower.follow(day(13))
    content = default_content()
    for event in lived.events[1:]:
        person = Person(live_app.store, content, today=event.on)
        if isinstance(event, SessionLog):
            sessions.log(person, event.on, [(r.exercise_id, r.pain) for r in event.results])
        elif isinstance(event, CheckIn):
            checkins.record(person, event.on, pain=event.pain, psfs=event.psfs)
    live_app.clock.today = day(14)
    checkins.record(Person(live_app.store, content, today=day(14)), day(14), screened=True)
