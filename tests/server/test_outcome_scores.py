"""Outcome measures a clinic scores itself (issue #20), through the real app on SQLite and
PostgreSQL: the clinician enters a total on the patient's page and reads it back with its
change against the MCID and STarT Back's risk group; bad input is refused beside its field
with nothing written; a clinician who is not the patient's own is refused and writes
nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from lumbar.content.load import default_content
from lumbar.store.score_tables import outcome_scores
from lumbar.usecases import audit, handouts
from lumbar.usecases.person import Person
from lumbar.usecases.scores import NOT_STARTED
from tests.builders import START
from tests.server.conftest import Clinic
from tests.web.conftest import assert_errors_beside_fields, form_error, text


def kept(clinic: Clinic) -> list[tuple[Any, ...]]:
    with clinic.store.engine.connect() as connection:
        rows = connection.execute(
            select(
                outcome_scores.c.person_id,
                outcome_scores.c.on_date,
                outcome_scores.c.measure,
                outcome_scores.c.total,
                outcome_scores.c.subscale,
            ).order_by(outcome_scores.c.id)
        )
        return [tuple(row) for row in rows]


def enter(client: TestClient, patient: int, **fields: str) -> Any:
    return client.post(f"/clinic/patients/{patient}/scores", data=fields)


def test_the_clinician_enters_scores_and_reads_the_change(clinic: Clinic, ann: TestClient) -> None:
    clinic.clock.today = START + timedelta(days=7)
    pt = clinic.client("north_pt")
    ann_id = clinic.people["ann"].id
    day = START.isoformat()
    later = (START + timedelta(days=1)).isoformat()
    for fields in (
        {"measure": "odi", "on": day, "total": "44"},
        {"measure": "odi", "on": later, "total": "32"},
        {"measure": "start_back", "on": day, "total": "6", "subscale": "4"},
        {"measure": "mskhq", "on": day, "total": "30"},
        {"measure": "mskhq", "on": later, "total": "33"},
    ):
        response = enter(pt, ann_id, **fields)
        assert response.status_code == 303, text(response)
        assert response.headers["location"] == f"/clinic/patients/{ann_id}#scores"
    assert kept(clinic) == [
        (ann_id, START, "odi", 44, None),
        (ann_id, START + timedelta(days=1), "odi", 32, None),
        (ann_id, START, "start_back", 6, 4),
        (ann_id, START, "mskhq", 30, None),
        (ann_id, START + timedelta(days=1), "mskhq", 33, None),
    ]
    page = text(pt.get(f"/clinic/patients/{ann_id}"))
    assert "Latest: ODI 32%" in page
    assert (
        "ODI 12 points better since 2 November 2026: more than the 10 points that matter." in page
    )
    assert "High risk by the STarT Back: a total of 6 out of 9" in page
    assert (
        "MSK-HQ 3 points better since 2 November 2026: less than the 6 points that matter." in page
    )
    assert "ODI, 0 to 100% (lower is better)" in page  # the chart's title
    summary = text(pt.get(f"/clinic/patients/{ann_id}/summary"))
    assert "Outcome measures (entered by the clinic)" in summary
    assert "ODI 44% (2 Nov 2026); now ODI 32% (3 Nov 2026)." in summary
    assert "STarT Back 6 of 9, psychosocial subscale 4 of 5 (2 Nov 2026). High risk" in summary
    # The FHIR Bundle: an Observation per score, the measure named.
    record = Person(clinic.store, default_content(), ann_id, clinic=True, today=clinic.clock())
    bundle = handouts.fhir(record, clinic.clock())
    named = [
        (e["resource"]["code"]["text"], e["resource"]["effectiveDateTime"])
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "Observation"
        and e["resource"]["code"]["coding"][0]["system"] == "urn:lumbar:outcome-measure"
    ]
    assert [n for n, _ in named].count("Oswestry Disability Index") == 2
    assert len(named) == 5
    entries = [e for e in audit.entries(clinic.accounts) if e.target.endswith("/scores")]
    assert [e.action for e in entries] == ["write"] * 5


@pytest.mark.parametrize(
    ("fields", "field", "said"),
    [
        ({"measure": "odi", "total": "101"}, "total", "The ODI total is from 0 to 100%"),
        ({"measure": "rmdq", "total": "-1"}, "total", "The RMDQ total is from 0 to 24"),
        ({"measure": "rmdq", "total": "ten"}, "total", "Give the RMDQ total as a whole number"),
        ({"measure": "sf36", "total": "10"}, "measure", "Choose one of the measures"),
        ({"measure": "odi", "total": "20", "on": "2026-11-04"}, "on", "after today"),
        ({"measure": "odi", "total": "20", "on": "soon"}, "on", "as a date"),
        ({"measure": "odi", "total": "20", "on": "2025-11-01"}, "on", "more than a year before"),
        ({"measure": "start_back", "total": "5"}, "subscale", "psychosocial subscale"),
        ({"measure": "start_back", "total": "2", "subscale": "3"}, "subscale", "at most"),
        ({"measure": "start_back", "total": "9", "subscale": "4"}, "subscale", "at most"),
        ({"measure": "odi", "total": "20", "subscale": "2"}, "subscale", "no subscale"),
    ],
)
def test_bad_input_is_refused_beside_its_field_and_nothing_is_written(
    clinic: Clinic, ann: TestClient, fields: dict[str, str], field: str, said: str
) -> None:
    pt = clinic.client("north_pt")
    ann_id = clinic.people["ann"].id
    assert enter(pt, ann_id, measure="odi", on="2025-11-02", total="50").status_code == 303
    written = kept(clinic)  # a year before the start, and no further: the first visit
    response = enter(pt, ann_id, **{"on": START.isoformat(), **fields})
    assert response.status_code == 422
    beside = assert_errors_beside_fields(response)
    assert list(beside) == [field]
    assert said.lower() in beside[field].lower()
    # What was typed is shown again, to correct.
    assert f'value="{fields["total"]}"' in response.text
    assert kept(clinic) == written


def test_a_patient_who_has_not_started_has_no_scores_yet(clinic: Clinic) -> None:
    pt = clinic.client("north_pt")
    bob = clinic.people["bob"].id
    response = enter(pt, bob, measure="odi", on=START.isoformat(), total="30")
    assert response.status_code == 422
    assert form_error(response) == NOT_STARTED[:1].upper() + NOT_STARTED[1:]
    assert kept(clinic) == []


@pytest.mark.parametrize("other", ["north_pt2", "south_pt", "bob", "north_admin"])
def test_only_the_patients_own_clinician_enters_a_score(
    clinic: Clinic, ann: TestClient, other: str
) -> None:
    ann_id = clinic.people["ann"].id
    response = enter(clinic.client(other), ann_id, measure="odi", on=START.isoformat(), total="30")
    assert response.status_code in (403, 404)
    assert kept(clinic) == []
    with clinic.store.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(outcome_scores)).scalar() == 0


def test_the_api_enters_and_lists_scores(clinic: Clinic, ann: TestClient) -> None:
    pt = clinic.client("north_pt")
    ann_id = clinic.people["ann"].id
    path = f"/api/v1/clinic/patients/{ann_id}/scores"
    assert pt.get(path).json() == []
    sent = {"date": START.isoformat(), "measure": "start_back", "total": 2, "subscale": 1}
    response = pt.post(path, json=sent)
    assert response.status_code == 201, response.text
    low = "Low risk by the STarT Back: a total of 2 out of 9 (3 or less is low risk)."
    expected = [{**sent, "name": "STarT Back", "risk": low}]
    assert response.json() == expected
    assert pt.get(path).json() == expected
    refused = pt.post(path, json={**sent, "measure": "rmdq", "total": 25, "subscale": None})
    assert refused.status_code == 422
    assert refused.json()["message"] == "total: the RMDQ total is from 0 to 24"
    elsewhere = clinic.client("south_pt").post(path, json=sent)
    assert elsewhere.status_code == 404
    assert len(kept(clinic)) == 1
