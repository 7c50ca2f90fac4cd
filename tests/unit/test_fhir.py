"""The FHIR bundle: valid R4B, every reference resolving, the codes exact, the same bytes for
the same data, and a CarePlan that says what the engine says (phase, doses, pause)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from lumbar.content.load import Content
from lumbar.domain.access import Account, Role
from lumbar.domain.corrections import Record
from lumbar.domain.loads import Unit
from lumbar.domain.model import CheckIn, Event, History, Pain, SessionLog, TrainingDays
from lumbar.domain.plan import BeforeStart, plan_day, program_status
from lumbar.domain.program import Program
from lumbar.formats.fhir import fhir_bundle
from lumbar.formats.views import describe_dose
from tests.builders import (
    ACTIVITIES,
    START,
    Follower,
    a_year_of_history,
    clearance,
    day,
    history,
    intake,
    profile,
    program,
    session,
)

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
PAIN_LOINC = "72514-3"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
FLAG_CATEGORY = "http://terminology.hl7.org/CodeSystem/flag-category"
FHIR_WEEKDAYS = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}
YEAR_END = START + timedelta(days=364)


@pytest.fixture(scope="module")
def a_year() -> tuple[History, Program]:
    return a_year_of_history()


def resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def one(bundle: dict[str, Any], kind: str) -> dict[str, Any]:
    [resource] = resources(bundle, kind)
    return resource


def references(value: Any) -> Iterator[str]:
    """Every `reference` anywhere in a resource."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "reference" and isinstance(item, str):
                yield item
            else:
                yield from references(item)
    elif isinstance(value, list):
        for item in value:
            yield from references(item)


def codings(concept: dict[str, Any]) -> list[tuple[str, str]]:
    return [(c["system"], c["code"]) for c in concept["coding"]]


def local_code(concept: dict[str, Any], system: str) -> str:
    """The code of `concept` in one of lumbar's own systems (beside the standard codings)."""
    [code] = [str(c["code"]) for c in concept["coding"] if c["system"] == system]
    return code


def exercise_id(activity: dict[str, Any]) -> str:
    return local_code(activity["detail"]["code"], "urn:lumbar:exercise")


def checkin_pains(bundle: dict[str, Any]) -> list[dict[str, Any]]:
    """The Observations of a check-in's pain score (not those of a session's exercises)."""
    return [o for o in resources(bundle, "Observation") if "partOf" not in o]


def radiating_twice() -> History:
    """Pain down the leg at the first exercise of the first two sessions (Mon, Wed)."""

    def pain(on: date, _exercise: str) -> Pain:
        return Pain.RADIATING if on in (day(0), day(2)) else Pain.NONE

    return Follower(program(), history(), pain=pain).follow(day(3))


def fever_on_day_3() -> History:
    """Two sessions (Mon, Wed), then a fever on Thursday: the program is paused."""
    extra: dict[date, Sequence[Event]] = {day(3): [CheckIn(day(3), symptoms=("fever",))]}
    return Follower(program(), history(), extra=extra).follow(day(5))


# Valid FHIR.


def test_the_bundle_and_each_resource_validate_with_the_r4b_models(
    a_year: tuple[History, Program], content: Content
) -> None:
    from fhir.resources.R4B import get_fhir_model_class
    from fhir.resources.R4B.bundle import Bundle

    bundle = fhir_bundle(*a_year, content, YEAR_END)
    assert bundle["resourceType"] == "Bundle"
    assert bundle["type"] == "collection"
    again = Bundle.model_validate(bundle).model_dump(mode="json", exclude_none=True)
    assert again == bundle
    for entry in bundle["entry"]:
        resource = entry["resource"]
        model = get_fhir_model_class(resource["resourceType"])
        assert model.__module__.startswith("fhir.resources.R4B.")
        assert model.model_validate(resource).model_dump(mode="json", exclude_none=True) == (
            resource
        )


def test_every_reference_resolves_to_an_entry_of_the_bundle(
    a_year: tuple[History, Program], content: Content
) -> None:
    bundle = fhir_bundle(*a_year, content, YEAR_END)
    full_urls = [entry["fullUrl"] for entry in bundle["entry"]]
    assert len(set(full_urls)) == len(full_urls)
    assert all(url.startswith("urn:uuid:") for url in full_urls)
    found = [ref for entry in bundle["entry"] for ref in references(entry["resource"])]
    assert found
    assert set(found) <= set(full_urls)
    patient = bundle["entry"][0]
    assert patient["resource"]["resourceType"] == "Patient"
    for entry in bundle["entry"][1:]:
        if entry["resource"]["resourceType"] != "Questionnaire":  # the same for everyone
            assert entry["resource"]["subject"] == {"reference": patient["fullUrl"]}


