"""Handing patients over to another clinician of the clinic (issue #20), through the real
app on SQLite and PostgreSQL: the patients move with their messages and history, each move
is in the audit log, the patient is told who their physical therapist is now, and every
refusal (another clinic's clinician, a disabled one, a patient, someone else's patients)
writes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from lumbar.store.tables import handovers, metadata, monitoring_time
from lumbar.usecases import audit
from lumbar.usecases.accounts import now_utc
from tests.server.conftest import ANN_ACTIVITY, Clinic
from tests.web.conftest import text


def every_row(clinic: Clinic) -> dict[str, list[str]]:
    with clinic.store.engine.connect() as connection:
        return {
            name: sorted(repr(tuple(row)) for row in connection.execute(select(table)))
            for name, table in metadata.tables.items()
            if name not in {"auth_sessions", "login_failures"}
        }


def ids(clinic: Clinic, *names: str) -> list[int]:
    return [clinic.people[n].id for n in names]


def test_an_admin_hands_every_patient_over_and_the_patient_is_told(
    clinic: Clinic, ann: TestClient
) -> None:
    assert ann.post("/api/v1/messages", json={"body": "How far should I bend?"}).status_code == 201
    source, to = ids(clinic, "north_pt", "north_pt2")
    admin = clinic.client("north_admin")
    page = admin.get(f"/admin/accounts/{source}/handover")
    assert page.status_code == 200
    assert "ann@example.org" in text(page) and "bob@example.org" in text(page)
    seen = len(audit.entries(clinic.accounts))

    response = admin.post(f"/api/v1/admin/accounts/{source}/handover", json={"to": to})

    assert response.status_code == 200, response.text
    assert response.json() == {"to": to, "patients": ids(clinic, "ann", "bob")}
    moves = audit.entries(clinic.accounts)[seen:]
    assert [(e.action, e.patient_id, e.actor_id) for e in moves] == [
        ("write", pid, clinic.people["north_admin"].id) for pid in ids(clinic, "ann", "bob")
    ]
    assert all(f"from clinician {source} to clinician {to}" in e.target for e in moves)
    # The new clinician has her, with her messages and history; the old one has not.
    new = clinic.client("north_pt2")
    ann_id = clinic.people["ann"].id
    record = new.get(f"/clinic/patients/{ann_id}")
    assert record.status_code == 200
    assert "How far should I bend?" in record.text
    assert ANN_ACTIVITY in new.get(f"/api/v1/clinic/patients/{ann_id}/export").text
    assert clinic.client("north_pt").get(f"/clinic/patients/{ann_id}").status_code == 404
    # She is told, on Today and on her messages.
    for where in ("/today", "/messages"):
        shown = text(ann.get(where))
        assert "Your physical therapist is now north_pt2@example.org" in shown, where


def test_a_clinician_hands_one_patient_over_from_the_form(clinic: Clinic, ann: TestClient) -> None:
    me = clinic.client("north_pt")
    ann_id, bob_id, to = ids(clinic, "ann", "bob", "north_pt2")
    form = me.get(f"/clinic/handover?patient={ann_id}")
    assert form.status_code == 200
    response = me.post("/clinic/handover", data={"patients": [str(ann_id)], "to": str(to)})
    assert response.status_code == 303
    assert response.headers["location"] == "/clinic?handed_over=1"
    assert "1 patient was handed over" in text(me.get(response.headers["location"]))
    with clinic.store.engine.connect() as connection:
        rows = connection.execute(select(handovers.c.patient_id, handovers.c.to_id)).all()
    assert [tuple(r) for r in rows] == [(ann_id, to)]
    assert clinic.accounts.account(bob_id).clinician_id == clinic.people["north_pt"].id  # type: ignore[union-attr]


def test_a_timer_left_running_is_stopped_at_the_handover_and_its_minutes_kept(
    clinic: Clinic, ann: TestClient
) -> None:
    """The departing clinician's running timer would be theirs on a patient who no longer
    is: no one could stop it. The handover stops it, with its minutes."""
    pt = clinic.client("north_pt")
    ann_id, bob_id, to = ids(clinic, "ann", "bob", "north_pt2")
    timer = f"/api/v1/clinic/patients/{ann_id}/monitoring/timer"
    assert pt.post(timer).status_code == 201

    moved = pt.post("/clinic/handover", data={"patients": [str(ann_id)], "to": str(to)})

    assert moved.status_code == 303
    with clinic.store.engine.connect() as connection:
        rows = connection.execute(
            select(
                monitoring_time.c.patient_id,
                monitoring_time.c.clinician_id,
                monitoring_time.c.minutes,
            )
        ).all()
    assert [tuple(r) for r in rows] == [(ann_id, clinic.people["north_pt"].id, 1)]
    # Her new clinician starts their own; the old one's is not running on anyone.
    assert clinic.client("north_pt2").post(timer).status_code == 201
    assert pt.post(f"/api/v1/clinic/patients/{bob_id}/monitoring/timer").status_code == 201


REFUSED: list[tuple[str, str, Any, int, str]] = [
    # (who asks, whose patients, to whom, status, what the answer says)
    ("north_admin", "north_pt", "south_pt", 422, "clinician of your clinic"),
    ("north_admin", "north_pt", "north_admin", 422, "clinician of your clinic"),
    ("north_admin", "north_pt", "cy", 422, "clinician of your clinic"),
    ("north_admin", "north_pt", "north_pt", 422, "already theirs"),
    ("north_admin", "north_pt", "disabled_pt", 422, "disabled"),
    ("south_admin", "north_pt", "north_pt2", 404, "no such clinician"),
    ("north_admin", "south_pt", "north_pt2", 404, "no such clinician"),
    ("north_admin", "ann", "north_pt2", 404, "no such clinician"),
]


@pytest.mark.parametrize(("actor", "source", "to", "status", "said"), REFUSED)
def test_a_refused_handover_writes_nothing(
    clinic: Clinic, actor: str, source: str, to: str, status: int, said: str
) -> None:
    clinic.people["disabled_pt"] = clinic.accounts.create_user(
        "disabled_pt@example.org", None, "clinician", now_utc(), clinic="North Clinic"
    )
    clinic.accounts.set_active("disabled_pt@example.org", False)
    client = clinic.client(actor)
    before = every_row(clinic)
    source_id, to_id = ids(clinic, source, to)
    response = client.post(f"/api/v1/admin/accounts/{source_id}/handover", json={"to": to_id})
    assert response.status_code == status, response.text
    assert said in response.json()["message"]
    assert every_row(clinic) == before


def test_a_clinician_cannot_move_another_clinicians_patients(clinic: Clinic) -> None:
    me = clinic.client("north_pt")
    before = every_row(clinic)
    cy, to = ids(clinic, "cy", "north_pt2")
    response = me.post("/api/v1/clinic/handover", json={"to": to, "patients": [cy]})
    assert response.status_code == 422
    assert "own patients" in response.json()["message"]
    form = me.post("/clinic/handover", data={"patients": [str(cy)], "to": ""})
    assert form.status_code == 422
    shown = text(form)
    assert "Choose the clinician who takes them" in shown
    assert every_row(clinic) == before


def test_the_admin_is_pointed_to_a_disabled_clinicians_patients(clinic: Clinic) -> None:
    admin = clinic.client("north_admin")
    source = clinic.people["north_pt"].id
    assert "Hand over 2 patients" in text(admin.get("/admin"))
    assert admin.post(f"/admin/accounts/{source}/active", data={"active": "0"}).status_code == 303
    shown = text(admin.get("/admin"))
    assert "north_pt@example.org is disabled and still has 2 patients" in shown
    # A disabled clinician's patients can still be moved (that is the point).
    to = clinic.people["north_pt2"].id
    response = admin.post(f"/admin/accounts/{source}/handover", data={
        "patients": [str(i) for i in ids(clinic, "ann", "bob")], "to": str(to)})  # fmt: skip
    assert response.status_code == 303
    assert "is disabled and still has" not in text(admin.get("/admin"))


def test_the_command_line_moves_patients_in_an_admins_name(clinic: Clinic) -> None:
    from tests.server.test_admin import lumbar

    before = every_row(clinic)
    refused = lumbar(
        clinic, "admin", "move-patients", "north_pt@example.org", "south_pt@example.org",
        "--by", "north_admin@example.org",
    )  # fmt: skip
    assert refused.code != 0
    assert "choose a clinician of your clinic" in refused.stderr
    assert every_row(clinic) == before
    moved = lumbar(
        clinic, "admin", "move-patients", "north_pt@example.org", "north_pt2@example.org",
        "--by", "north_admin@example.org", "--patient", "bob@example.org", "--json",
    )  # fmt: skip
    assert moved.code == 0, moved.stderr
    assert moved.json() == {"to": "north_pt2@example.org", "patients": ["bob@example.org"]}
    last = audit.entries(clinic.accounts)[-1]
    assert [last.actor_id, last.patient_id] == ids(clinic, "north_admin", "bob")
