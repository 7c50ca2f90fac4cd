"""Remote monitoring in the clinician's API (issue #20), through the real app on SQLite and
PostgreSQL: the report as JSON says what the page's CSV says for the same patient, the
timer starts, stops and is discarded as on the page, and every refusal (the timer's state,
a bad entry by hand, a patient who is not the clinician's) writes nothing."""

from __future__ import annotations

import csv
import io
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from lumbar.errors import UserError
from lumbar.store.tables import metadata, monitoring_time
from lumbar.usecases import audit, rtm
from lumbar.usecases.accounts import now_utc
from tests.builders import START
from tests.server.conftest import Clinic

BOOKKEEPING = {"audit_log", "auth_sessions", "login_failures"}


def time_rows(clinic: Clinic) -> list[tuple[Any, ...]]:
    with clinic.store.engine.connect() as connection:
        query = select(monitoring_time).order_by(monitoring_time.c.id)
        return [tuple(row) for row in connection.execute(query)]


def clinical_counts(clinic: Clinic) -> dict[str, int]:
    with clinic.store.engine.connect() as connection:
        return {
            name: connection.execute(select(func.count()).select_from(table)).scalar_one()
            for name, table in metadata.tables.items()
            if name not in BOOKKEEPING
        }


def api(clinic: Clinic, tail: str = "") -> str:
    return f"/api/v1/clinic/patients/{clinic.people['ann'].id}/monitoring" + tail


def last_audit(clinic: Clinic) -> tuple[str, str]:
    entry = audit.entries(clinic.accounts)[-1]
    return entry.action, entry.target


def checkin(client: TestClient, day: Any, pain: int) -> None:
    response = client.post("/api/v1/checkins", json={"date": day.isoformat(), "pain": pain})
    assert response.status_code == 201, response.text


def test_the_report_in_json_has_the_figures_of_the_pages_csv(
    clinic: Clinic, ann: TestClient
) -> None:
    """Ann started on START. Check-ins on days 3, 10 (twice) and 31; minutes by hand on days
    0, 5 and 31, and a timer run on day 40 (today); messages both ways and a prescription
    change. The JSON's periods are the CSV's rows, field by field, and its time log the
    CSV's."""
    pt = clinic.client("north_pt")
    ann_id = clinic.people["ann"].id
    clinic.clock.today = START + timedelta(days=40)
    for day, pain in ((3, 4), (10, 3), (10, 3), (31, 2)):
        checkin(ann, START + timedelta(days=day), pain)
    for day, minutes in ((0, 12), (5, 9), (31, 25)):
        body = {"minutes": minutes, "date": (START + timedelta(days=day)).isoformat()}
        assert pt.post(f"/api/v1/clinic/patients/{ann_id}/time", json=body).status_code == 201
    assert pt.post(f"/clinic/patients/{ann_id}/messages", data={"body": "Hi"}).status_code == 303
    assert ann.post("/api/v1/messages", json={"body": "Fine"}).status_code == 201
    assert pt.post(api(clinic, "/timer")).status_code == 201
    assert pt.post(api(clinic, "/timer/stop")).status_code == 200

    response = pt.get(api(clinic))

    assert response.status_code == 200, response.text
    found = response.json()
    assert (found["date"], found["started"], found["timer"]) == (
        (START + timedelta(days=40)).isoformat(),
        START.isoformat(),
        None,
    )
    periods = found["periods"]
    assert [(p["number"], p["period_start"], p["complete"]) for p in periods] == [
        (1, START.isoformat(), True),
        (2, (START + timedelta(days=30)).isoformat(), False),
    ]
    assert [(p["days_with_data"], p["minutes_logged"]) for p in periods] == [(3, 21), (1, 26)]
    rows = list(csv.reader(io.StringIO(pt.get(f"/clinic/patients/{ann_id}/monitoring.csv").text)))
    header, blank = rows[0], rows.index([])
    as_csv = [
        {**p, "complete": "yes" if p["complete"] else "no"}
        | {k: str(v) for k, v in p.items() if isinstance(v, int) and not isinstance(v, bool)}
        for p in periods
    ]
    assert [{k: p[k] for k in header} for p in as_csv] == [
        dict(zip(header, row, strict=True)) for row in rows[1:blank]
    ]
    logged = [(e["date"], str(e["minutes"])) for e in found["entries"]]
    assert logged == [(row[0], row[1]) for row in rows[blank + 2 :]]
    assert logged[-1] == ((START + timedelta(days=40)).isoformat(), "1")


