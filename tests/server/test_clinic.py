"""The clinician's side of a clinic's server: the dashboard, a patient's record, prescribing,
messages and invitations, through the real app on SQLite and on PostgreSQL.

What matters here is what reaches the patient: a prescription the clinician saves must
change the patient's own plan, calendar and handout, a refused one must change nothing, and
the safety rules (red flags, no load on a bending spine, rest days) hold whatever the
clinician writes. Every read of a patient's record leaves an entry in the audit log.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from html.parser import HTMLParser
from typing import Any

import httpx2
import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar

from lumbar.domain.access import AuditEntry
from lumbar.domain.model import TrainingDays
from lumbar.usecases import audit, handouts, program
from lumbar.usecases.accounts import now_utc
from lumbar.usecases.person import Person
from tests.builders import START
from tests.server.conftest import ANN_ACTIVITY, BASE_URL, PASSWORD, Clinic, email, start
from tests.web.conftest import assert_errors_beside_fields, field_value, text, ticked

WEDNESDAY = START + timedelta(days=2)
THURSDAY = START + timedelta(days=3)
NEXT_MONDAY = START + timedelta(days=7)

PRESCRIBED: dict[str, Any] = {
    "phases": {
        "1": [
            {
                "exercise": "glute-bridge",
                "steps": [
                    {"sets": 4, "reps": 12, "hold": 5, "rest": 30},
                    {"sets": 4, "reps": 14, "hold": 5, "rest": 30},
                ],
            },
            {"exercise": "dead-bug"},
        ]
    },
    "training_days": ["tue", "thu", "sat"],
    "notes": "Keep your ribs down in the bridge.\nWalk for twenty minutes on the days between.",
}
"""Two exercises in phase 1 (one with its own dose steps), Tuesday, Thursday and Saturday."""


# Helpers.


def new_patient(clinic: Clinic, name: str, clinician: str = "north_pt") -> TestClient:
    """A new patient of `clinician`, signed in."""
    clinic.people[name] = clinic.accounts.create_user(
        email(name), PASSWORD, "patient", now_utc(), clinician_email=email(clinician)
    )
    return clinic.client(name)


def audit_since(clinic: Clinic, seen: int) -> list[AuditEntry]:
    """The audit entries written after the first `seen`."""
    return audit.entries(clinic.accounts)[seen:]


def plan_on(client: TestClient, day: date) -> dict[str, Any]:
    response = client.get("/api/v1/today", params={"date": day.isoformat()})
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def exercise_ids(plan: dict[str, Any]) -> list[str]:
    return [e["id"] for e in plan["exercises"]]


def prescription_of(clinician: TestClient, patient_id: int) -> Any:
    response = clinician.get(f"/api/v1/clinic/patients/{patient_id}/prescription")
    assert response.status_code == 200, response.text
    return response.json()


def session_days(calendar: str) -> dict[date, str]:
    """The calendar's session events: their day, and the exercises they list."""
    found: dict[date, str] = {}
    for event in Calendar.from_ical(calendar).walk("VEVENT"):
        if str(event["uid"]).startswith("session-"):
            found[event.decoded("dtstart").date()] = str(event["description"])
    return found


