"""The activity ratings (PSFS) as FHIR: the Questionnaire, and one response per check-in.

A QuestionnaireResponse names the Questionnaire it answers; a record system looks that
canonical URL up, so the bundle carries the Questionnaire itself (formats/fhir.py).

The canonical URL is a `urn:uuid`, made with uuid5 from lumbar's FHIR namespace: an
absolute URI that only lumbar mints, that never changes, and that claims no web domain
lumbar does not own. The Questionnaire's entry has the same address as its fullUrl, so a
reader that resolves the canonical URL as a bundle address finds it as well. The
`version` changes when the items do; each response cites `url|version`.

The item texts are lumbar's own words, the app's prompt (the PSFS's published wording is
not ours to copy: shared/reference/clinical-evidence.md, section 3). Each activity is a
group of two answers, the activity as the person named it and its rating, so that every
text in a response is the Questionnaire's text for the same linkId.
"""

from __future__ import annotations

import uuid
from typing import Any

from lumbar.domain.model import CheckIn
from lumbar.domain.outcomes import PSFS_MAX_ACTIVITIES, PSFS_MIN_ACTIVITIES
from lumbar.formats.fhir_codes import NAMESPACE, reference

QUESTIONNAIRE_ID = "lumbar-psfs"
QUESTIONNAIRE_URL = f"urn:uuid:{uuid.uuid5(NAMESPACE, 'Questionnaire/psfs')}"
QUESTIONNAIRE_VERSION = "2.0"
"""1.0 was the bare `urn:lumbar:questionnaire:psfs` that no bundle carried."""
QUESTIONNAIRE_CANONICAL = f"{QUESTIONNAIRE_URL}|{QUESTIONNAIRE_VERSION}"

TITLE = "Everyday activities your back makes hard"
ACTIVITY_TEXT = "An everyday activity that your back makes hard to do"
SCORE_TEXT = (
    "How well can you do it now? 0 means you can't do it, "
    "10 means as well as before your back pain."
)
EXTENSION = "http://hl7.org/fhir/StructureDefinition"


def group_id(number: int) -> str:
    return f"psfs-{number}"


def questionnaire() -> dict[str, Any]:
    """The Questionnaire every response answers: up to five activities, the first required."""
    items = [
        {
            "linkId": group_id(n),
            "text": f"Activity {n}",
            "type": "group",
            "required": n <= PSFS_MIN_ACTIVITIES,
            "item": [
                {
                    "linkId": f"{group_id(n)}-activity",
                    "text": ACTIVITY_TEXT,
                    "type": "string",
                    "required": True,
                },
                {
                    "linkId": f"{group_id(n)}-score",
                    "text": SCORE_TEXT,
                    "type": "integer",
                    "required": True,
                    "extension": [
                        {"url": f"{EXTENSION}/minValue", "valueInteger": 0},
                        {"url": f"{EXTENSION}/maxValue", "valueInteger": 10},
                    ],
                },
            ],
        }
        for n in range(1, PSFS_MAX_ACTIVITIES + 1)
    ]
    return {
        "resourceType": "Questionnaire",
        "url": QUESTIONNAIRE_URL,
        "version": QUESTIONNAIRE_VERSION,
        "name": "LumbarActivityRatings",
        "title": TITLE,
        "status": "active",
        "subjectType": ["Patient"],
        "description": (
            "The activities a person chose at the start of lumbar's home exercise program, "
            "each rated from 0 to 10 at check-ins; the score is their mean. Modelled on the "
            "Patient-Specific Functional Scale (Stratford et al., Physiotherapy Canada 1995), "
            "in lumbar's own words."
        ),
        "item": items,
    }


def psfs_response(checkin: CheckIn, activities: tuple[str, ...], patient: str) -> dict[str, Any]:
    """One check-in's ratings, each activity a group with its name and its score."""
    scores = checkin.psfs or ()
    items = [
        {
            "linkId": group_id(n),
            "text": f"Activity {n}",
            "item": [
                {
                    "linkId": f"{group_id(n)}-activity",
                    "text": ACTIVITY_TEXT,
                    "answer": [{"valueString": activity}],
                },
                {
                    "linkId": f"{group_id(n)}-score",
                    "text": SCORE_TEXT,
                    "answer": [{"valueInteger": score}],
                },
            ],
        }
        for n, (activity, score) in enumerate(zip(activities, scores, strict=True), start=1)
    ]
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": QUESTIONNAIRE_CANONICAL,
        "status": "completed",
        "subject": reference(patient),
        "authored": checkin.on.isoformat(),
        "item": items,
    }
