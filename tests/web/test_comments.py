"""The patient's comment per exercise (issue #20): given with the pain answer in the player,
kept through the session in progress into the session recorded, shown in the records API
and the export; too long, or holding a control or invisible character, it is refused with
a message and nothing is written, the pain answer included."""

from __future__ import annotations

import html

import httpx2
import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import HTMX, PHASE_1, answer, exported, form_error, sessions, text


def answer_with(
    client: TestClient, exercise: str, pain: str, comment: str, *, htmx: bool = False
) -> httpx2.Response:
    """Write a comment in the box under the pain question, then press a pain button."""
    return client.post(
        "/session/answer",
        data={"exercise": exercise, "pain": pain, "comment": comment},
        headers=HTMX if htmx else None,
    )


def test_the_player_asks_for_a_comment_after_the_pain_question_in_its_form(
    started: TestClient,
) -> None:
    page = started.get("/session").text
    form = page[page.index('id="pain-question"') :]
    form = form[: form.index("</form>")]
    # The pain buttons come first; the comment box after them, optional, a textarea (Enter
    # in it writes a new line and never sends a pain answer nobody chose).
    assert form.index('name="pain"') < form.index('name="comment"')
    assert '<textarea id="comment-diaphragmatic-breathing" name="comment"' in form
    assert 'maxlength="280"' in form and "required" not in form
    assert "optional" in text(started.get("/session"))


def test_a_comment_is_kept_through_the_session_in_progress_into_the_session_recorded(
    started: TestClient,
) -> None:
    said = "  The left side\r\nfelt tight  "
    response = answer_with(started, PHASE_1[0], "ache", said, htmx=True)
    assert response.status_code == 200, text(response)
    assert f"Exercise 2 of {len(PHASE_1)}" in text(response)
    # Left empty, a comment is none: the answer goes on as before.
    assert answer_with(started, PHASE_1[1], "none", "   ").status_code == 200
    for exercise in PHASE_1[2:-1]:
        assert answer(started, exercise, "none").status_code == 200
    # The last answer records the session at once, with its own comment.
    done = answer_with(started, PHASE_1[-1], "none", "Easy today")
    assert done.status_code == 200 and "saved" in text(done).lower()
    [recorded] = sessions(started)
    comments = {e["id"]: e.get("comment") for e in recorded["exercises"]}
    assert comments[PHASE_1[0]] == "The left side felt tight"
    assert comments[PHASE_1[-1]] == "Easy today"
    assert [comments[e] for e in PHASE_1[1:-1]] == [None] * (len(PHASE_1) - 2)
    # The records API's session record carries it too.
    records = started.get("/api/v1/records").json()["records"]
    [session] = [r for r in records if r["type"] == "session"]
    assert session["exercises"][0] == {
        "id": PHASE_1[0],
        "pain": "ache",
        "comment": "The left side felt tight",
    }


@pytest.mark.parametrize(
    ("comment", "said"),
    [
        ("x" * 281, "keep the comment to 280 characters (it has 281)"),
        ("it hurt\x00", "is a control character, not text"),
        ("dose \u202e01", "invisible character (U+202E"),
    ],
)
def test_a_comment_too_long_or_with_a_hidden_character_is_refused_and_nothing_is_written(
    started: TestClient, comment: str, said: str
) -> None:
    before = exported(started)
    refused = answer_with(started, PHASE_1[0], "none", comment)
    assert refused.status_code == 422
    assert said in form_error(refused)
    assert exported(started) == before
    # What was typed is shown again in its box (escaped), in the player shown, not in the
    # exercises ahead kept for offline.
    assert refused.text.count(f">{html.escape(comment)}</textarea>") == 1
    # The pain answer was not kept either: the player is still at the first exercise.
    assert text(started.get("/session")).count(f"Exercise 1 of {len(PHASE_1)}") == 1
    # The last exercise refused the same way records no session.
    for exercise in PHASE_1[:-1]:
        assert answer(started, exercise, "none").status_code == 200
    assert answer_with(started, PHASE_1[-1], "none", comment).status_code == 422
    assert sessions(started) == []


def test_a_comment_at_the_limit_is_kept_whole(started: TestClient) -> None:
    assert answer_with(started, PHASE_1[0], "none", "y" * 280).status_code == 200
    for exercise in PHASE_1[1:]:
        assert answer(started, exercise, "none").status_code == 200
    [recorded] = sessions(started)
    assert recorded["exercises"][0]["comment"] == "y" * 280


def test_an_answer_with_its_comment_sent_again_with_its_key_writes_nothing_more(
    started: TestClient,
) -> None:
    """The offline outbox sends every field of the form with the answer's key: the same
    answer and comment again is a replay; the key with another comment is refused."""
    data = {"exercise": PHASE_1[0], "pain": "ache", "comment": "stiff"}
    key = {"Idempotency-Key": "answer-1"}
    first = started.post("/session/answer", data=data, headers={**HTMX, **key})
    assert first.status_code == 200 and "Idempotent-Replayed" not in first.headers
    again = started.post("/session/answer", data=data, headers={**HTMX, **key})
    assert again.status_code == 200 and again.headers["Idempotent-Replayed"] == "true"
    changed = started.post(
        "/session/answer", data={**data, "comment": "not stiff"}, headers={**HTMX, **key}
    )
    assert changed.status_code == 422
    assert "already used for a different request" in form_error(changed)
    for exercise in PHASE_1[1:]:
        assert answer(started, exercise, "none").status_code == 200
    [recorded] = sessions(started)
    assert recorded["exercises"][0] == {"id": PHASE_1[0], "pain": "ache", "comment": "stiff"}


def test_a_corrected_session_keeps_each_exercises_comment(started: TestClient) -> None:
    """Correcting a pain answer (issue #15) keeps the patient's words beside it."""
    assert answer_with(started, PHASE_1[0], "sharp", "it pinched").status_code == 200
    for exercise in PHASE_1[1:]:
        assert answer(started, exercise, "none").status_code == 200
    [session] = [
        r for r in started.get("/api/v1/records").json()["records"] if r["type"] == "session"
    ]
    edited = started.patch(
        f"/api/v1/records/{session['id']}",
        json={"exercises": [{"id": PHASE_1[0], "pain": "ache"}]},
    )
    assert edited.status_code == 200, edited.text
    first = edited.json()["exercises"][0]
    assert first == {"id": PHASE_1[0], "pain": "ache", "comment": "it pinched"}


def test_the_api_keeps_a_comment_with_an_answer_and_refuses_a_bad_one(
    started: TestClient,
) -> None:
    before = exported(started)
    refused = started.post(
        "/api/v1/session/answers",
        json={"exercise": PHASE_1[0], "pain": "none", "comment": "z" * 281},
    )
    assert refused.status_code == 422
    assert refused.json()["message"] == "comment: keep the comment to 280 characters (it has 281)"
    assert exported(started) == before
    kept = started.post(
        "/api/v1/session/answers",
        json={"exercise": PHASE_1[0], "pain": "ache", "comment": "stiff at first"},
    )
    assert kept.status_code == 201, kept.text
    assert kept.json()["answers"] == [
        {"id": PHASE_1[0], "pain": "ache", "comment": "stiff at first"}
    ]