class FormFields(HTMLParser):
    """The fields a browser would send from the form posting to `action`: text inputs,
    hidden inputs, ticked checkboxes and text areas, with what the page put in them."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action = action
        self.inside = False
        self.textarea: str | None = None
        self.fields: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = found.get("action") == self.action
        elif self.inside and tag == "input" and "name" in found:
            if found.get("type") in ("checkbox", "radio") and "checked" not in found:
                return
            self.fields.setdefault(found["name"], []).append(found.get("value", ""))
        elif self.inside and tag == "textarea":
            self.textarea = found["name"]
            self.fields[self.textarea] = [""]

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.fields[self.textarea][-1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self.textarea = None
        elif tag == "form":
            self.inside = False


def prescription_form(clinician: TestClient, patient_id: int) -> dict[str, list[str]]:
    """The prescription form as the page fills it in (the current prescription)."""
    action = f"/clinic/patients/{patient_id}/prescription"
    response = clinician.get(action)
    assert response.status_code == 200, response.text
    parser = FormFields(action)
    parser.feed(response.text)
    assert "csrf_token" in parser.fields and "phase1" in parser.fields
    return parser.fields


# The dashboard.


def test_dashboard_lists_only_own_patients_gravest_concern_first(clinic: Clinic) -> None:
    """Each patient's records produce one concern; the dashboard (page and API) orders the
    clinician's patients by the gravest, names it in words, and shows no one else's."""
    eve = new_patient(clinic, "eve")  # starts, then does nothing for a week
    start(eve)
    clinic.clock.today = NEXT_MONDAY
    emma = new_patient(clinic, "emma")  # an emergency sign at a check-in
    start(emma)
    response = emma.post("/api/v1/checkins", json={"symptoms": ["bladder_bowel"]})
    assert response.status_code == 201, response.text
    sam = new_patient(clinic, "sam")  # sharp pain in a session
    plan = start(sam)
    pains = {"glute-bridge": "sharp"}
    exercises = [{"id": i, "pain": pains.get(i, "none")} for i in exercise_ids(plan)]
    assert sam.post("/api/v1/sessions", json={"exercises": exercises}).status_code == 201
    rae = new_patient(clinic, "rae")  # pain down the leg, which ends the session there
    plan = start(rae)
    exercises = [
        {"id": "diaphragmatic-breathing", "pain": "none"},
        {"id": "cat-cow", "pain": "radiating"},
    ]
    assert rae.post("/api/v1/sessions", json={"exercises": exercises}).status_code == 201
    pia = new_patient(clinic, "pia")  # a problem report
    start(pia)
    response = pia.post(
        "/api/v1/problems", json={"kind": "fall", "note": "slipped on ice", "hurt_back": False}
    )
    assert response.status_code == 201, response.text
    fay = new_patient(clinic, "fay")  # started today: nothing to look at
    start(fay)
    new_patient(clinic, "zed", clinician="north_pt2")  # a colleague's patient
    pt = clinic.client("north_pt")
    seen = len(audit.entries(clinic.accounts))

    response = pt.get("/api/v1/clinic/patients")

    assert response.status_code == 200, response.text
    listed = [(p["email"], [c["text"] for c in p["concerns"]]) for p in response.json()]
    assert listed == [
        (
            email("emma"),
            ["Emergency sign reported (a change in bladder or bowel control) on Mon 9 Nov 2026"],
        ),
        (email("rae"), ["Bad pain in sessions: 1 in two weeks, last on Mon 9 Nov 2026 (Cat-cow)"]),
        (
            email("sam"),
            ["Bad pain in sessions: 1 in two weeks, last on Mon 9 Nov 2026 (Glute bridge)"],
        ),
        (email("pia"), ["Problem reports: 1 in two weeks, last on Mon 9 Nov 2026"]),
        (
            email("eve"),
            [
                "Sessions falling behind: 0 done, 3 missed in two weeks",
                "Nothing recorded since Mon 2 Nov 2026",
            ],
        ),
        (email("ann"), ["Has not started the program yet"]),
        (email("bob"), ["Has not started the program yet"]),
        (email("fay"), []),
    ]
    kinds = {p["email"]: [c["concern"] for c in p["concerns"]] for p in response.json()}
    assert kinds[email("eve")] == ["adherence", "inactive"]
    assert kinds[email("emma")] == ["emergency"]
    # One audit entry per patient listed, and none for anyone else's.
    entries = audit_since(clinic, seen)
    assert sorted(e.patient_id or 0 for e in entries) == sorted(
        clinic.people[n].id for n in ("emma", "rae", "sam", "pia", "eve", "ann", "bob", "fay")
    )
    assert {(e.actor_id, e.action, e.target) for e in entries} == {
        (clinic.people["north_pt"].id, "read", "GET /api/v1/clinic/patients (dashboard)")
    }

    page = pt.get("/clinic")

    assert page.status_code == 200
    shown = re.findall(r'<a href="/clinic/patients/\d+">([^<]+)</a>', page.text)
    assert shown == [row[0] for row in listed]
    words = text(page)
    assert "Emergency sign reported (a change in bladder or bowel control)" in words
    assert "Nothing to look at" in words
    for other in ("cy", "dee", "zed"):
        assert email(other) not in page.text


# A patient's record.


def test_each_read_of_an_own_patients_record_is_audited(clinic: Clinic, ann: TestClient) -> None:
    """The patient page, the summary, the export and the messages show the patient's own
    record, and each read leaves one audit entry naming the clinician and the patient."""
    pt = clinic.client("north_pt")
    me, patient = clinic.people["north_pt"], clinic.people["ann"]
    base = f"/clinic/patients/{patient.id}"
    api = f"/api/v1/clinic/patients/{patient.id}"
    own_export = ann.get("/api/v1/export").json()

    reads: list[tuple[str, Callable[[httpx2.Response], bool]]] = [
        (
            base,
            lambda r: "Phase 1 since Mon 2 Nov 2026" in text(r) and "Glute bridge: none" in r.text,
        ),
        (
            f"{base}/summary",
            lambda r: (
                ANN_ACTIVITY in r.text and f'<a href="{base}">← Back to the patient' in r.text
            ),
        ),
        (api, lambda r: r.json()["status"]["phase"] == 1 and r.json()["email"] == email("ann")),
        (f"{api}/export", lambda r: r.json() == own_export),
        (f"{api}/messages", lambda r: r.json() == []),
    ]
    for path, check in reads:
        seen = len(audit.entries(clinic.accounts))

        response = pt.get(path)

        assert response.status_code == 200, (path, response.text[:300])
        assert check(response), path
        [entry] = audit_since(clinic, seen)
        assert (entry.actor_id, entry.actor_role, entry.action) == (me.id, "clinician", "read")
        assert (entry.patient_id, entry.target) == (patient.id, f"GET {path}")


# Prescribing.


def test_a_prescription_changes_the_patients_plan_days_calendar_handout_and_notes(
    clinic: Clinic, ann: TestClient
) -> None:
    """Through the API: the patient's own plan follows the prescribed exercises, dose steps
    and days; the calendar and handout follow it too; the notes reach the Today page; and
    the patient can no longer change the days their clinician set."""
    pt = clinic.client("north_pt")
    patient = clinic.people["ann"]
    assert prescription_of(pt, patient.id) is None
    assert plan_on(ann, WEDNESDAY)["kind"] == "session"  # cached: must not outlive the change
    assert "From your physical therapist" not in ann.get("/today").text

    response = pt.put(f"/api/v1/clinic/patients/{patient.id}/prescription", json=PRESCRIBED)

    assert response.status_code == 200, response.text
    assert response.json()["training_days"] == ["tue", "thu", "sat"]
    assert prescription_of(pt, patient.id) == response.json()
    # Monday's session was done; Wednesday is now a rest day, Thursday the next session.
    wednesday = plan_on(ann, WEDNESDAY)
    assert (wednesday["kind"], wednesday["next_session"]) == ("rest", THURSDAY.isoformat())
    thursday = plan_on(ann, THURSDAY)
    assert thursday["kind"] == "session"
    assert exercise_ids(thursday) == ["glute-bridge", "dead-bug"]
    bridge, bug = thursday["exercises"]
    assert (bridge["sets"], bridge["reps"], bridge["hold_seconds"], bridge["rest_seconds"]) == (
        4,
        12,
        5,
        30,
    )
    assert (bug["sets"], bug["reps"], bug["rest_seconds"]) == (2, 5, 45)  # the catalogue's
    # The calendar: sessions on Tuesdays, Thursdays and Saturdays, with those exercises.
    clinic.clock.today = WEDNESDAY
    response = ann.get("/api/v1/calendar")
    assert response.status_code == 200, response.text
    sessions = session_days(response.text)
    assert min(sessions) == THURSDAY
    assert {day.strftime("%a") for day in sessions} == {"Tue", "Thu", "Sat"}
    assert all("Glute bridge" in d and "Cat-cow" not in d for d in sessions.values())
    # The handout of the next session.
    handout = Person(clinic.store, clinic.app.state.content, patient.id, clinic=True)
    html = handouts.handout_html(handout, WEDNESDAY)
    assert "Glute bridge" in html and "Dead bug" in html
    assert "Cat-cow" not in html and "Child&#39;s pose" not in html and "Child's pose" not in html
    assert "From your physical therapist:" in html
    assert "Keep your ribs down in the bridge." in html
    # The notes, on the Today page.
    clinic.clock.today = THURSDAY
    page = text(ann.get("/today"))
    assert "From your physical therapist" in page
    assert "Keep your ribs down in the bridge. Walk for twenty minutes" in page
    # The days are the clinician's now.
    response = ann.put("/api/v1/settings/days", json={"days": ["mon", "wed", "fri"]})
    assert response.status_code == 422
    assert "your clinician set your training days" in response.json()["message"]
    assert plan_on(ann, THURSDAY) == thursday


def test_a_patient_who_starts_after_the_prescription_starts_on_it(clinic: Clinic) -> None:
    """A clinician may prescribe between the invitation and the intake: the patient's first
    plan is already the prescribed one, on the prescribed days."""
    pt = clinic.client("north_pt")
    bob = clinic.client("bob")
    path = f"/api/v1/clinic/patients/{clinic.people['bob'].id}/prescription"

    assert pt.put(path, json=PRESCRIBED).status_code == 200
    clinic.clock.today = START + timedelta(days=1)  # a Tuesday
    first = start(bob, date=(START + timedelta(days=1)).isoformat())

    assert (first["kind"], exercise_ids(first)) == ("session", ["glute-bridge", "dead-bug"])
    # Not the days Bob chose at the intake (mon, wed, fri): Monday is a rest day.
    assert plan_on(bob, NEXT_MONDAY)["kind"] == "rest"
    assert plan_on(bob, NEXT_MONDAY + timedelta(days=1))["kind"] == "session"


def test_the_record_of_a_patient_who_has_not_started_says_so(clinic: Clinic) -> None:
    """Before the intake there is no record: the page says so, and the summary and the
    export answer 409 with a reason rather than failing."""
    pt = clinic.client("north_pt")
    bob = clinic.people["bob"]

    page = pt.get(f"/clinic/patients/{bob.id}")
    summary = pt.get(f"/clinic/patients/{bob.id}/summary")
    export = pt.get(f"/api/v1/clinic/patients/{bob.id}/export")
    record = pt.get(f"/api/v1/clinic/patients/{bob.id}")

    assert page.status_code == 200
    assert "This patient has not started the program yet." in text(page)
    assert summary.status_code == 409
    assert "This patient has not started the program." in text(summary)
    assert export.status_code == 409
    assert export.json()["message"] == "no program yet: start one first"
    assert record.status_code == 200
    assert (record.json()["started"], record.json()["status"]) == (False, None)


def test_the_prescription_form_shows_the_prescription_and_saves_changes(
    clinic: Clinic, ann: TestClient
) -> None:
    """The form is filled in from the stored prescription; sent back unchanged it keeps the
    plan as it was, and a change of exercises, steps and notes reaches the patient. Without
    prescribed days the patient keeps choosing their own."""
    pt = clinic.client("north_pt")
    patient = clinic.people["ann"]
    action = f"/clinic/patients/{patient.id}/prescription"
    api = f"/api/v1/clinic/patients/{patient.id}/prescription"
    assert pt.put(api, json=PRESCRIBED).status_code == 200
    thursday = plan_on(ann, THURSDAY)

    page = pt.get(action)

    assert ticked(page, "phase1") == ["glute-bridge", "dead-bug"]
    assert field_value(page, "steps1-glute-bridge") == "4x12 hold 5 rest 30; 4x14 hold 5 rest 30"
    assert ticked(page, "days") == ["tue", "thu", "sat"]
    fields = prescription_form(pt, patient.id)
    assert fields["notes"] == [PRESCRIBED["notes"]]

    response = pt.post(action, data=fields)

    assert response.status_code == 303, text(response)[:300]
    assert plan_on(ann, THURSDAY) == thursday

    fields["phase1"] = ["glute-bridge", "childs-pose"]
    fields["steps1-glute-bridge"] = ["3x12 hold 4 rest 40\n3x14 hold 4 rest 40"]
    fields.pop("days")
    fields["notes"] = ["Slow and steady."]

    response = pt.post(action, data=fields)

    assert response.status_code == 303, text(response)[:300]
    assert response.headers["location"] == f"/clinic/patients/{patient.id}?prescribed=1"
    assert "The prescription is saved" in text(pt.get(response.headers["location"]))
    wednesday = plan_on(ann, WEDNESDAY)  # the patient's own days again: mon, wed, fri
    assert exercise_ids(wednesday) == ["glute-bridge", "childs-pose"]
    bridge = wednesday["exercises"][0]
    assert (bridge["sets"], bridge["reps"], bridge["hold_seconds"], bridge["rest_seconds"]) == (
        3,
        12,
        4,
        40,
    )
    assert "training_days" not in prescription_of(pt, patient.id)
    clinic.clock.today = WEDNESDAY
    assert "Slow and steady." in text(ann.get("/today"))
    response = ann.put("/api/v1/settings/days", json={"days": "every-other-day"})
    assert response.status_code == 200, response.text


REFUSED_DOCUMENTS: dict[str, tuple[dict[str, Any], str]] = {
    "load on a bending spine": (
        {
            "phases": {
                "1": [
                    {
                        "exercise": "cat-cow",
                        "steps": [{"sets": 2, "reps": 6, "rest": 30, "load": 5}],
                    }
                ]
            }
        },
        "Cat-cow bends the spine, so it is never done with a weight.",
    ),
    "load over 25 lb": (
        {
            "phases": {
                "3": [
                    {"exercise": "squat", "steps": [{"sets": 3, "reps": 8, "rest": 60, "load": 30}]}
                ]
            }
        },
        "Squat asks for 30 lb: this program keeps loads at 25 lb or less.",
    ),
    "consecutive days": (
        {"training_days": ["mon", "tue", "thu"]},
        "Monday and Tuesday are consecutive days: the program needs a rest day between "
        "sessions. Choose days such as Monday, Wednesday and Friday, or every other day.",
    ),
    "unknown exercise": (
        {"phases": {"2": [{"exercise": "sit-up"}]}},
        "Phase 2: 'sit-up' is not in the catalogue.",
    ),
    "empty phase": ({"phases": {"1": []}}, "Phase 1 needs at least one exercise."),
}


@pytest.mark.parametrize("case", list(REFUSED_DOCUMENTS))
def test_an_unsafe_prescription_is_refused_with_its_reason_and_nothing_changes(
    clinic: Clinic, ann: TestClient, case: str
) -> None:
    """A prescription that breaks a rule is a 422 that says which rule, in the content's
    words; the stored prescription and the patient's plan stay as they were."""
    document, reason = REFUSED_DOCUMENTS[case]
    pt = clinic.client("north_pt")
    path = f"/api/v1/clinic/patients/{clinic.people['ann'].id}/prescription"
    assert pt.put(path, json=PRESCRIBED).status_code == 200
    stored = pt.get(path).json()
    before = [plan_on(ann, day) for day in (WEDNESDAY, THURSDAY)]

    response = pt.put(path, json={**PRESCRIBED, **document})

    assert response.status_code == 422, response.text
    body = response.json()
    assert reason in body["reasons"]
    assert body["message"].startswith("the prescription was refused: ")
    assert reason in body["message"]
    assert pt.get(path).json() == stored
    assert [plan_on(ann, day) for day in (WEDNESDAY, THURSDAY)] == before


