"""Issue #17, item 3, on the web: the Equipment fieldset of the intake and of Settings, the
unit from the browser's language, every weight in the person's unit alone (the today page,
the handout, the calendar), the export round trip, and refusals that write nothing."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from lumbar.formats.archive import to_document
from lumbar.web.assets import static_url
from tests.builders import Follower, day, history, profile, program
from tests.web.conftest import (
    START_FORM,
    assert_errors_beside_fields,
    exported,
    form_error,
    intake_step,
    live_until,
    text,
)

US = {"accept-language": "en-US,en;q=0.9"}
FRANCE = {"accept-language": "fr-FR,fr;q=0.9,en;q=0.5"}


def _started_with(client: TestClient, **fields: Any) -> dict[str, Any]:
    response = client.post("/start", data={**START_FORM, **fields})
    assert response.status_code == 303, form_error(response)
    document = exported(client)
    assert document is not None
    profile_: dict[str, Any] = document["profile"]
    return profile_


def _in_phase_3(client: TestClient, *, unit: str = "kg") -> None:
    """A history that reaches phase 3 on day 14 (a follower who rates their pain weekly),
    imported with no equipment, then the clock on day 14: the first phase-3 session."""
    follower = Follower(program(), history(who=profile()), weekly=4)
    document = to_document(follower.follow(day(13)))
    document["profile"]["unit"] = unit
    live_until(client, day(13))
    response = client.post("/api/v1/import", json=document)
    assert response.status_code == 201, response.text
    live_until(client, day(14))


# The intake.


def test_the_intake_keeps_the_equipment_and_the_unit(client: TestClient) -> None:
    kept = _started_with(
        client,
        equipment=["dumbbells", "band"],
        dumbbells="2, 4.5, 11 lb",
        kettlebells="12",  # not ticked: left out
        unit="kg",
    )
    assert kept["unit"] == "kg"
    assert kept["equipment"] == {
        "weights": [
            {"kind": "dumbbells", "amount": 2.0, "unit": "kg"},
            {"kind": "dumbbells", "amount": 4.5, "unit": "kg"},
            {"kind": "dumbbells", "amount": pytest.approx(4.9895, abs=1e-3), "unit": "kg"},
        ],
        "band": True,
    }


def test_the_intake_with_nothing_in_pounds(client: TestClient) -> None:
    kept = _started_with(client, equipment=["nothing"], unit="lb")
    assert kept["unit"] == "lb"
    assert kept["equipment"] == {"weights": [], "band": False}


@pytest.mark.parametrize(
    ("headers", "checked"), [(US, "lb"), (FRANCE, "kg"), ({}, "kg")], ids=["us", "fr", "none"]
)
def test_the_unit_on_the_start_page_follows_the_browsers_language(
    client: TestClient, headers: dict[str, str], checked: str
) -> None:
    intake_step(client, "equipment")  # the steps before it answered
    page = client.get("/start/equipment", headers=headers)
    assert page.status_code == 200
    assert f'name="unit" value="{checked}" checked' in page.text
    other = "kg" if checked == "lb" else "lb"
    assert f'name="unit" value="{other}" checked' not in page.text
    assert f'src="{static_url("units.js")}"' in page.text


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"equipment": ["dumbbells"], "dumbbells": "-5", "unit": "kg"}, "more than 0"),
        ({"equipment": ["dumbbells"], "dumbbells": "500", "unit": "kg"}, "at most 100 kg"),
        ({"equipment": ["kettlebells"], "kettlebells": "heavy", "unit": "kg"}, "not a weight"),
        ({"equipment": ["dumbbells"], "dumbbells": "", "unit": "kg"}, "the weight of each"),
        ({"equipment": ["nothing", "band"], "unit": "kg"}, "Nothing, or what you have"),
        ({"equipment": ["nothing"], "unit": "stone"}, "'stone' is not a unit"),
        ({"equipment": ["barbell"], "unit": "kg"}, "not one of the choices"),
    ],
    ids=["negative", "absurd", "words", "no-weight", "nothing-and-band", "stone", "barbell"],
)
def test_a_wrong_equipment_answer_is_refused_and_writes_nothing(
    client: TestClient, fields: dict[str, Any], message: str
) -> None:
    response = client.post("/start", data={**START_FORM, **fields})
    assert response.status_code == 422
    assert message in form_error(response)
    assert any(message in words for words in assert_errors_beside_fields(response).values())
    assert exported(client) is None
    # What was typed is kept on the page, to be put right.
    if "dumbbells" in fields and fields["dumbbells"]:
        assert f'value="{fields["dumbbells"]}"' in response.text


# Every weight in the person's unit alone.


def test_with_nothing_the_first_phase_3_session_uses_a_household_load_in_kg(
    client: TestClient,
) -> None:
    _in_phase_3(client)
    today = text(client.get("/today"))
    assert "Squat" in today
    assert "a bag holding three 1.5 L bottles of water (4.5 kg)" in today
    assert " lb" not in today
    assert "You have no weights, so this uses something from home" in today
    session = text(client.get("/session"))
    assert " lb" not in session


def test_settings_change_the_unit_and_every_weight_follows(client: TestClient) -> None:
    _in_phase_3(client)
    page = client.get("/settings")
    assert 'action="/settings/equipment"' in page.text
    response = client.post("/settings/equipment", data={"equipment": ["nothing"], "unit": "lb"})
    assert response.status_code == 200
    assert "Your equipment is saved." in text(response)
    document = exported(client)
    assert document is not None and document["profile"]["unit"] == "lb"
    today = text(client.get("/today"))
    assert "a bag holding three 1.5 L bottles of water (10 lb)" in today
    assert " kg" not in today


def test_settings_with_dumbbells_bound_the_dose_by_them(client: TestClient) -> None:
    _in_phase_3(client)
    response = client.post(
        "/settings/equipment",
        data={"equipment": ["dumbbells"], "dumbbells": "3, 4 kg", "unit": "kg"},
    )
    assert response.status_code == 200, form_error(response)
    # 3 kg (6.6 lb) is under the range; 4 kg (8.8 lb) too: none of theirs is in it.
    today = text(client.get("/today"))
    assert "None of your weights is in the light range" in today
    client.post(
        "/settings/equipment",
        data={"equipment": ["dumbbells"], "dumbbells": "5, 8", "unit": "kg"},
    )
    today = text(client.get("/today"))
    assert "rest 60 s, 5 kg" in today  # the heaviest of theirs at or below 10 lb: none, so 5 kg
    assert "bottles" not in today
    kept = client.get("/settings").text
    assert 'value="5 kg, 8 kg"' in kept


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"equipment": ["dumbbells"], "dumbbells": "0", "unit": "kg"}, "more than 0"),
        ({"equipment": ["dumbbells"], "dumbbells": "300", "unit": "lb"}, "at most 220 lb"),
        ({"equipment": ["band"], "unit": "grams"}, "not a unit"),
    ],
    ids=["zero", "absurd", "grams"],
)
def test_a_wrong_settings_change_is_refused_and_writes_nothing(
    started: TestClient, fields: dict[str, Any], message: str
) -> None:
    before = exported(started)
    response = started.post("/settings/equipment", data=fields)
    assert response.status_code == 422
    assert message in form_error(response)
    assert any(message in words for words in assert_errors_beside_fields(response).values())
    assert exported(started) == before


def test_the_handout_writes_the_household_load_in_the_persons_unit(
    client: TestClient, tmp_path: Path
) -> None:
    _in_phase_3(client, unit="lb")
    response = client.get("/handout.pdf")
    assert response.status_code == 200
    pdf = tmp_path / "handout.pdf"
    pdf.write_bytes(response.content)
    words = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(words.split())
    assert "three 1.5 L bottles of water (10 lb)" in flat
    assert " kg" not in flat


def test_the_calendar_names_the_load_in_the_persons_unit(client: TestClient) -> None:
    _in_phase_3(client)
    response = client.get("/calendar.ics")
    assert response.status_code == 200
    unfolded = response.text.replace("\r\n ", "")
    assert "Squat with a bag holding three 1.5 L bottles of water (4.5 kg)" in unfolded
    assert " lb" not in unfolded


# Export and import.


def test_the_export_round_trips_the_equipment_and_the_unit(
    client: TestClient, fresh: TestClient
) -> None:
    _started_with(client, equipment=["kettlebells", "band"], kettlebells="16, 35 lb", unit="lb")
    document = exported(client)
    assert document is not None and document["version"] == 8
    response = fresh.post("/api/v1/import", json=document)
    assert response.status_code == 201, response.text
    assert exported(fresh) == document


def test_an_older_export_imports_as_nothing_in_the_importers_unit(
    started: TestClient, fresh: TestClient
) -> None:
    document = exported(started)
    assert document is not None
    older = json.loads(json.dumps(document))
    older["version"] = 5
    del older["profile"]["unit"], older["profile"]["equipment"]
    upload = {"file": ("old.json", json.dumps(older), "application/json")}
    response = fresh.post("/settings/import", files=upload, headers=US)
    assert response.status_code == 303, text(response)
    imported = exported(fresh)
    assert imported is not None
    assert imported["profile"]["unit"] == "lb"
    assert imported["profile"]["equipment"] == {"weights": [], "band": False}


def test_an_export_with_an_impossible_weight_is_refused(
    started: TestClient, fresh: TestClient
) -> None:
    document = exported(started)
    assert document is not None
    document["profile"]["equipment"]["weights"] = [
        {"kind": "dumbbells", "amount": 900, "unit": "kg"}
    ]
    response = fresh.post("/api/v1/import", json=document)
    assert response.status_code == 422
    assert "at most 100 kg" in response.text
    assert exported(fresh) is None


# The API: read and change them (issue #17).


def test_the_api_reads_and_changes_the_equipment_and_the_unit(started: TestClient) -> None:
    response = started.get("/api/v1/settings/equipment")
    assert response.status_code == 200
    assert response.json() == {"unit": "kg", "weights": [], "band": False, "nothing": True}

    response = started.put(
        "/api/v1/settings/equipment", json={"equipment": {"dumbbells": [5, 8], "band": True}}
    )
    assert response.status_code == 200, response.text
    assert response.json() == {
        "unit": "kg",
        "weights": [
            {"kind": "dumbbells", "amount": 5.0, "unit": "kg"},
            {"kind": "dumbbells", "amount": 8.0, "unit": "kg"},
        ],
        "band": True,
        "nothing": False,
    }
    # The unit alone: how weights are shown; the weights keep the unit written on them.
    response = started.put("/api/v1/settings/equipment", json={"unit": "lb"})
    assert response.status_code == 200
    assert response.json()["unit"] == "lb"
    assert [w["unit"] for w in response.json()["weights"]] == ["kg", "kg"]
    assert started.get("/api/v1/settings/equipment").json() == response.json()


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ({"equipment": {"dumbbells": [500]}}, "100 kg"),
        ({"equipment": {"dumbbells": [-2]}}, "greater than 0"),
        ({"unit": "stone"}, "unit"),
        ({"colour": "red"}, "colour"),
    ],
    ids=["absurd", "negative", "stone", "unknown-field"],
)
def test_a_wrong_equipment_change_through_the_api_is_refused_and_writes_nothing(
    started: TestClient, body: dict[str, Any], said: str
) -> None:
    before = exported(started)
    response = started.put("/api/v1/settings/equipment", json=body)
    assert response.status_code == 422
    assert said in response.json()["message"]
    assert exported(started) == before


def test_the_equipment_before_a_program_answers_409(client: TestClient) -> None:
    assert client.get("/api/v1/settings/equipment").status_code == 409
