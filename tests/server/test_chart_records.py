"""Records for the chart from a clinician's patient page (issue #20), through the real app
on SQLite and PostgreSQL: the summary PDF and FHIR Bundle of the patient, the time logged
against them (by hand, by the timer; bad entries refused with nothing written), and the
monthly remote-monitoring report, whose numbers are checked against a history built here,
as a CSV parsed and a tagged PDF read."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from typing import Any

import pdfplumber
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from lumbar.errors import UserError
from lumbar.store.tables import monitoring_time
from lumbar.usecases import audit, rtm
from lumbar.usecases.accounts import now_utc
from tests.builders import START
from tests.handouts.pdf_reading import read
from tests.server.conftest import Clinic
from tests.server.test_clinic import PRESCRIBED
from tests.web.conftest import text


def time_rows(clinic: Clinic) -> int:
    with clinic.store.engine.connect() as connection:
        return int(
            connection.execute(select(func.count()).select_from(monitoring_time)).scalar_one()
        )


def path(clinic: Clinic, tail: str) -> str:
    return f"/clinic/patients/{clinic.people['ann'].id}" + (f"/{tail}" if tail else "")


def test_the_summary_pdf_and_fhir_bundle_of_a_patient_are_audited_reads(
    clinic: Clinic, ann: TestClient
) -> None:
    pt = clinic.client("north_pt")
    seen = len(audit.entries(clinic.accounts))
    pdf = pt.get(path(clinic, "summary.pdf"))
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(pdf.content)) as document:
        words = " ".join(page.extract_text() or "" for page in document.pages)
    assert "ann@example.org" in words and "Pain" in words
    assert read(pdf.content).tree is not None  # tagged
    bundle = pt.get(path(clinic, "fhir.json"))
    assert bundle.status_code == 200
    assert json.loads(bundle.text)["resourceType"] == "Bundle"
    logged = audit.entries(clinic.accounts)[seen:]
    assert [(e.action, e.target.split()[-1]) for e in logged] == [
        ("read", path(clinic, "summary.pdf")),
        ("read", path(clinic, "fhir.json")),
    ]
    # Another clinician's patient: refused, and only the refusal is written.
    other = clinic.client("north_pt2")
    assert other.get(path(clinic, "summary.pdf")).status_code == 404
    assert audit.entries(clinic.accounts)[-1].action == "refused"


BAD_TIME: list[tuple[dict[str, str], str]] = [
    ({"minutes": "-5", "date": START.isoformat()}, "more than 0"),
    ({"minutes": "0", "date": START.isoformat()}, "more than 0"),
    ({"minutes": "1441", "date": START.isoformat()}, "24 hours"),
    ({"minutes": "30", "date": (START + timedelta(days=1)).isoformat()}, "future"),
    ({"minutes": "ten", "date": START.isoformat()}, "whole number"),
    ({"minutes": "", "date": START.isoformat()}, "Give the minutes spent"),
    ({"minutes": "30", "date": "yesterday"}, "YYYY-MM-DD"),
    ({"minutes": "30", "date": START.isoformat(), "note": "x" * 501}, "500 characters"),
]


@pytest.mark.parametrize(("form", "said"), BAD_TIME)
def test_a_bad_time_entry_is_refused_beside_its_field_and_nothing_is_written(
    clinic: Clinic, form: dict[str, str], said: str
) -> None:
    pt = clinic.client("north_pt")
    response = pt.post(path(clinic, "time"), data=form)
    assert response.status_code == 422
    assert said in text(response)
    assert time_rows(clinic) == 0


def test_the_api_refuses_bad_time_and_logs_good_time(clinic: Clinic) -> None:
    pt = clinic.client("north_pt")
    api = f"/api/v1/clinic/patients/{clinic.people['ann'].id}/time"
    for body in (
        {"minutes": -1, "date": START.isoformat()},
        {"minutes": 1441, "date": START.isoformat()},
        {"minutes": 20, "date": (START + timedelta(days=3)).isoformat()},
    ):
        refused = pt.post(api, json=body)
        assert refused.status_code == 422, body
        assert refused.json()["message"]
    assert time_rows(clinic) == 0
    made = pt.post(api, json={"minutes": 20, "date": START.isoformat(), "note": "Reviewed pain"})
    assert made.status_code == 201, made.text
    assert [(e["minutes"], e["note"]) for e in pt.get(api).json()] == [(20, "Reviewed pain")]
    # Another clinic's clinician: not found, nothing written.
    assert (
        clinic.client("south_pt")
        .post(api, json={"minutes": 5, "date": START.isoformat()})
        .status_code
        == 404
    )
    assert time_rows(clinic) == 1


def test_the_timer_starts_stops_and_refuses_a_day_long_run(clinic: Clinic) -> None:
    pt = clinic.client("north_pt")
    assert "Start the monitoring timer" in text(pt.get(path(clinic, "")))
    started = pt.post(path(clinic, "timer"), data={"action": "start"})
    assert started.status_code == 303
    shown = text(pt.get(path(clinic, "")))
    assert "Timer running since" in shown
    again = pt.post(path(clinic, "timer"), data={"action": "start", "back": "monitoring"})
    assert again.status_code == 422 and "already running" in text(again)
    stopped = pt.post(path(clinic, "timer"), data={"action": "stop"})
    assert stopped.status_code == 303
    found = rtm.report(clinic.store, clinic.app.state.content, clinic.people["ann"], START)
    assert [(e.on, e.minutes) for e in found.entries] == [(START, 1)]  # on the server's day
    assert found.periods == []  # Ann has not started: no period
    # A timer left running for more than a day is refused when stopped, nothing written.
    me, ann = clinic.people["north_pt"], clinic.people["ann"]
    now = now_utc()
    rtm.start_timer(clinic.store, me, ann, now, START)
    with pytest.raises(UserError, match="more than 24 hours"):
        rtm.stop_timer(clinic.store, me, ann, now + timedelta(hours=24, minutes=1))
    assert rtm.running(clinic.store, me, ann) is not None
    assert rtm.stop_timer(clinic.store, me, ann, now + timedelta(minutes=90)) == 90


def checkin(client: TestClient, day: Any, pain: int) -> None:
    response = client.post("/api/v1/checkins", json={"date": day.isoformat(), "pain": pain})
    assert response.status_code == 201, response.text


def test_the_monthly_report_counts_what_happened_in_each_period(
    clinic: Clinic, ann: TestClient
) -> None:
    """Ann started on START (intake and a session that day). Period 1 is START to START+29,
    period 2 from START+30. Built here: check-ins on days 3, 10 and 10 again (one day),
    and 31; minutes on days 0, 5 and 31; one prescription change; messages both ways."""
    pt = clinic.client("north_pt")
    ann_id = clinic.people["ann"].id
    clinic.clock.today = START + timedelta(days=40)
    checkin(ann, START + timedelta(days=3), 4)
    checkin(ann, START + timedelta(days=10), 3)
    checkin(ann, START + timedelta(days=10), 3)
    checkin(ann, START + timedelta(days=31), 2)
    api = f"/api/v1/clinic/patients/{ann_id}/time"
    for day, minutes in ((0, 12), (5, 9), (31, 25)):
        body = {"minutes": minutes, "date": (START + timedelta(days=day)).isoformat()}
        assert pt.post(api, json=body).status_code == 201
    assert (
        pt.put(f"/api/v1/clinic/patients/{ann_id}/prescription", json=PRESCRIBED).status_code == 200
    )
    assert pt.post(path(clinic, "messages"), data={"body": "How is the bridge?"}).status_code == 303
    assert ann.post("/api/v1/messages", json={"body": "Fine"}).status_code == 201
    # Messages and the prescription change are stamped with the real time: they fall in
    # the period holding that day, if any (the clock of the app says START + 40).
    real = now_utc().date()
    response = pt.get(path(clinic, "monitoring.csv"))
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    header, first, second = (
        rows[0],
        dict(zip(rows[0], rows[1], strict=True)),
        dict(zip(rows[0], rows[2], strict=True)),
    )
    assert header[0] == "period_start" and rows[3] == []
    assert (first["period_start"], first["period_end"], first["complete"]) == (
        START.isoformat(), (START + timedelta(days=29)).isoformat(), "yes")  # fmt: skip
    assert (first["days_with_data"], first["minutes_logged"]) == ("3", "21")
    assert (second["days_with_data"], second["minutes_logged"], second["complete"]) == (
        "1",
        "25",
        "no",
    )
    interactions = [
        (int(r["messages_sent"]), int(r["messages_received"]), int(r["prescription_changes"]))
        for r in (first, second)
    ]
    in_range = START <= real <= START + timedelta(days=40)
    assert sum(i[0] for i in interactions) == sum(i[1] for i in interactions) == int(in_range)
    assert sum(i[2] for i in interactions) == int(in_range)
    assert [r[:2] for r in rows[5:]] == [
        [START.isoformat(), "12"],
        [(START + timedelta(days=5)).isoformat(), "9"],
        [(START + timedelta(days=31)).isoformat(), "25"],
    ]
    # The PDF says the same, and is tagged.
    pdf = pt.get(path(clinic, "monitoring.pdf"))
    assert pdf.status_code == 200
    with pdfplumber.open(io.BytesIO(pdf.content)) as document:
        words = " ".join(page.extract_text() or "" for page in document.pages)
    assert "Remote monitoring report" in words and "ann@example.org" in words
    assert "Reviewed" not in words and "25" in words
    found = read(pdf.content)
    assert found.tree is not None and found.catalog["Lang"] == "en"
    # The page shows the periods and the log.
    page = text(pt.get(path(clinic, "monitoring")))
    assert "(in progress)" in page and "No time logged yet" not in page
