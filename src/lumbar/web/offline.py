"""Installable, and usable offline (issue #16): the service worker, served from the root so
that it looks after every page (a worker's scope is the folder it is served from).

The worker (static/sw.js) keeps the app shell and the last Today and session pages it saw,
and shows them, dated, when the network fails; the page's own script (static/offline.js)
registers it where the page is a secure context (HTTPS, or this computer's own address) and
keeps the answers given offline until they can be sent. The manifest is `library.py`'s.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import Response

from lumbar import __version__
from lumbar.web.assets import catalogue, static_url

router = APIRouter(include_in_schema=False)

WORKER = Path(__file__).parent / "static" / "sw.js"
STATIC_NAME = re.compile(r'"/static/([\w.-]+)"')


@cache
def _worker() -> bytes:
    """The worker with the app's version in it, and the static files' hashed names (and
    their hash together): a new version, or a changed file, is a new worker, and its new
    app shell replaces the old one."""
    text = WORKER.read_text(encoding="utf-8")
    text = STATIC_NAME.sub(lambda found: f'"{static_url(found[1])}"', text)
    text = text.replace("__VERSION__", __version__).replace("__ASSETS__", catalogue().digest)
    return text.encode()


@router.get("/sw.js")
def service_worker() -> Response:
    # Browsers check a worker for updates at most once a day; no-cache makes them ask.
    return Response(
        _worker(),
        media_type="text/javascript",
        headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": "/"},
    )
