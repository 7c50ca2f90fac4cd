"""The pages besides the start and the player: today, check-in, progress, library, learn,
settings, the manifest and the static files."""

from __future__ import annotations

import html
import json
import re
import stat
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from lumbar.content.load import Content
from lumbar.domain.model import Level
from lumbar.domain.screening import RED_FLAGS
from lumbar.web.assets import static_url
from tests.builders import ACTIVITIES
from tests.web.conftest import (
    FRIDAY,
    HTMX,
    MONDAY,
    PHASE_1,
    TUESDAY,
    WEDNESDAY,
    Clock,
    assert_errors_beside_fields,
    checked,
    checkins,
    error_summary,
    exported,
    form_error,
    is_partial,
    log_session,
    plan,
    selected,
    start_program,
    text,
    ticked,
)

# Pages that need a program send a new person to the start.


@pytest.mark.parametrize("path", ["/today", "/check-in", "/clear", "/progress", "/session"])
def test_pages_of_the_program_send_a_new_person_to_the_start(client: TestClient, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 303
    assert response.headers["location"] == "/start"


# Today.


def test_today_on_a_session_day_lists_the_exercises_and_offers_the_session(
    started: TestClient, content: Content
) -> None:
    response = started.get("/today")

    assert response.status_code == 200
    page = text(response)
    assert "Mon 2 Nov 2026 · Phase 1: Calm and reboot" in page
    assert "Today's session" in page
    names = [content.catalogue[e].name for e in PHASE_1]
    assert [page.index(name) for name in names] == sorted(page.index(name) for name in names)
    assert "2 sets of 6, rest 30 s" in page
    assert 'href="/session"' in response.text
    assert "Start the session" in page


def test_today_after_the_session_says_it_is_done(started: TestClient) -> None:
    log_session(started, MONDAY)

    page = text(started.get("/today"))

    assert "Today's session is done" in page
    assert "Start the session" not in page
    assert "Next session: Wed 4 Nov 2026" in page


def test_today_on_a_rest_day_offers_the_daily_routine(started: TestClient, clock: Clock) -> None:
    log_session(started, MONDAY)
    clock.today = TUESDAY

    response = started.get("/today")

    page = text(response)
    assert "Tue 3 Nov 2026" in page
    assert "Rest day" in page
    assert "cat-cow and child's pose" in page and "Do the daily routine" in page
    assert "Next session: Wed 4 Nov 2026" in page
    assert "Start the session" not in page


def test_today_is_paused_after_an_urgent_symptom(started: TestClient, content: Content) -> None:
    assert started.post("/check-in", data={"symptoms": "fever"}).status_code == 303

    response = started.get("/today")

    page = text(response)
    assert "No exercises today" in page
    assert "See a doctor today" in page
    assert content.symptoms["fever"].label in page
    assert "Start the session" not in page
    assert "Diaphragmatic breathing" not in page


def test_today_is_paused_after_an_emergency_symptom(started: TestClient) -> None:
    started.post("/check-in", data={"symptoms": "major_trauma", "focus": "symptoms"})

    page = text(started.get("/today"))

    assert "No exercises today" in page
    assert "Emergency" in page
    assert "Start the session" not in page


# Check-in.


def test_the_checkin_asks_pain_each_activity_and_the_symptoms(
    started: TestClient, content: Content
) -> None:
    response = started.get("/check-in")

    assert response.status_code == 200
    page = text(response)
    assert "Check in" in page
    assert "Your average back pain over the past week" in page
    for activity in ACTIVITIES:
        assert f"How well can you {activity} now?" in page
    for code in RED_FLAGS:
        assert content.symptoms[code].question in page
    assert 'name="score_2"' in response.text and 'name="score_3"' not in response.text


def test_the_symptom_checkin_asks_only_about_symptoms(
    started: TestClient, content: Content
) -> None:
    response = started.get("/check-in", params={"focus": "symptoms"})

    assert response.status_code == 200
    page = text(response)
    assert "Something new?" in page
    assert 'name="pain"' not in response.text
    assert 'name="score_0"' not in response.text
    assert all(content.symptoms[code].question in page for code in RED_FLAGS)
    assert 'name="focus" value="symptoms"' in response.text


def test_a_checkin_with_pain_and_scores_is_recorded(started: TestClient, clock: Clock) -> None:
    clock.today = WEDNESDAY

    response = started.post(
        "/check-in", data={"pain": "4", "score_0": "5", "score_1": "6", "score_2": "4"}
    )

    assert response.status_code == 303
    assert response.headers["location"] == "/today"
    assert checkins(started)[-1] == {
        "type": "checkin",
        "date": "2026-11-04",
        "pain": 4,
        "psfs": [5, 6, 4],
        "symptoms": [],
        "screened": True,
        "follow_up": False,
    }


def test_a_checkin_with_pain_alone_is_recorded(started: TestClient) -> None:
    response = started.post("/check-in", data={"pain": "0"})

    assert response.status_code == 303
    latest = checkins(started)[-1]
    assert (latest["pain"], latest["psfs"]) == (0, None)


def test_an_empty_checkin_records_the_safety_questions_answered_none_applying(
    started: TestClient, clock: Clock
) -> None:
    """The form asks every safety question: sent with nothing ticked, it answers "none of
    these" (screened), with no pain score and no activity scores."""
    clock.today = WEDNESDAY
    before = checkins(started)

    response = started.post("/check-in", data={})

    assert response.status_code == 303
    assert response.headers["location"] == "/today"
    assert checkins(started) == [
        *before,
        {
            "type": "checkin",
            "date": "2026-11-04",
            "pain": None,
            "psfs": None,
            "symptoms": [],
            "screened": True,
            "follow_up": False,
        },
    ]
    assert plan(started)["kind"] == "session"


def test_an_empty_symptom_checkin_records_that_nothing_new_applies(
    started: TestClient,
) -> None:
    before = checkins(started)

    response = started.post("/check-in", data={"focus": "symptoms"})

    assert response.status_code == 303
    assert response.headers["location"] == "/today"
    latest = checkins(started)
    assert latest[:-1] == before
    assert (latest[-1]["pain"], latest[-1]["psfs"], latest[-1]["symptoms"]) == (None, None, [])
    assert latest[-1]["screened"] is True
    assert plan(started)["alerts"] == []


def test_a_checkin_with_some_activities_unrated_keeps_the_answers(started: TestClient) -> None:
    before = exported(started)

    response = started.post(
        "/check-in", data={"pain": "3", "score_0": "7", "symptoms": "leg_weakness"}
    )

    assert response.status_code == 422
    # Each unrated activity beside its own list, at once.
    choose = "Choose how well you can {} now, from 0 to 10, or leave them all empty"
    assert assert_errors_beside_fields(response) == {
        f"score_{i}": choose.format(ACTIVITIES[i]) for i in (1, 2)
    }
    assert checked(response, "pain", "3")
    assert selected(response, "score_0") == "7"
    assert selected(response, "score_1") is None
    assert checked(response, "symptoms", "leg_weakness")
    assert exported(started) == before


@pytest.mark.parametrize(
    "form",
    [{"pain": "lots"}, {"pain": "11"}, {"score_0": "42", "score_1": "5", "score_2": "5"}],
    ids=["pain-not-a-number", "pain-above-10", "score-above-10"],
)
def test_a_checkin_with_a_score_out_of_range_is_refused(
    started: TestClient, form: dict[str, str]
) -> None:
    before = exported(started)

    response = started.post("/check-in", data=form)

    assert response.status_code == 422
    assert form_error(response)
    assert exported(started) == before


def test_an_unknown_symptom_is_refused(started: TestClient) -> None:
    before = exported(started)

    response = started.post("/check-in", data={"symptoms": "dizzy"})

    assert response.status_code == 422
    assert "Unknown symptom code 'dizzy'" in assert_errors_beside_fields(response)["symptoms"]
    assert exported(started) == before


def test_an_emergency_symptom_shows_the_emergency_page_and_pauses_the_program(
    started: TestClient, content: Content
) -> None:
    response = started.post("/check-in", data={"symptoms": "saddle_numbness", "focus": "symptoms"})

    assert response.status_code == 200
    page = text(response)
    assert "Please get medical care now" in page
    assert content.symptoms["saddle_numbness"].label in page
    assert "Your sessions are paused" in page
    assert checkins(started)[-1]["symptoms"] == ["saddle_numbness"]
    today = plan(started)
    assert today["kind"] == "blocked"
    assert [a["level"] for a in today["alerts"]] == [Level.EMERGENCY.value]


def test_the_checkin_carries_no_clearance_and_points_to_the_clear_page(
    started: TestClient,
) -> None:
    """A clearance is a record of its own: the check-in form has no box for it (a "cleared"
    field sent anyway clears nothing), and links to the page where a person records who
    saw them."""
    started.post("/check-in", data={"symptoms": "saddle_numbness"})

    form = started.get("/check-in")
    response = started.post("/check-in", data={"cleared": "1"})

    assert 'name="cleared"' not in form.text
    assert 'href="/clear"' in form.text
    assert response.status_code == 303
    assert plan(started)["kind"] == "blocked"
    assert [c["symptoms"] for c in checkins(started)] == [[], ["saddle_numbness"], []]


def test_a_clearance_on_the_clear_page_resumes_the_program(started: TestClient) -> None:
    started.post("/check-in", data={"symptoms": "saddle_numbness"})
    form = started.get("/clear")

    response = started.post("/clear", data={"alerts": "saddle_numbness", "by": "Dr Rao"})

    assert form.status_code == 200
    assert ticked(form, "alerts") == []
    assert 'name="alerts" value="saddle_numbness"' in form.text
    assert response.status_code == 303
    assert response.headers["location"] == "/today"
    today = plan(started)
    assert today["kind"] == "session"
    assert [(a["level"], a["code"]) for a in today["alerts"]] == [
        ("info", "saddle_numbness_cleared")
    ]
    assert "Today's session" in text(started.get("/today"))


# Progress.


def test_progress_draws_the_charts_the_calendar_and_the_phase_history(
    started: TestClient, clock: Clock
) -> None:
    for day in (MONDAY, WEDNESDAY, FRIDAY):
        log_session(started, day)
    started.post("/api/v1/checkins", json={"date": "2026-11-06", "pain": 4, "psfs": [6, 6, 5]})
    clock.today = date(2026, 11, 9)
    log_session(started, clock.today)

    response = started.get("/progress")

    assert response.status_code == 200
    page = text(response)
    assert response.text.count("<svg") == 2
    assert response.text.count("<polyline") == 2
    assert "Pain, 0 (none) to 10 (worst)" in page
    assert "Activities (PSFS)" in page
    assert "6 at the start, 4 now" in page
    assert "Mon 2 Nov 2026: Session done" in page
    assert "Tue 3 Nov 2026: Rest day" in page
    assert "Fri 6 Nov 2026: Session done" in page
    assert "Mon 9 Nov 2026: Session done" in page
    assert "started in phase 1" in page
    assert "moved up to phase 2" in page
    counted = started.get("/api/v1/status").json()["improvement"]
    completed, planned = counted["completed_sessions"], counted["planned_sessions"]
    assert completed >= 3
    assert f"{completed} of {planned} planned" in page


def test_progress_right_after_the_start_shows_the_baseline(started: TestClient) -> None:
    response = started.get("/progress")

    assert response.status_code == 200
    page = text(response)
    assert "6 at the start" in page
    assert "Sessions None done yet: the first on Mon 2 Nov 2026" in page
    assert "none planned yet" not in page
    assert response.text.count("<svg") == 2
    assert "started in phase 1" in page


def test_progress_after_the_first_session_says_it_and_the_next_date(
    started: TestClient, clock: Clock
) -> None:
    log_session(started, MONDAY)
    clock.today = TUESDAY

    page = text(started.get("/progress"))

    assert "Sessions 1 of 1 planned (100%); the next on Wed 4 Nov 2026" in page
    assert "none planned" not in page


def test_progress_shows_each_sharp_and_down_the_leg_answer_on_its_timeline(
    started: TestClient, clock: Clock, content: Content
) -> None:
    first = plan(started, MONDAY)["exercises"][0]["id"]
    log_session(started, MONDAY, {first: "sharp"})
    second = plan(started, WEDNESDAY)["exercises"][-1]["id"]  # it ends the session
    log_session(started, WEDNESDAY, {second: "radiating"})
    clock.today = date(2026, 11, 5)

    page = text(started.get("/progress"))

    names = content.catalogue
    sharp = f"Mon 2 Nov 2026 : sharp pain after {names[first].name}."
    leg = f"Wed 4 Nov 2026 : pain down the leg after {names[second].name}."
    assert sharp in page and leg in page
    assert page.index("started in phase 1") < page.index(sharp) < page.index(leg)


def test_progress_shows_activity_scores_to_one_decimal(started: TestClient) -> None:
    response = started.get("/progress")

    assert re.search(r"\b\d+\.\d\d\b", text(response)) is None
    assert re.search(r'class="value"[^>]*>\d+\.\d<', response.text)


# Library.


def test_the_library_lists_every_exercise(client: TestClient, content: Content) -> None:
    response = client.get("/library")

    assert response.status_code == 200
    page = text(response)
    assert f"{len(content.catalogue)} exercises" in page
    for exercise in content.catalogue.values():
        assert f'href="/library/{exercise.id}"' in response.text
        assert exercise.name in page


def linked(response_text: str) -> set[str]:
    return set(re.findall(r'href="/library/([a-z-]+)"', response_text))


def test_the_library_filters_by_phase(client: TestClient, content: Content) -> None:
    response = client.get("/library", params={"phase": "1"})

    assert response.status_code == 200
    assert linked(response.text) == set(PHASE_1)
    assert f"{len(PHASE_1)} exercises" in text(response)
    assert '<option value="1" selected>' in response.text
    phase_3 = client.get("/library", params={"phase": "3"})
    phase = content.program.phase(3)
    expected = {e for e in content.catalogue if phase.prescription(e) is not None}
    assert linked(phase_3.text) == expected


def test_the_library_filters_by_kind(client: TestClient, content: Content) -> None:
    response = client.get("/library", params={"category": "mobility"})

    mobility = {e.id for e in content.catalogue.values() if e.category == "mobility"}
    assert mobility
    assert linked(response.text) == mobility
    both = client.get("/library", params={"category": "mobility", "phase": "2"})
    assert linked(both.text) == {"cat-cow"}


def test_the_library_filter_answers_htmx_with_the_results_alone(client: TestClient) -> None:
    response = client.get(
        "/library",
        params={"category": "core-stability"},
        headers={**HTMX, "HX-Target": "results"},
    )

    assert response.status_code == 200
    assert is_partial(response)
    assert response.text.lstrip().startswith('<div id="results"')
    assert linked(response.text) == {"glute-bridge", "dead-bug", "bird-dog", "side-plank"}
    assert "<select" not in response.text


def test_an_exercise_page(client: TestClient, content: Content) -> None:
    response = client.get("/library/glute-bridge")

    assert response.status_code == 200
    page = text(response)
    exercise = content.catalogue["glute-bridge"]
    assert exercise.name in page
    assert all(step in page for step in exercise.steps)
    assert exercise.reduced_range in page
    assert "Phase 1: 2 sets of 6, hold 3 s, rest 45 s" in page


def test_an_unknown_exercise_page_is_404(client: TestClient) -> None:
    response = client.get("/library/cartwheel")

    assert response.status_code == 404
    assert "There is no exercise called 'cartwheel'." in text(response)


# Learn.


def test_learn_lists_every_topic(client: TestClient, content: Content) -> None:
    response = client.get("/learn")

    assert response.status_code == 200
    page = text(response)
    for topic in content.topics.values():
        assert topic.title in page
        assert f'href="/learn/{topic.id}"' in response.text


def test_a_topic_page_shows_its_paragraphs(client: TestClient, content: Content) -> None:
    response = client.get("/learn/good-vs-bad-pain")

    assert response.status_code == 200
    topic = content.topics["good-vs-bad-pain"]
    page = text(response)
    assert topic.title in page
    assert topic.summary in page
    lines = [line.strip() for line in topic.body.splitlines() if line.strip()]
    paragraphs = [" ".join(line.split()) for line in lines if not line.startswith("- ")]
    items = [" ".join(line[2:].split()) for line in lines if line.startswith("- ")]
    assert paragraphs and all(p in page for p in paragraphs)
    assert items and all(f"<li>{item}</li>" in response.text for item in items)
    assert response.text.count("<p>") >= len(paragraphs)


@pytest.mark.parametrize("topic_id", ["pain-fear-cycle", "breathing", "disclaimer", "foam-rolling"])
def test_every_list_of_a_topic_is_a_list(
    client: TestClient, content: Content, topic_id: str
) -> None:
    body = content.topics[topic_id].body
    items = [line[2:].strip() for line in body.splitlines() if line.startswith("- ")]

    response = client.get(f"/learn/{topic_id}")
    main = response.text[response.text.index("<main") : response.text.index("</main>")]

    assert items and main.count("<li>") == len(items)
    assert all(f"<li>{item}</li>" in main for item in items)
    assert "<p>- " not in main and " - " not in text(response)


def test_topic_markdown_renders_emphasis_and_headings_but_never_raw_html() -> None:
    from lumbar.web.templating import markdown

    html = str(markdown("# Why\n\nSome *calm* words.\n\n<script>alert(1)</script>\n"))

    assert "<h2>Why</h2>" in html
    assert "<em>calm</em>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_an_unknown_topic_page_is_404(client: TestClient) -> None:
    response = client.get("/learn/astrology")

    assert response.status_code == 404
    assert "There is no topic called 'astrology'." in text(response)


# Settings.


def test_settings_before_a_program_offer_only_the_import(client: TestClient) -> None:
    response = client.get("/settings")

    assert response.status_code == 200
    assert 'action="/settings/import"' in response.text
    assert 'action="/settings/days"' not in response.text
    assert "/settings/export" not in response.text


def test_settings_show_the_chosen_days_and_the_download(started: TestClient) -> None:
    response = started.get("/settings")

    assert response.status_code == 200
    assert ticked(response, "days") == ["mon", "wed", "fri"]
    assert 'href="/settings/export"' in response.text


def test_new_training_days_are_saved(started: TestClient) -> None:
    response = started.post("/settings/days", data={"days": ["tue", "thu", "sat"]})

    assert response.status_code == 200
    assert "Your training days are saved." in text(response)
    assert ticked(response, "days") == ["tue", "thu", "sat"]
    document = exported(started)
    assert document is not None
    assert document["profile"]["days"] == ["tue", "thu", "sat"]


def test_every_other_day_is_saved(started: TestClient) -> None:
    response = started.post("/settings/days", data={"every_other_day": "1"})

    assert response.status_code == 200
    assert checked(response, "every_other_day", "1")
    document = exported(started)
    assert document is not None
    assert document["profile"]["days"] == "every-other-day"


@pytest.mark.parametrize(
    ("days", "message"),
    [
        (["mon", "tue", "thu"], "Monday and Tuesday are consecutive days"),
        (["mon", "wed"], "You chose 2 training days"),
        (["mon", "wed", "funday"], "Unknown day 'funday'"),
        ([], "Choose three training days, or every other day"),
    ],
    ids=["consecutive", "two-days", "unknown-day", "none"],
)
def test_refused_training_days_are_explained_and_not_saved(
    started: TestClient, days: list[str], message: str
) -> None:
    before = exported(started)

    response = started.post("/settings/days", data={"days": days})

    assert response.status_code == 422
    assert assert_errors_beside_fields(response)["days"].startswith(message)
    assert error_summary(response)[0][0] == "days-0"
    assert exported(started) == before


def test_the_download_is_the_export_as_an_attachment(started: TestClient) -> None:
    log_session(started, MONDAY)

    response = started.get("/settings/export")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["content-disposition"] == 'attachment; filename="lumbar-export.json"'
    assert json.loads(response.text) == exported(started)


def test_the_download_before_a_program_goes_back_to_settings(client: TestClient) -> None:
    response = client.get("/settings/export")

    assert response.status_code == 303
    assert response.headers["location"] == "/settings"


def upload(client: TestClient, content: bytes, name: str = "lumbar-export.json") -> Any:
    """Choose a file in the settings' import form and press Import."""
    return client.post("/settings/import", files={"file": (name, content, "application/json")})


def test_an_uploaded_export_is_imported_into_an_empty_database(
    started: TestClient, fresh: TestClient
) -> None:
    log_session(started, MONDAY, {"cat-cow": "sharp"})
    download = started.get("/settings/export").content

    response = upload(fresh, download)

    assert response.status_code == 303, form_error(response)
    assert response.headers["location"] == "/today"
    assert exported(fresh) == exported(started)


def test_an_upload_into_a_database_with_a_program_shows_what_would_be_lost_and_writes_nothing(
    started: TestClient, fresh: TestClient
) -> None:
    start_program(fresh, age=55)
    log_session(fresh, MONDAY)
    before = exported(fresh)
    download = started.get("/settings/export").content

    response = upload(fresh, download)

    assert response.status_code == 409
    page = text(response)
    assert "Replace your program?" in page
    assert (
        "This computer already holds a program (since Mon 2 Nov 2026: 1 session and 1 check-in)"
        in page
    )
    assert "download all your data" in page
    assert exported(fresh) == before


def test_replacing_keeps_a_private_export_of_what_was_held_then_imports(
    started: TestClient, fresh: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # lumbar's data folder: a SQLite database's own; for PostgreSQL, the user's (here, the
    # test's folder).
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    start_program(fresh, age=55)
    log_session(fresh, MONDAY)
    held = exported(fresh)
    log_session(started, MONDAY, {"cat-cow": "sharp"})
    download = started.get("/settings/export").content
    confirm = upload(fresh, download)
    document = re.search(r'name="document" value="([^"]*)"', confirm.text)
    assert document is not None

    response = fresh.post(
        "/settings/import/replace",
        data={"name": "lumbar-export.json", "document": html.unescape(document.group(1))},
    )

    assert response.status_code == 200, form_error(response)
    said = re.search(r"is kept in (\S+\.json)", text(response))
    assert said is not None, text(response)
    backup = Path(said.group(1))
    assert backup.is_relative_to(tmp_path.parent) or backup.is_relative_to(tmp_path)
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert json.loads(backup.read_text(encoding="utf-8")) == held
    assert "since Mon 2 Nov 2026: 1 session and 1 check-in" in text(response)
    assert exported(fresh) == exported(started)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "notes.json is empty: choose the .json file that lumbar's export made"),
        (b"\xff\xfe\x00binary", "notes.json is not a lumbar export: choose the .json file"),
        (b"{not json", "notes.json is not a lumbar export: choose the .json file"),
        (b'{"format": "spreadsheet"}', "notes.json is not a lumbar export: choose the .json file"),
        (
            b'{"format": "lumbar-export", "version": 9}',
            "notes.json is from a newer lumbar (format 9); this lumbar reads up to 8: update "
            "lumbar, then import it again",
        ),
    ],
    ids=["empty", "binary", "not-json", "not-an-export", "newer"],
)
def test_an_upload_that_is_not_an_export_is_refused_beside_the_file_picker(
    client: TestClient, content: bytes, message: str
) -> None:
    response = upload(client, content, "notes.json")

    assert response.status_code == 422
    beside = assert_errors_beside_fields(response)
    assert list(beside) == ["file"]
    assert beside["file"].startswith(message)
    assert "line 1" not in response.text and "not valid JSON" not in response.text
    assert exported(client) is None