def test_a_prescription_of_the_wrong_shape_is_refused_by_name(
    clinic: Clinic, ann: TestClient
) -> None:
    """A document that is not a prescription (an unknown key, a dose without reps or hold)
    is refused before any rule, naming the field; nothing is stored."""
    pt = clinic.client("north_pt")
    path = f"/api/v1/clinic/patients/{clinic.people['ann'].id}/prescription"

    unknown = pt.put(path, json={"phase": {}})
    no_reps = pt.put(
        path,
        json={"phases": {"1": [{"exercise": "glute-bridge", "steps": [{"sets": 2, "rest": 0}]}]}},
    )

    assert unknown.status_code == 422 and "phase" in unknown.json()["message"]
    assert no_reps.status_code == 422
    assert "a dose needs reps, a hold, or both" in no_reps.json()["message"]
    assert pt.get(path).json() is None


def test_a_refused_prescription_form_says_why_and_keeps_what_was_typed(
    clinic: Clinic, ann: TestClient
) -> None:
    """The form refuses a dose step it cannot read and a weight on a bending exercise with
    the reason above the form, shows the clinician's answers again, and saves nothing."""
    pt = clinic.client("north_pt")
    patient = clinic.people["ann"]
    action = f"/clinic/patients/{patient.id}/prescription"
    before = plan_on(ann, WEDNESDAY)
    fields = prescription_form(pt, patient.id)
    fields["notes"] = ["Typed, not saved."]

    bad_text = pt.post(action, data={**fields, "steps1-glute-bridge": ["two by eight"]})
    loaded = pt.post(action, data={**fields, "steps1-cat-cow": ["2x6 rest 30 load 5"]})
    nan_days = pt.post(action, data={**fields, "review_after_days": ["nan"]})

    assert bad_text.status_code == 422
    assert (
        "Phase 1, glute-bridge: 'two by eight' is not a dose step; write it like "
        "'2x8 hold 3 rest 45'" in text(bad_text)
    )
    assert field_value(bad_text, "steps1-glute-bridge") == "two by eight"
    assert "Typed, not saved." in bad_text.text
    assert loaded.status_code == 422
    assert "There is a problem: the prescription breaks a rule" in text(loaded)
    assert "Cat-cow bends the spine, so it is never done with a weight." in text(loaded)
    assert field_value(loaded, "steps1-cat-cow") == "2x6 rest 30 load 5"
    assert nan_days.status_code == 422
    assert "Enter the review's day as a whole number" in text(nan_days)
    # Both at once, each beside its field.
    both = pt.post(
        action,
        data={**fields, "steps1-glute-bridge": ["two by eight"], "review_after_days": ["nan"]},
    )
    beside = assert_errors_beside_fields(both)
    assert list(beside) == ["steps1-glute-bridge", "review_after_days"]
    assert beside["review_after_days"] == "Enter the review's day as a whole number"
    assert prescription_of(pt, patient.id) is None
    assert plan_on(ann, WEDNESDAY) == before


