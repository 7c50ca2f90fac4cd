"""Issue #17: the clinician's prescription shows and takes loads in the patient's unit,
kept in pounds as the prescription document keeps them; a load outside the program's light
weights (10 to 25 lb, 4.5 to 11.3 kg) is refused beside its field, in the patient's unit,
and nothing is written. On SQLite and on PostgreSQL, as the clinic's other tests."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.server.conftest import Clinic, start
from tests.server.test_clinic import (
    WEDNESDAY,
    plan_on,
    prescription_form,
    prescription_of,
)
from tests.web.conftest import assert_errors_beside_fields, field_value, text

SQUAT_LB = [10, 10, 10, 10, 12.5, 12.5, 15, 15, 17.5, 17.5, 20, 20, 22.5, 22.5, 25, 25]
"""The catalogue's squat steps in phase 3, in pounds (content/exercises.toml)."""
SQUAT_KG = [4.5, 4.5, 4.5, 4.5, 5.7, 5.7, 6.8, 6.8, 7.9, 7.9, 9.1, 9.1, 10.2, 10.2, 11.3, 11.3]
"""The same, to a tenth of a kilogram."""


def loads_typed(steps: str) -> list[tuple[float, str]]:
    """Each step's load as the field shows it: (amount, unit)."""
    return [(float(n), u) for n, u in re.findall(r"load (\d+(?:\.\d+)?) (kg|lb)", steps)]


def squat_lb(clinician: TestClient, patient_id: int) -> list[float]:
    stored = prescription_of(clinician, patient_id)
    squat = next(e for e in stored["phases"]["3"] if e["exercise"] == "squat")
    return [step["load"] for step in squat["steps"]]


def note(page: Any) -> str:
    found = re.search(r'<p class="note" id="load-unit">(.*?)</p>', page.text, re.S)
    assert found is not None
    return re.sub(r"<[^>]+>", "", found.group(1))


@pytest.fixture
def bob_in_pounds(clinic: Clinic) -> TestClient:
    """Bob, who reads pounds, with his program started."""
    bob = clinic.client("bob")
    start(bob, unit="lb", equipment={"dumbbells": [10, 15]})
    return bob


def test_a_kilogram_patients_form_shows_and_takes_loads_in_kilograms(
    clinic: Clinic, ann: TestClient
) -> None:
    pt = clinic.client("north_pt")
    patient = clinic.people["ann"]
    action = f"/clinic/patients/{patient.id}/prescription"
    page = pt.get(action)
    fields = prescription_form(pt, patient.id)

    assert loads_typed(fields["steps3-squat"][0]) == [(kg, "kg") for kg in SQUAT_KG]
    assert note(page) == (
        "Loads are in kilograms, the unit this patient reads weights in: "
        "3x8 rest 60 load 4.5 kg, from 4.5 to 11.3 kg."
    )
    assert "loads outside the light weights of 4.5 to 11.3 kg" in text(page)
    assert not re.search(r"\d lb\b", text(page))  # no pound anywhere on the page

    # Sent back unchanged, the kilograms read back as the catalogue's pounds, exactly.
    assert pt.post(action, data=fields).status_code == 303
    assert squat_lb(pt, patient.id) == SQUAT_LB

    # "load 7" is 7 kg: kept as the nearest half pound, shown again as 7 kg.
    typed = "3x8 rest 60 load 7; 3x8 rest 60 load 7.5 kg"
    saved = pt.post(action, data={**fields, "steps3-squat": [typed]})

    assert saved.status_code == 303, text(saved)[:500]
    assert squat_lb(pt, patient.id) == [15.5, 16.5]  # 15.43 and 16.53 lb
    shown = field_value(pt.get(action), "steps3-squat")
    assert shown == "3x8 rest 60 load 7 kg; 3x8 rest 60 load 7.5 kg"


