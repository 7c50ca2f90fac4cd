"""The daily routine on a rest day (issue #17): Today offers it with its length and the next
session's date, `/routine` carries every exercise for the hands-free player and lists each
set and rest without it, and "Stop: it hurts" gives the session's safety advice. Doing it
records nothing: no session, no change to the plan, the week or the gate. On SQLite and
PostgreSQL, through the pages."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import httpx2
from fastapi.testclient import TestClient

from lumbar.content.load import Content
from lumbar.domain.model import PlannedExercise, Range
from lumbar.formats.routine import minutes
from lumbar.formats.timeline import player_steps
from lumbar.usecases.problems import LEG_SIGNS
from lumbar.web.assets import static_url
from tests.web.conftest import (
    MONDAY,
    TUESDAY,
    Clock,
    exported,
    log_session,
    plan,
    text,
)

ROUTINE = ("diaphragmatic-breathing", "cat-cow", "childs-pose")


def _rest_day(client: TestClient, clock: Clock) -> None:
    """Monday's session done: Tuesday is a rest day, Wednesday the next session."""
    log_session(client, MONDAY)
    clock.today = TUESDAY


def _everything(client: TestClient) -> tuple[Any, ...]:
    """What the program knows and decides: the records, today's plan and the status."""
    status = client.get("/api/v1/status")
    assert status.status_code == 200, status.text
    return exported(client), plan(client), status.json()


def _steps(response: httpx2.Response) -> list[list[dict[str, Any]]]:
    """The steps each exercise's player carries, in the page's order."""
    found = re.findall(r'data-steps="([^"]*)"', response.text)
    return [json.loads(html.unescape(steps)) for steps in found]


def test_a_rest_day_offers_the_routine_with_its_length_and_the_next_session(
    started: TestClient, clock: Clock, content: Content
) -> None:
    _rest_day(started, clock)

    response = started.get("/today")

    assert response.status_code == 200
    page = text(response)
    assert "Rest day" in page
    assert 'href="/routine"' in response.text and "Do the daily routine" in page
    routine = tuple(
        PlannedExercise(i.exercise_id, i.dose, Range.FULL, 0) for i in content.program.daily_routine
    )
    length = minutes(routine, content.catalogue)
    assert f"About {length} minutes, 3 exercises" in page
    assert "diaphragmatic breathing, cat-cow and child's pose" in page
    assert "Next session: Wed 4 Nov 2026 , tomorrow" in page
    assert "Start the session" not in page


def test_the_routine_page_carries_every_exercise_for_the_player_and_lists_them_without_it(
    started: TestClient, clock: Clock, content: Content
) -> None:
    _rest_day(started, clock)

    response = started.get("/routine")

    assert response.status_code == 200
    page = text(response)
    assert "Daily routine · Exercise 1 of 3" in page
    assert "Diaphragmatic breathing" in page and "2 sets of 10, rest 30 s" in page
    # The player: the session's steps for each exercise at the routine's own dose, the
    # first in the page and the others in templates, with the ends.
    doses = {i.exercise_id: i.dose for i in content.program.daily_routine}
    expected = [
        player_steps(content.catalogue[e], doses[e], content.catalogue[e].name) for e in ROUTINE
    ]
    assert _steps(response) == expected
    assert re.findall(r'data-routine-exercise="([^"]+)"', response.text) == list(ROUTINE[1:])
    for end in ("done", "sharp", "radiating"):
        assert f'data-routine-end="{end}"' in response.text
    assert "data-say-done" not in response.text, "no pain question to read aloud"
    assert f'<script src="{static_url("routine.js")}" defer>' in response.text
    # Without the player: each exercise's page, and each set and rest with its time.
    for exercise in ROUTINE:
        assert f'href="/library/{exercise}"' in response.text
    assert "Set 1 of 2: 10 slow breaths, in for 4 seconds and out for 6 1 min 40 s" in page
    assert "Set 2 of 2: 8 reps at your own pace about 30 s" in page
    assert "Set 3 of 3: hold 45 seconds 45 s" in page
    assert "It is not a session: it does not count toward your week" in page
    # No pain question, nothing to post.
    assert 'method="post"' not in response.text.split('data-routine-end="radiating"')[0]


