"""Building the app: the services it serves, the clock it asks, its routes and safeguards."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError

from lumbar import __version__
from lumbar.content.load import Content, default_content
from lumbar.errors import NotAllowed
from lumbar.figures.load import drawings_for
from lumbar.store.database import LOCAL_PERSON, Store
from lumbar.usecases import devices, program, summaries
from lumbar.usecases.accounts import Accounts, now_utc
from lumbar.usecases.daily_jobs import DailyJobs
from lumbar.usecases.mail import Mailer
from lumbar.usecases.phone import PhoneAddress
from lumbar.web import (
    account,
    admin,
    api,
    api_docs,
    authorization,
    camera,
    catalogue_api,
    chart_records,
    clearance,
    clinic,
    clinic_api,
    clinic_records,
    equipment,
    equipment_api,
    errors,
    handover,
    intake,
    invitations,
    library,
    messages,
    milestones,
    monitoring_api,
    notifications,
    offline,
    outcome_scores,
    pages,
    phone,
    player,
    prescribing,
    program_templates,
    records,
    records_api,
    routine,
    settings,
    settings_api,
    share,
    signin,
    two_factor,
)
from lumbar.web.assets import CLINIC_PAGES, LOCAL_PAGES, Assets, PageCaching
from lumbar.web.guard import ClinicGuard, Compress, LocalOnly
from lumbar.web.headers import Headers
from lumbar.web.limits import BODY_LIMIT, IMPORT_LIMIT, BodyLimit, NoControlCharacters

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")

Clock = Callable[[], date]
PersonOf = Callable[[Request], int]


def local_person(_request: Request) -> int:
    return LOCAL_PERSON


def _running(jobs: DailyJobs) -> Callable[[FastAPI], Any]:
    """The server's lifespan with its daily jobs: started once it starts, stopped (in a
    thread: the event loop does not wait on them) when it stops."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        jobs.start()
        try:
            yield
        finally:
            await asyncio.to_thread(jobs.stop)

    return lifespan


def create_app(
    store: Store,
    *,
    content: Content | None = None,
    clock: Clock = date.today,
    allowed_hosts: tuple[str, ...] | None = LOOPBACK_HOSTS,
    person_of: PersonOf = local_person,
    accounts: Accounts | None = None,
    secure_cookies: bool = True,
    mailer: Mailer | None = None,
    public_url: str | None = None,
    phone_address: PhoneAddress | None = None,
    body_limit: int = BODY_LIMIT,
    import_limit: int = IMPORT_LIMIT,
    jobs: DailyJobs | None = None,
) -> FastAPI:
    """The app for one person on their own machine (local mode: no accounts, loopback only),
    or, given `accounts`, a clinic's server (accounts mode).

    `clock` says what day it is; tests pass their own, the server passes the system date.
    `person_of` says whose data a request is about: in local mode always the one person; in
    accounts mode the signed-in patient. `allowed_hosts` in accounts mode may be None (any
    host: a reverse proxy in front checks it). `secure_cookies=False` only for trying the
    server over plain HTTP. `mailer` sends reset links where the clinic has a mail server;
    `public_url` is the address people reach the server at, for the links it gives.
    `phone_address` is where a paired phone reaches local mode (`lumbar serve --phone`);
    whatever it is, a request from another device is refused unless it is paired.
    `body_limit` and `import_limit` are the largest request bodies read, in bytes (an
    import's is larger); a larger one is answered 413 unread (web/limits.py).
    """
    if mailer is not None and public_url is None and allowed_hosts is None:
        raise ValueError(
            "a server that emails links must know its address: give public_url or "
            "allowed_hosts (else a request's Host header would choose where links point)"
        )
    app = FastAPI(
        title="lumbar",
        version=__version__,
        summary="A home exercise program for lower back pain.",
        description="The JSON API of lumbar: the same use cases as the web pages and the "
        "command line. Dates are ISO 8601; a refused request writes nothing.",
        # The docs page is ours (web/api_docs.py): Swagger UI from /static, not a CDN.
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
        # Every route, including any added to the app later, passes its access rule first
        # (web/authorization.py; nothing to check in local mode).
        dependencies=[Depends(authorization.enforce)],
        lifespan=None if jobs is None else _running(jobs),
    )
    store.migrate()
    store.keep_connection()
    app.state.day_answers = program.DayAnswers()
    app.state.store = store
    app.state.content = content or default_content()
    app.state.drawings = drawings_for(app.state.content)
    app.state.clock = clock
    app.state.accounts = accounts
    app.state.secure_cookies = secure_cookies
    app.state.mailer = mailer
    app.state.public_url = public_url
    app.state.phone_address = phone_address
    app.add_middleware(Compress, minimum_size=1000)
    if accounts is None:
        app.state.person_of = person_of
        if allowed_hosts is None:
            raise ValueError("local mode answers only on this computer: name its hosts")
        if phone_address is not None:
            allowed_hosts = (*allowed_hosts, phone_address.host)
        app.add_middleware(
            LocalOnly,
            allowed_hosts=allowed_hosts,
            devices=devices.Gate(store, now_utc),
        )
    else:
        app.state.person_of = signin.signed_in_person
        # Every write keeps the dashboard's concern summaries (issue #20).
        for kept in [store] if accounts.store is store else [store, accounts.store]:
            summaries.keep(kept, app.state.content, clock)
        app.add_middleware(ClinicGuard, accounts=accounts, allowed_hosts=allowed_hosts)
    # Outside the guards, so that their refusals carry them too. Pages and answers about
    # a person: never kept as they are (web/assets.py). The CSP, and HEAD (web/headers.py).
    app.add_middleware(PageCaching, rule=LOCAL_PAGES if accounts is None else CLINIC_PAGES)
    app.add_middleware(Headers)
    # Added last, so outermost: no other middleware reads a body over the limit, nor looks
    # a path up that holds a control character.
    app.add_middleware(NoControlCharacters)
    app.add_middleware(BodyLimit, limit=body_limit, import_limit=import_limit)
    app.add_exception_handler(RequestValidationError, errors.invalid_request)
    app.add_exception_handler(authorization.Refused, authorization.refused)
    app.add_exception_handler(NotAllowed, authorization.not_allowed)
    routers = [
        api_docs.router,
        api.router,
        settings_api.router,
        catalogue_api.router,
        records_api.router,
        equipment_api.router,
        player.router,
        routine.router,
        offline.router,
        intake.router,
        pages.router,
        milestones.router,
        settings.router,
        equipment.router,
        clearance.router,
        library.router,
        share.router,
        records.router,
        camera.router,
    ]
    if accounts is None:
        routers.append(phone.router)
    else:
        routers += [
            signin.router,
            two_factor.router,
            account.router,
            clinic.router,
            clinic_api.router,
            invitations.router,
            clinic_records.router,
            handover.router,
            chart_records.router,
            monitoring_api.router,
            prescribing.router,
            program_templates.router,
            admin.router,
            messages.router,
            notifications.router,
            outcome_scores.router,
        ]
    for router in routers:
        app.include_router(router)
    # Hashed names (web/assets.py): a year in the cache; the plain names, asked again.
    app.mount("/static", Assets(), name="static")
    errors.install(app)
    return app
