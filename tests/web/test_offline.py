"""Issue #16: what the session page carries to finish without the network, and the service
worker served from the root. (The journeys offline are tests/browser/test_offline.py.)"""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from lumbar import __version__
from lumbar.web.assets import catalogue, static_url
from tests.web.conftest import HTMX, PHASE_1, answer


def test_the_service_worker_is_served_from_the_root_with_the_app_version(
    client: TestClient,
) -> None:
    worker = client.get("/sw.js")

    assert worker.status_code == 200
    assert worker.headers["content-type"].startswith("text/javascript")
    assert worker.headers["cache-control"] == "no-cache"
    assert f'var VERSION = "{__version__}";' in worker.text
    assert "/today" in worker.text and "/session" in worker.text
    # The app shell by the files' hashed names, and their hash in the shell's name.
    for name in ("lumbar.css", "htmx.min.js", "player.js", "offline.js", "motion.js"):
        assert f'"{static_url(name)}"' in worker.text
    assert '"/static/lumbar.css"' not in worker.text
    assert f'var ASSETS = "{catalogue().digest}";' in worker.text


def test_the_session_page_carries_every_exercise_still_to_come_and_their_day(
    started: TestClient,
) -> None:
    answer(started, PHASE_1[0], "none")

    page = started.get("/session")
    following = started.get("/session", headers=HTMX)

    ahead = re.findall(r'<template data-exercise="([^"]+)">', page.text)
    assert ahead == list(PHASE_1[2:])  # the one shown is PHASE_1[1]
    assert 'data-exercise="cat-cow"' in page.text
    for exercise in ahead:
        body = page.text.split(f'<template data-exercise="{exercise}">')[1].split("</template>")[0]
        assert f'<input type="hidden" name="exercise" value="{exercise}">' in body
        assert 'name="date" value="2026-11-02"' in body
        assert "data-steps=" in body and 'class="pain-grid"' in body
    assert 'data-offline="done"' in page.text and 'data-offline="stopped"' in page.text
    assert "<template" not in following.text  # the next exercise online stays light
    assert 'name="date" value="2026-11-02"' in following.text
