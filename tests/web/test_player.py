"""The session player: one exercise at a time, each pain answer saved as it is given."""

from __future__ import annotations

import html
import json
import re

import httpx2
from fastapi.testclient import TestClient

from lumbar.content.load import Content
from lumbar.domain.dose import Dose
from lumbar.formats.timeline import player_steps
from lumbar.store.database import Store
from lumbar.web.app import create_app
from lumbar.web.assets import static_url
from lumbar.web.templating import PAIN_CHOICES
from tests.web.conftest import (
    BASE_URL,
    HTMX,
    LOOPBACK,
    MONDAY,
    PHASE_1,
    TUESDAY,
    WEDNESDAY,
    Clock,
    answer,
    exported,
    form_error,
    is_partial,
    log_session,
    plan,
    sessions,
    text,
)


def answer_all(client: TestClient, pains: dict[str, str] | None = None) -> None:
    """Answer every exercise of today's session through the player (no pain unless told)."""
    pains = pains or {}
    for planned in plan(client)["exercises"]:
        response = answer(client, planned["id"], pains.get(planned["id"], "none"))
        assert response.status_code == 200, text(response)


def test_the_player_shows_the_first_exercise_with_its_dose_steps_and_pain_buttons(
    started: TestClient, content: Content
) -> None:
    response = started.get("/session")

    assert response.status_code == 200
    page = text(response)
    first = content.catalogue[PHASE_1[0]]
    assert f"Exercise 1 of {len(PHASE_1)} · Phase 1" in page
    assert first.name in page
    assert "1 set of 8" in page
    assert all(step in page for step in first.steps)
    for value, label, _hint in PAIN_CHOICES:
        assert f'name="pain" value="{value}"' in response.text
        assert label in page
    assert [label for _, label, _ in PAIN_CHOICES] == [
        "No pain",
        "Dull ache",
        "Sharp pain",
        "Down my leg",
    ]
    assert f'name="exercise" value="{first.id}"' in response.text
    assert "End the session here" not in page
    assert static_url("player.js") in response.text


def test_a_sharp_answer_explains_what_it_means_and_moves_to_the_next_exercise(
    started: TestClient,
) -> None:
    response = answer(started, "diaphragmatic-breathing", "sharp")

    assert response.status_code == 200
    page = text(response)
    assert "Sharp pain: stop Diaphragmatic breathing for this session" in page
    assert f"Exercise 2 of {len(PHASE_1)}" in page
    assert 'name="exercise" value="cat-cow"' in response.text
    assert "End the session here" in page
    assert sessions(started) == []


def test_a_reload_resumes_at_the_next_unanswered_exercise(started: TestClient) -> None:
    answer(started, "diaphragmatic-breathing", "none")
    answer(started, "cat-cow", "ache")

    response = started.get("/session")

    page = text(response)
    assert f"Exercise 3 of {len(PHASE_1)}" in page
    assert "Glute bridge" in page
    assert 'name="exercise" value="glute-bridge"' in response.text
    assert "so carry on" not in page


def test_a_closed_tab_resumes_in_a_new_app_on_the_same_database(
    started: TestClient, store: Store, clock: Clock
) -> None:
    answer(started, "diaphragmatic-breathing", "none")
    reopened = Store(store.url)
    try:
        with TestClient(
            create_app(reopened, clock=clock),
            base_url=BASE_URL,
            follow_redirects=False,
            client=LOOPBACK,
        ) as later:
            page = text(later.get("/session"))
    finally:
        reopened.dispose()

    assert f"Exercise 2 of {len(PHASE_1)}" in page
    assert "Cat-cow" in page


