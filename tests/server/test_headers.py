"""The clinic server's headers over its whole route table (issue #19, finding 8), and the
CSRF token masked afresh on every page (BREACH).

Every route is called by whoever its rule admits (so that the answer is the real one, not
a refusal) and by nobody signed in (refusals are answers too): every answer carries
`Cache-Control: no-store` (health data, and pages naming people, kept by no cache) but the
few public ones listed with their reason; every page carries the full policy and names no
other origin in any `src`, `href` or `action`; HEAD answers wherever GET does, with GET's
status and headers and no body.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from lumbar.store.tables import metadata
from lumbar.web.access_rules import RULES
from lumbar.web.headers import page_policy, permissions_policy
from tests.server.conftest import BASE_URL, Clinic
from tests.server.test_matrix import admitted, ann_record, concrete, order, routes  # noqa: F401

PUBLIC = {
    "/figures/{name}.svg": "public, max-age=3600",  # a drawing, the same for everyone
    "/sw.js": "no-cache",  # the service worker: no one's data, asked again each time
}
"""Routes whose answers are the same for everyone, with their own cache rule."""
ACTORS = (None, "ann", "north_pt", "north_admin")


class References(HTMLParser):
    """Every URL a page loads or leads to: `src`, `href`, `action` and `srcset`."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href", "action", "srcset", "formaction", "data") and value:
                self.urls.append(value)


def elsewhere(html: str) -> list[str]:
    """The URLs of a page that point to another origin than the server's own."""
    parser = References()
    parser.feed(html)
    ours = urlsplit(BASE_URL).netloc
    return [u for u in parser.urls if urlsplit(u).netloc not in ("", ours) or u.startswith("//")]


def test_every_answer_of_every_route_carries_its_cache_rule_and_policy(
    clinic: Clinic,
    ann_record: str,  # noqa: F811 (test_matrix's fixture)
) -> None:
    clients = {actor: clinic.client(actor) for actor in ACTORS}
    problems: list[str] = []
    pages = 0
    for method, path in sorted(routes(clinic), key=order):
        url = concrete(path, clinic, ann_record)
        for actor in ACTORS:
            # Refusals are answers too: nobody signed in tries every route.
            if actor is not None and not admitted(RULES[(method, path)], actor, clinic, path):
                continue
            client = clinic.client(actor) if "sign-out" in path else clients[actor]
            response = client.request(method, url, json={})
            where = f"{actor} {method} {path} ({response.status_code})"
            cache = response.headers.get("cache-control")
            public = response.status_code == 200 and path in PUBLIC
            if cache != (PUBLIC[path] if public else "no-store"):
                problems.append(f"{where}: Cache-Control {cache!r}")
            policy = response.headers.get("content-security-policy", "")
            if response.headers.get("content-type", "").startswith("text/html"):
                pages += 1
                if policy != page_policy(urlsplit(url).path):
                    problems.append(f"{where}: a page with the policy {policy!r}")
                allowed = response.headers.get("permissions-policy")
                if allowed != permissions_policy(urlsplit(url).path):
                    problems.append(f"{where}: a page with Permissions-Policy {allowed!r}")
                problems += [f"{where}: names {u}" for u in elsewhere(response.text)]
            elif "frame-ancestors 'none'" not in policy:
                problems.append(f"{where}: may be framed ({policy!r})")
    assert problems == [], "\n".join(problems)
    assert pages > 40  # the walk saw real pages, not only refusals


def test_head_answers_wherever_get_does(
    clinic: Clinic,
    ann_record: str,  # noqa: F811 (test_matrix's fixture)
) -> None:
    """As GET, without the body: the same status, type, length and cache rule; a route's
    access rule holds for HEAD as for GET (nobody signed in is refused the same way)."""
    clients = {actor: clinic.client(actor) for actor in ACTORS}
    checked = 0
    for method, path in routes(clinic):
        if method != "GET" or "sign-out" in path:
            continue
        url = concrete(path, clinic, ann_record)
        for actor in ACTORS:
            # Not compressed: a page's gzipped length varies with its masked token.
            plain = {"accept-encoding": "identity"}
            # HEAD first: a GET may change what the next one shows (opening a patient's
            # page marks their messages read), and HEAD marks nothing.
            head = clients[actor].head(url, headers=plain)
            get = clients[actor].get(url, headers=plain)
            where = f"{actor} HEAD {path}"
            assert head.status_code == get.status_code, where
            assert head.content == b"", where
            names = ("content-type", "cache-control", "content-security-policy", "location")
            for name in (*names, "permissions-policy"):
                assert head.headers.get(name) == get.headers.get(name), f"{where}: {name}"
            if get.status_code == 200 and "content-length" in get.headers:
                assert head.headers["content-length"] == get.headers["content-length"], where
            checked += 1
    assert checked > 200


