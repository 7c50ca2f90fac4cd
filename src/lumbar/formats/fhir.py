"""A person's home exercise program as a FHIR R4 Bundle, for a clinician's record system.

A clinic reads FHIR, not lumbar's own export (archive.py). The bundle says, in resources a
record system already knows, what the person recorded and where the program stands on the
day asked about:

- Patient: the person: on a clinic's server their name and date of birth, as their
  clinician entered them in the invitation; in local mode nothing that identifies them
  (local mode knows no name);
- CarePlan: the program, with the current phase's exercises, doses and training days
  (formats/fhir_program.py);
- Questionnaire: the activity ratings' questions, which every QuestionnaireResponse cites
  by canonical URL and version (formats/fhir_psfs.py);
- Observation: each pain score (LOINC 72514-3), the intake's included, and the pain felt
  in each exercise of a session, part of its Procedure (formats/fhir_records.py);
- QuestionnaireResponse: each Patient-Specific Functional Scale (PSFS) rating;
- Procedure: each session done, `stopped` when pain down the leg ended it;
- Flag: each alert standing on the day, in the content's words;
- Observation: each outcome score a clinician entered (STarT Back, ODI, RMDQ, MSK-HQ:
  formats/fhir_scores.py).

The codes, and where each comes from, are in formats/fhir_codes.py and docs/handouts.md.

Like the export, it carries no clock: `on` is passed in, and every id and fullUrl comes from
the data (uuid5), so the same history always gives the same bytes, and a later bundle of the
same person keeps the addresses of the resources an earlier one held. The Bundle's
`timestamp` is the day asked about at midnight UTC (records carry a day, never a time), and
its `identifier` a urn:uuid of the person and that day: two bundles of one person on one
day are the same bundle.

A record the person corrected (issue #15) says so in the status FHIR has for it: an
Observation of a corrected check-in is `corrected`, its QuestionnaireResponse `amended`;
the exercise pains of a corrected session are `corrected` too, while its Procedure stays
`completed` or `stopped` (R4's Procedure has no status for a correction). A deleted
check-in or session is still there, `entered-in-error`: a record system that holds it from
an earlier bundle, under the same address, learns it was a mistake (leaving it out would
also give its address to the next resource of that day). The plan, the CarePlan and the
flags read only the records that stand.

The models are FHIR R4B (`fhir.resources.R4B`); the resources used here did not change
between R4 and R4B, and the tests hold the bundle to HL7's R4 JSON Schema as well. They are
imported when a bundle is made, never with this module: they take a fifth of a second to
load, and the command line must start fast.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

from lumbar.content.load import Content
from lumbar.domain.access import Account
from lumbar.domain.corrections import Record
from lumbar.domain.model import Clearance, Event, History, ProblemReport, SessionLog
from lumbar.domain.plan import program_status
from lumbar.domain.program import Program
from lumbar.domain.scores import Measure, Score
from lumbar.formats.fhir_codes import IDENTIFIER_URI, NAMESPACE
from lumbar.formats.fhir_program import careplan as careplan_of
from lumbar.formats.fhir_psfs import QUESTIONNAIRE_ID, QUESTIONNAIRE_URL, psfs_response
from lumbar.formats.fhir_psfs import questionnaire as psfs_questionnaire
from lumbar.formats.fhir_records import exercise_pains, flag, pain_observation, procedure
from lumbar.formats.fhir_scores import score_observation

STANDS, CORRECTED, DELETED = "stands", "corrected", "deleted"
"""What became of a record, as a resource's status says it."""
OBSERVATION_STATUS = {STANDS: "final", CORRECTED: "corrected", DELETED: "entered-in-error"}
RESPONSE_STATUS = {STANDS: "completed", CORRECTED: "amended", DELETED: "entered-in-error"}