def test_answering_every_exercise_saves_the_session(started: TestClient) -> None:
    for exercise in PHASE_1[:-1]:
        answer(started, exercise, "ache" if exercise == "dead-bug" else "none")

    response = answer(started, PHASE_1[-1], "none")

    assert response.status_code == 200
    page = text(response)
    assert "Session saved" in page
    assert "only the ache of working muscles, in:" in page and "Dead bug" in page
    assert "What changes next time" not in page  # no sharp pain, nothing changes
    assert page.count("Wed 4 Nov 2026") == 1  # the next session, said once
    assert "Next session: Wed 4 Nov 2026" in page
    recorded = sessions(started)
    assert len(recorded) == 1
    assert recorded[0]["date"] == "2026-11-02"
    assert [e["id"] for e in recorded[0]["exercises"]] == list(PHASE_1)
    assert {e["id"]: e["pain"] for e in recorded[0]["exercises"]}["dead-bug"] == "ache"
    assert "Today's session is done" in text(started.get("/session"))
    assert "Today's session is done" in text(started.get("/today"))


def test_the_next_session_shows_the_smaller_range_after_a_sharp_pain(
    started: TestClient, clock: Clock, content: Content
) -> None:
    answer_all(started, {"glute-bridge": "sharp"})
    clock.today = WEDNESDAY

    today = started.get("/today")
    answer(started, "diaphragmatic-breathing", "none")
    answer(started, "cat-cow", "none")
    player = started.get("/session")

    assert "Smaller range" in text(today)
    row = text(today).split("Glute bridge", 1)[1].split("Dead bug", 1)[0]
    assert "Smaller range" in row
    page = text(player)
    assert "Glute bridge" in page
    assert "Smaller range today" in page
    assert content.catalogue["glute-bridge"].reduced_range in page


def test_pain_down_the_leg_ends_the_session_at_once(started: TestClient) -> None:
    answer(started, "diaphragmatic-breathing", "none")

    response = answer(started, "cat-cow", "radiating")

    assert response.status_code == 200
    page = text(response)
    assert "Session saved" in page
    assert "Pain travelling down your leg during Cat-cow" in page
    assert sessions(started)[0]["exercises"] == [
        {"id": "diaphragmatic-breathing", "pain": "none"},
        {"id": "cat-cow", "pain": "radiating"},
    ]
    assert "Today's session is done" in text(started.get("/session"))


def test_ending_the_session_early_saves_the_answers_so_far(started: TestClient) -> None:
    answer(started, "diaphragmatic-breathing", "none")
    answer(started, "cat-cow", "ache")

    response = started.post("/session/finish")

    assert response.status_code == 200
    page = text(response)
    assert "Session saved" in page
    assert "Diaphragmatic breathing" in page and "Cat-cow" in page
    assert "Some of the day's exercises were left out" in page
    assert sessions(started)[0]["exercises"] == [
        {"id": "diaphragmatic-breathing", "pain": "none"},
        {"id": "cat-cow", "pain": "ache"},
    ]


def test_ending_a_session_with_nothing_answered_is_refused(started: TestClient) -> None:
    before = exported(started)

    response = started.post("/session/finish")

    assert response.status_code == 422
    assert form_error(response) == "no exercise of today's session is answered yet"
    assert exported(started) == before


def test_answering_on_a_rest_day_is_refused_with_the_reason(
    started: TestClient, clock: Clock
) -> None:
    log_session(started, MONDAY)
    clock.today = TUESDAY
    before = exported(started)

    response = answer(started, "cat-cow", "none")

    assert response.status_code == 422
    message = form_error(response)
    assert message.startswith("no session is planned on 2026-11-03.")
    assert "Next session: Wed 4 Nov 2026" in message
    assert exported(started) == before


def test_the_player_on_a_rest_day_says_there_is_no_session(
    started: TestClient, clock: Clock
) -> None:
    log_session(started, MONDAY)
    clock.today = TUESDAY

    response = started.get("/session")

    assert response.status_code == 200
    page = text(response)
    assert "No session right now" in page
    assert "no session is planned on 2026-11-03" in page
    assert 'name="pain"' not in response.text


