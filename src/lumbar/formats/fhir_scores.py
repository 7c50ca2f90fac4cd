"""The outcome scores a clinician entered (issue #20) as FHIR Observations: one per total,
the measure named in its code's text and in lumbar's own code system (`urn:lumbar:outcome-
measure`, the measure's id), since the bundle carries no code it has not checked against a
published source (docs/handouts.md). ODI is a percentage (a UCUM `%` quantity); the others
whole points (valueInteger). STarT Back's psychosocial subscale is a component, and its
risk group the interpretation, in words."""

from __future__ import annotations

from typing import Any

from lumbar.domain.scores import Measure, Score
from lumbar.formats.fhir_codes import UCUM, coded, reference, survey

MEASURE_SYSTEM = "urn:lumbar:outcome-measure"


def score_observation(
    score: Score, measure: Measure, patient: str, *, risk: str | None = None
) -> dict[str, Any]:
    found: dict[str, Any] = {
        "resourceType": "Observation",
        "status": "final",
        "category": [survey()],
        "code": coded(MEASURE_SYSTEM, measure.id, measure.long_name, measure.name),
        "subject": reference(patient),
        "effectiveDateTime": score.on.isoformat(),
    }
    if measure.unit == "%":
        found["valueQuantity"] = {
            "value": score.total,
            "unit": "%",
            "system": UCUM,
            "code": "%",
        }
    else:
        found["valueInteger"] = score.total
    sub = measure.subscale
    if sub is not None and score.subscale is not None:
        code = f"{measure.id}-{sub.name.split()[0]}"
        found["component"] = [
            {
                "code": coded(MEASURE_SYSTEM, code, f"{measure.name} {sub.name}"),
                "valueInteger": score.subscale,
            }
        ]
    if risk is not None:
        found["interpretation"] = [{"text": risk}]
    return found
