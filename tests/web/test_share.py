"""Print and share, and the problem report, in the web app: the pages (/share, the handout
and summary, the FHIR download, the calendar and its private address, /problem) and their
API (/api/v1/problems, /api/v1/settings/reminders, /api/v1/calendar, the FHIR export)."""

from __future__ import annotations

import hashlib
import re
import subprocess
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import httpx2
import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar, Component
from sqlalchemy import select

from lumbar.content.reporting import report_words
from lumbar.store.tables import reminders
from tests.web.conftest import (
    FRIDAY,
    MONDAY,
    WEDNESDAY,
    Clock,
    assert_errors_beside_fields,
    checked,
    error_summary,
    exported,
    field_value,
    form_error,
    live_until,
    log_session,
    text,
    ticked,
)

DEFAULT_REMINDERS = {
    "session_time": "18:00",
    "work_days": ["mon", "tue", "wed", "thu", "fri"],
    "work_start": "09:00",
    "work_end": "17:00",
    "break_minutes": 60,
}
REMINDERS_FORM: dict[str, Any] = {
    "session_time": "07:15",
    "work_start": "08:00",
    "work_end": "16:00",
    "work_days": ["0", "2"],
    "break_minutes": "30",
}
"""The reminders form as a browser posts it (weekdays by number, Monday 0)."""
NOTE = "Slipped on the wet stairs at home."
SUBSCRIPTION = re.compile(
    r'<code class="address">(http://127\.0\.0\.1/calendar/([^"<]+)\.ics)</code>'
)


# Helpers.


def _events(body: str) -> list[Component]:
    calendar = Calendar.from_ical(body)
    assert str(calendar["VERSION"]) == "2.0"
    return [c for c in calendar.subcomponents if c.name == "VEVENT"]


def _of(kind: str, events: list[Component]) -> list[Component]:
    return [e for e in events if str(_get(e, "UID")).startswith(f"{kind}-")]


def _get(component: Component, name: str) -> Any:
    return component[name]


def _starts(kind: str, body: str) -> list[Any]:
    return [_get(e, "DTSTART").dt for e in _of(kind, _events(body))]


def _reminders(client: TestClient) -> dict[str, Any]:
    response = client.get("/api/v1/settings/reminders")
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def _problems(client: TestClient) -> list[dict[str, str]]:
    response = client.get("/api/v1/problems")
    assert response.status_code == 200, response.text
    found: list[dict[str, str]] = response.json()
    return found


def _report_a_fall(client: TestClient) -> None:
    """Report today, on the problem page, a fall that did not hurt the back."""
    response = client.post("/problem", data={"kind": "fall", "note": NOTE, "hurt_back": "no"})
    assert response.status_code == 200, response.text
    assert "Thank you: it is saved" in text(response)


def _address(response: httpx2.Response) -> tuple[str, str]:
    """The subscription address the page shows, and its path."""
    found = SUBSCRIPTION.search(response.text)
    assert found is not None, text(response)[:400]
    return found.group(1), f"/calendar/{found.group(2)}.ics"


def _pdf_info(body: bytes, tmp_path: Path) -> tuple[int, tuple[int, int], str]:
    """Pages, page size in points, and the words of a PDF (read with poppler)."""
    pdf = tmp_path / "read.pdf"
    pdf.write_bytes(body)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    fields = dict(line.split(":", 1) for line in info.stdout.splitlines() if ":" in line)
    size = re.match(r"\s*([\d.]+) x ([\d.]+) pts", fields["Page size"])
    assert size is not None
    words = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    return (
        int(fields["Pages"]),
        (round(float(size.group(1))), round(float(size.group(2)))),
        " ".join(words.stdout.split()),
    )


def _attachment(response: httpx2.Response, filename: str) -> None:
    assert response.headers["content-disposition"] == f'attachment; filename="{filename}"'


# Pages that need a program send a new person to the start.


