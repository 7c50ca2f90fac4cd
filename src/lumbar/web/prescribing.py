"""A clinician's prescription for one patient: the form (the catalogue's exercises for
each phase, their dose steps as text, the days, the gate, three thresholds and notes) and
the API. `authorization.enforce` has checked and logged the access first; the use case
(`usecases/prescribing.py`) refuses anything the safety rules refuse, with every reason.
"""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Body, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import Field
from starlette.concurrency import run_in_threadpool

from lumbar.domain.loads import Unit
from lumbar.domain.model import WEEKDAY_NAMES
from lumbar.domain.program import load_range_lb
from lumbar.errors import NoProgram, UserError
from lumbar.formats.dose_steps import parse_steps, range_shown, steps_text
from lumbar.formats.prescription import (
    EXERCISE_NOTE_LIMIT,
    Prescribed,
    PrescriptionDocument,
    PrescriptionRefused,
)
from lumbar.usecases import prescribing
from lumbar.usecases.accounts import now_utc
from lumbar.usecases.person import Person
from lumbar.web.authorization import ACCOUNT_REFUSALS, NOT_YOURS, account
from lumbar.web.clinic import ONE_PATIENT, called, patient_of, record_of
from lumbar.web.context import today, write
from lumbar.web.errors import REFUSALS, Invalid
from lumbar.web.form_errors import FormErrors, Label
from lumbar.web.form_errors import Invalid as FormInvalid
from lumbar.web.template_start import starting_point
from lumbar.web.templating import page

router = APIRouter(responses={**ACCOUNT_REFUSALS, 503: REFUSALS[503]})


async def _prescribe(request: Request, record: Person, document: Any) -> Prescribed:
    prescribe = partial(
        prescribing.prescribe, clinician=account(request).id, now=now_utc(), on=today(request)
    )
    return await write(record, prescribe, record, document)


# The prescription form.

GATE_FIELDS = ("min_days", "min_sessions", "pain_free_days")
THRESHOLD_FIELDS = ("on_track_pain_pct", "suggest_pain_pct", "review_after_days")
"""The numbers the form changes; the form shows them as text (as typed, after a refusal)."""


def _form_rows(s: Person, start: Prescribed | None = None) -> dict[str, Any]:
    """What the form shows: every catalogue exercise in each phase, ticked when prescribed,
    with its steps as text, loads in the patient's unit (issue #17); the days, gate,
    thresholds and notes. `start`: a program to review instead of the patient's own (a
    template's, or another patient's: web/template_start.py)."""
    prescribed = start or s.prescription()
    unit = s.unit()
    loads = load_range_lb(s.content.program)  # the shipped range: a prescription's own is no limit
    program = s.content.program if prescribed is None else prescribed.program
    phases = []
    for phase in program.phases:
        default = s.content.program.phase(phase.number)
        rows = []
        for exercise in s.content.catalogue.values():
            chosen = phase.prescription(exercise.id)
            steps = chosen.steps if chosen else exercise.doses.get(phase.number) or ()
            rows.append(
                {
                    "id": exercise.id,
                    "name": exercise.name,
                    "checked": chosen is not None,
                    "steps": steps_text(steps, unit) if steps else "",
                    "default": default.prescription(exercise.id) is not None,
                }
            )
        phases.append({"number": phase.number, "name": phase.name, "rows": rows})
    days = None if prescribed is None else prescribed.training_days
    return {
        "phases": phases,
        "days": [] if days is None else [WEEKDAY_NAMES[d] for d in sorted(days.weekdays)],
        "every_other_day": days is not None and days.every_other_day,
        "gate": {name: f"{getattr(program.gate, name):g}" for name in GATE_FIELDS},
        "thresholds": {name: f"{getattr(program.thresholds, name):g}" for name in THRESHOLD_FIELDS},
        "notes": "" if prescribed is None else prescribed.notes,
        "exercise_notes": {} if prescribed is None else dict(prescribed.exercise_notes),
        "catalogue": [(e.id, e.name) for e in s.content.catalogue.values()],
        "note_limit": EXERCISE_NOTE_LIMIT,
        "weekdays": WEEKDAY_NAMES,
        "unit": unit,
        "unit_chosen": _started(s),
        "loads": loads,
        "load_range": range_shown(*loads, unit),
    }


def _started(s: Person) -> bool:
    """Whether the patient has chosen their unit (at the intake): before, loads are shown
    in kilograms until they do."""
    try:
        s.history()
    except NoProgram:
        return False
    return True


