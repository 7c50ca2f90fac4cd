"""A person's home exercise program as a FHIR R4 Bundle, for a clinician's record system.

A clinic reads FHIR, not lumbar's own export (archive.py). The bundle says, in resources a
record system already knows, what the person recorded and where the program stands on the
day asked about:

- Patient: the person, with nothing that identifies them (local mode knows no name);
- CarePlan: the program, with the current phase's exercises, doses and training days; a
  dose with a weight also carries it as a Quantity in UCUM (`detail.quantity`);
- Observation: each pain score (LOINC 72514-3), the intake's included;
- QuestionnaireResponse: each Patient-Specific Functional Scale (PSFS) rating;
- Procedure: each session done, with the pain reported after each exercise;
- Flag: each alert standing on the day, in the content's words.

Like the export, it carries no clock: `on` is passed in, and every id and fullUrl comes from
the data (uuid5), so the same history always gives the same bytes, and a later bundle of the
same person keeps the addresses of the resources an earlier one held.

A record the person corrected (issue #15) says so in the status FHIR has for it: an
Observation of a corrected check-in is `corrected`, its QuestionnaireResponse `amended`. A
deleted check-in or session is still there, `entered-in-error`: a record system that holds
it from an earlier bundle, under the same address, learns it was a mistake (leaving it out
would also give its address to the next resource of that day). The plan, the CarePlan and
the flags read only the records that stand.

The models are FHIR R4B (`fhir.resources.R4B`); the resources used here did not change
between R4 and R4B. They are imported when a bundle is made, never with this module: they
take a fifth of a second to load, and the command line must start fast.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from typing import Any

from lumbar.content.load import Content
from lumbar.content.wording import held_lb, skip_said, weight_amount
from lumbar.domain.corrections import Record
from lumbar.domain.loads import Unit
from lumbar.domain.model import (
    WEEKDAY_NAMES,
    Alert,
    CheckIn,
    Clearance,
    DayPlan,
    Dose,
    Event,
    History,
    Kind,
    PlannedExercise,
    ProblemReport,
    Range,
    SessionLog,
    Status,
    TrainingDays,
)
from lumbar.domain.plan import plan_day, program_status
from lumbar.domain.program import Program
from lumbar.formats.views import describe_dose, phase_goal

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:lumbar:fhir")
"""The root of every fullUrl; never change it, or the same data gets new addresses."""

CAREPLAN_TITLE = "Home exercise program for lower back pain"
LOINC = "http://loinc.org"
PAIN_LOINC = "72514-3"
PAIN_DISPLAY = "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
FLAG_CATEGORY = "http://terminology.hl7.org/CodeSystem/flag-category"
PSFS_QUESTIONNAIRE = "urn:lumbar:questionnaire:psfs"
EXERCISE_SYSTEM = "urn:lumbar:exercise"
PROCEDURE_SYSTEM = "urn:lumbar:procedure"
ALERT_SYSTEM = "urn:lumbar:alert"
ALERT_LEVEL_SYSTEM = "urn:lumbar:alert-level"
SESSION_CODE = "home-exercise-session"
SESSION_TEXT = "Home exercise session"
UCUM = "http://unitsofmeasure.org"
UCUM_CODES = {Unit.KG: "kg", Unit.LB: "[lb_av]"}
"""A weight's unit in UCUM: the kilogram, and the avoirdupois pound (UCUM's `[lb_av]`)."""

STANDS, CORRECTED, DELETED = "stands", "corrected", "deleted"
"""What became of a record, as a resource's status says it."""
OBSERVATION_STATUS = {STANDS: "final", CORRECTED: "corrected", DELETED: "entered-in-error"}
RESPONSE_STATUS = {STANDS: "completed", CORRECTED: "amended", DELETED: "entered-in-error"}
PROCEDURE_STATUS = {STANDS: "completed", CORRECTED: "completed", DELETED: "entered-in-error"}
"""A corrected session is still a session done: R4's Procedure has no status for it."""