def test_a_patient_not_started_has_no_period_yet(clinic: Clinic) -> None:
    bob = f"/api/v1/clinic/patients/{clinic.people['bob'].id}/monitoring"
    found = clinic.client("north_pt").get(bob).json()
    assert (found["started"], found["periods"], found["entries"]) == (None, [], [])


def test_the_timer_starts_stops_and_is_discarded_each_write_audited(
    clinic: Clinic, ann: TestClient
) -> None:
    pt = clinic.client("north_pt")
    before = now_utc().replace(microsecond=0)

    started = pt.post(api(clinic, "/timer"))

    assert started.status_code == 201, started.text
    timer = started.json()["timer"]
    assert timer["date"] == START.isoformat()
    assert before.isoformat() <= timer["started_at"] <= now_utc().isoformat()
    assert last_audit(clinic) == ("write", f"POST {api(clinic, '/timer')}")
    assert pt.get(api(clinic)).json()["timer"] == timer
    assert last_audit(clinic) == ("read", f"GET {api(clinic)}")

    stopped = pt.post(api(clinic, "/timer/stop"))

    assert stopped.status_code == 200, stopped.text
    assert stopped.json()["timer"] is None
    assert [(e["date"], e["minutes"]) for e in stopped.json()["entries"]] == [
        (START.isoformat(), 1)  # a started minute counts whole
    ]
    assert last_audit(clinic) == ("write", f"POST {api(clinic, '/timer/stop')}")

    assert pt.post(api(clinic, "/timer")).status_code == 201
    discarded = pt.delete(api(clinic, "/timer"))

    assert discarded.status_code == 204 and discarded.content == b""
    assert last_audit(clinic) == ("write", f"DELETE {api(clinic, '/timer')}")
    after = pt.get(api(clinic)).json()
    assert after["timer"] is None
    assert [e["minutes"] for e in after["entries"]] == [1]  # the stopped one only
    assert len(time_rows(clinic)) == 1


@pytest.mark.parametrize(
    ("running", "method", "tail", "said"),
    [
        (True, "POST", "/timer", "the timer is already running: stop it first"),
        (False, "POST", "/timer/stop", "no timer is running: start it first"),
        (False, "DELETE", "/timer", "no timer is running"),
    ],
)
def test_the_timers_state_refuses_with_a_409_and_nothing_written(
    clinic: Clinic, ann: TestClient, running: bool, method: str, tail: str, said: str
) -> None:
    pt = clinic.client("north_pt")
    if running:
        assert pt.post(api(clinic, "/timer")).status_code == 201
    before = time_rows(clinic)

    response = pt.request(method, api(clinic, tail))

    assert response.status_code == 409, response.text
    assert response.json() == {"message": said}
    assert time_rows(clinic) == before


def test_a_timer_left_running_over_a_day_is_refused_then_discarded_and_entered_by_hand(
    clinic: Clinic, ann: TestClient
) -> None:
    me, patient = clinic.people["north_pt"], clinic.people["ann"]
    rtm.start_timer(clinic.store, me, patient, now_utc() - timedelta(hours=25), START)
    pt = clinic.client("north_pt")
    before = time_rows(clinic)

    refused = pt.post(api(clinic, "/timer/stop"))

    assert refused.status_code == 409
    assert "more than 24 hours: discard it and enter the time by hand" in refused.json()["message"]
    assert time_rows(clinic) == before
    assert pt.delete(api(clinic, "/timer")).status_code == 204
    assert time_rows(clinic) == []
    time = f"/api/v1/clinic/patients/{patient.id}/time"
    entered = pt.post(time, json={"minutes": 45, "date": START.isoformat(), "note": "Call"})
    assert entered.status_code == 201
    report = pt.get(api(clinic)).json()
    assert [(e["minutes"], e["note"]) for e in report["entries"]] == [(45, "Call")]
    assert report["periods"][0]["minutes_logged"] == 45


