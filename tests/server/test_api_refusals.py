"""Refusals of a clinic's server (accounts mode) that once failed or said too little: each a
clear 4xx with a message, nothing written, on SQLite and on PostgreSQL.

Found by tests/server/test_schemathesis.py and by probing around what it sends.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from lumbar.store.tables import metadata
from lumbar.usecases import audit
from lumbar.web.access_rules import RULES, Access
from lumbar.web.app import create_app
from tests.server.conftest import Clinic

BOOKKEEPING = {"audit_log", "auth_sessions", "login_failures"}
P = Access.PUBLIC


def clinical_rows(clinic: Clinic) -> dict[str, int]:
    with clinic.store.engine.connect() as connection:
        return {
            name: connection.execute(select(func.count()).select_from(table)).scalar_one()
            for name, table in metadata.tables.items()
            if name not in BOOKKEEPING
        }


def message(response: Any) -> str:
    body = response.json()
    assert isinstance(body, dict), response.text
    found: str = body["message"]
    return found


# Ids no account can have.

TOO_LARGE = [2**31, 2**63, 10**20]
"""Past PostgreSQL's 32-bit ids (it answered 503, "integer out of range"), and past SQLite's
64-bit integers (500: Python could not even pass the number to SQLite)."""


@pytest.mark.parametrize("number", TOO_LARGE)
def test_a_patient_id_too_large_for_the_database_is_not_found(
    clinic: Clinic, ann: TestClient, number: int
) -> None:
    clinician = clinic.client("north_pt")
    before = clinical_rows(clinic)

    reads = [
        clinician.get(f"/api/v1/clinic/patients/{number}"),
        clinician.get(f"/api/v1/clinic/patients/{number}/export"),
        clinician.get(f"/clinic/patients/{number}"),
    ]
    writes = [
        clinician.post(f"/api/v1/clinic/patients/{number}/messages", json={"body": "Hello"}),
        clinician.put(f"/api/v1/clinic/patients/{number}/prescription", json={}),
    ]

    for response in [*reads, *writes]:
        assert response.status_code == 404, response.text
    for response in [reads[0], reads[1], *writes]:
        assert message(response) == "no such patient among yours"
    assert clinical_rows(clinic) == before


@pytest.mark.parametrize("number", TOO_LARGE)
def test_an_account_id_too_large_for_the_database_is_not_found(clinic: Clinic, number: int) -> None:
    admin = clinic.client("north_admin")
    before = clinical_rows(clinic)

    active = admin.post(f"/admin/accounts/{number}/active", data={"active": "0"})
    reset = admin.post(f"/admin/accounts/{number}/reset-link")

    assert active.status_code == 404, active.text
    assert reset.status_code == 404, reset.text
    assert "no such account in your clinic" in active.text
    assert clinical_rows(clinic) == before


# Prescriptions.


def prescription_path(clinic: Clinic) -> str:
    return f"/api/v1/clinic/patients/{clinic.people['ann'].id}/prescription"


def test_a_phase_that_is_not_text_is_named_in_the_refusal(clinic: Clinic, ann: TestClient) -> None:
    """A phase key can be any JSON string, a lone surrogate (`\\ud800`) too: it was written
    back into the refusal as it came, which cannot be encoded as UTF-8 (500)."""
    clinician = clinic.client("north_pt")

    response = clinician.put(
        prescription_path(clinic),
        content=b'{"phases": {"\\ud800": [{"exercise": "dead-bug"}]}}',
        headers={"Content-Type": "application/json"},
    )

    assert response.status_code == 422, response.text
    assert response.json()["reasons"] == [
        "There is no phase '\\ud800': the program has phases 1 to 3."
    ]
    assert clinician.get(prescription_path(clinic)).json() is None


def test_a_prescription_sent_as_text_says_how_to_send_it(clinic: Clinic, ann: TestClient) -> None:
    """A JSON document without `Content-Type: application/json` reached the route as bytes;
    the refusal showed their Python repr ("got \\"b'{...}'\\"") rather than what to do."""
    clinician = clinic.client("north_pt")

    response = clinician.put(
        prescription_path(clinic),
        content=b'{"notes": "Walk every day."}',
        headers={"Content-Type": "text/plain"},
    )

    assert response.status_code == 422, response.text
    assert (
        message(response) == "body: expected a JSON object, sent as Content-Type: application/json"
    )
    assert clinician.get(prescription_path(clinic)).json() is None


def test_thresholds_out_of_order_are_refused_with_the_two_values(
    clinic: Clinic, ann: TestClient
) -> None:
    """The pain bands must stay in order. The refusal named its place as "value" and showed
    all ten thresholds, eight of them defaults the clinician never sent."""
    clinician = clinic.client("north_pt")

    response = clinician.put(
        prescription_path(clinic), json={"thresholds": {"on_track_pain_pct": 5}}
    )

    assert response.status_code == 422, response.text
    reasons = response.json()["reasons"]
    assert reasons == [
        "Thresholds: suggest_pain_pct must not be above on_track_pain_pct "
        "(on_track_pain_pct is 5, suggest_pain_pct is 20)."
    ]
    assert "value" not in reasons[0] and "clean_sessions_to_step_up" not in reasons[0]


def test_every_other_day_among_weekdays_is_not_called_an_unknown_day(
    clinic: Clinic, ann: TestClient
) -> None:
    """`every-other-day` with weekdays was refused as an "unknown day", in a message that
    offered every-other-day as a choice; the clinician's prescription and the patient's own
    settings say the same thing now."""
    clinician = clinic.client("north_pt")
    days = ["every-other-day", "mon"]

    prescribed = clinician.put(prescription_path(clinic), json={"training_days": days})
    chosen = ann.put("/api/v1/settings/days", json={"days": days})

    said = "every-other-day goes alone: give it by itself, or name the days (such as mon, wed, fri)"
    assert prescribed.status_code == 422, prescribed.text
    assert prescribed.json()["reasons"] == [f"Training days: {said}."]
    assert chosen.status_code == 422, chosen.text
    assert message(chosen) == f"days: {said}"


# The documented refusals.


ACCOUNTS_ONLY = [
    ("GET", "/api/v1/me", None),
    ("POST", "/api/v1/sign-out", None),
    ("GET", "/api/v1/clinic/patients", "ann"),
    ("POST", "/api/v1/clinic/invitations", "north_admin"),
    ("GET", "/api/v1/clinic/patients/{patient_id}", "ann"),
    ("GET", "/api/v1/clinic/patients/{patient_id}/export", "north_admin"),
    ("GET", "/api/v1/clinic/patients/{patient_id}/messages", "north_pt2"),
    ("POST", "/api/v1/clinic/patients/{patient_id}/messages", "south_pt"),
    ("GET", "/api/v1/clinic/patients/{patient_id}/prescription", "north_pt2"),
    ("PUT", "/api/v1/clinic/patients/{patient_id}/prescription", "ann"),
    ("POST", "/api/v1/clinic/patients/{patient_id}/clearances", "north_pt2"),
    ("POST", "/api/v1/clinic/patients/{patient_id}/acknowledgements", "ann"),
    ("GET", "/api/v1/clinic/patients/{patient_id}/records", "north_pt2"),
    ("PATCH", "/api/v1/clinic/patients/{patient_id}/records/{record_id}", "ann"),
    ("DELETE", "/api/v1/clinic/patients/{patient_id}/records/{record_id}", "south_pt"),
    ("POST", "/api/v1/clinic/patients/{patient_id}/records/{record_id}/undo", "north_admin"),
    ("GET", "/api/v1/admin/accounts", "north_pt"),
    ("GET", "/api/v1/admin/audit", "ann"),
    ("GET", "/api/v1/messages", "north_pt"),
    ("POST", "/api/v1/messages", "north_admin"),
    ("POST", "/api/v1/me/password", None),
    # Issue #20.
    ("GET", "/api/v1/clinic/invitations", "ann"),
    ("POST", "/api/v1/clinic/invitations/{invitation_id}/resend", "ann"),
    ("DELETE", "/api/v1/clinic/invitations/{invitation_id}", "ann"),
    ("GET", "/api/v1/clinic/templates", "ann"),
    ("POST", "/api/v1/clinic/templates", "north_admin"),
    ("PATCH", "/api/v1/clinic/templates/{template_id}", "ann"),
    ("DELETE", "/api/v1/clinic/templates/{template_id}", "north_admin"),
    ("POST", "/api/v1/clinic/patients/{patient_id}/prescription/template", "north_pt2"),
    ("POST", "/api/v1/clinic/patients/{patient_id}/prescription/copy", "ann"),
    ("GET", "/api/v1/clinic/mail-settings", "ann"),
    ("PUT", "/api/v1/clinic/mail-settings", "north_admin"),
    ("GET", "/api/v1/clinic/patients/{patient_id}/scores", "north_pt2"),
    ("POST", "/api/v1/clinic/patients/{patient_id}/scores", "south_pt"),
    ("GET", "/api/v1/clinic/patients/{patient_id}/time", "north_admin"),
    ("POST", "/api/v1/clinic/patients/{patient_id}/time", "north_pt2"),
    ("GET", "/api/v1/clinic/patients/{patient_id}/monitoring", "south_pt"),
    ("POST", "/api/v1/clinic/patients/{patient_id}/monitoring/timer", "north_pt2"),
    ("POST", "/api/v1/clinic/patients/{patient_id}/monitoring/timer/stop", "ann"),
    ("DELETE", "/api/v1/clinic/patients/{patient_id}/monitoring/timer", "north_admin"),
    ("POST", "/api/v1/clinic/handover", "ann"),
    ("POST", "/api/v1/admin/accounts/{user_id}/handover", "north_pt"),
]
"""Each operation accounts mode adds for signed-in accounts, and someone its rule turns away
(or, for `/api/v1/me` and signing out, which everyone signed in may call, no one)."""


def api_operations(app: Any) -> set[tuple[str, str]]:
    """The operations an app's OpenAPI document lists."""
    return {
        (method, context.route.path)
        for context in iter_route_contexts(app.routes)
        if isinstance(context.route, APIRoute) and context.route.include_in_schema
        for method in context.route.methods or set()
    }


