"""What the person recorded, and what the engine concludes, as FHIR resources.

- a pain score (a check-in's 0 to 10) is an Observation coded LOINC 72514-3;
- a session is a Procedure coded SNOMED CT's exercise therapy, at the lower back, `stopped`
  with its reason when pain down the leg ended it (the session guide asks nothing after
  that answer: domain/session.py), `completed` otherwise;
- the pain felt in each exercise of a session is an Observation `partOf` that Procedure.
  That answer is one of four words (no pain, an ache, sharp pain, pain down the leg), not
  a 0 to 10 score, so it is not coded 72514-3, which would tell a record system a number
  the person was never asked for: the Observation and its value carry lumbar's own codes
  and the words, and a component names the exercise. The person's comment on the exercise
  (issue #20), when they left one, is its `note`, written by the Patient: it was given
  with that answer, about that exercise; what the camera counted of it (issue #21), when the
  person used the camera, is a second `note` in words, with no author (docs/camera.md);
- an alert standing on the day is a Flag, in the content's words.

The statuses are the assembler's (formats/fhir.py): what became of the record, and for a
session what happened in it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from lumbar.content.load import Content
from lumbar.content.wording import skip_said
from lumbar.domain.model import Alert, ExerciseResult, Pain, SessionLog
from lumbar.formats.camera_summaries import result_camera_said
from lumbar.formats.fhir_codes import (
    ALERT_LEVEL_SYSTEM,
    ALERT_SYSTEM,
    EXERCISE_SYSTEM,
    EXERCISE_THERAPY,
    FLAG_CATEGORY,
    LOINC,
    LOWER_BACK,
    OBSERVATION_SYSTEM,
    PAIN_DISPLAY,
    PAIN_LOINC,
    PAIN_SYSTEM,
    PROCEDURE_SYSTEM,
    SESSION_CODE,
    SESSION_TEXT,
    coded,
    coding,
    concept,
    reference,
    snomed,
    survey,
)

EXERCISE_PAIN = ("exercise-pain", "Pain during an exercise")
EXERCISE = ("exercise", "Exercise")
BODY_SITE_TEXT = "Lower back"


def pain_observation(on: date, score: int, patient: str) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "status": "final",
        "category": [survey()],
        "code": coded(LOINC, PAIN_LOINC, "Pain severity (0-10)", PAIN_DISPLAY),
        "subject": reference(patient),
        "effectiveDateTime": on.isoformat(),
        # A whole-number rating, so valueInteger (R4 allows it for Observation) says it
        # exactly; a valueQuantity with the unit "{score}" would add a unit that means nothing.
        "valueInteger": score,
    }


def stopped_early(session: SessionLog) -> ExerciseResult | None:
    """The answer that ended the session: pain down the leg stops it there (pain rule
    D1-11), and the guide asks for nothing after it; None for a session that went on."""
    results = session.results
    if results and results[-1].pain is Pain.RADIATING:
        return results[-1]
    return None


def procedure(
    session: SessionLog, content: Content, patient: str, careplan: str, *, deleted: bool
) -> dict[str, Any]:
    """The session done; its status says what happened, unless it was deleted."""
    say = content.wording.fact
    note = "; ".join(
        [
            *(
                f"{say('exercise', r.exercise_id)}: {say('pain', r.pain.value)}"
                for r in session.results
            ),
            # A skip is noted in words, never as a pain answer (issue #17).
            *(
                f"{say('exercise', k.exercise_id)}: {skip_said(k.reason.value, k.note)}"
                for k in session.skipped
            ),
        ]
    )
    found: dict[str, Any] = {
        "resourceType": "Procedure",
        "basedOn": [reference(careplan)],
        "status": "completed",
        "code": concept(
            SESSION_TEXT,
            snomed(EXERCISE_THERAPY),
            coding(PROCEDURE_SYSTEM, SESSION_CODE, SESSION_TEXT),
        ),
        "subject": reference(patient),
        "performedDateTime": session.on.isoformat(),
        "bodySite": [concept(BODY_SITE_TEXT, snomed(LOWER_BACK))],
        "note": [{"text": note}],
    }
    ended = stopped_early(session)
    if deleted:
        found["status"] = "entered-in-error"
    elif ended is not None:
        found["status"] = "stopped"
        # No published code says "stopped for pain down the leg" (docs/handouts.md): words.
        exercise = say("exercise", ended.exercise_id)
        found["statusReason"] = {
            "text": f"Stopped after {exercise}: the pain went down the leg, and the "
            "program stops the session when it does."
        }
    return found


CAMERA_NOTE = "Counted by the camera (a guide, not a verdict): "


def exercise_pains(
    session: SessionLog, content: Content, patient: str, session_url: str, status: str
) -> list[tuple[str, dict[str, Any]]]:
    """The pain felt in each exercise done, each an Observation of the session's Procedure,
    with the key of its id (the exercise's)."""
    say = content.wording.fact
    found = []
    for result in session.results:
        name = say("exercise", result.exercise_id)
        felt = say("pain", result.pain.value)
        exercise = concept(name, coding(EXERCISE_SYSTEM, result.exercise_id, name))
        observation: dict[str, Any] = {
            "resourceType": "Observation",
            "status": status,
            "partOf": [reference(session_url)],
            "category": [survey()],
            "code": concept(EXERCISE_PAIN[1], coding(OBSERVATION_SYSTEM, *EXERCISE_PAIN)),
            "subject": reference(patient),
            "effectiveDateTime": session.on.isoformat(),
            "valueCodeableConcept": concept(felt, coding(PAIN_SYSTEM, result.pain.value, felt)),
            "component": [
                {
                    "code": concept(EXERCISE[1], coding(OBSERVATION_SYSTEM, *EXERCISE)),
                    "valueCodeableConcept": exercise,
                }
            ],
        }
        notes = []
        if result.comment:
            # An Annotation's author is whoever wrote it: the person, in their own words.
            notes.append({"authorReference": reference(patient), "text": result.comment})
        seen = result_camera_said(result, someone="the patient")
        if seen is not None:
            # Counted by the camera in the person's browser (issue #21): no author, a guide.
            notes.append({"text": f"{CAMERA_NOTE}{seen}"})
        if notes:
            observation["note"] = notes
        found.append((result.exercise_id, observation))
    return found


def flag(alert: Alert, content: Content, patient: str) -> dict[str, Any]:
    level = alert.level.value
    return {
        "resourceType": "Flag",
        "status": "active",
        "category": [
            coded(FLAG_CATEGORY, "clinical", "Clinical", "Clinical"),
            coded(ALERT_LEVEL_SYSTEM, level, level.replace("_", " ")),
        ],
        "code": coded(ALERT_SYSTEM, alert.code, content.say(alert.decision)),
        "subject": reference(patient),
        "period": {"start": alert.since.isoformat()},
    }
