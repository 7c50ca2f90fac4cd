"""A clinician's pages and API: the dashboard of their patients, each patient's record and
messages, invitations, and the prescription form.

`authorization.enforce` has already checked, for every `{patient_id}` route, that the patient is
one of this clinician's, and written the access to the audit log (`request.state.patient`).
The dashboard reads every patient it lists, so it writes one audit entry for each.
"""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Body, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import Field
from starlette.concurrency import run_in_threadpool

from lumbar.domain.access import Account
from lumbar.domain.model import WEEKDAY_NAMES
from lumbar.errors import NoProgram, UserError
from lumbar.formats import charts
from lumbar.formats.prescription import (
    Prescribed,
    PrescriptionRefused,
    parse_steps,
    steps_text,
)
from lumbar.formats.views import status_json
from lumbar.usecases import audit, caseload, handouts, messages, prescribing, records
from lumbar.usecases.accounts import now_utc
from lumbar.usecases.person import Person
from lumbar.web.authorization import ACCOUNT_REFUSALS, NOT_YOURS, account, accounts_of
from lumbar.web.context import today, write
from lumbar.web.errors import REFUSALS, Conflict, Invalid
from lumbar.web.messages import MessageIn, thread_json
from lumbar.web.templating import page, public_url

router = APIRouter(responses={**ACCOUNT_REFUSALS, 503: REFUSALS[503]})

ONE_PATIENT: dict[int | str, dict[str, Any]] = {**NOT_YOURS, 422: REFUSALS[422]}
"""What a route about one patient may refuse: a patient not among the clinician's, or a
`patient_id` that is not a number."""


def _patient(request: Request) -> Account:
    patient: Account = request.state.patient
    return patient


def _record(request: Request, patient: Account) -> Person:
    state = request.app.state
    return caseload.patient_record(state.store, state.content, patient)


def _dashboard(request: Request) -> list[caseload.Overview]:
    accounts = accounts_of(request)
    me = account(request)
    patients = audit.patients(accounts, me)
    now = now_utc()
    target = f"{request.method} {request.url.path} (dashboard)"
    for patient in patients:
        audit.log(accounts, me, audit.Action.READ, target, now, patient.id)
    state = request.app.state
    return caseload.dashboard(state.store, state.content, patients, today(request))


# Pages.


@router.get("/clinic", include_in_schema=False)
async def dashboard_page(request: Request, invited: str | None = None) -> Response:
    overviews = await run_in_threadpool(_dashboard, request)
    context = {"title": "Your patients", "overviews": overviews, "invited": invited}
    return page(request, "clinic.html", context)


@router.post("/clinic/invite", include_in_schema=False)
async def invite_form(request: Request) -> Response:
    code = await run_in_threadpool(accounts_of(request).invite, account(request), now_utc())
    return RedirectResponse(f"/clinic?invited={code}", status_code=303)


def _patient_context(request: Request, patient: Account) -> dict[str, Any]:
    state = request.app.state
    found = caseload.overview(state.store, state.content, patient, today(request))
    progress = found.progress
    return {
        "title": patient.email,
        "patient": patient,
        "overview": found,
        "progress": progress,
        "pain_chart": None if progress is None else charts.pain_chart(progress),
        "psfs_chart": None if progress is None else charts.psfs_chart(progress),
        "thread": messages.thread(accounts_of(request), patient),
        "me": account(request),
        "prescription": found.person.prescription(),
    }


@router.get("/clinic/patients/{patient_id}", include_in_schema=False)
async def patient_page(request: Request, patient_id: int) -> Response:
    context = await run_in_threadpool(_patient_context, request, _patient(request))
    return page(request, "patient.html", context)


@router.post("/clinic/patients/{patient_id}/messages", include_in_schema=False)
async def send_form(request: Request, patient_id: int) -> Response:
    form = await request.form()
    patient = _patient(request)
    try:
        await run_in_threadpool(
            messages.send,
            accounts_of(request),
            account(request),
            patient,
            str(form.get("body", "")),
            now_utc(),
        )
    except UserError as refusal:
        context = await run_in_threadpool(_patient_context, request, patient)
        context["error"] = refusal.message
        return page(request, "patient.html", context, status_code=422)
    return RedirectResponse(f"/clinic/patients/{patient.id}#messages", status_code=303)


