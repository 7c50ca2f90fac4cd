"""A clinician's pages and API: the dashboard of their patients, each patient's record and
messages, and invitations (the prescription is web/prescribing.py).

`authorization.enforce` has already checked, for every `{patient_id}` route, that the patient is
one of this clinician's, and written the access to the audit log (`request.state.patient`).
The dashboard reads every patient it lists, so it writes one audit entry for each.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from lumbar.domain.access import Account
from lumbar.errors import NoProgram, UserError
from lumbar.formats import charts
from lumbar.formats.views import status_json
from lumbar.usecases import audit, caseload, handouts, messages, records
from lumbar.usecases.accounts import now_utc
from lumbar.usecases.person import Person
from lumbar.web.authorization import ACCOUNT_REFUSALS, NOT_YOURS, account, accounts_of
from lumbar.web.context import today
from lumbar.web.errors import REFUSALS, Conflict
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
        context = await run_in_threadpool(_patient_context, request, patient)
        context["error"] = refusal.message
        return page(request, "patient.html", context, status_code=422)
    return RedirectResponse(f"/clinic/patients/{patient.id}#messages", status_code=303)


@router.get("/clinic/patients/{patient_id}/summary", include_in_schema=False)
async def summary_page(request: Request, patient_id: int) -> Response:
    record = record_of(request, patient_of(request))
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
