"""The way in: `/` and the `/start` form, with the screening questions and its refusals."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from lumbar.content.load import Content
from lumbar.domain.model import Level
from lumbar.domain.screening import RED_FLAGS
from lumbar.usecases.person import Person
from tests.builders import ACTIVITIES
from tests.web.conftest import (
    START_FORM,
    assert_errors_beside_fields,
    error_summary,
    exported,
    field_value,
    form_error,
    intake_step,
    selected,
    text,
    ticked,
)

TIER_HEADINGS = (
    (Level.EMERGENCY, "Signs that need emergency care"),
    (Level.URGENT, "Signs to see a doctor about today"),
    (Level.SEE_CLINICIAN, "Signs to have checked in the next few days"),
)


def test_home_shows_a_new_person_the_intake_first_step_without_a_redirect(
    client: TestClient,
) -> None:
    response = client.get("/")
    step = client.get(client.get("/start").headers["location"])

    assert response.status_code == 200  # the page itself: no round trip through /start
    assert "<title>About you (step 1 of" in response.text
    assert "<h1" in step.text and step.text.split("<h1", 1)[1] == response.text.split("<h1", 1)[1]
    assert 'action="/start/about"' in response.text
    assert 'aria-current="page"' not in response.text  # not Today: the intake


def test_home_shows_someone_with_a_program_today_without_a_redirect(started: TestClient) -> None:
    response = started.get("/")

    assert response.status_code == 200
    assert response.text == started.get("/today").text
    assert '<a href="/today" aria-current="page">Today</a>' in response.text


def test_the_start_form_is_not_shown_again_once_started(started: TestClient) -> None:
    response = started.get("/start")

    assert response.status_code == 303
    assert response.headers["location"] == "/today"


def test_the_start_form_asks_every_screening_question_grouped_by_tier(
    client: TestClient, content: Content
) -> None:
    response = intake_step(client, "signs")

    assert response.status_code == 200
    page = text(response)
    assert "Step 2 of 5" in page
    headings = [page.index(heading) for _, heading in TIER_HEADINGS]
    assert headings == sorted(headings)
    seen_by = page.index("If a doctor or physical therapist has already seen you about what")
    bounds = [*headings, seen_by]
    for tier, (level, _) in enumerate(TIER_HEADINGS):
        codes = [code for code, found in RED_FLAGS.items() if found is level]
        assert codes
        for code in codes:
            question = content.symptoms[code].question
            assert bounds[tier] < page.index(question) < bounds[tier + 1], question
            assert f'name="red_flags" value="{code}"' in response.text
    assert 'name="seen_by"' in response.text
    assert 'name="cleared"' not in response.text


def test_the_start_form_shows_the_disclaimer_in_full_and_asks_if_it_is_understood(
    client: TestClient, content: Content
) -> None:
    response = client.get("/start/about")

    page = text(response)
    disclaimer = content.topics["disclaimer"]
    lines = [line.strip() for line in disclaimer.body.splitlines() if line.strip()]
    assert lines
    for line in lines:
        assert " ".join(line.removeprefix("- ").split()) in page, line
    assert page.index(lines[-1]) < page.index("Your age")
    assert 'name="understood" value="1"' in response.text
    assert ticked(response, "understood") == []


def test_the_start_form_asks_age_pain_days_and_activities(client: TestClient) -> None:
    asked = {
        "about": ("Your age", "How many weeks ago"),
        "days": ("Your training days",),
        "activities": ("Your average back pain", "Activity 1"),
        "equipment": ("Weights in", "Start my program"),
    }
    for slug, labels in asked.items():
        response = intake_step(client, slug)
        page = text(response)
        for label in labels:
            assert label in page, (slug, label)
        if slug == "days":
            assert ticked(response, "days") == ["mon", "wed", "fri"]
        if slug == "activities":
            for n in range(11):
                assert f'name="pain" value="{n}"' in response.text


def test_good_answers_start_the_program_and_lead_to_today(
    client: TestClient, services: Person
) -> None:
    response = client.post("/start", data=START_FORM)

    assert response.status_code == 303
    assert response.headers["location"] == "/welcome"
    history = services.history()
    assert (history.profile.age, history.profile.training_days.label) == (42, "mon,wed,fri")
    document = exported(client)
    assert document is not None
    assert document["profile"] == {
        "start": "2026-11-02",
        "age": 42,
        "pain_weeks": 10,
        "days": ["mon", "wed", "fri"],
        "psfs_activities": list(ACTIVITIES),
        # The start form's unit is the browser's (the test client says no language: kg).
        "unit": "kg",
        "equipment": {"weights": [], "band": False},
    }
    assert document["events"][0]["pain"] == 6
    assert document["events"][0]["psfs"] == [4, 5, 3]
    assert "Today's session" in text(client.get("/today"))


def test_every_other_day_and_five_activities_can_be_chosen(client: TestClient) -> None:
    form = {
        **START_FORM,
        "days": [],
        "every_other_day": "1",
        "pain_weeks": "0",
        "activity_4": "tie my shoes",
        "score_4": "7",
        "activity_5": "play with my dog",
        "score_5": "0",
    }

    response = client.post("/start", data=form)

    assert response.status_code == 303
    document = exported(client)
    assert document is not None
    assert document["profile"]["days"] == "every-other-day"
    assert document["profile"]["pain_weeks"] == 0
    assert document["profile"]["psfs_activities"][3:] == ["tie my shoes", "play with my dog"]
    assert document["events"][0]["psfs"] == [4, 5, 3, 7, 0]


def test_an_emergency_sign_shows_the_emergency_page_and_starts_nothing(
    client: TestClient, content: Content
) -> None:
    response = client.post("/start", data={**START_FORM, "red_flags": ["fever", "both_legs"]})

    assert response.status_code == 200
    page = text(response)
    assert "Please get medical care now" in page
    assert content.symptoms["both_legs"].label in page
    assert "Nothing has been saved" in page and "Do not start the exercises" in page
    assert exported(client) is None
    assert client.get("/start").headers["location"] == "/start/about"
    assert "<title>About you (step 1 of" in client.get("/").text


def test_an_urgent_sign_starts_the_program_paused(client: TestClient) -> None:
    response = client.post("/start", data={**START_FORM, "red_flags": ["night_pain"]})

    assert response.status_code == 303
    document = exported(client)
    assert document is not None
    assert document["events"][0]["symptoms"] == ["night_pain"]
    assert "No exercises today" in text(client.get("/today"))


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"age": ""}, "age", "Enter your age"),
        ({"age": "forty"}, "age", "Enter your age as a whole number of years, like 42"),
        ({"age": "15"}, "age", "it starts at 18, and you told us you are 15"),
        ({"age": "150"}, "age", "Your age must be 120 or less"),
        ({"pain": ""}, "pain", "Choose your average back pain over the past week, from 0 to 10"),
        ({"pain_weeks": ""}, "pain_weeks", "Enter how many weeks ago this episode"),
        ({"pain_weeks": "soon"}, "pain_weeks", "Enter the number of weeks as a whole number"),
        ({"understood": ""}, "understood", "Tick the box to say you have read and understood"),
        ({"days": ["mon", "tue", "thu"]}, "days", "Monday and Tuesday are consecutive days"),
        ({"days": []}, "days", "Choose three training days, or every other day"),
        ({"score_2": ""}, "score_2", "Choose how well you can do activity 2 now, from 0 to 10"),
    ],
    ids=[
        "age-missing",
        "age-not-a-number",
        "age-15",
        "age-150",
        "pain-missing",
        "pain-weeks-missing",
        "pain-weeks-not-a-number",
        "not-understood",
        "consecutive-days",
        "no-days",
        "activity-without-score",
    ],
)
def test_refused_answers_are_shown_again_with_the_reason_and_nothing_is_written(
    client: TestClient, change: dict[str, Any], field: str, message: str
) -> None:
    form = {**START_FORM, "red_flags": ["leg_numbness"], "pain_weeks": "8", **change}

    response = client.post("/start", data=form)

    assert response.status_code == 422
    assert message in form_error(response)
    assert message in assert_errors_beside_fields(response)[field]
    assert field_value(response, "age") == form["age"]
    assert field_value(response, "pain_weeks") == form["pain_weeks"]
    assert field_value(response, "activity_1") == ACTIVITIES[0]
    assert field_value(response, "activity_2") == ACTIVITIES[1]
    assert selected(response, "score_1") == "4"
    assert selected(response, "score_2") == (form["score_2"] or None)
    assert ticked(response, "red_flags") == ["leg_numbness"]
    assert ticked(response, "understood") == (["1"] if form["understood"] else [])
    assert ticked(response, "days") == form["days"]
    assert ticked(response, "pain") == ([form["pain"]] if form["pain"] else [])
    assert exported(client) is None


def test_no_activities_at_all_is_refused_in_plain_words(client: TestClient) -> None:
    form = {k: v for k, v in START_FORM.items() if not k.startswith(("activity_", "score_"))}

    response = client.post("/start", data=form)

    assert response.status_code == 422
    beside = assert_errors_beside_fields(response)
    assert beside == {
        "psfs": "Name at least one activity your back makes hard, and rate it from 0 to 10"
    }
    assert error_summary(response) == [("activity_1", beside["psfs"])]
    assert exported(client) is None


def test_every_problem_is_shown_at_once_each_beside_its_field(client: TestClient) -> None:
    """One submit shows them all (the review needed five): a negative number of weeks, an age
    over the limit, a page of text as an activity, a missing score, no pain chosen."""
    pasted = "lift " * 1000  # 5,000 characters
    form = {
        **START_FORM,
        "age": "130",
        "pain_weeks": "−3",
        "pain": "",
        "activity_2": pasted,
        "score_3": "",
    }

    response = client.post("/start", data=form)

    assert response.status_code == 422
    beside = assert_errors_beside_fields(response)
    assert beside == {
        "age": "Your age must be 120 or less",
        "pain_weeks": "The number of weeks cannot be below 0: give 0 if it began this week",
        "pain": "Choose your average back pain over the past week, from 0 to 10",
        "activity_2": "Activity 2 must be 200 characters or fewer",
        "score_3": "Choose how well you can do activity 3 now, from 0 to 10",
    }
    # In the order of the page, each linked to its field (the pain scale's first button).
    assert [anchor for anchor, _ in error_summary(response)] == [
        "age",
        "pain_weeks",
        "pain-0",
        "activity_2",
        "score_3",
    ]
    assert pasted.strip() not in response.text and "lift " * 60 not in response.text
    assert field_value(response, "age") == "130"
    assert field_value(response, "activity_1") == ACTIVITIES[0]
    assert 'autofocus id="error-summary"' in response.text
    assert exported(client) is None
