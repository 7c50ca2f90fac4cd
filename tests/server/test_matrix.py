"""The authorization matrix, generated from the app's own route table.

Every route of the clinic server is called by everyone: nobody signed in, Ann (the patient
whose record is the target), her clinician, another clinician of her clinic, a clinician of
another clinic, two other patients, and the admins of both clinics. Path parameters point
at Ann's record (or, for account management, at Bob's account). Then:

- every route has a rule in `web/authorization.py` (a new route without one fails here, and is
  closed to everyone at run time);
- whoever the rule does not admit is refused (401/403/404, or sent to the sign-in page)
  and the refused requests wrote nothing (no row added, removed or changed);
- no response to anyone but Ann and her clinician holds anything of Ann's record (a string
  only her record contains, in her activities, a problem report, a message and a request
  to be cleared).

Ann's record has an alert standing (a fever) and an open request to be cleared, so that the
clinician's safety routes (clearances, declining a request, acknowledgements) would change
something if they let in anyone but her own clinician.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.routing import iter_route_contexts
from sqlalchemy import select
from starlette.routing import Mount

from lumbar.domain.access import Role
from lumbar.store.tables import metadata
from lumbar.usecases import invitations
from lumbar.usecases.accounts import now_utc
from lumbar.web.access_rules import RULES, Access
from tests.server.conftest import ANN_ACTIVITY, Clinic

ACTORS = (
    None,
    "ann",
    "north_pt",
    "north_pt2",
    "south_pt",
    "bob",
    "dee",
    "north_admin",
    "south_admin",
)
SEES_ANN = {"ann", "north_pt"}
P = Access.PUBLIC
BOOKKEEPING = {"audit_log", "auth_sessions", "login_failures"}
"""Tables every request may write to (the audit log of reads, sign-ins): not clinical data."""


def routes(clinic: Clinic) -> list[tuple[str, str]]:
    """(method, path template) of every route the app answers, from its route table."""
    found = []
    for context in iter_route_contexts(clinic.app.routes):
        if isinstance(context.original_route, Mount):
            continue  # static files: the same for everyone
        # `access.rule_for` looks a rule up by the matched route's own path: it must be the
        # path the app answers on (no prefix added when a router is included).
        assert context.path == getattr(context.original_route, "path", None), context
        assert context.path is not None
        for method in sorted(context.methods or ()):
            if method != "HEAD":
                found.append((method, context.path))
    return found


def test_every_route_has_an_access_rule(clinic: Clinic) -> None:
    missing = [r for r in routes(clinic) if r not in RULES]
    assert missing == [], f"routes without an access rule in web/authorization.py: {missing}"
    stale = [r for r in RULES if r not in routes(clinic)]
    assert stale == [], f"rules for routes that do not exist: {stale}"


def test_a_route_without_a_rule_is_closed_to_everyone(clinic: Clinic) -> None:
    @clinic.app.get("/api/v1/unruled")
    def unruled() -> dict[str, str]:
        return {"secret": ANN_ACTIVITY}

    try:
        for name in ("ann", "north_pt", "north_admin"):
            response = clinic.client(name).get("/api/v1/unruled")
            assert response.status_code == 403
            assert ANN_ACTIVITY not in response.text
    finally:
        clinic.app.router.routes.pop()


def admitted(rule: Access, actor: str | None, clinic: Clinic, path: str) -> bool:
    if rule is Access.PUBLIC:
        return True
    if actor is None:
        return False
    role = clinic.people[actor].role
    if rule is Access.SIGNED_IN:
        return True
    if rule is Access.PATIENT:
        return role is Role.PATIENT
    if rule is Access.STAFF:
        return role is not Role.PATIENT
    if rule is Access.CLINICIAN:
        return role is Role.CLINICIAN and ("{patient_id}" not in path or actor == "north_pt")
    return role is Role.ADMIN and ("{user_id}" not in path or actor == "north_admin")


def concrete(path: str, clinic: Clinic, token: str) -> str:
    return (
        path.replace("{patient_id}", str(clinic.people["ann"].id))
        .replace("{user_id}", str(clinic.people["target"].id))
        .replace("{exercise_id}", "bird-dog")
        .replace("{topic_id}", "disclaimer")
        .replace("{name}", "bird-dog")
        .replace("{token}", token)
        .replace("{code}", "not-a-code")
        .replace("{slug}", "about")
        .replace("{template_id}", "1")
        .replace("{invitation_id}", clinic.invitation)
    )


def clinical_rows(clinic: Clinic) -> dict[str, list[str]]:
    """Every row of every clinical table (a refused request must not change one)."""
    with clinic.store.engine.connect() as connection:
        return {
            name: sorted(repr(tuple(row)) for row in connection.execute(select(table)))
            for name, table in metadata.tables.items()
            if name not in BOOKKEEPING
        }


def order(route: tuple[str, str]) -> int:
    """Reads first, then writes, then the admins' account changes, then signing out (which
    would sign the client out for the routes after it)."""
    method, path = route
    if "sign-out" in path:
        return 3
    if path.startswith("/admin/accounts"):
        return 2
    return 0 if method == "GET" else 1


@pytest.fixture
def ann_record(clinic: Clinic, ann: Any) -> str:
    """Ann's record, holding the marker in three places; her calendar address's token.
    Also an account (`target`) for the admins' account routes to act on."""
    clinic.people["target"] = clinic.accounts.create_user(
        "target@example.org", None, "patient", now_utc(), clinician_email="north_pt@example.org"
    )
    assert (
        ann.post("/api/v1/problems", json={"kind": "other", "note": ANN_ACTIVITY}).status_code
        == 201
    )
    assert ann.post("/api/v1/messages", json={"body": ANN_ACTIVITY}).status_code == 201
    fever = ann.post("/api/v1/checkins", json={"symptoms": ["fever"]})
    assert fever.status_code == 201, fever.text
    asked = ann.post("/api/v1/clearances", json={"alerts": ["fever"], "by": ANN_ACTIVITY})
    assert asked.status_code == 202, asked.text
    template = {"name": "North's template", "document": {}}  # id 1: the routes' {template_id}
    assert (
        clinic.client("north_pt").post("/api/v1/clinic/templates", json=template).status_code == 201
    )
    response = ann.post("/settings/calendar-link")
    assert response.status_code == 200, response.text
    # A pending invitation of Ann's clinician, for the invitations' routes (issue #20).
    made = invitations.invite(clinic.accounts, clinic.people["north_pt"], now_utc(),
                              name="Ida Brown", born="1990-05-06")  # fmt: skip
    clinic.invitation = made.invitation.ref
    with clinic.store.transaction() as tx:
        settings = tx.reminders(clinic.people["ann"].id)
    assert settings is not None and settings[1]
    return settings[1]


