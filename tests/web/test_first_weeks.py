"""The first day and the weeks after it on Today (issue 17): the welcome after the intake, a
first session on the first day, milestone cards until put away, the week's goal, and an
alert that asks for a check-in linking to it. On SQLite and PostgreSQL, through the pages."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi.testclient import TestClient

from tests.builders import START
from tests.web.conftest import (
    START_FORM,
    Clock,
    live_until,
    log_session,
    plan,
    start_program,
    text,
)

THURSDAY = START + timedelta(days=3)


def test_the_intake_leads_to_a_welcome_that_can_be_skipped_and_found_again(
    client: TestClient,
) -> None:
    response = client.post("/start", data=START_FORM)
    assert response.status_code == 303
    assert response.headers["location"] == "/welcome"

    welcome = client.get("/welcome")
    assert welcome.status_code == 200
    words = text(welcome)
    assert "Your first weeks" in words
    for phase in ("Calm and reboot", "Build stability", "Integrate"):
        assert phase in words
    assert "about 15 minutes" in words and "Sharp pain" in words
    assert 'href="/today"' in welcome.text, "skip it, or go on to Today"
    assert client.get("/learn/first-weeks").status_code == 200
    assert "Your first weeks" in text(client.get("/learn"))


def test_the_welcome_before_a_program_goes_to_the_intake(client: TestClient) -> None:
    response = client.get("/welcome")
    assert response.status_code == 303
    assert response.headers["location"] == "/start"


def test_a_first_day_that_is_not_a_training_day_offers_a_session(
    client: TestClient, clock: Clock
) -> None:
    clock.today = THURSDAY
    response = client.post("/start", data=START_FORM)
    assert response.status_code == 303
    today = client.get("/today")
    words = text(today)
    assert "Your first session" in words
    assert "you can do your first session today" in words
    assert 'href="/session"' in today.text
    assert plan(client)["decisions"][0]["rule"] == "schedule.first_day"
    # Not done, the next day is a rest day before Friday's session, as the days say.
    live_until(client, THURSDAY + timedelta(days=1))
    friday = plan(client)
    assert friday["kind"] == "session"
    assert friday["decisions"][0]["rule"] == "schedule.training_day"


def test_the_week_says_how_many_sessions_and_a_short_week_gets_kind_words(
    started: TestClient,
) -> None:
    log_session(started, START)
    live_until(started, START + timedelta(days=1))
    week = text(started.get("/today"))
    assert "This week" in week and "1 of 3 sessions" in week
    assert "fresh start" not in week
    # Wednesday and Friday missed: next Monday says so, kindly, and never of a streak.
    live_until(started, START + timedelta(days=7))
    monday = text(started.get("/today"))
    assert "0 of 3 sessions" in monday
    assert "Last week had 1 of 3 sessions" in monday and "fresh start" in monday
    assert "streak" not in monday.lower()


def test_a_new_phase_has_a_card_until_it_is_put_away(started: TestClient) -> None:
    for offset in (0, 2, 4):
        log_session(started, START + timedelta(days=offset))
    live_until(started, START + timedelta(days=7))
    response = started.post("/api/v1/checkins", json={"pain": 4})
    assert response.status_code == 201, response.text
    assert plan(started)["phase"] == 2

    today = started.get("/today")
    words = text(today)
    assert "A new phase" in words
    action = re.search(r'action="(/today/cards/[^"]+)"', today.text)
    assert action is not None
    assert action.group(1) == "/today/cards/phase_up:2026-11-09"
    put_away = started.post(action.group(1))
    assert put_away.status_code == 303 and put_away.headers["location"] == "/today"
    assert "A new phase" not in text(started.get("/today"))
    # Put away again: nothing changes.
    assert started.post(action.group(1)).status_code == 303


def test_a_card_that_is_not_on_today_is_refused_and_nothing_is_written(
    started: TestClient,
) -> None:
    for card in ("phase_up:2026-11-02", "nonsense", "complete:1999-01-01"):
        response = started.post(f"/today/cards/{card}")
        assert response.status_code == 422
        assert "no such card" in text(response)
    # A later real card still shows: nothing was kept by the refusals.
    for offset in (0, 2, 4):
        log_session(started, START + timedelta(days=offset))
    live_until(started, START + timedelta(days=7))
    started.post("/api/v1/checkins", json={"pain": 4})
    assert "A new phase" in text(started.get("/today"))


def test_an_alert_that_asks_for_a_check_in_links_to_it(started: TestClient) -> None:
    log_session(started, START)
    live_until(started, START + timedelta(days=8))
    today = started.get("/today")
    assert re.search(r'<a class="button" href="/check-in">Do the check-in</a>', today.text)


def test_a_program_started_on_its_training_day_says_nothing_of_a_first_day(
    client: TestClient,
) -> None:
    start_program(client)
    words = text(client.get("/today"))
    assert "Today's session" in words and "Your first session" not in words


def _follow(client: TestClient, days: int) -> None:
    """Every planned session done with no pain, a check-in (pain 4) every Monday from week 2."""
    for offset in range(days + 1):
        on = START + timedelta(days=offset)
        live_until(client, on)
        if offset and offset % 7 == 0:
            assert client.post("/api/v1/checkins", json={"pain": 4}).status_code == 201
        if plan(client, on)["kind"] == "session":
            log_session(client, on)


def test_the_review_and_the_end_of_the_program_on_today_progress_and_the_summary(
    started: TestClient,
) -> None:
    _follow(started, 28)  # complete on day 21, reviewed on day 28, then maintenance
    today = text(started.get("/today"))
    assert "Your four-week review" in today and "You have completed the program" in today
    status = started.get("/api/v1/status").json()
    assert [(m["moment"], m["date"]) for m in status["milestones"]] == [
        ("phase_up", "2026-11-09"),
        ("phase_up", "2026-11-16"),
        ("complete", "2026-11-23"),
        ("review", "2026-11-30"),
    ]
    progress = started.get("/progress")
    assert progress.text.count('class="milestone-mark"') == 4
    words = text(progress)
    assert "You have completed the program." in words and "Your four-week review." in words
    summary = text(started.get("/summary"))
    assert "You have completed the program" in summary and "Your four-week review" in summary
    # The first maintenance session: Friday, with its reason.
    friday = plan(started, START + timedelta(days=32))
    assert friday["decisions"][0]["rule"] == "schedule.maintenance"
