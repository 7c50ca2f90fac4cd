"""Issue #17 in Chromium at phone size: a rest day's daily routine, hands-free.

Today offers the routine with its length and the next session's date; one tap opens it in
the session's hands-free player. A tap on Start and the dose runs by itself (a get-ready,
then the paced breaths), each exercise follows the one before with no question asked
("Exercise done. Next: …"), and the routine ends on "Routine done". Nothing is recorded.
Then "Stop: down my leg", with the network gone, shows the session's leg questions and
safety advice from the page itself. Every stage passes axe-core in light and dark
(`visit`), photographed into test-artifacts/screenshots/routine-*.png.

Time is Playwright's fake clock, the speech a stub that records what it was asked
(test_player_handsfree.RECORDER).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from tests.browser.conftest import ARTIFACTS, LiveApp, exercise_title, start_by_api, visit
from tests.browser.test_player_handsfree import RECORDER, kind, recorded

TUESDAY = date(2026, 11, 3)
ROUTINE = ["Diaphragmatic breathing", "Cat-cow", "Child's pose"]


def _monday_session(page: Any, live_app: LiveApp) -> None:
    """Monday's whole session, recorded through the API: Tuesday is a rest day."""
    planned = page.request.get(f"{live_app.url}/api/v1/today").json()["exercises"]
    answers = [{"id": e["id"], "pain": "none"} for e in planned]
    response = page.request.post(
        f"{live_app.url}/api/v1/sessions",
        data=json.dumps({"date": "2026-11-02", "exercises": answers}),
        headers={"content-type": "application/json"},
    )
    assert response.status == 201, response.text()


def _recorded_sessions(page: Any, live_app: LiveApp) -> list[str]:
    events = page.request.get(f"{live_app.url}/api/v1/export").json()["events"]
    return [e["date"] for e in events if e["type"] == "session"]


def _run_to_the_end(page: Any) -> tuple[list[str], list[str]]:
    """From an exercise under way: tap Start on each exercise after it, and Done where reps
    are at one's own pace; let the clock run everything else. The exercises shown, in
    turn, and every tap."""
    titles: list[str] = [exercise_title(page)]
    taps: list[str] = []
    for _ in range(3000):
        title = exercise_title(page)
        if title == "Routine done":
            return titles, taps
        if title != titles[-1]:
            titles.append(title)
            taps.append("Start")
            page.locator("#player [data-start]").click()
        elif page.locator("#player [data-done]").is_visible():
            taps.append("Done")
            page.locator("#player [data-done]").click()
        else:
            page.clock.run_for(1000)
    raise AssertionError(f"the routine never ended: {titles}")


def test_a_rest_day_routine_runs_hands_free_to_its_end_and_records_nothing(
    phone: Any, live_app: LiveApp
) -> None:
    phone.add_init_script(RECORDER)
    start_by_api(phone, live_app)
    _monday_session(phone, live_app)
    live_app.clock.today = TUESDAY
    plan_before = phone.request.get(f"{live_app.url}/api/v1/today").json()

    # Today: rest, the routine's button with its length, and the next session.
    phone.goto(f"{live_app.url}/today")
    offer = phone.locator(".routine-offer")
    assert "About 10 minutes, 3 exercises" in offer.inner_text()
    assert "Next session: Wed 4 Nov 2026, tomorrow" in phone.locator(".next").inner_text()
    visit(phone, "routine-today")

    # The routine, in the player: its first exercise, and the whole routine listed below.
    phone.clock.install()
    phone.get_by_role("link", name="Do the daily routine").click()
    phone.wait_for_url("**/routine")
    assert exercise_title(phone) == ROUTINE[0]
    assert phone.locator("#player .runner").is_visible(), "the player is on (JavaScript)"
    assert phone.locator(".routine-outline > ol > li").count() == 3
    visit(phone, "routine-start")

    # One tap: the get-ready runs by itself into the first paced breath.
    phone.locator("#player [data-start]").click()
    assert kind(phone) == "get_ready"
    phone.clock.run_for(3100)
    assert kind(phone) == "breathe_in"
    assert phone.locator("#player [data-pacer]").is_visible()
    said = recorded(phone, "spoken")
    assert said[-2:] == ["Diaphragmatic breathing. Set 1 of 2: get ready.", "Breathe in."]
    phone.screenshot(path=str(ARTIFACTS / "routine-breathing-phone.png"))

    # Then to the end, each exercise after the one before, no question between them.
    titles, taps = _run_to_the_end(phone)
    assert titles == ROUTINE
    assert taps == ["Start", "Done", "Done", "Start"], "cat-cow's two sets of reps: Done"
    spoken = recorded(phone, "spoken")
    assert "Exercise done. Next: Cat-cow, 2 sets of 8." in spoken
    assert "Exercise done. Next: Child's pose, 3 holds of 45 seconds." in spoken
    assert not any("How did" in words for words in spoken), "no pain question"
    assert spoken[-1] == "Routine done. Well done."
    assert recorded(phone, "wakeLocks")[0] == "screen"
    assert "Next session: Wed 4 Nov 2026, tomorrow" in phone.locator("#player").inner_text()
    assert not phone.locator(".routine-outline").is_visible()
    phone.clock.resume()
    visit(phone, "routine-done")

    # Nothing recorded, nothing changed.
    assert _recorded_sessions(phone, live_app) == ["2026-11-02"]
    assert phone.request.get(f"{live_app.url}/api/v1/today").json() == plan_before

    # Stop: down my leg, without the network: the page itself gives the session's advice.
    phone.goto(f"{live_app.url}/routine")
    phone.context.set_offline(True)
    try:
        phone.get_by_role("button", name="Stop: down my leg").click()
        phone.get_by_role("heading", name="Routine stopped").wait_for()
        assert recorded(phone, "spoken")[-1] == "Routine stopped."
        stopped = phone.locator("#player").inner_text()
        assert "Is it still there now, or have you noticed any of these?" in stopped
        assert "No more exercises today" in stopped
        assert phone.locator("#player input[name=symptoms]").count() == 7
        assert not phone.locator(".routine-outline").is_visible(), "no more exercises today"
        assert "answers are kept" not in phone.locator("main").inner_text(), "none to keep"
        visit(phone, "routine-stopped-leg")
    finally:
        phone.context.set_offline(False)
    assert _recorded_sessions(phone, live_app) == ["2026-11-02"]