def test_a_prescription_names_the_version_each_step_is_done_in(
    clinic: Clinic, ann: TestClient
) -> None:
    """The form shows the side plank's knee steps as `variant knees`; a version the
    exercise does not have is refused and nothing is stored; phase 3's warm-up stays one."""
    pt = clinic.client("north_pt")
    patient = clinic.people["ann"]
    action = f"/clinic/patients/{patient.id}/prescription"
    fields = prescription_form(pt, patient.id)
    assert fields["steps2-side-plank"][0].startswith(
        "1x3 hold 10 rest 30 variant knees; 1x3 hold 12 rest 30 variant knees;"
    )
    wrong = pt.post(
        action, data={**fields, "steps2-side-plank": ["1x3 hold 10 rest 30 variant elbows"]}
    )
    assert wrong.status_code == 422
    assert "Side plank has no variant 'elbows' (its variants: knees)." in text(wrong)
    assert prescription_of(pt, patient.id) is None
    mine = "1x4 hold 10 rest 30 variant knees; 1x3 hold 10 rest 30"
    saved = pt.post(action, data={**fields, "steps2-side-plank": [mine]})
    assert saved.status_code in (200, 303), text(saved)
    stored = prescription_of(pt, patient.id)
    plank = next(e for e in stored["phases"]["2"] if e["exercise"] == "side-plank")
    assert [s.get("variant") for s in plank["steps"]] == ["knees", None]
    assert prescription_form(pt, patient.id)["steps2-side-plank"] == [mine]