@pytest.mark.parametrize(
    "path",
    ["/share", "/summary", "/summary.pdf", "/handout.pdf", "/calendar.ics", "/problem",
     "/settings/export/fhir"],
)  # fmt: skip
def test_the_share_pages_send_a_new_person_to_the_start(client: TestClient, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 303
    assert response.headers["location"] == "/start"


# The share page and the reminders.


def test_the_share_page_offers_the_handouts_and_the_reminders_form(started: TestClient) -> None:
    response = started.get("/share")

    assert response.status_code == 200
    assert 'action="/settings/reminders"' in response.text
    assert field_value(response, "session_time") == "18:00"
    assert field_value(response, "work_start") == "09:00"
    assert field_value(response, "work_end") == "17:00"
    assert field_value(response, "break_minutes") == "60"
    assert ticked(response, "work_days") == ["0", "1", "2", "3", "4"]
    for link in (
        "/handout.pdf?size=a4",
        "/handout.pdf?size=letter",
        "/summary.pdf",
        "/calendar.ics",
    ):
        assert f'href="{link}"' in response.text
    assert "Make an address" in text(response)


def test_saving_the_reminders_form_keeps_them_and_shows_them(started: TestClient) -> None:
    response = started.post("/settings/reminders", data=REMINDERS_FORM)

    assert response.status_code == 200
    assert "Your reminders are saved" in text(response)
    assert field_value(response, "session_time") == "07:15"
    assert ticked(response, "work_days") == ["0", "2"]
    assert _reminders(started) == {
        "session_time": "07:15",
        "work_days": ["mon", "wed"],
        "work_start": "08:00",
        "work_end": "16:00",
        "break_minutes": 30,
    }
    document = exported(started)
    assert document is not None and document["reminders"] == _reminders(started)


def test_saved_reminders_change_the_calendar(started: TestClient) -> None:
    started.post("/settings/reminders", data=REMINDERS_FORM)

    body = started.get("/calendar.ics").text

    assert {s.time() for s in _starts("session", body)} == {time(7, 15)}
    breaks = _of("posture", _events(body))
    assert _get(breaks[0], "DTSTART").dt == datetime(2026, 11, 2, 8, 30)
    assert {_get(e, "DTSTART").dt.weekday() for e in breaks} == {0, 2}  # Monday, Wednesday


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"session_time": "25:00"}, "session_time", "'25:00' is not a time of day"),
        ({"work_start": "eight"}, "work_start", "'eight' is not a time like 07:30 or 18:00"),
        ({"work_end": "07:00"}, "work_end", "The working day must end after it starts"),
        (
            {"break_minutes": "5"},
            "break_minutes",
            "A break every 20 to 240 minutes, or 0 for none",
        ),
        (
            {"break_minutes": "often"},
            "break_minutes",
            "Enter the minutes between breaks, like 45 (0 for none)",
        ),
        ({"work_days": ["0", "9"]}, "work_days", "'9' is not a day (mon to sun)"),
    ],
)
def test_a_bad_reminder_shows_the_page_again_with_the_reason_and_saves_nothing(
    started: TestClient, change: dict[str, Any], field: str, message: str
) -> None:
    response = started.post("/settings/reminders", data={**REMINDERS_FORM, **change})

    assert response.status_code == 422
    assert assert_errors_beside_fields(response) == {field: message}
    assert _reminders(started) == DEFAULT_REMINDERS
    document = exported(started)
    assert document is not None and "reminders" not in document


def test_a_break_interval_in_superscript_digits_is_refused_not_a_crash(
    started: TestClient,
) -> None:
    response = started.post("/settings/reminders", data={**REMINDERS_FORM, "break_minutes": "²"})

    assert response.status_code == 422


# The calendar, downloaded and subscribed.


def test_the_calendar_downloads_as_icalendar(started: TestClient) -> None:
    response = started.get("/calendar.ics")

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    _attachment(response, "lumbar.ics")
    assert response.headers["cache-control"] == "no-store"  # health data: no copy kept
    assert [s.date() for s in _starts("session", response.text)][:3] == [MONDAY, WEDNESDAY, FRIDAY]
    assert _starts("checkin", response.text) == [MONDAY + timedelta(days=7 * w) for w in (1, 2, 3)]


def test_the_calendar_starts_on_the_apps_day(started: TestClient, clock: Clock) -> None:
    log_session(started, MONDAY)
    clock.today = MONDAY + timedelta(days=1)

    sessions = _starts("session", started.get("/calendar.ics").text)

    assert sessions[0] == datetime.combine(WEDNESDAY, time(18, 0))


