"""A clinician's API, `/api/v1/clinic`: their patients most in need first, one patient's
status and export, invitations, clearances, acknowledgements and messages; the same use
cases as the pages (web/clinic.py), in JSON.

`authorization.enforce` has already checked, for every `{patient_id}` route, that the
patient is one of this clinician's, and written the access to the audit log.
"""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from lumbar.formats.shapes.clinic import (
    Acknowledged,
    Cleared,
    Message,
    Patient,
    PatientDetail,
)
from lumbar.formats.shapes.settings import Export
from lumbar.formats.views import status_json
from lumbar.usecases import (
    caseload,
    clearances,
    messages,
    notifications,
    records,
    summaries,
)
from lumbar.usecases.accounts import now_utc
from lumbar.web import dashboard
from lumbar.web.authorization import ACCOUNT_REFUSALS, account, accounts_of
from lumbar.web.bodies import AcknowledgementIn, ClinicClearanceIn
from lumbar.web.clinic import ONE_PATIENT, patient_of, record_of
from lumbar.web.context import day_or_today, today
from lumbar.web.errors import REFUSALS, Conflict
from lumbar.web.messages import MessageIn, read_thread_json, thread_json

router = APIRouter(responses={**ACCOUNT_REFUSALS, 503: REFUSALS[503]})


def _concerns(found: caseload.Overview) -> list[dict[str, Any]]:
    content = found.person.content
    return [
        {"concern": f.concern.value, "text": caseload.describe(f, content)}
        for f in found.attention.findings
    ]


def _patient_json(found: caseload.Overview) -> dict[str, Any]:
    pain = [] if found.progress is None else [s.value for s in found.progress.pain]
    born = found.account.birth_date
    return {
        "id": found.account.id,
        "email": found.account.email,
        "name": found.account.name,
        "birth_date": None if born is None else born.isoformat(),
        "started": found.history is not None,
        "concerns": _concerns(found),
        "pain": pain,
    }


@router.get(
    "/api/v1/clinic/patients",
    operation_id="getPatients",
    response_model=list[Patient],
    summary="A clinician's patients, most in need first, a page at a time",
    responses={
        200: {
            "headers": {
                "X-Total-Count": {
                    "description": "How many patients match the search and filter, in all.",
                    "schema": {"type": "integer"},
                }
            }
        },
        422: REFUSALS[422],
    },
)
async def patients_api(
    request: Request,
    limit: Annotated[
        int, Query(ge=1, le=dashboard.MOST_LISTED, description="Patients in this answer.")
    ] = summaries.PAGE_SIZE,
    offset: Annotated[
        int,
        Query(ge=0, le=10_000_000, description="Patients to pass over first (0: from the first)."),
    ] = 0,
    q: Annotated[
        str,
        Query(
            max_length=dashboard.SEARCH_LIMIT,
            description="Only patients whose name or address holds this (any case).",
        ),
    ] = "",
    level: Annotated[
        list[dashboard.Level] | None,
        Query(description="Only patients whose gravest concern is one of these."),
    ] = None,
) -> JSONResponse:
    """`limit` patients from the `offset`th (0 first), gravest concern first, then by name;
    `q` keeps those whose name or address holds it, `level` (repeated) those whose gravest
    concern is one of these ("none": nothing to look at). The X-Total-Count header says how
    many match in all. Every patient listed is written to the audit log."""
    levels = tuple(found.value for found in level or ())
    query = summaries.Query(search=q.strip(), levels=levels, limit=limit)
    found = await run_in_threadpool(partial(dashboard.load, request, query, offset=offset))
    content = request.app.state.content
    body = [dashboard.line_json(line, content) for line in found.lines]
    return JSONResponse(body, headers={"X-Total-Count": str(found.total)})


@router.get(
    "/api/v1/clinic/patients/{patient_id}",
    operation_id="getPatient",
    response_model=PatientDetail,
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
    waiting = await run_in_threadpool(notifications.unread_of, state.store, patient)
    body["unread_messages"], body["unread_problems"] = waiting.messages, waiting.problems
    return JSONResponse(body)


@router.get(
    "/api/v1/clinic/patients/{patient_id}/export",
    operation_id="getPatientExport",
    response_model=Export,
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
    operation_id="postPatientClearance",
    response_model=Cleared,
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
    operation_id="postPatientAcknowledgement",
    response_model=Acknowledged,
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
    operation_id="getPatientMessages",
    response_model=list[Message],
    summary="The messages with a patient",
    responses=ONE_PATIENT,
)
async def thread_api(request: Request, patient_id: int) -> JSONResponse:
    return await read_thread_json(request, patient_of(request))


@router.post(
    "/api/v1/clinic/patients/{patient_id}/messages",
    status_code=201,
    operation_id="postPatientMessage",
    response_model=list[Message],
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