def test_the_refusals_of_the_accounts_routes_are_documented(
    clinic: Clinic, ann: TestClient
) -> None:
    """Nobody signed in (401), the wrong kind of account (403), another clinician's patient
    (404), a write without the CSRF token (403): each answer is one the schema documents,
    in the shape it documents, with a message."""
    schema = schemathesis.openapi.from_dict(clinic.app.openapi())
    # Every operation accounts mode adds to local mode's, found rather than listed by
    # module, so a new router's operations cannot be left out of the list below.
    local = create_app(clinic.store, clock=clinic.clock, allowed_hosts=("testserver",))
    added = {
        operation
        for operation in api_operations(clinic.app) - api_operations(local)
        if RULES[operation] != P
    }
    assert added == {(method, path) for method, path, _ in ACCOUNTS_ONLY}
    anonymous = clinic.client()
    without_token = clinic.client("north_pt")
    del without_token.headers["X-CSRF-Token"]
    ann_id = clinic.people["ann"].id
    problems = []
    for method, path, stranger in ACCOUNTS_ONLY:
        url = path.replace("{patient_id}", str(ann_id))
        body = {"body": "Hello"} if method == "POST" and "messages" in path else {}
        answers = [anonymous.request(method, url, json=body)]
        if stranger is not None:
            answers.append(clinic.client(stranger).request(method, url, json=body))
        if method != "GET":
            answers.append(without_token.request(method, url, json=body))
        operation = schema[path][method]
        for response in answers:
            documented = operation.definition.raw["responses"]
            if str(response.status_code) not in documented:
                problems.append(f"{method} {path}: {response.status_code} is not documented")
            elif response.status_code < 400 or not message(response):
                problems.append(f"{method} {path}: {response.status_code} {response.text}")
            elif not operation.is_valid_response(response):
                problems.append(f"{method} {path}: {response.status_code} not as documented")
    assert problems == [], "\n".join(problems)


def test_a_patient_id_in_another_scripts_digits_is_not_found_and_not_logged(
    clinic: Clinic, ann: Any
) -> None:
    """Python's int() reads "٦" (Arabic-Indic six) as 6; the access check takes ASCII digits
    only, so such an address is not Ann's record, and no access to it is logged."""
    assert clinic.people["ann"].id == 6
    clinician = clinic.client("north_pt")
    before = audit.entries(clinic.accounts)
    response = clinician.get("/api/v1/clinic/patients/\u0666")
    assert response.status_code == 404
    assert message(response)
    assert audit.entries(clinic.accounts) == before
