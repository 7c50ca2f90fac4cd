"""Issue #18, item 3: a FHIR Bundle a server would accept.

Two validators read the same bundles: the R4B models (`fhir.resources`) and HL7's own R4
JSON Schema (4.0.1, vendored in tests/handouts/vendor/, read by `jsonschema`). The bundle
holds a session that pain down the leg stopped, a corrected check-in, a deleted session,
activity ratings and, in a year's CarePlan, weights. Each QuestionnaireResponse answers
the Questionnaire in the same Bundle; the sessions and the plan carry SNOMED CT codes; the
Bundle has a timestamp and an identifier that do not move between calls.
"""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft6Validator

from lumbar.content.load import Content
from lumbar.content.scores import measures
from lumbar.domain.corrections import Record
from lumbar.domain.model import CheckIn, Event, History, Pain, SessionLog
from lumbar.domain.scores import Score
from lumbar.formats.fhir import fhir_bundle
from tests.builders import (
    RACK,
    START,
    Checkins,
    Follower,
    a_year_of_history,
    day,
    history,
    intake,
    profile,
    program,
)

SCHEMA = Path(__file__).parent / "vendor" / "fhir.schema.json.gz"
SNOMED = "http://snomed.info/sct"
EXERCISE_THERAPY = {"system": SNOMED, "code": "229065009", "display": "Exercise therapy"}
LOWER_BACK = {"system": SNOMED, "code": "37822005", "display": "Lower back structure"}
LOADING = 3.0
"""Seconds the R4 schema may take to load and build a validator (it takes about 1.3 s)."""


@pytest.fixture(scope="session")
def r4_schema() -> Draft6Validator:
    """HL7's R4 JSON Schema as a Draft 6 validator, built once: the schema is 3.9 MB."""
    began = time.perf_counter()
    schema = json.loads(gzip.decompress(SCHEMA.read_bytes()))
    Draft6Validator.check_schema(schema)
    validator = Draft6Validator(schema)
    took = time.perf_counter() - began
    assert took < LOADING, f"the R4 schema took {took:.1f} s to load"
    return validator


def schema_errors(validator: Draft6Validator, value: dict[str, Any]) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message[:200]}" for e in validator.iter_errors(value)]


def r4b_round_trip(bundle: dict[str, Any]) -> dict[str, Any]:
    from fhir.resources.R4B.bundle import Bundle

    return Bundle.model_validate(bundle).model_dump(mode="json", exclude_none=True)


def entries(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in entries(bundle, kind)]


def by_id(bundle: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["resource"]["id"]: e["resource"] for e in bundle["entry"]}


def someone_else() -> History:
    """Another person: other activities at the intake."""
    return history(
        who=profile(activities=("climb stairs", "walk the dog")), first=intake(psfs=(3, 4))
    )


# A history with all of it.

STOPPED, SHARP, DELETED, CORRECTED = day(2), day(4), day(7), day(9)
"""Pain down the leg in the first exercise of Wednesday's session; sharp pain in Friday's
glute bridge; next Monday's session deleted; a check-in with ratings on Wednesday, corrected."""


def _pain(on: date, exercise: str) -> Pain:
    if on == STOPPED:
        return Pain.RADIATING
    if on == SHARP and exercise == "glute-bridge":
        return Pain.SHARP
    return Pain.ACHE if exercise == "cat-cow" else Pain.NONE


def mark(number: int, event: Event, corrected: date | None, deleted: date | None) -> Record:
    """A record as `usecases.recorded.records` lists it."""
    kind = "checkin" if isinstance(event, CheckIn) else "session"
    return Record(f"r{number}", kind, event, False, number == 1, corrected, deleted, None)


@pytest.fixture(scope="module")
def lived() -> tuple[History, list[Record]]:
    """Two weeks: the history as it stands and the records, the deleted one included."""
    checkins: Checkins = {CORRECTED: (3, (6, 7, 5))}
    done = Follower(program(), history(), pain=_pain, checkins=checkins).follow(day(11))
    [deleted] = [e for e in done.events if isinstance(e, SessionLog) and e.on == DELETED]
    records = [
        mark(
            n,
            event,
            day(12) if isinstance(event, CheckIn) and event.on == CORRECTED else None,
            day(12) if event is deleted else None,
        )
        for n, event in enumerate(done.events, start=1)
    ]
    standing = History.of(done.profile, [e for e in done.events if e is not deleted])
    return standing, records


