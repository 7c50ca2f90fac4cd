"""The camera's summary of an exercise in the FHIR Bundle (issue #21): a second `note` of its
exercise's pain Observation, in words and with no author (the camera counted it in the
person's browser), beside the patient's own comment; the Bundle still validates with both
validators."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from jsonschema import Draft6Validator

from lumbar.content.load import Content
from lumbar.domain.camera import camera_summary
from lumbar.domain.model import History, SessionLog
from lumbar.formats.fhir import fhir_bundle
from tests.builders import Follower, day, history, program
from tests.handouts.test_fhir_validators import (
    by_id,
    r4_schema,
    r4b_round_trip,
    resources,
    schema_errors,
)

__all__ = ["r4_schema"]  # the fixture: HL7's schema, read once

ON = day(6)
SEEN = camera_summary(8, None, {"hips-low": 2}, 41)


def seen() -> History:
    """A week of sessions; the first session's glute bridge has a comment and a camera
    summary, its child's pose a camera summary only."""
    lived = Follower(program(), history()).follow(ON)
    first = next(e for e in lived.events if isinstance(e, SessionLog))
    results = tuple(
        replace(r, comment="A bit stiff", camera=SEEN)
        if r.exercise_id == "glute-bridge"
        else replace(r, camera=camera_summary(None, 30, {}, 30))
        if r.exercise_id == "childs-pose"
        else r
        for r in first.results
    )
    events = [replace(e, results=results) if e is first else e for e in lived.events]
    return History.of(lived.profile, events)


def test_the_camera_summary_is_a_note_of_its_exercises_pain_observation(
    content: Content, r4_schema: Draft6Validator
) -> None:
    bundle = fhir_bundle(seen(), program(), content, ON)
    found = by_id(bundle)
    [patient] = [
        e["fullUrl"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"
    ]
    bridge: dict[str, Any] = found["session-2026-11-02-glute-bridge"]
    assert bridge["note"] == [
        {"authorReference": {"reference": patient}, "text": "A bit stiff"},
        {"text": "Counted by the camera (a guide, not a verdict): 8 reps; hips stayed low on 2"},
    ]
    assert found["session-2026-11-02-childs-pose"]["note"] == [
        {"text": "Counted by the camera (a guide, not a verdict): Held 30 s"}
    ]
    noted = [o for o in resources(bundle, "Observation") if "note" in o]
    assert len(noted) == 2  # the other answers carry none
    assert r4b_round_trip(bundle) == bundle
    assert schema_errors(r4_schema, bundle) == []