NUMBER_LABELS = {
    "gate_min_days": Label(
        "the days in a phase", whole="Enter the days in a phase as a whole number"
    ),
    "gate_min_sessions": Label(
        "the sessions in a phase", whole="Enter the sessions in a phase as a whole number"
    ),
    "gate_pain_free_days": Label(
        "the days without bad pain", whole="Enter the days without bad pain as a whole number"
    ),
    "review_after_days": Label(
        "the review's day", whole="Enter the review's day as a whole number"
    ),
    "on_track_pain_pct": Label("the on-track improvement", whole="Enter a percentage, like 30"),
    "suggest_pain_pct": Label("the improvement below which", whole="Enter a percentage, like 10"),
}


def form_errors(rows: dict[str, Any]) -> FormErrors:
    """The prescription form's fields in the order it shows them: each exercise's steps,
    the days, the numbers, the notes; the rules a prescription breaks go to its start."""
    labels: dict[str, Label] = {"rules": Label("the prescription")}
    for phase in rows["phases"]:
        for row in phase["rows"]:
            name = f"steps{phase['number']}-{row['id']}"
            labels[name] = Label(f"the dose steps of {row['name']} in phase {phase['number']}")
    labels["days"] = Label("the training days")
    labels.update(NUMBER_LABELS)
    labels["notes"] = Label("the notes")
    for exercise_id, name in rows["catalogue"]:
        labels[f"note-{exercise_id}"] = Label(f"the note on {name}")
    first = rows["phases"][0]["number"] if rows["phases"] else 1
    anchors = {"rules": f"phase{first}-0", "days": "days-0"}
    return FormErrors(labels, anchors=anchors, fallback="rules")


def document_from_form(
    form: Any,
    phases: list[int],
    errors: FormErrors | None = None,
    *,
    unit: Unit,
    loads_lb: tuple[float, float],
) -> dict[str, Any]:
    """The prescription document from the form's fields: every problem kept in `errors`
    (or, without it, a UserError naming the first). Loads are typed in the patient's `unit`
    and kept in pounds, within `loads_lb` (formats/dose_steps.py)."""
    found = errors if errors is not None else FormErrors(NUMBER_LABELS)
    document: dict[str, Any] = {"phases": {}}
    for number in phases:
        entries = []
        for exercise_id in form.getlist(f"phase{number}"):
            text = str(form.get(f"steps{number}-{exercise_id}", ""))
            entry: dict[str, Any] = {"exercise": exercise_id}
            if text.strip():
                with found.reading(f"steps{number}-{exercise_id}"):
                    where = f"phase {number}, {exercise_id}"
                    entry["steps"] = parse_steps(text, where, unit=unit, loads_lb=loads_lb)
            entries.append(entry)
        document["phases"][str(number)] = entries
    days = [str(d) for d in form.getlist("days")]
    if form.get("every_other_day"):
        days = ["every-other-day"]
    if days:
        document["training_days"] = days
    gate = {}
    for name in GATE_FIELDS:
        gate[name] = _number(found, form, f"gate_{name}", whole=True)
    document["gate"] = gate
    document["thresholds"] = {
        name: _number(found, form, name, whole=name == "review_after_days")
        for name in THRESHOLD_FIELDS
    }
    document["notes"] = str(form.get("notes", ""))
    notes = _exercise_notes(form)
    if notes:
        document["exercise_notes"] = notes
    if errors is None and found:
        raise FormInvalid(found)
    return document


def _exercise_notes(form: Any) -> dict[str, str]:
    """The notes on single exercises the clinician wrote (`note-<exercise id>` fields, blank
    ones left out); the prescription's check refuses one on an exercise it does not hold."""
    return {
        str(key).removeprefix("note-"): str(value)
        for key, value in form.multi_items()
        if str(key).startswith("note-") and str(value).strip()
    }


def _number(errors: FormErrors, form: Any, name: str, *, whole: bool) -> Any:
    text = str(form.get(name, "")).strip()
    try:
        return int(text) if whole else float(text)
    except ValueError:
        errors.add_kind(name, "missing" if not text else "whole")
        return None


def _as_sent(rows: dict[str, Any], form: Any) -> dict[str, Any]:
    """The form as the clinician sent it, to show again under a refusal: their ticks, steps,
    days, numbers and notes, rather than the stored prescription they were changing."""
    phases = []
    for phase in rows["phases"]:
        number = phase["number"]
        ticked = {str(v) for v in form.getlist(f"phase{number}")}
        kept = [
            {
                **row,
                "checked": row["id"] in ticked,
                "steps": str(form.get(f"steps{number}-{row['id']}", row["steps"])),
            }
            for row in phase["rows"]
        ]
        phases.append({**phase, "rows": kept})
    return {
        **rows,
        "phases": phases,
        "days": [str(d) for d in form.getlist("days")],
        "every_other_day": bool(form.get("every_other_day")),
        "gate": {name: str(form.get(f"gate_{name}", "")) for name in GATE_FIELDS},
        "thresholds": {name: str(form.get(name, "")) for name in THRESHOLD_FIELDS},
        "notes": str(form.get("notes", "")),
        "exercise_notes": _exercise_notes(form),
    }