@router.get("/clinic/patients/{patient_id}/summary", include_in_schema=False)
async def summary_page(request: Request, patient_id: int) -> Response:
    record = _record(request, _patient(request))
    try:
        html = await run_in_threadpool(handouts.summary_html, record, today(request))
    except NoProgram:
        return page(
            request,
            "message.html",
            {"title": "No summary yet", "message": "This patient has not started the program."},
            status_code=409,
        )
    return HTMLResponse(html)


async def _prescribe(request: Request, record: Person, document: Any) -> Prescribed:
    prescribe = partial(prescribing.prescribe, clinician=account(request).id, now=now_utc())
    return await write(record, prescribe, record, document)


# The prescription form.

GATE_FIELDS = ("min_days", "min_sessions", "pain_free_days")
THRESHOLD_FIELDS = ("on_track_pain_pct", "suggest_pain_pct", "review_after_days")
"""The numbers the form changes; the form shows them as text (as typed, after a refusal)."""


def _form_rows(s: Person) -> dict[str, Any]:
    """What the form shows: every catalogue exercise in each phase, ticked when prescribed,
    with its steps as text; the days, gate, thresholds and notes."""
    prescribed = s.prescription()
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
                    "steps": steps_text(steps) if steps else "",
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
        "weekdays": WEEKDAY_NAMES,
    }


def document_from_form(form: Any, phases: list[int]) -> dict[str, Any]:
    """The prescription document from the form's fields (a UserError names a bad one)."""
    document: dict[str, Any] = {"phases": {}}
    for number in phases:
        entries = []
        for exercise_id in form.getlist(f"phase{number}"):
            text = str(form.get(f"steps{number}-{exercise_id}", ""))
            entry: dict[str, Any] = {"exercise": exercise_id}
            if text.strip():
                entry["steps"] = parse_steps(text, f"phase {number}, {exercise_id}")
            entries.append(entry)
        document["phases"][str(number)] = entries
    days = [str(d) for d in form.getlist("days")]
    if form.get("every_other_day"):
        days = ["every-other-day"]
    if days:
        document["training_days"] = days
    gate = {}
    for name in GATE_FIELDS:
        gate[name] = _number(form, f"gate_{name}", whole=True)
    document["gate"] = gate
    document["thresholds"] = {
        name: _number(form, name, whole=name == "review_after_days") for name in THRESHOLD_FIELDS
    }
    document["notes"] = str(form.get("notes", ""))
    return document


def _number(form: Any, name: str, *, whole: bool) -> Any:
    text = str(form.get(name, "")).strip()
    try:
        return int(text) if whole else float(text)
    except ValueError:
        raise UserError(f"{name.replace('_', ' ')}: {text!r} is not a number") from None


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
    }


@router.get("/clinic/patients/{patient_id}/prescription", include_in_schema=False)
async def prescription_page(request: Request, patient_id: int) -> Response:
    patient = _patient(request)
    rows = await run_in_threadpool(_form_rows, _record(request, patient))
    context = {"title": f"Program for {patient.email}", "patient": patient, **rows}
    return page(request, "prescription.html", context)


@router.post("/clinic/patients/{patient_id}/prescription", include_in_schema=False)
async def prescription_form(request: Request, patient_id: int) -> Response:
    patient = _patient(request)
    s = _record(request, patient)
    form = await request.form()
    numbers = [p.number for p in s.content.program.phases]
    try:
        document = document_from_form(form, numbers)
        await _prescribe(request, s, document)
    except UserError as refusal:
        rows = _as_sent(await run_in_threadpool(_form_rows, s), form)
        reasons = refusal.reasons if isinstance(refusal, PrescriptionRefused) else [refusal.message]
        context = {
            "title": f"Program for {patient.email}",
            "patient": patient,
            **rows,
            "reasons": reasons,
        }
        return page(request, "prescription.html", context, status_code=422)
    return RedirectResponse(f"/clinic/patients/{patient.id}?prescribed=1", status_code=303)


# The API.


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
}
"""A prescription, for the API's schema: phase 1 of two exercises (one with its own dose
steps), on Tuesday, Thursday and Saturday; the rest as the default program."""