def test_red_flags_still_stop_a_prescribed_program(clinic: Clinic, ann: TestClient) -> None:
    """A prescription changes exercises and days, never the screening: an emergency sign at
    a check-in pauses the plan, refuses the session, and tops the clinician's dashboard."""
    pt = clinic.client("north_pt")
    patient = clinic.people["ann"]
    path = f"/api/v1/clinic/patients/{patient.id}/prescription"
    assert pt.put(path, json=PRESCRIBED).status_code == 200
    clinic.clock.today = WEDNESDAY

    response = ann.post("/api/v1/checkins", json={"symptoms": ["saddle_numbness"]})

    assert response.status_code == 201, response.text
    thursday = plan_on(ann, THURSDAY)
    assert thursday["kind"] == "blocked"
    assert thursday["exercises"] == []
    assert [(a["level"], a["code"]) for a in thursday["alerts"]] == [
        ("emergency", "saddle_numbness")
    ]
    exercises = [{"id": "glute-bridge", "pain": "none"}, {"id": "dead-bug", "pain": "none"}]
    refused = ann.post(
        "/api/v1/sessions", json={"date": THURSDAY.isoformat(), "exercises": exercises}
    )
    assert refused.status_code in (409, 422), refused.text
    assert "No exercises today" in text(ann.get("/today"))
    [first, *_] = pt.get("/api/v1/clinic/patients").json()
    assert first["email"] == email("ann")
    assert first["concerns"][0]["concern"] == "emergency"