def test_the_player_while_paused_says_why(started: TestClient) -> None:
    started.post("/check-in", data={"symptoms": "weight_loss"})

    page = text(started.get("/session"))

    assert "No session right now" in page
    assert "no session can be recorded while the program is paused" in page


def test_an_answer_that_is_not_one_of_the_four_is_refused(started: TestClient) -> None:
    response = answer(started, "diaphragmatic-breathing", "terrible")

    assert response.status_code == 422
    assert form_error(response) == "please choose one of the four answers"
    assert "Diaphragmatic breathing" in text(response)
    assert sessions(started) == []


def test_an_answer_given_twice_is_refused_and_the_player_stays_put(started: TestClient) -> None:
    answer(started, "diaphragmatic-breathing", "none")

    response = answer(started, "diaphragmatic-breathing", "none")

    assert response.status_code == 422
    assert "diaphragmatic-breathing is given twice" in form_error(response)
    assert 'name="exercise" value="cat-cow"' in response.text


def test_an_unfinished_session_is_not_resumed_on_another_day(
    started: TestClient, clock: Clock
) -> None:
    answer(started, "diaphragmatic-breathing", "sharp")
    clock.today = TUESDAY

    response = started.get("/session")
    answer_all(started)

    assert f"Exercise 1 of {len(PHASE_1)}" in text(response)
    recorded = sessions(started)
    assert [s["date"] for s in recorded] == ["2026-11-03"]
    assert all(e["pain"] == "none" for e in recorded[0]["exercises"])


def test_the_player_without_a_program_sends_to_the_start(client: TestClient) -> None:
    response = answer(client, "cat-cow", "none")

    assert response.status_code == 303
    assert response.headers["location"] == "/start"


# The hands-free player (issue #16): the page carries the dose's steps with their words.


def _runner(response_text: str) -> str:
    found = re.search(r'<section class="runner".*?</section>', response_text, flags=re.S)
    assert found is not None, "no hands-free player on the page"
    return found.group(0)


def test_the_player_carries_the_steps_of_the_dose_and_the_pain_question_to_say(
    started: TestClient, content: Content
) -> None:
    response = started.get("/session")

    runner = _runner(response.text)
    found = re.search(r'data-steps="([^"]*)"', runner)
    assert found is not None
    steps = json.loads(html.unescape(found.group(1)))
    planned = plan(started)["exercises"][0]
    dose = Dose(planned["sets"], planned["reps"], planned["hold_seconds"], planned["rest_seconds"])
    breathing = content.catalogue["diaphragmatic-breathing"]
    assert steps == player_steps(breathing, dose, breathing.name)
    assert [s["kind"] for s in steps[:3]] == ["get_ready", "breathe_in", "breathe_out"]
    assert 'data-say-done="Exercise done. How did Diaphragmatic breathing feel?"' in runner
    assert "data-say-next" not in runner  # nothing to announce before the first exercise
    assert re.search(r'<section class="runner"[^>]* hidden>', runner), "hidden without JS"
    assert "Count my reps aloud" not in runner  # breaths are paced, not counted


def test_after_an_answer_the_next_exercise_is_announced(started: TestClient) -> None:
    response = answer(started, "diaphragmatic-breathing", "none", htmx=True)

    runner = _runner(response.text)
    assert 'data-say-next="Next: Cat-cow, 2 sets of 6."' in runner
    assert "Count my reps aloud" in runner  # cat-cow's reps are at the person's own pace
    assert f"Next up · Exercise 2 of {len(PHASE_1)}" in text(response)


