"""Issue #14, item 5, on the web: an exercise's alternative on a chair or standing, chosen
for good in Settings, from the session player or through the API, taught everywhere and
counted by the rules as the exercise itself; the versions in the library."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import HTMX, MONDAY, answer, exported, form_error, is_partial, plan, text


def _chosen(client: TestClient) -> dict[str, str]:
    document = exported(client)
    assert document is not None
    found: dict[str, str] = document["profile"].get("alternatives", {})
    return found


def test_the_api_lists_and_changes_the_alternatives(started: TestClient) -> None:
    listed = started.get("/api/v1/settings/alternatives")
    assert listed.status_code == 200
    squat = next(c for c in listed.json() if c["exercise"] == "squat")
    assert squat["chosen"] is None
    assert squat["alternatives"][0]["id"] == "chair"
    assert squat["alternatives"][0]["place"] == "chair"
    response = started.put("/api/v1/settings/alternatives/cat-cow", json={"alternative": "chair"})
    assert response.status_code == 200
    assert response.json()["chosen"] == "chair"
    cat_cow = next(e for e in plan(started, MONDAY)["exercises"] if e["id"] == "cat-cow")
    assert cat_cow["version"] == "chair"
    assert cat_cow["taught_as"] == "Seated cat-cow (instead of cat-cow)"
    assert _chosen(started) == {"cat-cow": "chair"}
    back = started.put("/api/v1/settings/alternatives/cat-cow", json={"alternative": "none"})
    assert back.status_code == 200 and back.json()["chosen"] is None
    assert _chosen(started) == {}


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        ("squat", {"alternative": "sofa"}, "Squat has no alternative 'sofa'"),
        ("crunch", {"alternative": "chair"}, "unknown exercise 'crunch'"),
        ("squat", {"alternative": ""}, "alternative"),
        ("squat", {"alternative": "chair", "extra": 1}, "extra"),
    ],
    ids=["unknown-alternative", "unknown-exercise", "empty", "extra-field"],
)
def test_a_wrong_alternative_answers_422_and_writes_nothing(
    started: TestClient, path: str, body: dict[str, object], message: str
) -> None:
    before = exported(started)
    response = started.put(f"/api/v1/settings/alternatives/{path}", json=body)
    assert response.status_code == 422
    assert message in response.text
    assert exported(started) == before


def test_settings_choose_alternatives_for_several_exercises_at_once(started: TestClient) -> None:
    page = started.get("/settings")
    assert page.status_code == 200
    assert "Chair or standing versions" in text(page)
    assert 'name="alternative-squat"' in page.text
    saved = started.post(
        "/settings/alternatives",
        data={"alternative-squat": "chair", "alternative-bird-dog": "standing"},
    )
    assert saved.status_code == 200
    assert "Your exercise choices are saved." in text(saved)
    assert _chosen(started) == {"bird-dog": "standing", "squat": "chair"}
    assert 'value="chair" selected' in saved.text
    # One wrong choice refuses the whole form.
    refused = started.post(
        "/settings/alternatives",
        data={"alternative-squat": "none", "alternative-cat-cow": "hammock"},
    )
    assert refused.status_code == 422
    assert "Cat-cow has no alternative 'hammock'" in form_error(refused)
    assert _chosen(started) == {"bird-dog": "standing", "squat": "chair"}


def test_the_player_offers_the_alternative_and_teaches_it_from_then_on(
    started: TestClient,
) -> None:
    first = started.get("/session")
    assert "Can't get down to the floor or kneel?" in text(first)
    assert "Do breathing in a chair instead, from now on" in text(first)
    chosen = started.post(
        "/session/alternative",
        data={"exercise": "diaphragmatic-breathing", "alternative": "chair"},
        headers=HTMX,
    )
    assert chosen.status_code == 200 and is_partial(chosen)
    page = text(chosen)
    assert "Breathing in a chair Instead of diaphragmatic breathing" in page
    # Its own cautions, not the floor version's.
    assert "Choose a steady chair with a back" in page
    assert "lying flat on your back" not in page
    assert "Sit back in a chair with your feet flat" in page
    assert "Lie on your back" not in page
    assert "Go back to diaphragmatic breathing" in page
    assert 'aria-label="Breathing in a chair"' in chosen.text
    # The answer is the exercise's: the session records diaphragmatic breathing.
    assert answer(started, "diaphragmatic-breathing", "none").status_code == 200
    assert _chosen(started) == {"diaphragmatic-breathing": "chair"}
    # Without JavaScript the form posts and comes back to the session.
    plain = started.post(
        "/session/alternative",
        data={"exercise": "cat-cow", "alternative": "chair"},
        follow_redirects=False,
    )
    assert plain.status_code == 303 and plain.headers["location"] == "/session"
    refused = started.post(
        "/session/alternative", data={"exercise": "cat-cow", "alternative": "trampoline"}
    )
    assert refused.status_code == 422
    assert "Cat-cow has no alternative 'trampoline'" in form_error(refused)


def test_the_library_shows_each_exercise_s_versions_with_their_figures(
    client: TestClient,
) -> None:
    page = client.get("/library/side-plank")
    assert page.status_code == 200
    said = text(page)
    assert "Easier versions, for the first steps" in said
    assert "Side plank on the knees" in said
    assert "On a chair or standing" in said and "Side plank at a counter" in said
    assert "(side plank on the knees)" in said
    assert page.text.count("<svg") >= 3
