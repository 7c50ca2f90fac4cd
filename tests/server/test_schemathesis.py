"""Schemathesis against a clinic's server (accounts mode): every operation of its OpenAPI
schema, called as the kind of account its rule in `web/authorization.py` admits.

The schema is the one the clinic's server publishes (`/api/v1/openapi.json`): the patient's
API, the catalogue, signing in and out, the clinician's (`/api/v1/clinic/...`), the admin's
(`/api/v1/admin/...`) and the messages. For every operation schemathesis sends the schema's
examples, its boundary values (coverage) and generated requests, valid and deliberately
invalid ones, to the real app in-process over ASGI, on a new database (SQLite and
PostgreSQL) holding the two clinics of tests/server/conftest.py. Who sends them:

- the patient's routes: Ann, signed in, her program started and a session recorded;
- the clinician's: her clinician `north_pt`, with `{patient_id}` fixed to Ann's id (a
  schemathesis parameter, so that every request reaches her record rather than a 404);
- the admin's: `north_admin`, of the same clinic;
- the staff's (a clinician or an admin: the pending invitations): `north_pt`;
- the public ones (the catalogue, signing in): nobody;
- `/api/v1/me` (any signed-in account): Ann; signing out: Ann again, on a session of its
  own for each request, so that it does not end the session the other requests use.

Each request carries the account's session cookie and, as the web pages send it, the
session's CSRF token in `X-CSRF-Token`.

The checks are those of tests/web/test_schemathesis.py: schemathesis's own (no server
error; the status code, content type and body documented; invalid input refused), every
answer of 400 or more carrying a message a person can read, and a refused request that
could write (anything but GET) leaving the number of rows of every table as it was, except
the bookkeeping tables that any request may write (the audit log of reads, sessions,
failed sign-ins). `positive_data_acceptance` is left out for the same reason as there, and
more: a well-formed sign-in with a wrong password is refused (401), and a well-formed
prescription that breaks a safety rule too (422).

Bounded for CI and derandomized (every run sends the same requests): at most 25 generated
requests per operation, besides the schema's examples and boundary values, about 1,300
requests on each database. About 35 s on SQLite and PostgreSQL together on two cores:

    scripts/with-postgres .venv/bin/pytest -q tests/server/test_schemathesis.py -p no:cacheprovider
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis import Case
from sqlalchemy import func, select

from lumbar.store.database import Store, sqlite_url
from lumbar.store.tables import metadata
from lumbar.usecases.accounts import Accounts, now_utc
from lumbar.web.access_rules import RULES, Access
from lumbar.web.app import create_app
from lumbar.web.guard import SESSION_COOKIE
from tests.server.conftest import BASE_URL, CHEAP, PASSWORD, PEOPLE, Clinic, email
from tests.web.test_schemathesis import has_a_message

ApiCase = Case[Any]
"""One request schemathesis made up for an operation."""

ANN_ID = list(PEOPLE).index("ann") + 1
"""Ann's account id: the accounts are made in PEOPLE's order on a new database, whose ids
start at 1 (the `world` fixture checks it)."""

BOOKKEEPING = frozenset({"audit_log", "auth_sessions", "login_failures"})
"""Tables any request may write (the audit log of reads, sign-ins, failed sign-ins)."""

ACTOR: dict[Access, str | None] = {
    Access.PATIENT: "ann",
    Access.CLINICIAN: "north_pt",
    Access.ADMIN: "north_admin",
    Access.STAFF: "north_pt",
    Access.SIGNED_IN: "ann",
    Access.PUBLIC: None,
}
"""Who calls the routes of each rule."""

ENDS_THE_SESSION = frozenset({("POST", "/api/v1/sign-out")})
"""Operations sent on a session of their own, new for each request."""


def _published_schema() -> dict[str, Any]:
    """The OpenAPI document of a clinic's server, from one on a throwaway SQLite file (it
    does not depend on what the database holds)."""
    with tempfile.TemporaryDirectory() as folder:
        store = Store(sqlite_url(Path(folder) / "schema.db"))
        try:
            app = create_app(store, accounts=Accounts(store, CHEAP), allowed_hosts=None)
            document: dict[str, Any] = app.openapi()
        finally:
            store.dispose()
    return document


CONFIG = schemathesis.Config.from_dict(
    {
        "checks": {"positive_data_acceptance": {"enabled": False}},
        "parameters": {"path.patient_id": ANN_ID},
    }
)

schema = schemathesis.openapi.from_dict(_published_schema(), config=CONFIG)

BOUNDED = settings(
    max_examples=25,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[
        # One clinic per operation, kept across its examples on purpose.
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
"""The same requests at every run: a failure found once is found again."""


COUNTED = [table for table in metadata.sorted_tables if table.name not in BOOKKEEPING]
ROW_COUNTS = select(
    *(select(func.count()).select_from(t).scalar_subquery().label(t.name) for t in COUNTED)
)
"""The number of rows of every table but the bookkeeping ones, in one query."""


def row_counts(store: Store) -> dict[str, int]:
    with store.engine.connect() as connection:
        return dict(connection.execute(ROW_COUNTS).one()._mapping)


@dataclass
class World:
    """The clinic, and the sessions of the accounts that call its routes."""

    clinic: Clinic
    sessions: dict[str, tuple[str, str]] = field(default_factory=dict)

    def session(self, name: str) -> tuple[str, str]:
        """(cookie, CSRF token) of `name`, signed in through the API once per test."""
        if name not in self.sessions:
            client = self.clinic.client(name)
            self.sessions[name] = self._of(client)
        return self.sessions[name]

    def new_session(self, name: str) -> tuple[str, str]:
        """A session of its own (for a request that may end it)."""
        new = self.clinic.accounts.sign_in(email(name), PASSWORD, now_utc())
        return new.token, new.signed_in.csrf_token

    @staticmethod
    def _of(client: TestClient) -> tuple[str, str]:
        token = client.cookies.get(SESSION_COOKIE)
        assert token, "signing in set no session cookie"
        return token, client.headers["X-CSRF-Token"]


@pytest.fixture
def world(clinic: Clinic, ann: TestClient) -> World:
    """Ann signed in with her program started (the `ann` fixture), in the two clinics."""
    assert clinic.people["ann"].id == ANN_ID
    found = World(clinic)
    found.sessions["ann"] = World._of(ann)
    return found


def send(case: ApiCase, world: World) -> None:
    """Send one generated request as the account its rule admits, and hold its answer to
    every check."""
    # The operation's method: schemathesis also sends others (TRACE, DELETE) to see them
    # refused with 405.
    route = (case.operation.method.upper(), case.operation.path)
    name = ACTOR[RULES[route]]
    headers: dict[str, str] = {}
    cookies: dict[str, str] = {}
    if name is not None:
        token, csrf = world.new_session(name) if route in ENDS_THE_SESSION else world.session(name)
        headers["X-CSRF-Token"] = csrf
        cookies[SESSION_COOKIE] = token
    store = world.clinic.store
    before = None if case.method.upper() == "GET" else row_counts(store)
    response = case.call_and_validate(
        base_url=BASE_URL,
        app=world.clinic.app,
        headers=headers,
        cookies=cookies,
        additional_checks=[has_a_message],
    )
    if before is not None and 400 <= response.status_code < 500:
        assert row_counts(store) == before, (
            f"{case.method} {case.formatted_path} was refused ({response.status_code}) "
            f"but wrote to the database: {response.text[:200]}"
        )


@schema.parametrize()
@BOUNDED
def test_every_operation_as_the_account_it_serves(case: ApiCase, world: World) -> None:
    send(case, world)