class PrescriptionRefusal(Invalid):
    """A prescription refused for its shape (`problems`) or for the rules it breaks."""

    reasons: list[str] = Field(
        default=[], description="Every safety rule the prescription breaks, one sentence each."
    )


def _concerns(found: caseload.Overview) -> list[dict[str, Any]]:
    content = found.person.content
    return [
        {"concern": f.concern.value, "text": caseload.describe(f, content)}
        for f in found.attention.findings
    ]


def _patient_json(found: caseload.Overview) -> dict[str, Any]:
    pain = [] if found.progress is None else [s.value for s in found.progress.pain]
    return {
        "id": found.account.id,
        "email": found.account.email,
        "started": found.history is not None,
        "concerns": _concerns(found),
        "pain": pain,
    }


@router.get("/api/v1/clinic/patients", summary="A clinician's patients, most in need first")
async def patients_api(request: Request) -> JSONResponse:
    overviews = await run_in_threadpool(_dashboard, request)
    return JSONResponse([_patient_json(o) for o in overviews])


@router.post(
    "/api/v1/clinic/invitations", status_code=201, summary="Invite a new patient: a join link"
)
async def invite_api(request: Request) -> JSONResponse:
    code = await run_in_threadpool(accounts_of(request).invite, account(request), now_utc())
    url = public_url(request) + f"/join/{code}"
    return JSONResponse({"code": code, "url": url}, status_code=201)


@router.get(
    "/api/v1/clinic/patients/{patient_id}",
    summary="One patient: status and concerns",
    responses=ONE_PATIENT,
)
async def patient_api(request: Request, patient_id: int) -> JSONResponse:
    state = request.app.state
    patient = _patient(request)
    found = await run_in_threadpool(
        caseload.overview, state.store, state.content, patient, today(request)
    )
    body = _patient_json(found)
    body["status"] = (
        None if found.progress is None else status_json(found.progress.status, state.content)
    )
    body["problems"] = [
        {"date": p.on.isoformat(), "kind": p.kind.value, "note": p.note} for p in found.problems
    ]
    return JSONResponse(body)


@router.get(
    "/api/v1/clinic/patients/{patient_id}/export",
    summary="One patient's full record",
    responses={
        **ONE_PATIENT,
        409: {"model": Conflict, "description": "The patient has not started the program."},
    },
)
async def export_api(request: Request, patient_id: int) -> JSONResponse:
    record = _record(request, _patient(request))
    return JSONResponse(await run_in_threadpool(records.export, record))


@router.get(
    "/api/v1/clinic/patients/{patient_id}/messages",
    summary="The messages with a patient",
    responses=ONE_PATIENT,
)
async def thread_api(request: Request, patient_id: int) -> JSONResponse:
    return JSONResponse(
        await run_in_threadpool(thread_json, accounts_of(request), _patient(request))
    )


@router.post(
    "/api/v1/clinic/patients/{patient_id}/messages",
    status_code=201,
    summary="Send a patient a message",
    responses=ONE_PATIENT,
)
async def send_api(request: Request, patient_id: int, body: MessageIn) -> JSONResponse:
    patient = _patient(request)
    await run_in_threadpool(
        messages.send, accounts_of(request), account(request), patient, body.body, now_utc()
    )
    return JSONResponse(
        await run_in_threadpool(thread_json, accounts_of(request), patient), status_code=201
    )


@router.get(
    "/api/v1/clinic/patients/{patient_id}/prescription",
    summary="A patient's prescription (null: the default program)",
    responses=ONE_PATIENT,
)
async def prescription_api(request: Request, patient_id: int) -> JSONResponse:
    record = _record(request, _patient(request))
    found = await run_in_threadpool(record.prescription)
    if found is None:
        return JSONResponse(None)
    return JSONResponse(found.document.model_dump(exclude_none=True))


@router.put(
    "/api/v1/clinic/patients/{patient_id}/prescription",
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
    s = _record(request, _patient(request))
    try:
        found = await _prescribe(request, s, document)
    except PrescriptionRefused as refusal:
        return JSONResponse({"message": refusal.message, "reasons": refusal.reasons}, 422)
    return JSONResponse(found.document.model_dump(exclude_none=True))
