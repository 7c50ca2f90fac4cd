"""A clinician's pages and API: the dashboard of their patients, each patient's record and
messages, and invitations (the prescription is web/prescribing.py).

`authorization.enforce` has already checked, for every `{patient_id}` route, that the patient is
one of this clinician's, and written the access to the audit log (`request.state.patient`).
The dashboard reads every patient it lists, so it writes one audit entry for each.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import partial
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from lumbar.domain.access import Account
from lumbar.errors import NoProgram, UserError
from lumbar.formats import charts
from lumbar.formats.records import KIND_NAMES, describe, status_words
from lumbar.formats.views import status_json
from lumbar.usecases import (
    audit,
    caseload,
    clearances,
    corrections,
    equipment,
    handouts,
    messages,
    recorded,
    records,
)
from lumbar.usecases.accounts import now_utc
from lumbar.usecases.person import Person
from lumbar.web.authorization import ACCOUNT_REFUSALS, NOT_YOURS, account, accounts_of
from lumbar.web.bodies import AcknowledgementIn, ClinicClearanceIn
from lumbar.web.context import day_or_today, today, write
from lumbar.web.errors import REFUSALS, Conflict
from lumbar.web.form_errors import FormErrors, Label, sentence
from lumbar.web.messages import MessageIn, thread_json
from lumbar.web.templating import page, public_url

router = APIRouter(responses={**ACCOUNT_REFUSALS, 503: REFUSALS[503]})

ONE_PATIENT: dict[int | str, dict[str, Any]] = {**NOT_YOURS, 422: REFUSALS[422]}
"""What a route about one patient may refuse: a patient not among the clinician's, or a
`patient_id` that is not a number."""


def patient_of(request: Request) -> Account:
    """The patient of a `{patient_id}` route, checked and logged by `authorization.enforce`."""
    patient: Account = request.state.patient
    return patient


def record_of(request: Request, patient: Account) -> Person:
    state = request.app.state
    return caseload.patient_record(state.store, state.content, patient, today=state.clock())


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
    labels = state.content.wording.symptom_labels
    standing = (
        ()
        if found.history is None
        else clearances.standing(found.person, max(today(request), found.history.profile.start))
    )
    signals = caseload.signals(state.store, patient)
    return {
        "standing": [(a, labels.get(a.code, a.code)) for a in standing],
        "requests": clearances.requests(found.person, open_only=True),
        "intake_signs": [(on, code, labels.get(code, code)) for on, code in signals.intake],
        "acknowledged": signals.acknowledged,
        "labels": labels,
        "title": patient.email,
        "patient": patient,
        "overview": found,
        "progress": progress,
        "pain_chart": None if progress is None else charts.pain_chart(progress),
        "psfs_chart": None if progress is None else charts.psfs_chart(progress),
        "thread": messages.thread(accounts_of(request), patient),
        "me": account(request),
        "prescription": found.person.prescription(),
        "records": [] if found.history is None else _records_shown(found.person),
        # What the patient has to lift (issue #17): the prescription's loads are fitted to it.
        "equipment": None if found.history is None else equipment.line(found.history.profile),
    }


def _records_shown(record: Person) -> list[dict[str, Any]]:
    """Every record of the patient, as the clinician reads it: what it says, and what became
    of it (corrected, deleted). A clinician corrects only the clearances they recorded."""
    return [
        {
            "record": r,
            "kind": KIND_NAMES[r.kind],
            "says": describe(r, record.content),
            # The patient's page says "recorded by your clinician"; here it is the reader.
            "status": status_words(replace(r, by_clinician=False)),
        }
        for r in recorded.records(record)
    ]


@router.get("/clinic/patients/{patient_id}", include_in_schema=False)
async def patient_page(request: Request, patient_id: int) -> Response:
    context = await run_in_threadpool(_patient_context, request, patient_of(request))
    return page(request, "patient.html", context)


@router.post("/clinic/patients/{patient_id}/messages", include_in_schema=False)
async def send_form(request: Request, patient_id: int) -> Response:
    form = await request.form()
    patient = patient_of(request)
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
        return await _refused_on_patient_page(request, patient, "body", refusal)
    return RedirectResponse(f"/clinic/patients/{patient.id}#messages", status_code=303)


PATIENT_FORMS = {
    "alerts": Label("the alerts you clear", missing="Tick the alerts you clear"),
    "body": Label("your message", missing="Write your message"),
}
"""The patient page's forms with a field to show a problem beside."""


async def _refused_on_patient_page(
    request: Request, patient: Account, field: str | None, refusal: UserError
) -> Response:
    """The patient's page with a refusal: beside its field when it has one, else at the top
    (a safety action of one button); nothing written."""
    context = await run_in_threadpool(_patient_context, request, patient)
    if field is None:
        context["error"] = sentence(refusal.message)
    else:
        errors = FormErrors(PATIENT_FORMS, anchors={"alerts": "alerts-0"}, fallback=field)
        errors.add(field, refusal.message)
        context["errors"] = errors
    return page(request, "patient.html", context, status_code=422)


async def _safety_write(request: Request, use_case: Any, field: str | None = None) -> Response:
    """Run a clinician's safety action for the patient of the route; a refusal is shown on
    the patient's page, with nothing written."""
    patient = patient_of(request)
    try:
        await run_in_threadpool(use_case, record_of(request, patient))
    except UserError as refusal:
        return await _refused_on_patient_page(request, patient, field, refusal)
    return RedirectResponse(f"/clinic/patients/{patient.id}#safety", status_code=303)