def test_doing_the_routine_and_stopping_it_write_nothing_and_change_no_plan(
    started: TestClient, clock: Clock
) -> None:
    _rest_day(started, clock)
    before = _everything(started)
    week = text(started.get("/today")).split("This week")[1]

    assert started.get("/routine").status_code == 200
    for pain in ("sharp", "radiating"):
        stopped = started.get("/routine/stopped", params={"pain": pain, "exercise": "cat-cow"})
        assert stopped.status_code == 200
    refused = started.get("/routine/stopped", params={"pain": "ache"})
    assert refused.status_code == 422

    assert _everything(started) == before
    sessions = [e for e in before[0]["events"] if e["type"] == "session"]
    assert [s["date"] for s in sessions] == [MONDAY.isoformat()]
    assert text(started.get("/today")).split("This week")[1] == week
    assert "1 of 3" in week


def test_stop_sharp_ends_the_routine_with_the_sessions_safety_advice(
    started: TestClient, clock: Clock
) -> None:
    _rest_day(started, clock)

    response = started.get("/routine/stopped", params={"pain": "sharp", "exercise": "cat-cow"})

    page = text(response)
    assert "Routine stopped" in page
    assert "You stopped because of sharp pain: the routine ends here, to be safe." in page
    assert "No more exercises today, and don't push through the pain." in page
    assert "call your emergency number or go to an emergency department" in page
    assert 'name="focus" value="leg_now"' not in response.text
    assert "Next session: Wed 4 Nov 2026 , tomorrow" in page


def test_stop_down_my_leg_asks_the_legs_questions_as_after_a_session(
    started: TestClient, clock: Clock, content: Content
) -> None:
    _rest_day(started, clock)

    response = started.get("/routine/stopped", params={"pain": "radiating"})

    page = text(response)
    assert "You stopped because pain travelled down your leg" in page
    assert "Pain down your leg" in page
    assert 'name="focus" value="leg_now"' in response.text
    for code in LEG_SIGNS:
        assert f'name="symptoms" value="{code}"' in response.text
        assert content.symptoms[code].question in page
    # What the session says once, here once too (the leg's questions say what to watch for).
    assert page.count("call your emergency number") == 1
    # Answered, the signs are recorded as after a session's: a check-in, and no session.
    sent = started.post("/check-in", data={"focus": "leg_now", "symptoms": ["below_knee_pain"]})
    assert sent.status_code == 303
    document = exported(started)
    assert document is not None
    events = document["events"]
    assert [e["type"] for e in events if e["date"] == TUESDAY.isoformat()] == ["checkin"]


def test_a_stop_without_one_of_its_two_answers_is_refused_and_shows_the_routine(
    started: TestClient, clock: Clock
) -> None:
    _rest_day(started, clock)

    response = started.get("/routine/stopped", params={"pain": "none"})

    assert response.status_code == 422
    page = text(response)
    assert "Please choose one of the two Stop buttons: sharp pain, or down my leg." in page
    assert "Daily routine · Exercise 1 of 3" in page


def test_no_routine_on_a_session_day_or_while_the_program_is_paused(
    started: TestClient, clock: Clock
) -> None:
    session_day = started.get("/routine")
    assert session_day.status_code == 200
    assert "No routine today" in text(session_day)
    assert "Today is a session day: the session comes first." in text(session_day)
    assert "data-steps" not in session_day.text

    _rest_day(started, clock)
    assert started.post("/check-in", data={"symptoms": "fever"}).status_code == 303
    paused = text(started.get("/routine"))
    assert "No routine today" in paused and "The program is paused" in paused
    assert "Do the daily routine" not in text(started.get("/today"))


def test_without_a_program_the_routine_sends_to_the_intake(client: TestClient) -> None:
    for path in ("/routine", "/routine/stopped?pain=sharp"):
        response = client.get(path)
        assert response.status_code == 303
        assert response.headers["location"] == "/start"


def test_the_routine_page_and_its_script_are_kept_for_offline_use(client: TestClient) -> None:
    worker = client.get("/sw.js").text
    assert '"/routine"' in worker and f'"{static_url("routine.js")}"' in worker
    script = client.get("/static/routine.js")
    assert script.status_code == 200 and "lumbar:exercise-done" in script.text
