"""Correcting a mistake in Chromium (issue #15): from Progress, a check-in's pain is edited,
the correction undone; a session is deleted and the delete undone. The list, the edit form
and the notices pass axe-core (light and dark) and are photographed at phone and desktop
width into test-artifacts/screenshots/ (`records-*`)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from tests.browser.conftest import LiveApp, start_by_api, visit

MONDAY = date(2026, 11, 2)
WEDNESDAY = date(2026, 11, 4)


def post(page: Any, live_app: LiveApp, path: str, body: Any) -> None:
    response = page.request.post(
        f"{live_app.url}{path}",
        data=json.dumps(body),
        headers={"content-type": "application/json"},
    )
    assert response.status == 201, response.text()


def test_a_checkin_is_corrected_and_a_session_deleted_each_undone(
    live_app: LiveApp, phone: Any
) -> None:
    page = phone
    start_by_api(page, live_app)
    today = page.request.get(f"{live_app.url}/api/v1/today").json()
    exercises = [{"id": e["id"], "pain": "none"} for e in today["exercises"]]
    post(page, live_app, "/api/v1/sessions", {"date": MONDAY.isoformat(), "exercises": exercises})
    live_app.clock.today = WEDNESDAY
    post(page, live_app, "/api/v1/checkins", {"pain": 4})

    page.goto(f"{live_app.url}/progress")
    records = page.get_by_role("heading", name="Your records")
    assert records.is_visible()
    visit(page, "records-progress")

    page.get_by_role("link", name="Edit the check-in of Wed 4 Nov 2026").click()
    page.wait_for_url("**/records/c*")
    assert page.get_by_role("heading", name="Edit the check-in of Wed 4 Nov 2026").is_visible()
    assert page.get_by_role("radio", name="4", exact=True).is_checked()
    visit(page, "records-edit")

    page.get_by_role("radio", name="2", exact=True).check()
    page.get_by_role("button", name="Save the correction").click()
    notice = page.get_by_role("status")
    notice.get_by_text("Corrected the check-in of Wed 4 Nov 2026: pain 2/10.").wait_for()
    assert page.get_by_text("Corrected on Wed 4 Nov 2026.").is_visible()
    visit(page, "records-corrected")

    page.get_by_role("button", name="Undo the correction of the check-in of Wed 4 Nov 2026").click()
    page.get_by_text("Undone: the check-in of Wed 4 Nov 2026 says again what it said").wait_for()
    assert page.get_by_text("Corrected on").count() == 0

    page.get_by_role("button", name="Delete the session of Mon 2 Nov 2026").click()
    page.get_by_text("Deleted the session of Mon 2 Nov 2026. The program reads past it.").wait_for()
    assert page.get_by_text("Deleted on Wed 4 Nov 2026. The program reads past it.").is_visible()
    visit(page, "records-deleted")

    page.get_by_role("button", name="Undo deleting the session of Mon 2 Nov 2026").click()
    page.get_by_text("Undone: the session of Mon 2 Nov 2026 is back").wait_for()

    page.goto(f"{live_app.url}/progress")
    assert page.get_by_text("6 at the start, 4 now").is_visible()
    assert page.get_by_text("Mon 2 Nov 2026 · Session", exact=True).is_visible()
