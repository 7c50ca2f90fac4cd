"""Every page describes itself (issue #18, item 6: Lighthouse's `meta-description` and
`link-text`): a description of its own in `<meta name="description">`, and links whose
words say where they go (no "Read more")."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient

from lumbar.content.load import Content

PAGES = ("/today", "/progress", "/library", "/library/bird-dog", "/learn", "/learn/disclaimer")
DESCRIPTION = re.compile(r'<meta name="description" content="([^"]+)">')
LINK_TEXT = re.compile(r"<a [^>]*>([^<]+)</a>")


def test_every_page_has_a_description_of_its_own_and_says_where_its_links_go(
    started: TestClient, content: Content
) -> None:
    found = {}
    for path in PAGES:
        response = started.get(path)
        assert response.status_code == 200, path
        described = DESCRIPTION.findall(response.text)
        assert len(described) == 1, path
        found[path] = html.unescape(described[0])
        words = {w.strip().lower() for w in LINK_TEXT.findall(response.text)}
        assert not words & {"read more", "more", "click here", "here"}, (path, words)
    assert len(set(found.values())) == len(PAGES), found
    assert content.catalogue["bird-dog"].purpose in found["/library/bird-dog"]
    assert content.topics["disclaimer"].summary in found["/learn/disclaimer"]


def test_the_intake_pages_are_described_too(client: TestClient) -> None:
    response = client.get("/start/about")
    assert DESCRIPTION.search(response.text) is not None