@router.get("/clinic/patients/{patient_id}/prescription", include_in_schema=False)
async def prescription_page(
    request: Request, patient_id: int, template: int | None = None, copy: int | None = None
) -> Response:
    """The form; `template` or `copy` (another of the clinician's patients) fills it in
    with that program for review: nothing is written until the clinician saves it."""
    patient = patient_of(request)
    record = record_of(request, patient)
    started = await run_in_threadpool(starting_point, request, record, template=template, copy=copy)
    rows = await run_in_threadpool(_form_rows, record, started.prescribed)
    context = {
        "title": f"Program for {called(patient)}",
        "patient": patient,
        **rows,
        **started.shown(),
    }
    return page(request, "prescription.html", context)


@router.post("/clinic/patients/{patient_id}/prescription", include_in_schema=False)
async def prescription_form(request: Request, patient_id: int) -> Response:
    patient = patient_of(request)
    s = record_of(request, patient)
    form = await request.form()
    numbers = [p.number for p in s.content.program.phases]
    rows = await run_in_threadpool(_form_rows, s)
    errors = form_errors(rows)
    reasons: list[str] = []
    try:
        document = document_from_form(
            form, numbers, errors, unit=rows["unit"], loads_lb=rows["loads"]
        )
        if not errors:
            await _prescribe(request, s, document)
    except PrescriptionRefused as refusal:
        reasons = list(refusal.reasons)
    except UserError as refusal:
        errors.refused(refusal)
    if errors or reasons:
        context = {
            "title": f"Program for {called(patient)}",
            "patient": patient,
            **_as_sent(rows, form),
            "errors": errors,
            "reasons": reasons,
        }
        return page(request, "prescription.html", context, status_code=422)
    return RedirectResponse(f"/clinic/patients/{patient.id}?prescribed=1", status_code=303)


PRESCRIPTION_EXAMPLE: dict[str, Any] = {
    "phases": {
        "1": [
            {
                "exercise": "glute-bridge",
                "steps": [
                    {"sets": 2, "reps": 8, "hold": 3, "rest": 45},
                    {"sets": 3, "reps": 10, "hold": 3, "rest": 45},
                ],
            },
            {"exercise": "dead-bug"},
        ]
    },
    "training_days": ["tue", "thu", "sat"],
    "notes": "Keep your ribs down in the bridge.",
    "exercise_notes": {"dead-bug": "Keep the range small on the left."},
}
"""A prescription, for the API's schema: phase 1 of two exercises (one with its own dose
steps), on Tuesday, Thursday and Saturday; the rest as the default program."""


class PrescriptionRefusal(Invalid):
    """A prescription refused for its shape (`problems`) or for the rules it breaks."""

    reasons: list[str] = Field(
        default=[], description="Every safety rule the prescription breaks, one sentence each."
    )


@router.get(
    "/api/v1/clinic/patients/{patient_id}/prescription",
    operation_id="getPrescription",
    response_model=PrescriptionDocument | None,
    summary="A patient's prescription (null: the default program)",
    responses=ONE_PATIENT,
)
async def prescription_api(request: Request, patient_id: int) -> JSONResponse:
    record = record_of(request, patient_of(request))
    found = await run_in_threadpool(record.prescription)
    if found is None:
        return JSONResponse(None)
    return JSONResponse(found.document.model_dump(exclude_none=True))


@router.put(
    "/api/v1/clinic/patients/{patient_id}/prescription",
    operation_id="putPrescription",
    response_model=PrescriptionDocument,
    summary="Prescribe: the program's exercises, doses, days, gate, thresholds and notes; "
    "a prescription that breaks a safety rule is refused with every reason",
    responses={
        **NOT_YOURS,
        422: {
            "model": PrescriptionRefusal,
            "description": "Not a prescription, or one that breaks a safety rule (every "
            "reason); nothing was written.",
        },
    },
)
async def prescribe_api(
    request: Request,
    patient_id: int,
    document: Annotated[dict[str, Any], Body(examples=[PRESCRIPTION_EXAMPLE])],
) -> JSONResponse:
    s = record_of(request, patient_of(request))
    try:
        found = await _prescribe(request, s, document)
    except PrescriptionRefused as refusal:
        return JSONResponse({"message": refusal.message, "reasons": refusal.reasons}, 422)
    return JSONResponse(found.document.model_dump(exclude_none=True))
