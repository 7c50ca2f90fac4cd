"""The clinician sees skips and their reasons (issue #17): on the patient page and in the
summary, next to the pain answers, never as one."""

from __future__ import annotations

from tests.server.conftest import Clinic, start
from tests.web.conftest import text


def test_the_clinician_sees_each_skip_with_its_reason_and_each_swap(clinic: Clinic) -> None:
    ann = clinic.client("ann")
    plan = start(ann)
    exercises = [
        {"id": e["id"], "pain": "none", **({"version": "chair"} if e["id"] == "cat-cow" else {})}
        for e in plan["exercises"]
        if e["id"] not in ("glute-bridge", "dead-bug")
    ]
    skipped = [
        {"id": "glute-bridge", "reason": "no_equipment"},
        {"id": "dead-bug", "reason": "other", "note": "my shoulder"},
    ]
    body = {"date": plan["date"], "exercises": exercises, "skipped": skipped}
    assert ann.post("/api/v1/sessions", json=body).status_code == 201
    pt = clinic.client("north_pt")
    patient = clinic.people["ann"].id

    page = text(pt.get(f"/clinic/patients/{patient}"))
    assert "Glute bridge: skipped: no equipment" in page
    assert 'Dead bug: skipped: another reason ("my shoulder")' in page
    assert "Cat-cow (done as Seated cat-cow, that day only): none" in page
    assert "Glute bridge: none" not in page

    summary = text(pt.get(f"/clinic/patients/{patient}/summary"))
    assert "Exercises skipped" in summary
    assert "Glute bridge skipped: no equipment" in summary
    assert 'Dead bug skipped: another reason ("my shoulder")' in summary