def test_a_calendar_address_serves_the_same_calendar(started: TestClient) -> None:
    response = started.post("/settings/calendar-link")

    assert response.status_code == 200
    assert "A new address is ready" in text(response)
    address, path = _address(response)
    assert address.endswith(path)
    # Shown this once: the database keeps only its token's SHA-256 (issue #19).
    again = started.get("/share")
    assert SUBSCRIPTION.search(again.text) is None
    assert "You made a private calendar address before" in text(again)
    assert "Make a new address (the old one stops working)" in text(again)
    token = path.removeprefix("/calendar/").removesuffix(".ics")
    store = started.app.state.store  # type: ignore[attr-defined]
    with store.engine.connect() as connection:
        stored = connection.execute(select(reminders.c.calendar_token)).scalar_one()
    assert stored == hashlib.sha256(token.encode()).hexdigest()
    subscribed = started.get(path)
    assert subscribed.status_code == 200
    assert subscribed.headers["content-type"] == "text/calendar; charset=utf-8"
    assert subscribed.headers["cache-control"] == "no-store"
    assert subscribed.text == started.get("/calendar.ics").text


def test_a_new_address_retires_the_old_one(started: TestClient) -> None:
    _, old = _address(started.post("/settings/calendar-link"))

    _, new = _address(started.post("/settings/calendar-link"))

    assert new != old
    gone = started.get(old)
    assert gone.status_code == 404
    assert gone.text == "No calendar at this address."
    assert started.get(new).status_code == 200


def test_an_unknown_address_is_not_found(started: TestClient) -> None:
    started.post("/settings/calendar-link")

    assert started.get("/calendar/not-a-token.ics").status_code == 404


def test_a_new_address_keeps_the_saved_reminders(started: TestClient) -> None:
    started.post("/settings/reminders", data=REMINDERS_FORM)
    saved = _reminders(started)

    started.post("/settings/calendar-link")

    assert _reminders(started) == saved


def test_api_calendar_is_the_same_icalendar(started: TestClient) -> None:
    response = started.get("/api/v1/calendar")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert response.text == started.get("/calendar.ics").text
    two_weeks = started.get("/api/v1/calendar", params={"weeks": 2}).text
    assert len(_of("session", _events(two_weeks))) == 6


@pytest.mark.parametrize("weeks", ["0", "13", "many"])
def test_api_calendar_refuses_weeks_outside_1_to_12(started: TestClient, weeks: str) -> None:
    response = started.get("/api/v1/calendar", params={"weeks": weeks})

    assert response.status_code == 422
    assert "weeks" in response.json()["message"]


# The handout and the summary.


@pytest.mark.parametrize(("size", "points"), [("a4", (595, 842)), ("letter", (612, 792))])
def test_the_handout_pdf_is_one_page_of_the_asked_size(
    started: TestClient, tmp_path: Path, size: str, points: tuple[int, int]
) -> None:
    response = started.get("/handout.pdf", params={"size": size})

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    _attachment(response, "lumbar-handout.pdf")
    assert response.content.startswith(b"%PDF")
    pages, page_size, words = _pdf_info(response.content, tmp_path)
    assert (pages, page_size) == (1, points)
    assert "Good pain, bad pain" in words and "Stop and get help" in words


def test_an_unknown_paper_size_shows_the_share_page_with_the_reason(started: TestClient) -> None:
    response = started.get("/handout.pdf", params={"size": "a3"})

    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")
    assert form_error(response) == "Paper size: 'a3': choose a4 or letter"


def test_the_summary_is_a_page_with_the_reported_problem(started: TestClient) -> None:
    log_session(started, MONDAY, {"glute-bridge": "sharp"})
    _report_a_fall(started)

    response = started.get("/summary")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = text(response)
    assert "Home exercise program for lower back pain: summary" in page
    assert NOTE in page and "A fall" in page
    assert "Glute bridge sharp pain" in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in response.text
    assert '<a href="/progress">← Back to your progress</a>' in response.text


def test_the_summary_pdf_holds_the_problem_too(started: TestClient, tmp_path: Path) -> None:
    _report_a_fall(started)

    response = started.get("/summary.pdf")

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    _attachment(response, "lumbar-summary.pdf")
    pages, page_size, words = _pdf_info(response.content, tmp_path)
    assert (pages, page_size) == (1, (595, 842))
    assert NOTE in words
    assert "Back to your progress" not in words  # the link is for the page on a screen


# FHIR.


def test_the_fhir_download_is_a_bundle(started: TestClient) -> None:
    response = started.get("/settings/export/fhir")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/fhir+json")
    _attachment(response, "lumbar-fhir-bundle.json")
    assert response.json()["resourceType"] == "Bundle"