def fhir_bundle(
    history: History,
    program: Program,
    content: Content,
    on: date,
    *,
    records: Sequence[Record] | None = None,
    account: Account | None = None,
    scores: Sequence[tuple[Score, Measure, str | None]] = (),
) -> dict[str, Any]:
    """The person's program on `on` as a FHIR collection Bundle, validated, as JSON data.

    Events after `on` are left out, as the plan leaves them out; raises `BeforeStart` for a
    day before the program began. `program` is the person's own (on the days they chose).
    `scores`: the outcome scores a clinician entered, each with its measure and, for
    STarT Back, its risk group in words (formats/fhir_scores.py).
    `records`, read with `history` (`usecases.recorded.records`), says what became of
    each record: without them every event stands as recorded. `account`: the patient's on
    a clinic's server, whose name and date of birth the Patient carries.
    """
    from fhir.resources.R4B.bundle import Bundle

    past = History(history.profile, tuple(e for e in history.events if e.on <= on))
    status = program_status(on, past, program)
    person = _person_namespace(past)
    entries = _Entries(person)
    patient = entries.add("patient", _patient(account))
    careplan = entries.add("careplan", careplan_of(status, past, program, content, patient))
    # The same Questionnaire for everyone, at its canonical URL (formats/fhir_psfs.py).
    entries.add(QUESTIONNAIRE_ID, psfs_questionnaire(), full_url=QUESTIONNAIRE_URL)
    for event, became in _recorded(history, records):
        if event.on > on:
            continue
        day = event.on.isoformat()
        if isinstance(event, SessionLog):
            done = procedure(event, content, patient, careplan, deleted=became == DELETED)
            session = entries.add(f"session-{day}", done)
            pains = exercise_pains(event, content, patient, session, OBSERVATION_STATUS[became])
            for exercise_id, observation in pains:
                entries.add(f"{entries.ids[session]}-{exercise_id}", observation)
            continue
        if isinstance(event, Clearance):
            continue  # who cleared what is in the flags' text (the cleared notes)
        if event.pain is not None:
            observation = pain_observation(event.on, event.pain, patient)
            entries.add(f"pain-{day}", {**observation, "status": OBSERVATION_STATUS[became]})
        if event.psfs:
            psfs = psfs_response(event, past.profile.psfs_activities, patient)
            entries.add(f"psfs-{day}", {**psfs, "status": RESPONSE_STATUS[became]})
    for score, measure, risk in scores:
        if score.on <= on:
            observation = score_observation(score, measure, patient, risk=risk)
            entries.add(f"{measure.id}-{score.on.isoformat()}", observation)
    for alert in status.alerts:
        entries.add(f"flag-{alert.code}", flag(alert, content, patient))
    bundle = {
        "resourceType": "Bundle",
        "identifier": {
            "system": IDENTIFIER_URI,
            "value": f"urn:uuid:{uuid.uuid5(person, f'bundle|{on.isoformat()}')}",
        },
        "type": "collection",
        "timestamp": f"{on.isoformat()}T00:00:00Z",
        "entry": entries.entries,
    }
    return Bundle.model_validate(bundle).model_dump(mode="json", exclude_none=True)


def _patient(account: Account | None) -> dict[str, Any]:
    resource: dict[str, Any] = {"resourceType": "Patient", "active": True}
    if account is not None and account.name:
        resource["name"] = [{"use": "official", "text": account.name}]
    if account is not None and account.birth_date is not None:
        resource["birthDate"] = account.birth_date.isoformat()
    return resource


def _recorded(history: History, records: Sequence[Record] | None) -> Iterator[tuple[Event, str]]:
    """Every event recorded, deleted ones in their place (the order of the ids a bundle
    gives), with what became of it."""
    if records is None:
        for event in history.events:
            yield event, STANDS
        return
    found = [r for r in records if r.kind != "problem"]
    if [r.content for r in found if r.deleted_on is None] != list(history.events):
        raise ValueError("the records are not those of the history (read them together)")
    for record in found:
        assert not isinstance(record.content, ProblemReport)  # pragma: no mutate (kind)
        if record.deleted_on is not None:
            yield record.content, DELETED
        elif record.corrected_on is not None:
            yield record.content, CORRECTED
        else:
            yield record.content, STANDS


class _Entries:
    """The bundle's entries, each with a unique id and a fullUrl derived from it."""

    def __init__(self, namespace: uuid.UUID) -> None:
        self.namespace = namespace
        self.entries: list[dict[str, Any]] = []
        self.ids: dict[str, str] = {}
        """Each entry's resource id by its fullUrl."""
        self._ids: set[str] = set()

    def add(self, key: str, resource: dict[str, Any], *, full_url: str | None = None) -> str:
        """Add `resource` as `key` (made a valid FHIR id, unique); return its fullUrl, the
        person's unless `full_url` gives one of its own."""
        resource_id = self._unique(_fhir_id(key))
        self._ids.add(resource_id)
        full_url = full_url or f"urn:uuid:{uuid.uuid5(self.namespace, resource_id)}"
        self.ids[full_url] = resource_id
        self.entries.append({"fullUrl": full_url, "resource": {**resource, "id": resource_id}})
        return full_url

    def _unique(self, resource_id: str) -> str:
        """Two check-ins on one day get `pain-2026-11-02` and `pain-2026-11-02-2`."""
        candidate, count = resource_id, 1
        while candidate in self._ids:
            count += 1
            candidate = f"{resource_id}-{count}"
        return candidate


def _fhir_id(key: str) -> str:
    """FHIR ids hold letters, digits, '-' and '.' only: alert codes have underscores."""
    return key.replace("_", "-")


def _person_namespace(history: History) -> uuid.UUID:
    """One namespace per person, from what the intake recorded once.

    Ids alone ("patient") would give every person's Patient the same urn:uuid, and two
    people's bundles could not sit side by side in one record system. The training days are
    left out: the person can change them, and their resources keep their addresses.
    """
    profile = history.profile
    intake = "|".join((profile.start.isoformat(), str(profile.age), *profile.psfs_activities))
    return uuid.uuid5(NAMESPACE, intake)