# Messages.


def test_messages_between_patient_and_clinician_appear_in_both_threads(
    clinic: Clinic, ann: TestClient
) -> None:
    """What the patient sends (API or form), the clinician reads, and the other way round;
    both threads are the same, in the order written, each message with its sender."""
    pt = clinic.client("north_pt")
    patient, clinician = clinic.people["ann"], clinic.people["north_pt"]
    theirs = f"/api/v1/clinic/patients/{patient.id}/messages"

    asked = ann.post("/api/v1/messages", json={"body": "  May I go for a run?  "})
    answered = pt.post(theirs, json={"body": "Walk this week; we'll see about running."})
    thanked = ann.post("/messages", data={"body": "Thank you!"})
    noted = pt.post(f"/clinic/patients/{patient.id}/messages", data={"body": "Any time."})

    assert (asked.status_code, answered.status_code) == (201, 201)
    assert (thanked.status_code, noted.status_code) == (303, 303)
    expected = [
        (patient.id, "May I go for a run?"),
        (clinician.id, "Walk this week; we'll see about running."),
        (patient.id, "Thank you!"),
        (clinician.id, "Any time."),
    ]
    assert [(m["from"], m["body"]) for m in ann.get("/api/v1/messages").json()] == expected
    assert [(m["from"], m["body"]) for m in pt.get(theirs).json()] == expected
    patient_page = text(ann.get("/messages"))
    assert "Your physical therapist" in patient_page
    assert "Walk this week; we'll see about running." in patient_page
    clinician_page = text(pt.get(f"/clinic/patients/{patient.id}"))
    assert "May I go for a run?" in clinician_page and "Any time." in clinician_page
    # The other patients of the clinic see none of it.
    assert clinic.client("bob").get("/api/v1/messages").json() == []