def test_the_api_docs_load_nothing_from_another_origin(clinic: Clinic) -> None:
    response = clinic.client().get("/api/docs")
    assert response.status_code == 200
    assert "cdn" not in response.text and "unpkg" not in response.text
    assert elsewhere(response.text) == []
    scripts = re.findall(r'<script src="([^"]+)"', response.text)
    assert [s.rsplit("/", 1)[-1].split(".")[0] for s in scripts] == [
        "swagger-ui-bundle",
        "api-docs",
    ]
    assert "<script>" not in response.text and "style=" not in response.text
    for script in scripts:
        assert clinic.client().get(script).status_code == 200, script


# BREACH: the token is masked afresh each time it is written.

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
HX_TOKEN = re.compile(r'"X-CSRF-Token": "([^"]+)"')


def _count(clinic: Clinic, table: str) -> int:
    with clinic.store.engine.connect() as connection:
        return int(
            connection.execute(
                select(func.count()).select_from(metadata.tables[table])
            ).scalar_one()
        )


def _browser(clinic: Clinic, name: str) -> TestClient:
    """Signed in, but sending no token of its own: only what a page gives it."""
    client = clinic.client(name)
    del client.headers["X-CSRF-Token"]
    return client


def test_two_renders_of_a_page_carry_different_tokens_and_both_are_accepted(
    clinic: Clinic, ann: Any
) -> None:
    client = _browser(clinic, "ann")
    first, second = client.get("/problem").text, client.get("/problem").text
    tokens = [*TOKEN.findall(first), *TOKEN.findall(second)]
    headers = [*HX_TOKEN.findall(first), *HX_TOKEN.findall(second)]
    assert len(tokens) >= 4 and len(headers) == 2
    assert len(set(tokens + headers)) == len(tokens + headers), "a token string repeated"
    signed_in = clinic.accounts.session(client.cookies["lumbar_session"], _now())
    assert signed_in is not None
    assert all(signed_in.csrf_token not in page for page in (first, second))
    before = _count(clinic, "problem_reports")
    for token in (TOKEN.findall(first)[0], TOKEN.findall(second)[0]):
        response = client.post("/problem", data={"kind": "other", "note": "n", "csrf_token": token})
        assert response.status_code in (200, 303), response.text
    for token in (headers[0], headers[1]):
        response = client.post(
            "/api/v1/problems", json={"kind": "other", "note": "n"}, headers={"X-CSRF-Token": token}
        )
        assert response.status_code == 201, response.text
    assert _count(clinic, "problem_reports") == before + 4


def test_a_masked_token_of_another_session_or_altered_is_refused(clinic: Clinic, ann: Any) -> None:
    client = _browser(clinic, "ann")
    theirs = TOKEN.findall(_browser(clinic, "bob").get("/settings").text)[0]
    mine = TOKEN.findall(client.get("/problem").text)[0]
    altered = mine[:-2] + ("AA" if mine[-2:] != "AA" else "BB")
    before = _count(clinic, "problem_reports")
    for token in (theirs, altered, mine[: len(mine) // 2], "", "é"):
        response = client.post("/problem", data={"kind": "other", "note": "n", "csrf_token": token})
        assert response.status_code == 403, token
        assert "out of date" in response.text
    assert _count(clinic, "problem_reports") == before


def test_the_apis_token_differs_at_each_answer(clinic: Clinic, ann: Any) -> None:
    client = clinic.client("ann")
    one, two = (client.get("/api/v1/me").json()["csrf_token"] for _ in range(2))
    assert one != two
    for token in (one, two):
        response = client.post(
            "/api/v1/problems",
            json={"kind": "other", "note": "n"},
            headers={"X-CSRF-Token": token},
        )
        assert response.status_code == 201, response.text


def _now() -> Any:
    from lumbar.usecases.accounts import now_utc

    return now_utc()


@pytest.mark.parametrize("path", ["/sign-in?next=%2Fprogress", "/forgot"])
def test_the_sign_in_pages_tokens_differ_too(clinic: Clinic, path: str) -> None:
    """Pages that reflect what was typed in their address carry a token only to someone
    signed in; for them too it differs at each render."""
    client = _browser(clinic, "ann")
    tokens = [TOKEN.findall(client.get(path).text) for _ in range(2)]
    assert tokens[0] and tokens[1] and not set(tokens[0]) & set(tokens[1])