@pytest.fixture(scope="module")
def rich(lived: tuple[History, list[Record]], content: Content) -> dict[str, Any]:
    standing, records = lived
    return fhir_bundle(standing, program(), content, day(12), records=records, scores=SCORES)


SCORES = (
    (Score(day(1), "start_back", 6, 4), measures()["start_back"], "High risk by the STarT Back"),
    (Score(day(1), "odi", 44), measures()["odi"], None),
    (Score(day(8), "odi", 32), measures()["odi"], None),
    (Score(day(8), "mskhq", 30), measures()["mskhq"], None),
    (Score(day(13), "rmdq", 9), measures()["rmdq"], None),
)
"""Outcome scores a clinician entered (issue #20); the RMDQ's is after the bundle's day."""


@pytest.fixture(scope="module")
def a_year_with_weights() -> tuple[History, Any]:
    year, chosen = a_year_of_history()
    return History.of(replace(year.profile, equipment=RACK), year.events), chosen


# Both validators.


def test_the_bundle_validates_as_r4b_and_against_hl7s_r4_json_schema(
    rich: dict[str, Any], r4_schema: Draft6Validator
) -> None:
    kinds = {e["resource"]["resourceType"] for e in rich["entry"]}
    assert {"Questionnaire", "QuestionnaireResponse", "Procedure", "Observation"} <= kinds
    assert r4b_round_trip(rich) == rich
    assert schema_errors(r4_schema, rich) == []


def test_the_schema_refuses_what_r4_does_not_allow(
    rich: dict[str, Any], r4_schema: Draft6Validator
) -> None:
    """The schema is read, not passed by: each change below is one R4 refuses."""
    skeleton = {**rich, "entry": rich["entry"][:1]}
    assert schema_errors(r4_schema, skeleton) == []
    assert schema_errors(r4_schema, {**skeleton, "timestamp": rich["timestamp"][:-1]})
    assert schema_errors(r4_schema, {**skeleton, "made_by": "lumbar"})
    pain = rich["entry"][3]["resource"]
    assert pain["resourceType"] == "Observation"
    assert schema_errors(r4_schema, pain) == []
    assert schema_errors(r4_schema, {**pain, "status": "done"})


def test_a_years_careplan_with_weights_validates_against_the_r4_schema(
    a_year_with_weights: tuple[History, Any], content: Content, r4_schema: Draft6Validator
) -> None:
    """The CarePlan is the one resource that carries weights; the year's whole Bundle
    (nearly a thousand entries) is validated by the R4B models, its CarePlan by both."""
    year, chosen = a_year_with_weights
    bundle = fhir_bundle(year, chosen, content, START + timedelta(days=364))
    [careplan] = resources(bundle, "CarePlan")
    quantities = [
        a["detail"]["quantity"] for a in careplan["activity"] if "quantity" in a["detail"]
    ]
    assert quantities
    assert {q["code"] for q in quantities} == {"kg"}
    assert r4b_round_trip(bundle) == bundle
    assert schema_errors(r4_schema, careplan) == []


# The Questionnaire.


def linkids(items: list[dict[str, Any]]) -> Iterator[tuple[str, str]]:
    for item in items:
        yield item["linkId"], item["text"]
        yield from linkids(item.get("item", []))


