"""Compression: gzip for a client that accepts it, the plain bytes for one that does not;
and the server process's garbage collector settings."""

from __future__ import annotations

import gc

from fastapi.testclient import TestClient

from lumbar.web.process import FULL_COLLECTION_EVERY, YOUNG_THRESHOLD, settle_collector


def test_a_client_that_accepts_gzip_gets_the_stylesheet_gzipped(client: TestClient) -> None:
    plain = client.get("/static/lumbar.css", headers={"Accept-Encoding": "identity"})
    packed = client.get("/static/lumbar.css", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in plain.headers
    assert packed.headers["content-encoding"] == "gzip"
    assert int(packed.headers["content-length"]) < len(plain.content) / 2
    assert packed.content == plain.content  # the client unpacked it


def test_a_small_answer_is_not_compressed(started: TestClient) -> None:
    answer = started.get("/manifest.webmanifest", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in answer.headers
    assert answer.json()["short_name"] == "lumbar"


def test_the_cached_plan_is_the_same_gzipped_or_not(started: TestClient) -> None:
    plain = started.get("/api/v1/today", headers={"Accept-Encoding": "identity"})
    packed = started.get("/api/v1/today", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in plain.headers
    assert packed.headers["content-encoding"] == "gzip"
    assert packed.json() == plain.json()


def test_settling_the_collector_freezes_what_exists_and_spaces_out_collections() -> None:
    before = gc.get_threshold()
    try:
        settle_collector()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold()[0] == YOUNG_THRESHOLD
        assert gc.get_threshold()[2] == FULL_COLLECTION_EVERY
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