def test_a_replace_of_a_file_that_is_not_an_export_writes_nothing(started: TestClient) -> None:
    before = exported(started)

    response = started.post(
        "/settings/import/replace", data={"name": "notes.json", "document": "{not json"}
    )

    assert response.status_code == 422
    assert assert_errors_beside_fields(response)["file"].startswith(
        "notes.json is not a lumbar export"
    )
    assert exported(started) == before


def test_an_import_without_a_file_asks_for_one_beside_the_picker(client: TestClient) -> None:
    response = client.post("/settings/import", data={"note": "nothing"})

    assert response.status_code == 422
    assert assert_errors_beside_fields(response) == {
        "file": "Choose the export file to import: the .json file that lumbar's export made"
    }
    assert error_summary(response) == [("file", assert_errors_beside_fields(response)["file"])]


# Installing: the manifest and the static files.


def test_the_manifest_is_json_with_icons_that_are_served(client: TestClient) -> None:
    response = client.get("/manifest.webmanifest")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/manifest+json")
    manifest = json.loads(response.text)
    assert manifest["start_url"] == "/today"
    assert manifest["display"] == "standalone"
    assert manifest["icons"]
    for icon in manifest["icons"]:
        served = client.get(icon["src"])
        assert served.status_code == 200, icon["src"]
        assert served.headers["content-type"].startswith(icon["type"]), icon["src"]