def test_ids_are_stable_valid_fhir_ids_and_unique(
    a_year: tuple[History, Program], content: Content
) -> None:
    bundle = fhir_bundle(*a_year, content, YEAR_END)
    ids = [entry["resource"]["id"] for entry in bundle["entry"]]
    assert len(set(ids)) == len(ids)
    assert ids[:3] == ["patient", "careplan", "lumbar-psfs"]
    assert {"pain-2026-11-02", "psfs-2026-11-02", "session-2026-11-04"} <= set(ids)
    # Alert codes have underscores, which FHIR ids do not allow.
    assert "flag-not-improving" in ids


# The same data, the same bytes.


def test_the_same_history_gives_byte_identical_json(content: Content) -> None:
    first = fhir_bundle(*a_year_of_history(), content, YEAR_END)
    second = fhir_bundle(*a_year_of_history(), content, YEAR_END)
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)


def test_a_later_bundle_keeps_the_addresses_of_the_earlier_resources(
    a_year: tuple[History, Program], content: Content
) -> None:
    history, chosen = a_year
    early = fhir_bundle(history, chosen, content, day(30))
    late = fhir_bundle(history, chosen, content, YEAR_END)
    addresses = {e["resource"]["id"]: e["fullUrl"] for e in late["entry"]}
    for entry in early["entry"]:
        assert addresses[entry["resource"]["id"]] == entry["fullUrl"]


def test_two_people_get_different_addresses(content: Content) -> None:
    someone = fhir_bundle(history(), program(), content, START)
    other = history(
        who=profile(activities=("climb stairs", "walk the dog")), first=intake(psfs=(3, 4))
    )
    someone_else = fhir_bundle(other, program(), content, START)
    assert someone["entry"][0]["fullUrl"] != someone_else["entry"][0]["fullUrl"]


# What the person recorded.


def test_one_resource_per_pain_score_psfs_rating_session_and_alert(
    a_year: tuple[History, Program], content: Content
) -> None:
    history, chosen = a_year
    bundle = fhir_bundle(history, chosen, content, YEAR_END)
    checkins = [e for e in history.events if isinstance(e, CheckIn)]
    sessions = [e for e in history.events if isinstance(e, SessionLog)]
    kinds = Counter(entry["resource"]["resourceType"] for entry in bundle["entry"])
    alerts = program_status(YEAR_END, history, chosen).alerts
    assert alerts
    assert kinds == {
        "Patient": 1,
        "CarePlan": 1,
        "Questionnaire": 1,
        "Observation": sum(1 for c in checkins if c.pain is not None)
        + sum(len(s.results) for s in sessions),
        "QuestionnaireResponse": sum(1 for c in checkins if c.psfs),
        "Procedure": len(sessions),
        "Flag": len(alerts),
    }
    assert len(sessions) == len(history.events) - len(checkins)


def test_pain_scores_are_loinc_72514_3_survey_observations(
    a_year: tuple[History, Program], content: Content
) -> None:
    history, chosen = a_year
    bundle = fhir_bundle(history, chosen, content, YEAR_END)
    scores = [(c.on.isoformat(), c.pain) for c in history.events if isinstance(c, CheckIn)]
    observations = checkin_pains(bundle)
    assert [(o["effectiveDateTime"], o["valueInteger"]) for o in observations] == scores
    assert observations[0]["effectiveDateTime"] == START.isoformat()  # the intake
    for observation in observations:
        assert observation["status"] == "final"
        assert codings(observation["code"]) == [(LOINC, PAIN_LOINC)]
        assert observation["code"]["coding"][0]["display"] == (
            "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
        )
        assert [codings(c) for c in observation["category"]] == [[(OBSERVATION_CATEGORY, "survey")]]


def test_psfs_ratings_are_questionnaire_responses_one_item_per_activity(
    content: Content,
) -> None:
    week = CheckIn(day(7), pain=5, psfs=(6, 7, 5))
    bundle = fhir_bundle(history(week), program(), content, day(7))
    responses = resources(bundle, "QuestionnaireResponse")
    assert [r["id"] for r in responses] == ["psfs-2026-11-02", "psfs-2026-11-09"]
    latest = responses[1]
    assert latest["status"] == "completed"
    [questionnaire] = resources(bundle, "Questionnaire")
    assert latest["questionnaire"] == f"{questionnaire['url']}|{questionnaire['version']}"
    assert latest["authored"] == "2026-11-09"
    answers = [[(a["linkId"], a["answer"][0]) for a in group["item"]] for group in latest["item"]]
    assert [group["linkId"] for group in latest["item"]] == ["psfs-1", "psfs-2", "psfs-3"]
    assert answers == [
        [(f"psfs-{n}-activity", {"valueString": a}), (f"psfs-{n}-score", {"valueInteger": s})]
        for n, a, s in ((1, ACTIVITIES[0], 6), (2, ACTIVITIES[1], 7), (3, ACTIVITIES[2], 5))
    ]