def test_no_route_gives_anyone_what_is_not_theirs(clinic: Clinic, ann_record: str) -> None:
    clients = {actor: clinic.client(actor) for actor in ACTORS}
    all_routes = sorted(routes(clinic), key=order)
    before = clinical_rows(clinic)
    problems: list[str] = []
    # Pass 1: everyone the rules turn away. They must be refused, and write nothing.
    for method, path in all_routes:
        rule = RULES[(method, path)]
        url = concrete(path, clinic, ann_record)
        for actor in ACTORS:
            if admitted(rule, actor, clinic, path):
                continue
            response = clients[actor].request(method, url, json={})
            refused = response.status_code in (401, 403, 404) or (
                actor is None
                and response.status_code == 303
                and response.headers["location"].startswith("/sign-in")
            )
            if not refused:
                problems.append(f"{actor} got {response.status_code} from {method} {path}")
            if ANN_ACTIVITY in response.text:
                problems.append(f"{actor} saw Ann's record at {method} {path}")
    assert problems == [], "\n".join(problems)
    assert clinical_rows(clinic) == before, "a refused request wrote clinical data"
    # Pass 2: everyone the rules admit. Whatever they get, only Ann and her clinician may
    # ever see Ann's record.
    for method, path in all_routes:
        rule = RULES[(method, path)]
        url = concrete(path, clinic, ann_record)
        for actor in ACTORS:
            if not admitted(rule, actor, clinic, path):
                continue
            # Signing out would sign the shared client out for the routes after it.
            client = clinic.client(actor) if "sign-out" in path else clients[actor]
            response = client.request(method, url, json={})
            if response.status_code == 403 or (response.status_code == 401 and rule is not P):
                problems.append(f"{actor} was refused {method} {path}: {response.text[:80]}")
            if ANN_ACTIVITY in response.text and actor not in SEES_ANN:
                problems.append(f"{actor} saw Ann's record at {method} {path}")
    assert problems == [], "\n".join(problems)


def test_ann_and_her_clinician_do_see_her_record(clinic: Clinic, ann_record: str) -> None:
    """The matrix's marker check is live: the marker is found where it should be."""
    ann = clinic.client("ann")
    clinician = clinic.client("north_pt")
    ann_id = clinic.people["ann"].id
    assert ANN_ACTIVITY in ann.get("/api/v1/export").text
    assert ANN_ACTIVITY in clinician.get(f"/api/v1/clinic/patients/{ann_id}/export").text
    assert ANN_ACTIVITY in clinician.get(f"/clinic/patients/{ann_id}").text
