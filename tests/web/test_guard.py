"""Local mode's safeguards: only loopback host names, and no writes from another web site."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from lumbar.usecases.person import Person
from tests.web.conftest import ANSWERS, START_FORM, exported


@pytest.mark.parametrize(
    "host",
    ["evil.example", "evil.example:8000", "127.0.0.1.nip.io", "", "localhost:80:8765"],
)
def test_a_request_for_another_host_name_is_refused(client: TestClient, host: str) -> None:
    response = client.get("/today", headers={"Host": host})

    assert response.status_code == 400
    assert "only on this computer" in response.json()["message"]


def test_a_write_for_another_host_name_is_refused_and_writes_nothing(client: TestClient) -> None:
    response = client.post("/api/v1/program", json=ANSWERS, headers={"Host": "evil.example"})

    assert response.status_code == 400
    assert exported(client) is None


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.1:8765", "localhost:8765", "[::1]:8765"])
def test_the_loopback_names_are_answered(client: TestClient, host: str) -> None:
    response = client.get("/api/v1/exercises", headers={"Host": host})

    assert response.status_code == 200


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Origin": "null"},
        {"Origin": "http://localhost"},
    ],
    ids=["other-origin", "cross-site", "same-site", "opaque-origin", "other-loopback-name"],
)
def test_a_write_from_another_site_is_refused_and_writes_nothing(
    client: TestClient, services: Person, headers: dict[str, str]
) -> None:
    api = client.post("/api/v1/program", json=ANSWERS, headers=headers)
    form = client.post("/start", data=START_FORM, headers=headers)

    assert api.status_code == 403
    assert form.status_code == 403
    assert "another web site" in api.json()["message"]
    assert not services.has_program()


def test_a_cross_site_write_to_an_existing_program_changes_nothing(started: TestClient) -> None:
    before = exported(started)
    cross = {"Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"}

    responses = [
        started.put("/api/v1/settings/days", json={"days": ["tue", "thu", "sat"]}, headers=cross),
        started.post("/settings/days", data={"days": ["tue", "thu", "sat"]}, headers=cross),
        started.post("/check-in", data={"symptoms": "fever"}, headers=cross),
        started.post(
            "/session/answer", data={"exercise": "cat-cow", "pain": "none"}, headers=cross
        ),
        started.post("/api/v1/checkins", json={"pain": 2}, headers=cross),
    ]

    assert [r.status_code for r in responses] == [403] * len(responses)
    assert exported(started) == before


def test_a_page_on_another_port_of_this_computer_cannot_write(client: TestClient) -> None:
    """Another local server (say a dev server on port 9999) is another origin: a browser
    without Sec-Fetch-Site still sends its Origin, which must match this app's own."""
    response = client.post(
        "/api/v1/program",
        json=ANSWERS,
        headers={"Host": "127.0.0.1:8765", "Origin": "http://127.0.0.1:9999"},
    )

    assert response.status_code == 403
    assert exported(client) is None


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Origin": "http://127.0.0.1"},
        {"Sec-Fetch-Site": "same-origin", "Origin": "http://127.0.0.1"},
        {"Sec-Fetch-Site": "none"},
    ],
    ids=["no-headers", "same-origin", "same-origin-fetch", "typed-by-the-person"],
)
def test_a_write_from_the_apps_own_pages_works(client: TestClient, headers: dict[str, str]) -> None:
    response = client.post("/start", data=START_FORM, headers=headers)

    assert response.status_code == 303
    assert exported(client) is not None


def test_reading_from_another_site_is_not_refused(started: TestClient) -> None:
    """A cross-site read changes nothing (and the browser keeps its answer from that site)."""
    response = started.get("/api/v1/today", headers={"Sec-Fetch-Site": "cross-site"})

    assert response.status_code == 200


def test_no_page_may_be_shown_in_another_sites_frame(client: TestClient) -> None:
    for path in ("/start", "/api/v1/exercises", "/static/lumbar.css"):
        answer = client.get(path)
        assert answer.headers["x-frame-options"] == "DENY", path
        assert "frame-ancestors 'none'" in answer.headers["content-security-policy"], path


# Compression (guard.Compress, the module's other middleware).


def test_a_client_that_accepts_gzip_gets_the_stylesheet_gzipped(client: TestClient) -> None:
    plain = client.get("/static/lumbar.css", headers={"Accept-Encoding": "identity"})
    packed = client.get("/static/lumbar.css", headers={"Accept-Encoding": "deflate, gzip"})

    assert packed.headers["content-encoding"] == "gzip"
    assert packed.headers["vary"] == "Accept-Encoding"
    assert int(packed.headers["content-length"]) < len(plain.content) / 2
    assert packed.content == plain.content  # the client unpacked it


@pytest.mark.parametrize("encoding", ["identity", "br", "deflate"])
def test_a_client_that_does_not_accept_gzip_gets_the_answer_untouched(
    client: TestClient, encoding: str
) -> None:
    """Straight from the app: not packed, and without the headers gzip adds (`Vary`)."""
    plain = client.get("/static/lumbar.css", headers={"Accept-Encoding": encoding})

    assert "content-encoding" not in plain.headers
    assert "vary" not in plain.headers
    assert int(plain.headers["content-length"]) == len(plain.content) > 1000
