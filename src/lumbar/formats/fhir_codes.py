"""The codes and addresses the FHIR bundle speaks, in one place (formats/fhir.py).

A record system reads the standard codings: LOINC for the pain score, SNOMED CT for exercise
therapy and the lower back, UCUM for weights, HL7's own code systems for categories. Each
SNOMED CT code and display was checked against a published value set; docs/handouts.md
(the FHIR section) cites the source of each, and says which codes were left out for want
of one. No code here is made up: where no published code fits, the bundle keeps lumbar's
own (`urn:lumbar:*`), which also carry the exercise ids a record system has no code for.
"""

from __future__ import annotations

import uuid
from typing import Any

from lumbar.domain.loads import Unit

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:lumbar:fhir")
"""The root of every fullUrl and of the PSFS Questionnaire's canonical URL; never change it,
or the same data gets new addresses."""

LOINC = "http://loinc.org"
PAIN_LOINC = "72514-3"
PAIN_DISPLAY = "Pain severity - 0-10 verbal numeric rating [Score] - Reported"

SNOMED = "http://snomed.info/sct"
EXERCISE_THERAPY = ("229065009", "Exercise therapy")
"""A session done and each exercise of the plan (docs/handouts.md cites the source)."""
LOWER_BACK = ("37822005", "Lower back structure")
"""Where the sessions work: the lower back (docs/handouts.md cites the source)."""

OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
FLAG_CATEGORY = "http://terminology.hl7.org/CodeSystem/flag-category"
UCUM = "http://unitsofmeasure.org"
UCUM_CODES = {Unit.KG: "kg", Unit.LB: "[lb_av]"}
"""A weight's unit in UCUM: the kilogram, and the avoirdupois pound (UCUM's `[lb_av]`)."""
IDENTIFIER_URI = "urn:ietf:rfc:3986"
"""The identifier system FHIR names for an identifier that is itself a URI (a urn:uuid)."""

EXERCISE_SYSTEM = "urn:lumbar:exercise"
PROCEDURE_SYSTEM = "urn:lumbar:procedure"
OBSERVATION_SYSTEM = "urn:lumbar:observation"
PAIN_SYSTEM = "urn:lumbar:pain"
ALERT_SYSTEM = "urn:lumbar:alert"
ALERT_LEVEL_SYSTEM = "urn:lumbar:alert-level"
SESSION_CODE = "home-exercise-session"
SESSION_TEXT = "Home exercise session"


def coding(system: str, code: str, display: str | None = None) -> dict[str, str]:
    found = {"system": system, "code": code}
    if display is not None:
        found["display"] = display
    return found


def concept(text: str, *codings: dict[str, str]) -> dict[str, Any]:
    """A CodeableConcept: the codings a record system reads, and the words a person reads."""
    return {"coding": list(codings), "text": text}


def snomed(code: tuple[str, str]) -> dict[str, str]:
    return coding(SNOMED, *code)


def coded(system: str, code: str, text: str, display: str | None = None) -> dict[str, Any]:
    """A CodeableConcept of one coding."""
    return concept(text, coding(system, code, display))


def reference(full_url: str) -> dict[str, str]:
    return {"reference": full_url}


def survey() -> dict[str, Any]:
    """The category of what the person reported themselves (HL7's observation-category)."""
    return coded(OBSERVATION_CATEGORY, "survey", "Survey", "Survey")