@pytest.mark.parametrize(
    ("path", "kind", "marker"),
    [
        ("/static/htmx.min.js", "text/javascript", "htmx"),
        ("/static/lumbar.css", "text/css", "{"),
        ("/static/player.js", "text/javascript", "data-"),
    ],
)
def test_the_static_files_are_served(client: TestClient, path: str, kind: str, marker: str) -> None:
    response = client.get(path)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith(kind)
    assert marker in response.text


def test_every_page_links_the_stylesheet_htmx_and_the_manifest(started: TestClient) -> None:
    for path in ("/today", "/progress", "/library", "/learn", "/settings", "/check-in"):
        response = started.get(path)
        assert response.status_code == 200, path
        for asset in (static_url("lumbar.css"), static_url("htmx.min.js"), "/manifest.webmanifest"):
            assert asset in response.text, (path, asset)


@pytest.mark.parametrize("score", ["²", "٣", "1" * 5000])
def test_a_score_that_is_not_a_plain_number_is_refused_in_words(
    started: TestClient, score: str
) -> None:
    before = exported(started)
    response = started.post("/check-in", data={"pain": score, "score_1": score})
    assert response.status_code == 422
    assert assert_errors_beside_fields(response) == {
        "pain": "Choose your average back pain over the past week, from 0 to 10",
        "score_1": f"Choose how well you can {ACTIVITIES[1]} now, from 0 to 10",
    }
    assert score not in text(response) or len(score) == 1
    assert exported(started) == before


def test_a_phase_filter_that_is_not_a_plain_number_shows_every_exercise(
    client: TestClient, content: Content
) -> None:
    response = client.get("/library", params={"phase": "²"})
    assert response.status_code == 200
    assert all(e.name in text(response) for e in content.catalogue.values())