def test_empty_and_overlong_messages_are_refused_and_nothing_is_written(
    clinic: Clinic, ann: TestClient
) -> None:
    """Empty, blank and over-long messages are refused, on both sides, by the API and the
    forms; the thread stays empty. 2000 characters is the most a message holds."""
    pt = clinic.client("north_pt")
    patient = clinic.people["ann"]
    theirs = f"/api/v1/clinic/patients/{patient.id}/messages"
    too_long = "x" * 2001

    refusals = [
        ann.post("/api/v1/messages", json={"body": ""}),
        ann.post("/api/v1/messages", json={"body": "   \n "}),
        ann.post("/api/v1/messages", json={"body": too_long}),
        pt.post(theirs, json={"body": " "}),
        pt.post(theirs, json={"body": too_long}),
        ann.post("/messages", data={"body": "  "}),
        ann.post("/messages", data={"body": too_long}),
        pt.post(f"/clinic/patients/{patient.id}/messages", data={"body": ""}),
    ]

    assert [r.status_code for r in refusals] == [422] * len(refusals)
    messages = [r.json()["message"] for r in refusals[:5]]
    assert all("body" in m for m in messages), messages
    assert "a message needs some text" in messages[1]
    assert "2000" in messages[2]
    assert "A message needs some text" in text(refusals[5])
    assert "A message can be at most 2000 characters" in text(refusals[6])
    assert "A message needs some text" in text(refusals[7])
    assert ann.get("/api/v1/messages").json() == []
    assert pt.get(theirs).json() == []
    longest = ann.post("/api/v1/messages", json={"body": "y" * 2000})
    assert longest.status_code == 201
    assert [len(m["body"]) for m in pt.get(theirs).json()] == [2000]


# Invitations.


