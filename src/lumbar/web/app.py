"""Building the app: the services it serves, the clock it asks, its routes and safeguards."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles

from lumbar import __version__
from lumbar.content.load import Content, default_content
from lumbar.figures.load import drawings_for
from lumbar.store.database import LOCAL_PERSON, Store
from lumbar.web import api, errors, pages, player, share
from lumbar.web.guard import Compress, LocalOnly

STATIC = Path(__file__).parent / "static"

Clock = Callable[[], date]
PersonOf = Callable[[Request], int]


def local_person(_request: Request) -> int:
    return LOCAL_PERSON


def create_app(
    store: Store,
    *,
    content: Content | None = None,
    clock: Clock = date.today,
    allowed_hosts: tuple[str, ...] = ("127.0.0.1", "localhost", "[::1]"),
    person_of: PersonOf = local_person,
) -> FastAPI:
    """The app for one person on their own machine (local mode: no accounts, loopback only).

    `clock` says what day it is; tests pass their own, the server passes the system date.
    `person_of` says whose data a request is about: in local mode always the one person
    (accounts, a later mode, will read it from the signed-in session).
    """
    app = FastAPI(
        title="lumbar",
        version=__version__,
        summary="A home exercise program for lower back pain.",
        description="The JSON API of lumbar: the same use cases as the web pages and the "
        "command line. Dates are ISO 8601; a refused request writes nothing.",
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    store.migrate()
    store.keep_connection()
    app.state.today_cache = api.TodayCache()
    app.state.store = store
    app.state.content = content or default_content()
    app.state.drawings = drawings_for(app.state.content)
    app.state.person_of = person_of
    app.state.clock = clock
    app.add_middleware(Compress, minimum_size=1000)
    app.add_middleware(LocalOnly, allowed_hosts=allowed_hosts)
    app.add_exception_handler(RequestValidationError, errors.invalid_request)
    app.include_router(api.router)
    app.include_router(player.router)
    app.include_router(pages.router)
    app.include_router(share.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    errors.install(app)
    return app