def test_two_check_ins_on_one_day_get_their_own_ids(content: Content) -> None:
    twice = [CheckIn(day(7), pain=5), CheckIn(day(7), pain=4)]
    bundle = fhir_bundle(history(*twice), program(), content, day(7))
    observations = checkin_pains(bundle)
    assert [(o["id"], o["valueInteger"]) for o in observations] == [
        ("pain-2026-11-02", 6),
        ("pain-2026-11-09", 5),
        ("pain-2026-11-09-2", 4),
    ]


def test_sessions_are_completed_procedures_noting_the_pain_of_each_exercise(
    content: Content,
) -> None:
    done = session(day(2), ("bird-dog", Pain.NONE), ("glute-bridge", Pain.SHARP))
    bundle = fhir_bundle(history(done), program(), content, day(2))
    procedure = one(bundle, "Procedure")
    careplan = bundle["entry"][1]
    assert procedure["id"] == "session-2026-11-04"
    # Sharp pain stops that exercise, not the session: the session went on.
    assert procedure["status"] == "completed"
    assert "statusReason" not in procedure
    assert codings(procedure["code"]) == [
        (SNOMED, "229065009"),
        ("urn:lumbar:procedure", "home-exercise-session"),
    ]
    assert procedure["code"]["text"] == "Home exercise session"
    assert procedure["performedDateTime"] == "2026-11-04"
    assert procedure["basedOn"] == [{"reference": careplan["fullUrl"]}]
    assert procedure["note"] == [{"text": "Bird-dog: no pain; Glute bridge: sharp pain"}]


def test_events_after_the_day_asked_about_are_left_out(content: Content) -> None:
    later: list[Event] = [session(day(2), ("cat-cow", Pain.NONE)), CheckIn(day(7), pain=4)]
    bundle = fhir_bundle(history(*later), program(), content, day(1))
    assert [e["resource"]["id"] for e in bundle["entry"]] == [
        "patient",
        "careplan",
        "lumbar-psfs",
        "pain-2026-11-02",
        "psfs-2026-11-02",
    ]


def test_a_day_before_the_start_is_refused(content: Content) -> None:
    with pytest.raises(BeforeStart):
        fhir_bundle(history(), program(), content, day(-1))


# What became of a record (issue #15).


def marked(
    number: int, event: Event, corrected: date | None = None, deleted: date | None = None
) -> Record:
    """A record as `usecases.recorded.records` lists it."""
    kind = "session" if not isinstance(event, CheckIn) else "checkin"
    return Record(f"{kind[0]}{number}", kind, event, False, number == 1, corrected, deleted, None)


def statuses(bundle: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (e["resource"]["id"], e["resource"]["status"])
        for e in bundle["entry"]
        if e["resource"]["resourceType"] in ("Observation", "QuestionnaireResponse", "Procedure")
    ]


def test_a_corrected_checkin_is_a_corrected_observation_and_an_amended_response(
    content: Content,
) -> None:
    week = CheckIn(day(7), pain=3, psfs=(6, 7, 5))
    done = session(day(2), ("cat-cow", Pain.NONE))
    lived = history(done, week)
    records = [
        marked(1, lived.events[0]),
        marked(2, done, corrected=day(8)),
        marked(3, week, corrected=day(8)),
    ]

    bundle = fhir_bundle(lived, program(), content, day(8), records=records)

    assert statuses(bundle) == [
        ("pain-2026-11-02", "final"),
        ("psfs-2026-11-02", "completed"),
        ("session-2026-11-04", "completed"),  # R4's Procedure has no status for a correction
        ("session-2026-11-04-cat-cow", "corrected"),
        ("pain-2026-11-09", "corrected"),
        ("psfs-2026-11-09", "amended"),
    ]
    assert bundle == fhir_bundle(lived, program(), content, day(8), records=records)
    unmarked = [marked(1, lived.events[0]), marked(2, done), marked(3, week)]
    assert fhir_bundle(lived, program(), content, day(8), records=unmarked) == (
        fhir_bundle(lived, program(), content, day(8))
    )