def test_a_pound_patients_form_shows_and_takes_loads_in_pounds(
    clinic: Clinic, bob_in_pounds: TestClient
) -> None:
    pt = clinic.client("north_pt")
    patient = clinic.people["bob"]
    action = f"/clinic/patients/{patient.id}/prescription"
    page = pt.get(action)
    fields = prescription_form(pt, patient.id)

    assert loads_typed(fields["steps3-squat"][0]) == [(lb, "lb") for lb in SQUAT_LB]
    assert note(page).startswith("Loads are in pounds, the unit this patient reads weights in")
    assert "loads outside the light weights of 10 to 25 lb" in text(page)

    saved = pt.post(
        action, data={**fields, "steps3-squat": ["3x8 rest 60 load 15; 3x8 rest 60 load 16"]}
    )

    assert saved.status_code == 303, text(saved)[:500]
    assert squat_lb(pt, patient.id) == [15, 16]
    shown = field_value(pt.get(action), "steps3-squat")
    assert shown == "3x8 rest 60 load 15 lb; 3x8 rest 60 load 16 lb"


REFUSED = {
    # (patient, typed steps, the message beside the field)
    "kg: too heavy": (
        "ann",
        "3x8 rest 60 load 11.4",
        "Phase 3, squat: a load of 11.4 kg is heavier than this program's light weights: "
        "give a load from 4.5 to 11.3 kg",
    ),
    "kg: too light": (
        "ann",
        "3x8 rest 60 load 4.4 kg",
        "Phase 3, squat: a load of 4.4 kg is lighter than this program's light weights: "
        "give a load from 4.5 to 11.3 kg",
    ),
    "kg patient, pounds typed": (
        "ann",
        "3x8 rest 60 load 30 lb",
        "Phase 3, squat: a load of 30 lb (13.6 kg) is heavier than this program's light "
        "weights: give a load from 4.5 to 11.3 kg",
    ),
    "lb: too heavy": (
        "bob",
        "3x8 rest 60 load 25.5",
        "Phase 3, squat: a load of 25.5 lb is heavier than this program's light weights: "
        "give a load from 10 to 25 lb",
    ),
    "lb: too light": (
        "bob",
        "3x8 rest 60 load 9.5",
        "Phase 3, squat: a load of 9.5 lb is lighter than this program's light weights: "
        "give a load from 10 to 25 lb",
    ),
    "lb patient, kilograms typed": (
        "bob",
        "3x8 rest 60 load 12 kg",
        "Phase 3, squat: a load of 12 kg (26.5 lb) is heavier than this program's light "
        "weights: give a load from 10 to 25 lb",
    ),
    "lb: not in halves": (
        "bob",
        "3x8 rest 60 load 12.3",
        "Phase 3, squat: write a load in pounds in halves, like 12.5 lb",
    ),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_a_load_outside_the_light_weights_is_refused_beside_its_field_and_nothing_is_written(
    clinic: Clinic, ann: TestClient, bob_in_pounds: TestClient, case: str
) -> None:
    name, typed, message = REFUSED[case]
    patient_client = ann if name == "ann" else bob_in_pounds
    pt = clinic.client("north_pt")
    patient = clinic.people[name]
    action = f"/clinic/patients/{patient.id}/prescription"
    fields = prescription_form(pt, patient.id)
    before = plan_on(patient_client, WEDNESDAY)

    refused = pt.post(action, data={**fields, "steps3-squat": [typed]})

    assert refused.status_code == 422
    assert assert_errors_beside_fields(refused) == {"steps3-squat": message}
    assert field_value(refused, "steps3-squat") == typed  # as typed, to correct it
    assert prescription_of(pt, patient.id) is None  # nothing written
    assert plan_on(patient_client, WEDNESDAY) == before


def test_a_patient_who_has_not_started_gets_kilograms_until_they_choose(
    clinic: Clinic,
) -> None:
    pt = clinic.client("north_pt")
    page = pt.get(f"/clinic/patients/{clinic.people['bob'].id}/prescription")

    assert page.status_code == 200
    assert note(page).startswith(
        "Loads are in kilograms, until the patient chooses their unit when they start"
    )