@pytest.mark.parametrize(
    ("actor", "status"),
    [("north_pt2", 404), ("south_pt", 404), ("ann", 403), ("north_admin", 403), (None, 401)],
)
def test_no_one_but_the_patients_clinician_reads_or_runs_the_timer(
    clinic: Clinic, ann: TestClient, actor: str | None, status: int
) -> None:
    """Another clinician of the clinic or of another clinic is answered as if the patient
    did not exist, the patient and an admin are the wrong kind of account, nobody signed in
    is asked to sign in; the clinician's running timer is left as it was."""
    assert clinic.client("north_pt").post(api(clinic, "/timer")).status_code == 201
    before = clinical_counts(clinic), time_rows(clinic)
    client = clinic.client(actor)
    calls = [("GET", ""), ("POST", "/timer"), ("POST", "/timer/stop"), ("DELETE", "/timer")]
    for method, tail in calls:
        response = client.request(method, api(clinic, tail))
        assert response.status_code == status, (method, tail, response.text)
        assert response.json()["message"]
        assert "started_at" not in response.text
        if actor in ("north_pt2", "south_pt"):
            assert last_audit(clinic)[0] == "refused"
    assert (clinical_counts(clinic), time_rows(clinic)) == before


TIME = "/api/v1/clinic/patients/{}/time"
BAD_ENTRIES: list[tuple[dict[str, Any], str]] = [
    ({"minutes": 30, "date": START.isoformat(), "note": "x" * 501}, "500"),
    ({"minutes": 30, "date": START.isoformat(), "note": "Call\u202e"}, "invisible character"),
    ({"minutes": "30", "date": START.isoformat()}, "minutes"),
    ({"minutes": 30.5, "date": START.isoformat()}, "minutes"),
    ({"minutes": 30, "date": 0}, "YYYY-MM-DD"),
    ({"minutes": 30, "date": "2026-02-30"}, "date"),
    ({"minutes": 30}, "date"),
    ({"minutes": 30, "date": START.isoformat(), "billed": True}, "billed"),
]


@pytest.mark.parametrize(("body", "said"), BAD_ENTRIES)
def test_a_bad_entry_by_hand_is_refused_with_its_reason_and_nothing_written(
    clinic: Clinic, ann: TestClient, body: dict[str, Any], said: str
) -> None:
    pt = clinic.client("north_pt")

    response = pt.post(TIME.format(clinic.people["ann"].id), json=body)

    assert response.status_code == 422, response.text
    assert said in response.json()["message"]
    assert time_rows(clinic) == []


def test_timers_started_at_once_run_one_and_refuse_the_others(
    clinic: Clinic, ann: TestClient
) -> None:
    """A client that sends its start again before the first answer (a retry, two tabs):
    on PostgreSQL each read the timer as not running and each started one, left running
    for ever. One starts; the others are refused. The same for stops."""
    me, patient = clinic.people["north_pt"], clinic.people["ann"]
    ready = threading.Barrier(4)

    def start() -> str:
        ready.wait()
        try:
            rtm.start_timer(clinic.store, me, patient, now_utc(), START)
        except UserError as refusal:
            return refusal.message
        return "started"

    for _ in range(3):
        with ThreadPoolExecutor(4) as pool:
            said = sorted(pool.map(lambda _: start(), range(4)))
        assert said == ["started", *["the timer is already running: stop it first"] * 3]
        assert len(time_rows(clinic)) == 1
        rtm.discard_timer(clinic.store, me, patient)
    # Stops sent together: one logs the minutes, the others find no timer running.
    rtm.start_timer(clinic.store, me, patient, now_utc(), START)

    def stop() -> str:
        ready.wait()
        try:
            return f"{rtm.stop_timer(clinic.store, me, patient, now_utc())} minute"
        except UserError as refusal:
            return refusal.message

    with ThreadPoolExecutor(4) as pool:
        said = sorted(pool.map(lambda _: stop(), range(4)))
    assert said == ["1 minute", *["no timer is running: start it first"] * 3]
