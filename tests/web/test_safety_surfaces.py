"""Issue #13's new alerts on every surface a person or their clinician reads: the web app's
Today page and status API, the clinician summary, the FHIR export and the calendar. Each
surface reads the same domain decisions; these tests hold each one to showing them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from icalendar import Calendar

from lumbar.usecases import checkins, handouts
from lumbar.usecases.person import Person
from tests.builders import START
from tests.web.conftest import Clock, start_program

WEEK_1 = START + timedelta(days=7)
DAY_30 = START + timedelta(days=30)


def _flared(services: Person) -> None:
    """A week-1 check-in with pain 9, from a baseline of 6: a flare-up, and worse."""
    checkins.record(services, WEEK_1, pain=9, psfs=(4, 5, 3))


def _words(html: str) -> str:
    return " ".join(html.split())


def test_the_today_page_and_the_status_api_show_the_flare_and_the_referral(
    started: TestClient, services: Person, clock: Clock
) -> None:
    _flared(services)
    clock.today = WEEK_1
    page = _words(started.get("/today").text)
    assert "Your pain has flared up: 9 out of 10 this week" in page
    assert "Your pain is higher than when you started" in page
    assert "over_50" not in page and "progression." not in page
    status: dict[str, Any] = started.get("/api/v1/status").json()
    codes = {alert["code"]: alert["level"] for alert in status["alerts"]}
    assert codes["flare"] == codes["worse"] == "see_clinician"


def test_the_clinician_summary_shows_the_referral_in_words(services: Person, started: Any) -> None:
    _flared(services)
    summary = _words(handouts.summary_html(services, WEEK_1))
    assert "Your pain is higher than when you started" in summary
    assert "flared up" in summary


def test_the_fhir_export_has_a_flag_for_each_new_alert(services: Person, started: Any) -> None:
    _flared(services)
    bundle = handouts.fhir(services, WEEK_1)
    flags = {
        coding["code"]: entry["resource"]["code"]["text"]
        for entry in bundle["entry"]
        if entry["resource"]["resourceType"] == "Flag"
        for coding in entry["resource"]["code"]["coding"]
    }
    assert {"flare", "worse"} <= set(flags)
    assert flags["worse"].startswith("Your pain is higher than when you started")


def test_a_review_waiting_for_its_check_in_is_on_the_calendar_today(
    services: Person, started: Any
) -> None:
    events = Calendar.from_ical(handouts.calendar(services, DAY_30)).walk("VEVENT")
    reviews = [e for e in events if str(e["UID"]).startswith("review-")]
    assert [e.decoded("DTSTART") for e in reviews] == [DAY_30]
    checkins.record(services, DAY_30, pain=5, psfs=(5, 5, 4))
    events = Calendar.from_ical(handouts.calendar(services, DAY_30)).walk("VEVENT")
    assert not [e for e in events if str(e["UID"]).startswith("review-")]


def test_the_progress_page_says_worse_not_negative_better(
    started: TestClient, services: Person, clock: Clock
) -> None:
    _flared(services)
    clock.today = WEEK_1
    page = _words(started.get("/progress").text)
    assert "6 at the start, 9 now (50% worse)" in page
    assert "-50" not in page


def test_the_summary_says_what_changed_from_a_start_of_0(
    client: TestClient, services: Person
) -> None:
    start_program(client, pain=0)
    summary = _words(handouts.summary_html(services, WEEK_1))
    assert "no second score yet" in summary
    checkins.record(services, WEEK_1, pain=3)
    summary = _words(handouts.summary_html(services, WEEK_1))
    assert "3 points more pain than at the start (0)" in summary
    assert "no second score yet" not in summary and "not measured" not in summary