def test_every_response_answers_the_questionnaire_in_the_bundle(rich: dict[str, Any]) -> None:
    [entry] = entries(rich, "Questionnaire")
    questionnaire = entry["resource"]
    responses = resources(rich, "QuestionnaireResponse")
    assert len(responses) == 2  # the intake's and the corrected check-in's
    canonical = f"{questionnaire['url']}|{questionnaire['version']}"
    # An absolute URI of lumbar's own, which is also the entry's address in the Bundle.
    assert questionnaire["url"].startswith("urn:uuid:")
    assert entry["fullUrl"] == questionnaire["url"]
    assert questionnaire["status"] == "active"
    asked = dict(linkids(questionnaire["item"]))
    for response in responses:
        assert response["questionnaire"] == canonical
        answered = dict(linkids(response["item"]))
        assert answered
        assert answered.items() <= asked.items()  # the same linkIds, with the same texts
    # Our own words, never a copy of the published scale's instructions.
    texts = " ".join(asked.values())
    assert "0 means you can't do it, 10 means as well as before your back pain" in texts


def test_the_questionnaire_is_the_same_for_every_person_and_day(
    rich: dict[str, Any], content: Content
) -> None:
    other = fhir_bundle(someone_else(), program(), content, START)
    [mine] = entries(rich, "Questionnaire")
    [theirs] = entries(other, "Questionnaire")
    assert mine == theirs
    assert rich["entry"][0]["fullUrl"] != other["entry"][0]["fullUrl"]  # the Patients differ


def test_the_ratings_are_in_each_group_of_two_answers(rich: dict[str, Any]) -> None:
    response = by_id(rich)["psfs-2026-11-11"]
    assert response["status"] == "amended"
    groups = [[a["answer"][0] for a in group["item"]] for group in response["item"]]
    activities = ("lift groceries", "sit through a film", "garden for an hour")
    assert groups == [
        [{"valueString": activity}, {"valueInteger": score}]
        for activity, score in zip(activities, (6, 7, 5), strict=True)
    ]


# The sessions.


def test_a_session_that_pain_down_the_leg_ended_is_stopped_with_its_reason(
    rich: dict[str, Any],
) -> None:
    found = by_id(rich)
    stopped = found["session-2026-11-04"]
    assert stopped["status"] == "stopped"
    reason = stopped["statusReason"]["text"]
    assert reason.startswith("Stopped after Diaphragmatic breathing: the pain went down the leg")
    assert "coding" not in stopped["statusReason"]  # no published code says it (docs)
    # Sharp pain stops one exercise, and the session goes on: completed.
    assert found["session-2026-11-06"]["status"] == "completed"
    assert "statusReason" not in found["session-2026-11-06"]
    assert found["session-2026-11-02"]["status"] == "completed"
    assert found["session-2026-11-09"]["status"] == "entered-in-error"
    assert "statusReason" not in found["session-2026-11-09"]


def test_sessions_and_activities_carry_snomed_ct_with_their_displays(
    rich: dict[str, Any],
) -> None:
    for procedure in resources(rich, "Procedure"):
        assert procedure["code"]["coding"][0] == EXERCISE_THERAPY
        assert procedure["code"]["coding"][1]["system"] == "urn:lumbar:procedure"
        assert procedure["bodySite"] == [{"coding": [LOWER_BACK], "text": "Lower back"}]
    [careplan] = resources(rich, "CarePlan")
    for activity in careplan["activity"]:
        first, own = activity["detail"]["code"]["coding"]
        assert first == EXERCISE_THERAPY
        assert own["system"] == "urn:lumbar:exercise"  # which exercise: lumbar's own id
        assert own["display"] == activity["detail"]["code"]["text"]