def fhir_bundle(
    history: History,
    program: Program,
    content: Content,
    on: date,
    *,
    records: Sequence[Record] | None = None,
) -> dict[str, Any]:
    """The person's program on `on` as a FHIR collection Bundle, validated, as JSON data.

    Events after `on` are left out, as the plan leaves them out; raises `BeforeStart` for a
    day before the program began. `program` is the person's own (on the days they chose).
    `records`, read with `history` (`usecases.recorded.records`), says what became of
    each record: without them every event stands as recorded.
    """
    from fhir.resources.R4B.bundle import Bundle

    past = History(history.profile, tuple(e for e in history.events if e.on <= on))
    status = program_status(on, past, program)
    entries = _Entries(_person_namespace(past))
    patient = entries.add("patient", {"resourceType": "Patient", "active": True})
    careplan = entries.add("careplan", _careplan(status, past, program, content, patient))
    for event, became in _recorded(history, records):
        if event.on > on:
            continue
        day = event.on.isoformat()
        if isinstance(event, SessionLog):
            procedure = _procedure(event, content, patient, careplan)
            entries.add(f"session-{day}", {**procedure, "status": PROCEDURE_STATUS[became]})
            continue
        if isinstance(event, Clearance):
            continue  # who cleared what is in the flags' text (the cleared notes)
        if event.pain is not None:
            observation = _pain_observation(event.on, event.pain, patient)
            entries.add(f"pain-{day}", {**observation, "status": OBSERVATION_STATUS[became]})
        if event.psfs:
            psfs = _psfs_response(event, past.profile.psfs_activities, patient)
            entries.add(f"psfs-{day}", {**psfs, "status": RESPONSE_STATUS[became]})
    for alert in status.alerts:
        entries.add(f"flag-{alert.code}", _flag(alert, content, patient))
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": entries.entries}
    return Bundle.model_validate(bundle).model_dump(mode="json", exclude_none=True)


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
        self._ids: set[str] = set()

    def add(self, key: str, resource: dict[str, Any]) -> str:
        """Add `resource` as `key` (made a valid FHIR id, unique); return its fullUrl."""
        resource_id = self._unique(_fhir_id(key))
        self._ids.add(resource_id)
        full_url = f"urn:uuid:{uuid.uuid5(self.namespace, resource_id)}"
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


def _reference(full_url: str) -> dict[str, str]:
    return {"reference": full_url}


def _coded(system: str, code: str, text: str, display: str | None = None) -> dict[str, Any]:
    coding = {"system": system, "code": code}
    if display is not None:
        coding["display"] = display
    return {"coding": [coding], "text": text}


# The program.


def _careplan(
    status: Status, history: History, program: Program, content: Content, patient: str
) -> dict[str, Any]:
    paused = status.plan.kind is Kind.BLOCKED
    phase = program.phase(status.phase)
    planned = _planned(status, history, program)
    timing = _timing(program.training_days)
    activities = [
        _activity(
            p.exercise_id,
            planned.get(p.exercise_id),
            p.steps[0],
            content,
            timing,
            paused,
            history.profile.unit,
        )
        for p in phase.prescriptions
    ]
    return {
        "resourceType": "CarePlan",
        "status": "on-hold" if paused else "active",
        "intent": "plan",
        "title": CAREPLAN_TITLE,
        "description": f"Phase {phase.number} of {program.last_phase}: {phase.name}. "
        + phase_goal(phase, program, history.profile.unit),
        "subject": _reference(patient),
        "period": {"start": history.profile.start.isoformat()},
        "activity": activities,
    }


def _planned(status: Status, history: History, program: Program) -> Mapping[str, PlannedExercise]:
    """Each exercise of the current phase at the dose the person does it at next.

    Today's plan when today's session is still to do; else the next session's, unless it
    opens another phase; else the latest session's (as it was prescribed), when the program
    is paused. Empty when none is in the current phase: the activities then give the phase's
    first dose step.
    """
    for plan in _plans(status, history, program):
        if plan.phase == status.phase and plan.exercises:
            return {e.exercise_id: e for e in plan.exercises}
    return {}


def _plans(status: Status, history: History, program: Program) -> Iterator[DayPlan]:
    """The plans that may hold the current doses, best first, each made only when needed."""
    if status.plan.kind is Kind.SESSION and not status.plan.completed:
        yield status.plan
    if status.next_session is not None:
        yield plan_day(status.next_session, history, program)
    sessions = [e.on for e in history.events if isinstance(e, SessionLog)]
    if sessions:
        yield plan_day(sessions[-1], history, program)


