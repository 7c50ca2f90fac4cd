"""The day a handover is on is the server's (issue #20): a server started with `--date`
tells a moved patient "since" that day, on Today and on Messages, for 30 days of its clock,
whatever the computer's clock says. In-process (the app's clock) and as a real
`lumbar serve --accounts --date` process, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import httpx2 as httpx
from fastapi.testclient import TestClient
from sqlalchemy import select

from lumbar.content.wording import format_date
from lumbar.store.database import Store
from lumbar.store.tables import handovers
from lumbar.usecases.accounts import Accounts, now_utc
from lumbar.usecases.handover import NOTICE_DAYS
from tests.server.conftest import CHEAP, PASSWORD, Clinic
from tests.server.test_crash import SERVER_TODAY, Server
from tests.web.conftest import text

NOTICE = "Your physical therapist is now north_pt2@example.org"


def handover_days(store: Store) -> list[date]:
    with store.engine.connect() as connection:
        return [at.date() for at in connection.execute(select(handovers.c.at)).scalars()]


def test_the_notice_says_the_apps_day_and_ends_30_days_of_it_later(
    clinic: Clinic, ann: TestClient
) -> None:
    moved_on = clinic.clock.today
    assert moved_on != now_utc().date()  # the test clock is not the computer's
    source, to = (clinic.people[n].id for n in ("north_pt", "north_pt2"))
    admin = clinic.client("north_admin")

    response = admin.post(f"/api/v1/admin/accounts/{source}/handover", json={"to": to})

    assert response.status_code == 200, response.text
    assert handover_days(clinic.store) == [moved_on, moved_on]  # Ann and Bob
    said = f"{NOTICE} (since {format_date(moved_on)})"
    for where in ("/today", "/messages"):
        assert said in text(ann.get(where)), where
    clinic.clock.today = moved_on + timedelta(days=NOTICE_DAYS)
    assert said in text(ann.get("/messages"))
    clinic.clock.today = moved_on + timedelta(days=NOTICE_DAYS + 1)
    for where in ("/today", "/messages"):
        assert NOTICE not in text(ann.get(where)), where


def _clinic(database_url: str) -> dict[str, int]:
    """A clinic with an admin, two clinicians and a patient of the first; their ids."""
    store = Store(database_url)
    try:
        accounts = Accounts(store, CHEAP)
        now = now_utc()
        made = {
            "north_admin": accounts.create_user(
                "north_admin@example.org", PASSWORD, "admin", now, clinic="North Clinic"
            ),
            "north_pt": accounts.create_user(
                "north_pt@example.org", PASSWORD, "clinician", now, clinic="North Clinic"
            ),
            "north_pt2": accounts.create_user(
                "north_pt2@example.org", PASSWORD, "clinician", now, clinic="North Clinic"
            ),
            "ann": accounts.create_user(
                "ann@example.org", PASSWORD, "patient", now, clinician_email="north_pt@example.org"
            ),
        }
        return {name: account.id for name, account in made.items()}
    finally:
        store.dispose()


def _signed_in(server: Server, email: str) -> httpx.Client:
    client = httpx.Client(base_url=server.base, timeout=10)
    server.clients.append(client)
    response = client.post("/api/v1/sign-in", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    client.headers["X-CSRF-Token"] = response.json()["csrf_token"]
    return client


def test_a_server_started_with_a_date_tells_the_patient_that_day(
    database_url: str, tmp_path: Path
) -> None:
    ids = _clinic(database_url)
    server = Server(database_url, tmp_path / "server.log")  # serve --date SERVER_TODAY
    assert SERVER_TODAY != now_utc().date()
    try:
        server.start()
        admin = _signed_in(server, "north_admin@example.org")
        response = admin.post(
            f"/api/v1/admin/accounts/{ids['north_pt']}/handover", json={"to": ids["north_pt2"]}
        )
        assert response.status_code == 200, response.text
        ann = _signed_in(server, "ann@example.org")
        page = ann.get("/messages")
        assert page.status_code == 200
        assert f"{NOTICE} (since {format_date(SERVER_TODAY)})" in text(page)
    finally:
        server.stop()
    store = Store(database_url)
    try:
        assert handover_days(store) == [SERVER_TODAY]
    finally:
        store.dispose()