def test_today_and_the_player_say_how_long_the_session_takes(started: TestClient) -> None:
    minutes = plan(started)["estimated_minutes"]

    today = text(started.get("/today"))
    first = text(started.get("/session"))
    later = []
    for exercise in PHASE_1[:4]:
        answer(started, exercise, "none")
        found = re.search(
            r"the session about (\d+) min, (\d+) min to go", text(started.get("/session"))
        )
        later.append(found and (int(found.group(1)), int(found.group(2))))

    assert 10 <= minutes <= 25
    assert f"About {minutes} minutes, {len(PHASE_1)} exercises" in today
    assert f"the session about {minutes} min" in first
    assert "to go" not in first
    # What is left, once it is less than the whole (both are rounded as people say them).
    shown = [m for m in later if m]
    assert shown and all(whole == minutes and left < minutes for whole, left in shown)
    assert [left for _, left in shown] == sorted((left for _, left in shown), reverse=True)


def test_ending_the_session_asks_first_in_a_step_that_needs_no_script(
    started: TestClient,
) -> None:
    answer(started, "diaphragmatic-breathing", "none")

    response = started.get("/session")

    found = re.search(r'<details class="finish">.*?</details>', response.text, flags=re.S)
    assert found is not None
    confirm = found.group(0)
    assert "<summary>End the session here</summary>" in confirm
    assert 'method="post" action="/session/finish"' in confirm
    assert "Yes, end it here and save it" in confirm
    assert "Save the 1 exercise you have answered" in text(response)


# htmx swaps the player in place: the same routes answer with the fragment alone.


def test_htmx_gets_the_player_alone(started: TestClient) -> None:
    response = started.get("/session", headers=HTMX)

    assert response.status_code == 200
    assert is_partial(response)
    assert response.text.lstrip().startswith('<div id="player"')
    assert "Exercise 1 of" in text(response)


def test_htmx_answers_get_the_next_exercise_alone(started: TestClient) -> None:
    response = answer(started, "diaphragmatic-breathing", "ache", htmx=True)

    assert response.status_code == 200
    assert is_partial(response)
    assert "Diaphragmatic breathing: a dull ache, so carry on" in text(response)
    assert "Exercise 2 of" in text(response)


def test_htmx_last_answer_gets_the_saved_session_alone(started: TestClient) -> None:
    for exercise in PHASE_1[:-1]:
        answer(started, exercise, "none", htmx=True)

    response = answer(started, PHASE_1[-1], "none", htmx=True)

    assert response.status_code == 200
    assert is_partial(response)
    assert "Session saved" in text(response)
    assert len(sessions(started)) == 1


def test_htmx_finish_and_refusal_get_fragments(started: TestClient, clock: Clock) -> None:
    answer(started, "diaphragmatic-breathing", "none", htmx=True)

    finished = started.post("/session/finish", headers=HTMX)
    clock.today = TUESDAY
    refused = answer(started, "cat-cow", "none", htmx=True)

    assert finished.status_code == 200
    assert is_partial(finished)
    assert "Session saved" in text(finished)
    assert refused.status_code == 422
    assert is_partial(refused)
    assert "no session is planned on 2026-11-03" in form_error(refused)


def test_the_player_and_all_it_loads_weigh_under_120_kb_and_the_next_exercise_10_kb(
    started: TestClient,
) -> None:
    """Issue #16's page weight: the first load (the page, its script, styles, icons and
    manifest, gzipped as a browser asks for them), and the next exercise (htmx's swap)."""
    gzip = {"Accept-Encoding": "gzip"}

    def weight(response: httpx2.Response) -> int:
        assert response.status_code == 200
        return int(response.headers.get("content-length", len(response.content)))

    page = started.get("/session", headers=gzip)
    loads = re.findall(r'(?:src|href)="(/(?:static/[^"]+|manifest\.webmanifest))"', page.text)
    assert {static_url(f) for f in ("player.js", "htmx.min.js", "lumbar.css")} <= set(loads)
    first = weight(page) + sum(weight(started.get(path, headers=gzip)) for path in set(loads))
    following = answer(started, "diaphragmatic-breathing", "none", htmx=True)

    assert first < 120_000
    assert weight(following) < 10_000