def test_api_fhir_export_validates_as_an_r4b_bundle(started: TestClient) -> None:
    from fhir.resources.R4B.bundle import Bundle

    log_session(started, MONDAY, {"dead-bug": "sharp"})

    response = started.get("/api/v1/export", params={"format": "fhir"})

    assert response.status_code == 200
    # One media type for a Bundle everywhere (issue #18): the API's as the download's.
    assert response.headers["content-type"] == "application/fhir+json"
    download = started.get("/settings/export/fhir")
    assert download.headers["content-type"].split(";")[0] == "application/fhir+json"
    bundle = Bundle.model_validate(response.json())
    resources = [entry.resource for entry in bundle.entry or []]
    kinds = {r.get_resource_type() for r in resources if r is not None}
    assert {"Patient", "CarePlan", "Observation", "Procedure"} <= kinds
    assert response.json() == started.get("/settings/export/fhir").json()


def test_api_export_refuses_an_unknown_format(started: TestClient) -> None:
    assert started.get("/api/v1/export", params={"format": "xml"}).status_code == 422


# Reporting a problem, on its page.


def test_the_problem_page_offers_the_three_kinds(started: TestClient) -> None:
    response = started.get("/problem")

    assert response.status_code == 200
    assert 'action="/problem"' in response.text
    for kind in ("pain_after_session", "fall", "other"):
        assert f'name="kind" value="{kind}"' in response.text
    assert "Your reports" not in text(response)


def test_a_reported_problem_is_saved_and_listed(started: TestClient, clock: Clock) -> None:
    clock.today = WEDNESDAY

    response = started.post("/problem", data={"kind": "fall", "note": NOTE, "hurt_back": "no"})

    assert response.status_code == 200
    page = text(response)
    assert "Thank you: it is saved" in page
    assert f"Your reports Wed 4 Nov 2026 : A fall. {NOTE}" in page
    assert _problems(started) == [{"date": "2026-11-04", "kind": "fall", "note": NOTE}]


def test_something_else_without_a_note_is_refused_and_nothing_is_written(
    started: TestClient,
) -> None:
    response = started.post("/problem", data={"kind": "other", "note": "  "})

    assert response.status_code == 422
    assert assert_errors_beside_fields(response) == {"note": "Say in a few words what happened"}
    assert checked(response, "kind", "other")  # the answer is kept on the page
    assert _problems(started) == []


def test_a_problem_with_no_kind_is_refused(started: TestClient) -> None:
    response = started.post("/problem", data={"note": NOTE})

    assert response.status_code == 422
    assert assert_errors_beside_fields(response) == {"kind": "Choose what happened"}
    assert error_summary(response) == [("kind-0", "Choose what happened")]
    assert "Slipped on the wet stairs" in response.text  # the note is kept
    assert _problems(started) == []


def test_a_problem_report_changes_no_exercise_and_asks_the_safety_questions_again(
    started: TestClient,
) -> None:
    """More pain after a session, with no sign ticked, changes nothing in the exercises:
    it adds a note that the safety questions come again before the next session."""
    before = started.get("/api/v1/today", params={"date": WEDNESDAY.isoformat()}).json()

    started.post("/problem", data={"kind": "pain_after_session", "note": ""})

    after = started.get("/api/v1/today", params={"date": WEDNESDAY.isoformat()}).json()
    assert before["alerts"] == []
    assert [(a["level"], a["code"], a["rule"]) for a in after["alerts"]] == [
        ("info", "problem_check", "screening.follow_up")
    ]
    assert {k: v for k, v in after.items() if k != "alerts"} == {
        k: v for k, v in before.items() if k != "alerts"
    }


# The API.


def test_api_problems_are_created_then_listed(started: TestClient) -> None:
    fall = started.post("/api/v1/problems", json={"kind": "fall", "hurt_back": False})
    assert fall.status_code == 201, fall.text
    live_until(started, date(2026, 11, 3))
    response = started.post(
        "/api/v1/problems",
        json={"kind": "pain_after_session", "note": "stiff", "date": "2026-11-03"},
    )

    assert response.status_code == 201
    assert response.json() == {"date": "2026-11-03", "kind": "pain_after_session", "note": "stiff"}
    assert _problems(started) == [
        {"date": "2026-11-02", "kind": "fall", "note": ""},
        {"date": "2026-11-03", "kind": "pain_after_session", "note": "stiff"},
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"kind": "slip"}, "kind: choose what happened: pain_after_session, fall, other"),
        ({"kind": "other"}, "note: say in a few words what happened"),
        (
            {"kind": "fall", "hurt_back": False, "date": "2026-11-01"},
            "date: 2026-11-01 is before the program started",
        ),
        ({"kind": "fall", "note": "x" * 1001}, "note"),
        ({"kind": "fall", "note": "slipped"}, "fall: a fall asks a few questions at once"),
        ({"kind": "fall", "hurt_back": "yes"}, "hurt_back"),
        ({"note": "no kind"}, "kind"),
        ({"kind": "fall", "mood": "bad"}, "mood"),
    ],
)
def test_api_a_bad_problem_is_422_with_a_message_and_nothing_is_written(
    started: TestClient, body: dict[str, Any], message: str
) -> None:
    response = started.post("/api/v1/problems", json=body)

    assert response.status_code == 422
    assert message in response.json()["message"]
    assert _problems(started) == []


