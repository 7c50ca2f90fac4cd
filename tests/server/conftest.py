"""A clinic's server in-process (accounts mode), on SQLite and on PostgreSQL.

Two clinics, each with an admin, clinicians and patients; the patients of clinician
`north_pt` are `ann` (program started, with records) and `bob` (invited, not started);
`cy` belongs to another clinician of the same clinic, and `dee` to a clinician of another
clinic. Every client signs in through the real API and sends its CSRF token on every write,
as the web pages do. Passwords are hashed with cheap argon2id parameters: the production
parameters cost about 0.2 s a hash on purpose, which a test suite cannot afford.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient

from lumbar.domain.access import Account
from lumbar.store.database import Store
from lumbar.usecases.accounts import Accounts, now_utc
from lumbar.web.app import create_app
from tests.web.conftest import ANSWERS, Clock

BASE_URL = "https://clinic.example"
PASSWORD = "correct horse battery"
CHEAP = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)

PEOPLE = {
    "north_admin": ("admin", "North Clinic", None),
    "north_pt": ("clinician", "North Clinic", None),
    "north_pt2": ("clinician", "North Clinic", None),
    "south_admin": ("admin", "South Clinic", None),
    "south_pt": ("clinician", "South Clinic", None),
    "ann": ("patient", None, "north_pt"),
    "bob": ("patient", None, "north_pt"),
    "cy": ("patient", None, "north_pt2"),
    "dee": ("patient", None, "south_pt"),
}
"""name → (role, clinic, clinician). Each person's email is NAME@example.org."""

ANN_ACTIVITY = "Carrying the cello case upstairs"
"""A string only Ann's record holds: no response to anyone else may contain it."""


def email(name: str) -> str:
    return f"{name}@example.org"


@dataclass
class Clinic:
    app: FastAPI
    store: Store
    accounts: Accounts
    clock: Clock
    people: dict[str, Account] = field(default_factory=dict)
    invitation: str = "no-such-invitation"
    """A pending invitation's id, for the routes about one (test_matrix.py makes one)."""
    _clients: list[TestClient] = field(default_factory=list)

    def client(self, name: str | None = None) -> TestClient:
        """A browser: signed in as `name` (its CSRF token sent on every request), or
        anonymous."""
        opened = TestClient(self.app, base_url=BASE_URL, follow_redirects=False)
        opened.__enter__()
        self._clients.append(opened)
        if name is not None:
            response = opened.post(
                "/api/v1/sign-in", json={"email": email(name), "password": PASSWORD}
            )
            assert response.status_code == 200, response.text
            opened.headers["X-CSRF-Token"] = response.json()["csrf_token"]
        return opened

    def close(self) -> None:
        for opened in self._clients:
            opened.__exit__(None, None, None)


@pytest.fixture
def clinic(database_url: str) -> Iterator[Clinic]:
    store = Store(database_url)
    accounts = Accounts(store, CHEAP)
    clock = Clock()
    app = create_app(store, accounts=accounts, clock=clock, allowed_hosts=None)
    world = Clinic(app, store, accounts, clock)
    now = now_utc()
    for name, (role, clinic_name, clinician) in PEOPLE.items():
        world.people[name] = accounts.create_user(
            email(name),
            PASSWORD,
            role,
            now,
            clinic=clinic_name,
            clinician_email=None if clinician is None else email(clinician),
        )
    yield world
    world.close()
    store.dispose()


def start(client: TestClient, **changes: Any) -> dict[str, Any]:
    """Start the signed-in patient's program through the API."""
    answers = {**ANSWERS, **changes}
    response = client.post("/api/v1/program", json=answers)
    assert response.status_code == 201, response.text
    plan: dict[str, Any] = response.json()
    return plan


@pytest.fixture
def ann(clinic: Clinic) -> TestClient:
    """Ann, signed in, with her program started and a session recorded."""
    client = clinic.client("ann")
    psfs = [{"activity": ANN_ACTIVITY, "score": 3}, *ANSWERS["psfs"][1:]]
    plan = start(client, psfs=psfs)
    exercises = [{"id": e["id"], "pain": "none"} for e in plan["exercises"]]
    response = client.post("/api/v1/sessions", json={"date": plan["date"], "exercises": exercises})
    assert response.status_code == 201, response.text
    return client