def test_an_invitation_makes_a_patient_of_that_clinician_once(clinic: Clinic) -> None:
    """The clinician's invitation link lets a new person make their account (signed in at
    once, sent to the intake); they appear on that clinician's dashboard only. The link
    works once."""
    pt = clinic.client("north_pt")
    invited = {"name": "Gil Moss", "birth_date": "1958-07-14"}
    response = pt.post("/api/v1/clinic/invitations", json=invited)
    assert response.status_code == 201, response.text
    code, url = response.json()["code"], response.json()["url"]
    assert url == f"{BASE_URL}/join/{code}"
    assert response.json() | invited == response.json()
    newcomer = clinic.client()
    assert newcomer.get(f"/join/{code}").status_code == 200

    joined = newcomer.post(f"/join/{code}", data={"email": "Gil@Example.org", "password": PASSWORD})

    assert joined.status_code == 303, text(joined)[:300]
    assert joined.headers["location"] == "/start"
    me = newcomer.get("/api/v1/me").json()
    assert (me["email"], me["role"]) == ("gil@example.org", "patient")
    newcomer.headers["X-CSRF-Token"] = me["csrf_token"]
    start(newcomer)
    dashboard = pt.get("/api/v1/clinic/patients").json()
    gil = next(p for p in dashboard if p["email"] == "gil@example.org")
    assert gil["started"] is True
    assert (gil["name"], gil["birth_date"]) == ("Gil Moss", "1958-07-14")
    colleague = clinic.client("north_pt2").get("/api/v1/clinic/patients").json()
    assert "gil@example.org" not in [p["email"] for p in colleague]
    # The same link again, for someone else: refused, and no account is made.
    other = clinic.client()
    again = other.post(f"/join/{code}", data={"email": "hal@example.org", "password": PASSWORD})
    assert again.status_code == 422
    assert "This invitation is not valid: it was used, or it expired" in text(again)
    assert "hal@example.org" not in [a.email for a in clinic.accounts.accounts()]


def test_the_dashboards_invite_form_shows_a_working_link(clinic: Clinic) -> None:
    """The page's form gives the clinician the link to hand over, in the answer to the form
    itself (no redirect: the code is in no address); it makes a patient."""
    pt = clinic.client("north_pt")

    page = pt.post("/clinic/invite", data={"name": "Ida Brown", "birth_date": "1990-05-06"})

    assert page.status_code == 200, text(page)
    found = re.search(r"/join/([\w-]+)</code>", page.text)
    assert found is not None, text(page)
    assert "it works once, for 14 days" in text(page)
    assert "Ida Brown (born 6 May 1990)" in text(page)
    joined = clinic.client().post(
        f"/join/{found.group(1)}", data={"email": "ida@example.org", "password": PASSWORD}
    )
    assert joined.status_code == 303
    listed = [p["email"] for p in pt.get("/api/v1/clinic/patients").json()]
    assert "ida@example.org" in listed


def test_a_prescription_that_changes_the_days_keeps_the_days_before_for_adherence(
    clinic: Clinic, ann: TestClient
) -> None:
    """On the second Tuesday, after training on mon, wed, fri, the clinician prescribes tue,
    thu, sat: the days before still count 4 planned sessions (Mon, Wed, Fri, Mon), not the 3
    a recount on the new days would give (issue #13: no recount after the fact)."""
    pt = clinic.client("north_pt")
    patient = clinic.people["ann"]
    changed = START + timedelta(days=8)
    clinic.clock.today = changed

    def planned() -> tuple[int, Any]:
        record = Person(clinic.store, clinic.app.state.content, patient.id, clinic=True)
        status = program.status(record, changed)
        return status.improvement.planned_sessions, record.history().profile.earlier_days

    assert planned() == (4, ())
    response = pt.put(f"/api/v1/clinic/patients/{patient.id}/prescription", json=PRESCRIBED)
    assert response.status_code == 200, response.text
    mon_wed_fri = TrainingDays(weekdays=frozenset({0, 2, 4}))
    assert planned() == (4, ((changed, mon_wed_fri),))


def test_the_patient_page_shows_the_patients_equipment(clinic: Clinic) -> None:
    """Issue #17: the clinician prescribing sees what the patient has to lift (the loads of
    phase 3 are fitted to it) and the unit they read weights in."""
    bob = clinic.client("bob")
    start(bob, unit="lb", equipment={"dumbbells": [10, 15], "band": True})
    page = clinic.client("north_pt").get(f"/clinic/patients/{clinic.people['bob'].id}")
    assert page.status_code == 200
    assert "Equipment Dumbbells of 10 lb and 15 lb, a resistance band; weights shown in lb" in text(
        page
    )