def test_a_deleted_record_is_entered_in_error_at_its_address_and_the_plan_reads_past_it(
    content: Content,
) -> None:
    fever = CheckIn(day(3), pain=5, symptoms=("fever",))
    again = CheckIn(day(3), pain=4)
    done = session(day(2), ("cat-cow", Pain.NONE))
    before = fhir_bundle(history(done, fever, again), program(), content, day(5))
    assert one(before, "CarePlan")["status"] == "on-hold"
    lived = history(again)
    records = [
        marked(1, lived.events[0]),
        marked(2, done, deleted=day(5)),
        marked(3, fever, deleted=day(5)),
        marked(4, again),
    ]

    after = fhir_bundle(lived, program(), content, day(5), records=records)

    assert statuses(after) == [
        ("pain-2026-11-02", "final"),
        ("psfs-2026-11-02", "completed"),
        ("session-2026-11-04", "entered-in-error"),
        ("session-2026-11-04-cat-cow", "entered-in-error"),
        ("pain-2026-11-05", "entered-in-error"),
        ("pain-2026-11-05-2", "final"),
    ]
    addresses = {e["resource"]["id"]: e["fullUrl"] for e in before["entry"]}
    for entry in after["entry"]:
        assert addresses[entry["resource"]["id"]] == entry["fullUrl"]
    assert one(after, "CarePlan")["status"] == "active"
    assert resources(after, "Flag") == []
    observations = checkin_pains(after)
    assert [o["valueInteger"] for o in observations] == [6, 5, 4]


def test_records_of_another_history_are_refused(content: Content) -> None:
    week = CheckIn(day(7), pain=3)
    with pytest.raises(ValueError, match="not those of the history"):
        fhir_bundle(
            history(), program(), content, day(8), records=[marked(1, intake()), marked(2, week)]
        )


# The program.


def test_the_careplan_holds_the_current_phase_exercises(
    a_year: tuple[History, Program], content: Content
) -> None:
    history, chosen = a_year
    bundle = fhir_bundle(history, chosen, content, YEAR_END)
    careplan = one(bundle, "CarePlan")
    status = program_status(YEAR_END, history, chosen)
    assert status.phase == 3
    phase = chosen.phase(status.phase)
    details = [activity["detail"] for activity in careplan["activity"]]
    assert [codings(d["code"]) for d in details] == [
        [(SNOMED, "229065009"), ("urn:lumbar:exercise", p.exercise_id)] for p in phase.prescriptions
    ]
    assert [d["code"]["text"] for d in details] == [
        content.catalogue[p.exercise_id].name for p in phase.prescriptions
    ]
    assert careplan["status"] == "active"
    assert careplan["intent"] == "plan"
    assert careplan["title"] == "Home exercise program for lower back pain"
    assert careplan["period"] == {"start": START.isoformat()}
    assert "Phase 3 of 3: Integrate" in careplan["description"]
    for detail in details:
        assert detail["kind"] == "ServiceRequest"
        assert detail["status"] == "in-progress"
        repeat = detail["scheduledTiming"]["repeat"]
        assert repeat == {
            "frequency": 3,
            "period": 1,
            "periodUnit": "wk",
            "dayOfWeek": ["mon", "wed", "fri"],
        }
        assert set(repeat["dayOfWeek"]) <= FHIR_WEEKDAYS


def test_the_activities_give_the_dose_of_the_day(content: Content) -> None:
    # The start is a Monday: today's session is still to do.
    bundle = fhir_bundle(history(), program(), content, START)
    planned = plan_day(START, history(), program()).exercises
    details = [activity["detail"] for activity in one(bundle, "CarePlan")["activity"]]
    assert [d["description"] for d in details] == [
        describe_dose(p.dose, per_side=content.catalogue[p.exercise_id].per_side, unit=Unit.KG)
        for p in planned
    ]


def test_an_exercise_at_reduced_range_says_so(content: Content) -> None:
    hurt = session(day(0), ("glute-bridge", Pain.SHARP))
    bundle = fhir_bundle(history(hurt), program(), content, day(1))
    details = {exercise_id(a): a["detail"] for a in one(bundle, "CarePlan")["activity"]}
    reduced = content.catalogue["glute-bridge"].reduced_range
    assert details["glute-bridge"]["description"].endswith(f"at reduced range: {reduced}")
    assert "reduced range" not in details["dead-bug"]["description"]


def test_every_other_day_has_no_fixed_weekdays(content: Content) -> None:
    days = TrainingDays(every_other_day=True)
    person = history(who=profile(days=days))
    bundle = fhir_bundle(person, program(days), content, START)
    for activity in one(bundle, "CarePlan")["activity"]:
        repeat = activity["detail"]["scheduledTiming"]["repeat"]
        assert repeat == {"frequency": 1, "period": 2, "periodUnit": "d"}


