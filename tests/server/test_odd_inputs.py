"""Control characters in paths, queries and tokens (issue #19, finding 9), on SQLite and
PostgreSQL.

PostgreSQL cannot hold a NUL in text: a NUL in a calendar token reached the query and the
server answered 503 "cannot reach its database", as if it were down. Every path parameter
of the route table is tried here with a NUL (and other control characters) in it, by
everyone who could be let in: the answer is 404 or 422, never a 5xx, and nothing is written.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.server.conftest import Clinic, email
from tests.server.test_matrix import clinical_rows, routes

ODD = ("%00", "a%00b", "%1b%5b2J", "%7f", "%c2%85")
"""A NUL, a NUL inside a token, a terminal escape, DEL, and a C1 control (NEL)."""
ACTORS = (None, "ann", "north_pt", "north_admin")


def _with(path: str, odd: str) -> str:
    """The path with every parameter replaced by `odd` (`.ics` and `.svg` kept)."""
    import re

    return re.sub(r"\{[a-z_]+\}", odd, path)


@pytest.mark.parametrize("odd", ODD)
def test_a_control_character_in_any_path_parameter_is_404_and_writes_nothing(
    clinic: Clinic, ann: Any, odd: str
) -> None:
    before = clinical_rows(clinic)
    clients = {name: ann if name == "ann" else clinic.client(name) for name in ACTORS}
    tried = 0
    for method, path in routes(clinic):
        if "{" not in path:
            continue
        for name, client in clients.items():
            response = client.request(method, _with(path, odd), data={"body": "hello"})
            assert response.status_code in (404, 422), (method, path, name, response.text)
            tried += 1
    assert tried > 100  # the route table's parameters, not a handful
    assert clinical_rows(clinic) == before


def test_a_control_character_in_a_query_is_refused_422(clinic: Clinic, ann: Any) -> None:
    for path in ("/api/v1/today", "/sign-in", "/admin", "/clinic", "/api/v1/calendar.ics"):
        for odd in ODD:
            response = ann.get(f"{path}?date={odd}&next={odd}")
            assert response.status_code == 422, (path, odd, response.text)
            assert "control character" in response.json()["message"]


def test_a_calendar_token_with_a_nul_is_404_not_503(clinic: Clinic, ann: Any) -> None:
    """The finding itself: the calendar feed, anonymous, its token with a NUL."""
    response = clinic.client().get("/calendar/abc%00def.ics")
    assert response.status_code == 404
    assert "database" not in response.text


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/sign-in", {"email": "ann\x00@example.org", "password": "x" * 12}),
        ("/api/v1/sign-in", {"email": email("ann"), "password": "correct\x00horse"}),
    ],
)
def test_a_nul_in_a_json_token_or_address_is_refused_not_503(
    clinic: Clinic, path: str, body: dict[str, str]
) -> None:
    before = clinical_rows(clinic)
    response = clinic.client().post(path, json=body)
    assert 400 <= response.status_code < 500, response.text
    assert clinical_rows(clinic) == before


@pytest.mark.parametrize(
    ("path", "form"),
    [
        ("/sign-in", {"email": "ann\x00@example.org", "password": "x" * 12}),
        ("/join/abc\x00", {"email": "new@example.org", "password": "y" * 12}),
        ("/join/not-a-code", {"email": "new\x00@example.org", "password": "y" * 12}),
        ("/reset/abc", {"password": "pass\x00word12"}),
    ],
)
def test_a_nul_in_a_form_is_refused_not_503(
    clinic: Clinic, path: str, form: dict[str, str]
) -> None:
    before = clinical_rows(clinic)
    response = clinic.client().post(path.replace("\x00", "%00"), data=form)
    assert 400 <= response.status_code < 500, response.text
    assert clinical_rows(clinic) == before


@pytest.mark.parametrize("char", ["\u202e", "\u2067", "\u200b", "\ufeff"])
def test_a_message_that_would_not_read_as_written_is_refused(
    clinic: Clinic, ann: Any, char: str
) -> None:
    """U+202E in a message showed the clinician other words than were typed. Refused both
    ways (the patient's message, the clinician's reply), saying which character, and
    nothing is written."""
    before = clinical_rows(clinic)
    response = ann.post("/api/v1/messages", json={"body": f"my pain is 2{char}0 today"})
    assert response.status_code == 422
    assert f"U+{ord(char):04X}" in response.json()["message"]
    assert "invisible character" in response.json()["message"]
    clinician = clinic.client("north_pt")
    patient = clinic.people["ann"].id
    reply = clinician.post(
        f"/api/v1/clinic/patients/{patient}/messages", json={"body": f"take{char} 10"}
    )
    assert reply.status_code == 422
    assert ann.get("/api/v1/messages").json() == []
    assert clinical_rows(clinic) == before
