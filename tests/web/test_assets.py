"""Issue #18: the static files by their content's hash, kept a year; the plain names asked
again each time; pages about a person never kept as they are."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from lumbar.web.assets import STATIC, catalogue, static_url

IMMUTABLE = "public, max-age=31536000, immutable"


def test_a_hashed_name_is_the_files_own_hash_and_is_kept_a_year(client: TestClient) -> None:
    url = static_url("player.js")
    digest = hashlib.sha256((STATIC / "player.js").read_bytes()).hexdigest()[:10]

    response = client.get(url)

    assert url == f"/static/player.{digest}.js"
    assert response.status_code == 200
    assert response.headers["cache-control"] == IMMUTABLE
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.content == (STATIC / "player.js").read_bytes()


def test_the_plain_name_and_an_old_hash_still_work_but_are_asked_again(
    client: TestClient,
) -> None:
    plain = client.get("/static/lumbar.css")
    old = client.get("/static/lumbar.0123456789.css")  # a page kept from an older version

    for response in (plain, old):
        assert response.status_code == 200
        assert response.headers["cache-control"] == "no-cache"
        assert response.content == (STATIC / "lumbar.css").read_bytes()


@pytest.mark.parametrize(
    "path",
    ["/static/nothing.0123456789.js", "/static/nothing.js", "/static/../assets.0123456789.py"],
)
def test_a_file_that_is_not_there_is_not_found_and_not_kept(client: TestClient, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 404
    assert "immutable" not in response.headers.get("cache-control", "")


def test_a_name_not_in_the_folder_is_a_mistake_said_at_once() -> None:
    with pytest.raises(ValueError, match="no static file 'player.min.js'"):
        static_url("player.min.js")


def test_every_file_a_page_loads_is_hashed_and_kept_a_year(started: TestClient) -> None:
    loads: set[str] = set()
    for path in ("/", "/today", "/session", "/routine", "/library", "/start/equipment"):
        page = started.get(path)
        loads |= set(re.findall(r'(?:src|href)="(/static/[^"]+)"', page.text))
    manifest = started.get("/manifest.webmanifest").json()
    loads |= {icon["src"] for icon in manifest["icons"]}

    assert {static_url(n) for n in ("lumbar.css", "htmx.min.js", "motion.js", "icon.svg")} <= loads
    assert {static_url(n) for n in ("icon-192.png", "icon-512.png", "player.js")} <= loads
    for url in loads:
        assert re.fullmatch(r"/static/([\w-]+/)?[\w.-]+\.[0-9a-f]{10}\.\w+", url), url
        assert started.get(url).headers["cache-control"] == IMMUTABLE, url


def test_a_changed_file_gets_a_new_name(tmp_path: Path) -> None:
    folder = tmp_path / "static"
    folder.mkdir()
    (folder / "a.js").write_text("one")
    before = catalogue(folder).url("a.js")
    catalogue.cache_clear()
    (folder / "a.js").write_text("two")

    assert catalogue(folder).url("a.js") != before
    catalogue.cache_clear()


def test_pages_about_the_person_are_never_kept_as_they_are(started: TestClient) -> None:
    for path in ("/", "/today", "/session", "/progress", "/api/v1/status"):
        response = started.get(path)
        assert response.headers["cache-control"] == "private, no-cache", path
    # What says its own lifetime keeps it: the worker, a figure.
    assert started.get("/sw.js").headers["cache-control"] == "no-cache"
    figure = started.get("/figures/cat-cow.svg")
    assert figure.headers["cache-control"] == "public, max-age=3600"