def _timing(days: TrainingDays) -> dict[str, Any]:
    """How often: three fixed weekdays a week, or one day in two (3 and 4 in alternate weeks)."""
    if days.every_other_day:
        return {"repeat": {"frequency": 1, "period": 2, "periodUnit": "d"}}
    weekdays = [WEEKDAY_NAMES[d] for d in sorted(days.weekdays)]
    # FHIR's days-of-week codes are lumbar's weekday names: mon, tue, ... sun.
    repeat = {"frequency": len(weekdays), "period": 1, "periodUnit": "wk", "dayOfWeek": weekdays}
    return {"repeat": repeat}


def _activity(
    exercise_id: str,
    planned: PlannedExercise | None,
    first_dose: Dose,
    content: Content,
    timing: dict[str, Any],
    paused: bool,
    unit: Unit,
) -> dict[str, Any]:
    exercise = content.catalogue[exercise_id]
    dose = first_dose if planned is None else planned.dose
    description = describe_dose(dose, per_side=exercise.per_side, unit=unit)
    if planned is not None and planned.range is Range.REDUCED:
        description += f"; at reduced range: {exercise.reduced_range}"
    detail = {
        "kind": "ServiceRequest",
        "code": _coded(EXERCISE_SYSTEM, exercise_id, exercise.name, exercise.name),
        "status": "on-hold" if paused else "in-progress",
        "scheduledTiming": timing,
        "description": description,
    }
    quantity = _load_quantity(dose, unit)
    if quantity is not None:
        detail["quantity"] = quantity
    return {"detail": detail}


def _load_quantity(dose: Dose, unit: Unit) -> dict[str, Any] | None:
    """The weight the dose asks the person to hold, for a record system to read as a
    number (docs/handouts.md says why `detail.quantity`): in the person's unit, to the nearest
    half as the description says it, so that the two never disagree."""
    held = held_lb(dose)
    if held is None:
        return None
    return {
        "value": weight_amount(held, unit),
        "unit": unit.value,
        "system": UCUM,
        "code": UCUM_CODES[unit],
    }


# What the person recorded.


def _pain_observation(on: date, score: int, patient: str) -> dict[str, Any]:
    category = _coded(OBSERVATION_CATEGORY, "survey", "Survey", "Survey")
    return {
        "resourceType": "Observation",
        "status": "final",
        "category": [category],
        "code": _coded(LOINC, PAIN_LOINC, "Pain severity (0-10)", PAIN_DISPLAY),
        "subject": _reference(patient),
        "effectiveDateTime": on.isoformat(),
        # A whole-number rating, so valueInteger (R4 allows it for Observation) says it
        # exactly; a valueQuantity with the unit "{score}" would add a unit that means nothing.
        "valueInteger": score,
    }


def _psfs_response(checkin: CheckIn, activities: tuple[str, ...], patient: str) -> dict[str, Any]:
    scores = checkin.psfs or ()
    items = [
        {"linkId": f"psfs-{n}", "text": activity, "answer": [{"valueInteger": score}]}
        for n, (activity, score) in enumerate(zip(activities, scores, strict=True), start=1)
    ]
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": PSFS_QUESTIONNAIRE,
        "status": "completed",
        "subject": _reference(patient),
        "authored": checkin.on.isoformat(),
        "item": items,
    }


def _procedure(
    session: SessionLog, content: Content, patient: str, careplan: str
) -> dict[str, Any]:
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
    return {
        "resourceType": "Procedure",
        "basedOn": [_reference(careplan)],
        "status": "completed",
        "code": _coded(PROCEDURE_SYSTEM, SESSION_CODE, SESSION_TEXT, SESSION_TEXT),
        "subject": _reference(patient),
        "performedDateTime": session.on.isoformat(),
        "note": [{"text": note}],
    }


# What the engine concludes.


def _flag(alert: Alert, content: Content, patient: str) -> dict[str, Any]:
    level = alert.level.value
    return {
        "resourceType": "Flag",
        "status": "active",
        "category": [
            _coded(FLAG_CATEGORY, "clinical", "Clinical", "Clinical"),
            _coded(ALERT_LEVEL_SYSTEM, level, level.replace("_", " ")),
        ],
        "code": _coded(ALERT_SYSTEM, alert.code, content.say(alert.decision)),
        "subject": _reference(patient),
        "period": {"start": alert.since.isoformat()},
    }