def test_a_paused_program_is_an_on_hold_careplan(content: Content) -> None:
    paused = fever_on_day_3()
    bundle = fhir_bundle(paused, program(), content, day(5))
    careplan = one(bundle, "CarePlan")
    assert careplan["status"] == "on-hold"
    assert {a["detail"]["status"] for a in careplan["activity"]} == {"on-hold"}
    phase1 = [p.exercise_id for p in program().phase(1).prescriptions]
    assert [exercise_id(a) for a in careplan["activity"]] == phase1
    cleared = History.of(paused.profile, [*paused.events, clearance(day(5), "fever")])
    after = fhir_bundle(cleared, program(), content, day(5))
    assert one(after, "CarePlan")["status"] == "active"
    # The clearance is no resource of its own: the cleared note says who cleared what.
    status = program_status(day(5), cleared, program())
    flags = resources(after, "Flag")
    assert [f["code"]["coding"][0]["code"] for f in flags] == ["fever_cleared"]
    [note] = status.alerts
    assert flags[0]["code"]["text"] == content.say(note.decision)
    assert len(after["entry"]) == len(bundle["entry"])


# The alerts.


def test_an_urgent_symptom_is_a_flag_in_the_content_wording(content: Content) -> None:
    paused = fever_on_day_3()
    bundle = fhir_bundle(paused, program(), content, day(5))
    status = program_status(day(5), paused, program())
    flags = resources(bundle, "Flag")
    assert [f["code"]["coding"][0]["code"] for f in flags] == [a.code for a in status.alerts]
    [fever] = [f for f in flags if f["id"] == "flag-fever"]
    [alert] = [a for a in status.alerts if a.code == "fever"]
    assert fever["status"] == "active"
    assert codings(fever["code"]) == [("urn:lumbar:alert", "fever")]
    assert fever["code"]["text"] == content.say(alert.decision)
    assert fever["period"] == {"start": "2026-11-05"}
    assert [codings(c) for c in fever["category"]] == [
        [(FLAG_CATEGORY, "clinical")],
        [("urn:lumbar:alert-level", "urgent")],
    ]


def test_pain_down_the_leg_twice_is_a_flag_without_a_pause(content: Content) -> None:
    painful = radiating_twice()
    bundle = fhir_bundle(painful, program(), content, day(3))
    status = program_status(day(3), painful, program())
    codes = [f["code"]["coding"][0]["code"] for f in resources(bundle, "Flag")]
    assert "radiating_twice" in codes
    assert codes == [a.code for a in status.alerts]
    assert one(bundle, "CarePlan")["status"] == "active"
    procedures = resources(bundle, "Procedure")
    notes = [p["note"][0]["text"] for p in procedures]
    assert notes == ["Diaphragmatic breathing: pain down the leg"] * 2
    assert [p["status"] for p in procedures] == ["stopped"] * 2


def test_no_alert_no_flag(content: Content) -> None:
    bundle = fhir_bundle(history(), program(), content, START)
    assert resources(bundle, "Flag") == []


# Start-up.


def test_importing_the_module_does_not_load_the_fhir_models(tmp_path: Path) -> None:
    code = "import sys, lumbar.formats.fhir; print(any(m.startswith('fhir') for m in sys.modules))"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def test_the_patient_is_named_only_on_a_clinics_server(
    a_year: tuple[History, Program], content: Content
) -> None:
    """Local mode knows no name: its Patient identifies nobody. On a clinic's server the
    account's name and date of birth (as the clinician entered them) are the Patient's; a
    patient who joined before invitations asked for them has neither."""
    local = fhir_bundle(*a_year, content, YEAR_END)["entry"][0]["resource"]
    named = Account(
        id=7,
        email="gil@example.org",
        role=Role.PATIENT,
        clinic_id=1,
        clinician_id=2,
        name="Gil Moss",
        birth_date=date(1958, 7, 14),
    )
    clinic = fhir_bundle(*a_year, content, YEAR_END, account=named)["entry"][0]["resource"]
    unnamed = replace(named, name=None, birth_date=None)
    before = fhir_bundle(*a_year, content, YEAR_END, account=unnamed)["entry"][0]["resource"]

    assert local == before == {"resourceType": "Patient", "id": local["id"], "active": True}
    assert clinic["name"] == [{"use": "official", "text": "Gil Moss"}]
    assert clinic["birthDate"] == "1958-07-14"
    assert "gil@example.org" not in str(clinic)  # an address is no part of the Patient