@router.post("/clinic/patients/{patient_id}/clearances", include_in_schema=False)
async def clear_form(request: Request, patient_id: int) -> Response:
    form = await request.form()
    codes = tuple(str(code) for code in form.getlist("alerts"))
    every = bool(form.get("intake"))
    me, on, now = account(request), today(request), now_utc()

    def clear(record: Person) -> None:
        if not codes and not every:
            raise UserError(PATIENT_FORMS["alerts"].said("missing"))
        clearances.clear_patient(record, me, on, now=now, codes=codes)

    return await _safety_write(request, clear, None if every else "alerts")


@router.post("/clinic/patients/{patient_id}/clearances/decline", include_in_schema=False)
async def decline_form(request: Request, patient_id: int) -> Response:
    me, now = account(request), now_utc()
    return await _safety_write(request, lambda record: clearances.decline(record, me, now=now))


@router.post("/clinic/patients/{patient_id}/acknowledgements", include_in_schema=False)
async def acknowledge_form(request: Request, patient_id: int) -> Response:
    form = await request.form()
    code = str(form.get("code", ""))
    try:
        since = date.fromisoformat(str(form.get("since", "")))
    except ValueError:
        since = date.min
    me, on, now = account(request), today(request), now_utc()
    return await _safety_write(
        request,
        lambda record: clearances.acknowledge(record, me, on, code=code, since=since, now=now),
    )


def _clinician(request: Request) -> corrections.Corrector:
    """The signed-in clinician, correcting a record they made, at the time the audit logs
    (their access to the patient's record is logged by `authorization.enforce`)."""
    return corrections.Corrector(account=account(request), at=now_utc())


@router.post("/clinic/patients/{patient_id}/records/{record_id}/delete", include_in_schema=False)
async def delete_record_form(request: Request, patient_id: int, record_id: str) -> Response:
    """Delete a clearance the clinician recorded; a refusal (an unknown record, one that is
    the patient's own) is shown on the patient's page, with nothing written."""
    patient = patient_of(request)
    record = record_of(request, patient)
    try:
        await write(record, partial(corrections.delete, by=_clinician(request)), record, record_id)
    except UserError as refusal:
        return await _refused_on_patient_page(request, patient, None, refusal)
    return RedirectResponse(f"/clinic/patients/{patient.id}#records", status_code=303)


@router.get("/clinic/patients/{patient_id}/summary", include_in_schema=False)
async def summary_page(request: Request, patient_id: int) -> Response:
    record = record_of(request, patient_of(request))
    try:
        back = (f"/clinic/patients/{patient_id}", "Back to the patient")
        html = await run_in_threadpool(
            partial(handouts.summary_html, back=back), record, today(request)
        )
    except NoProgram:
        return page(
            request,
            "message.html",
            {"title": "No summary yet", "message": "This patient has not started the program."},
            status_code=409,
        )
    return HTMLResponse(html)


# The API.


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
    patient = patient_of(request)
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
    record = record_of(request, patient_of(request))
    return JSONResponse(await run_in_threadpool(records.export, record))


@router.post(
    "/api/v1/clinic/patients/{patient_id}/clearances",
    status_code=201,
    summary="Clear a patient's alerts (every one standing if none is named); before they "
    "start, the emergency signs of their refused intake",
    responses=ONE_PATIENT,
)
async def clear_api(request: Request, patient_id: int, body: ClinicClearanceIn) -> JSONResponse:
    patient = patient_of(request)
    record = record_of(request, patient)
    on = day_or_today(request, body.date)
    current = await run_in_threadpool(
        partial(
            clearances.clear_patient,
            record,
            account(request),
            on,
            now=now_utc(),
            codes=tuple(body.alerts),
        )
    )
    state = request.app.state
    answer = None if current is None else status_json(current, state.content)
    return JSONResponse({"status": answer}, status_code=201)


@router.post(
    "/api/v1/clinic/patients/{patient_id}/acknowledgements",
    status_code=201,
    summary="Acknowledge a patient's emergency or urgent alert (it stands until cleared)",
    responses=ONE_PATIENT,
)
async def acknowledge_api(
    request: Request, patient_id: int, body: AcknowledgementIn
) -> JSONResponse:
    record = record_of(request, patient_of(request))
    await run_in_threadpool(
        partial(
            clearances.acknowledge,
            record,
            account(request),
            today(request),
            code=body.code,
            since=body.since,
            now=now_utc(),
        )
    )
    return JSONResponse({"code": body.code, "since": body.since.isoformat()}, status_code=201)


@router.get(
    "/api/v1/clinic/patients/{patient_id}/messages",
    summary="The messages with a patient",
    responses=ONE_PATIENT,
)
async def thread_api(request: Request, patient_id: int) -> JSONResponse:
    return JSONResponse(
        await run_in_threadpool(thread_json, accounts_of(request), patient_of(request))
    )


@router.post(
    "/api/v1/clinic/patients/{patient_id}/messages",
    status_code=201,
    summary="Send a patient a message",
    responses=ONE_PATIENT,
)
async def send_api(request: Request, patient_id: int, body: MessageIn) -> JSONResponse:
    patient = patient_of(request)
    await run_in_threadpool(
        messages.send, accounts_of(request), account(request), patient, body.body, now_utc()
    )
    return JSONResponse(
        await run_in_threadpool(thread_json, accounts_of(request), patient), status_code=201
    )