def test_api_problems_need_a_program(client: TestClient) -> None:
    assert client.get("/api/v1/problems").status_code == 409
    fall = {"kind": "fall", "hurt_back": False}
    assert client.post("/api/v1/problems", json=fall).status_code == 409


def test_api_reminders_start_at_the_defaults_and_change_field_by_field(
    started: TestClient,
) -> None:
    assert _reminders(started) == DEFAULT_REMINDERS

    response = started.put("/api/v1/settings/reminders", json={"session_time": "06:30"})

    assert response.status_code == 200
    assert response.json() == {**DEFAULT_REMINDERS, "session_time": "06:30"}
    changed = started.put(
        "/api/v1/settings/reminders", json={"work_days": ["sat", "sun"], "break_minutes": 0}
    ).json()
    assert changed == {
        **DEFAULT_REMINDERS,
        "session_time": "06:30",
        "work_days": ["sat", "sun"],
        "break_minutes": 0,
    }
    assert _reminders(started) == changed
    assert _of("posture", _events(started.get("/api/v1/calendar").text)) == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"work_start": "18:00"}, "work_end: the working day must end after it starts"),
        ({"session_time": "7pm"}, "session_time: '7pm' is not a time like 07:30 or 18:00"),
        ({"break_minutes": 300}, "break_minutes: a break every 20 to 240 minutes"),
        ({"break_minutes": -20}, "break_minutes: '-20' is not a number of minutes"),
        ({"work_days": ["someday"]}, "is not a day (mon to sun)"),
        ({"alarm": "loud"}, "alarm"),
    ],
)
def test_api_bad_reminders_are_422_and_nothing_is_saved(
    started: TestClient, body: dict[str, Any], message: str
) -> None:
    response = started.put("/api/v1/settings/reminders", json=body)

    assert response.status_code == 422
    assert message in response.json()["message"]
    assert _reminders(started) == DEFAULT_REMINDERS


def test_api_reminders_need_a_program(client: TestClient) -> None:
    assert client.get("/api/v1/settings/reminders").status_code == 409
    assert client.get("/api/v1/calendar").status_code == 409


def test_report_a_problem_says_nobody_else_reads_it_and_gives_advice_for_its_kind(
    started: TestClient,
) -> None:
    """Self-guided there is no clinician: the report is kept for when the person sees one."""
    words = report_words()

    form = started.get("/problem")
    sent = started.post("/problem", data={"kind": "pain_after_session"})

    assert "Nobody else reads it" in text(form) and "clinician reads it" not in text(form)
    for kind in ("pain_after_session", "fall", "other"):  # on the form, for each kind
        assert words.advice[kind].title in text(form)
    assert sent.status_code == 200
    page = text(sent)
    assert "Thank you: it is saved. Nobody else reads it" in page
    assert "dashboard" not in page
    advice = page.split("What to do now", 1)[-1] if "What to do now" in page else page
    assert "After more pain than usual" in page
    for point in words.advice["pain_after_session"].points:
        assert point in advice
    assert len(_problems(started)) == 1


def test_every_problem_of_a_report_is_shown_at_once_and_a_long_note_is_not_echoed(
    started: TestClient,
) -> None:
    pasted = "slipped " * 700  # over the note's 1,000 characters

    response = started.post("/problem", data={"kind": "fall", "note": pasted})

    assert response.status_code == 422
    assert assert_errors_beside_fields(response) == {
        "fall": "Answer whether the fall hurt your back, or made your back pain worse",
        "note": "Keep the note to 1000 characters at most",
    }
    assert [anchor for anchor, _ in error_summary(response)] == ["hurt_back-yes", "note"]
    assert pasted.strip() not in response.text
    assert checked(response, "kind", "fall")
    assert _problems(started) == []