def test_each_exercise_done_is_a_pain_observation_of_its_session(
    lived: tuple[History, list[Record]], rich: dict[str, Any]
) -> None:
    standing, _ = lived
    procedures = {e["fullUrl"]: e["resource"] for e in entries(rich, "Procedure")}
    observations = [o for o in resources(rich, "Observation") if "partOf" in o]
    friday = [o for o in observations if o["effectiveDateTime"] == SHARP.isoformat()]
    [session] = [e for e in standing.events if isinstance(e, SessionLog) and e.on == SHARP]
    assert [o["component"][0]["valueCodeableConcept"]["coding"][0]["code"] for o in friday] == [
        r.exercise_id for r in session.results
    ]
    said = {
        o["component"][0]["valueCodeableConcept"]["text"]: o["valueCodeableConcept"] for o in friday
    }
    assert said["Glute bridge"] == {
        "coding": [{"system": "urn:lumbar:pain", "code": "sharp", "display": "sharp pain"}],
        "text": "sharp pain",
    }
    assert said["Cat-cow"]["coding"][0]["code"] == "ache"
    for observation in observations:
        [part] = observation["partOf"]
        procedure = procedures[part["reference"]]
        assert procedure["performedDateTime"] == observation["effectiveDateTime"]
        assert observation["code"]["coding"] == [
            {
                "system": "urn:lumbar:observation",
                "code": "exercise-pain",
                "display": "Pain during an exercise",
            }
        ]
        assert observation["status"] == (
            "entered-in-error" if procedure["status"] == "entered-in-error" else "final"
        )
    stopped = [o for o in observations if o["effectiveDateTime"] == STOPPED.isoformat()]
    assert [o["valueCodeableConcept"]["coding"][0]["code"] for o in stopped] == ["radiating"]


# The Bundle.


def test_the_bundle_has_a_timestamp_and_an_identifier_that_do_not_move(
    lived: tuple[History, list[Record]], rich: dict[str, Any], content: Content
) -> None:
    standing, records = lived
    assert rich["timestamp"] == "2026-11-14T00:00:00Z"
    identifier = rich["identifier"]
    assert identifier["system"] == "urn:ietf:rfc:3986"
    assert identifier["value"].startswith("urn:uuid:")
    again = fhir_bundle(standing, program(), content, day(12), records=records, scores=SCORES)
    assert json.dumps(again, sort_keys=True) == json.dumps(rich, sort_keys=True)
    next_day = fhir_bundle(standing, program(), content, day(13), records=records)
    assert next_day["timestamp"] == "2026-11-15T00:00:00Z"
    assert next_day["identifier"]["value"] != identifier["value"]
    other = fhir_bundle(someone_else(), program(), content, day(12))
    assert other["identifier"]["value"] != identifier["value"]


def test_a_corrected_session_that_pain_ended_stays_stopped(
    lived: tuple[History, list[Record]], content: Content, r4_schema: Draft6Validator
) -> None:
    standing, records = lived
    [stopped] = [r for r in records if r.kind == "session" and r.on == STOPPED]
    edited = [replace(r, corrected_on=day(12)) if r is stopped else r for r in records]
    bundle = fhir_bundle(standing, program(), content, day(12), records=edited)
    found = by_id(bundle)
    assert found["session-2026-11-04"]["status"] == "stopped"
    assert found["session-2026-11-04-diaphragmatic-breathing"]["status"] == "corrected"
    assert found["session-2026-11-02-cat-cow"]["status"] == "final"
    assert schema_errors(r4_schema, found["session-2026-11-04"]) == []


def test_outcome_scores_are_observations_naming_their_measure(rich: dict[str, Any]) -> None:
    measured = [
        r
        for r in resources(rich, "Observation")
        if r["code"]["coding"][0]["system"].endswith("outcome-measure")
    ]
    said = [
        (r["code"]["text"], r["effectiveDateTime"], r.get("valueInteger"), r.get("valueQuantity"))
        for r in measured
    ]
    percent = {"value": 44, "unit": "%", "system": "http://unitsofmeasure.org", "code": "%"}
    assert said == [
        ("STarT Back Screening Tool (total and psychosocial subscale)", "2026-11-03", 6, None),
        ("Oswestry Disability Index", "2026-11-03", None, percent),
        ("Oswestry Disability Index", "2026-11-10", None, {**percent, "value": 32}),
        ("Musculoskeletal Health Questionnaire", "2026-11-10", 30, None),
    ]  # the RMDQ's, after the bundle's day, is left out
    start_back = measured[0]
    assert start_back["component"][0]["valueInteger"] == 4
    assert start_back["component"][0]["code"]["text"] == "STarT Back psychosocial subscale"
    assert start_back["interpretation"] == [{"text": "High risk by the STarT Back"}]
    assert [r["subject"] for r in measured] == [resources(rich, "Observation")[0]["subject"]] * 4
