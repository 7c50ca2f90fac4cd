"""Remote monitoring in the clinician's API (issue #20): the monthly report as JSON, and the
timer of the patient's page (start, stop, discard), for a clinic's other software. Thin
routes over the page's use cases (usecases/rtm.py), with the page's refusals; time entered
by hand is `POST /api/v1/clinic/patients/{id}/time` (web/chart_records.py).

`authorization.enforce` has checked that the patient is one of the clinician's and written
the access to the audit log (a read, or a write, with its address) before any route here
runs, as for the page's own buttons."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from lumbar.errors import UserError
from lumbar.formats.rtm import monitoring_json
from lumbar.formats.shapes.monitoring import Monitoring
from lumbar.usecases import rtm
from lumbar.usecases.accounts import now_utc
from lumbar.web.authorization import ACCOUNT_REFUSALS, account
from lumbar.web.clinic import ONE_PATIENT, patient_of
from lumbar.web.context import today
from lumbar.web.errors import REFUSALS, Refusal

router = APIRouter(responses={**ACCOUNT_REFUSALS, 503: REFUSALS[503]})

MONITORING = "/api/v1/clinic/patients/{patient_id}/monitoring"

TIMER_REFUSALS: dict[int | str, dict[str, Any]] = {
    **ONE_PATIENT,
    409: {
        "model": Refusal,
        "description": "The timer's state refuses it: already running (start), none running "
        "(stop, discard), or it ran more than 24 hours (stop: discard it and log the time by "
        "hand). Nothing was written.",
    },
}


def _monitoring(request: Request) -> dict[str, Any]:
    """The report to today by the server's clock, with the asking clinician's timer."""
    state = request.app.state
    patient = patient_of(request)
    found = rtm.report(state.store, state.content, patient, today(request))
    return monitoring_json(found, rtm.running(state.store, account(request), patient))


async def _timer(request: Request, action: Callable[[], object], status: int) -> Response:
    """Run a timer action; its refusal (the timer's state) is a 409, nothing written."""
    try:
        await run_in_threadpool(action)
    except UserError as refusal:
        return JSONResponse({"message": refusal.message}, status_code=409)
    if status == 204:
        return Response(status_code=204)
    return JSONResponse(await run_in_threadpool(_monitoring, request), status_code=status)


@router.get(
    MONITORING,
    operation_id="getPatientMonitoring",
    response_model=Monitoring,
    summary="A patient's remote-monitoring report: each 30-day period's days with data, "
    "minutes logged, messages and prescription changes, and the time log",
    responses=ONE_PATIENT,
)
async def monitoring_api(request: Request, patient_id: int) -> JSONResponse:
    """The figures of the report's CSV (`/clinic/patients/{id}/monitoring.csv`), period by
    period from the program's first day to the period holding today."""
    return JSONResponse(await run_in_threadpool(_monitoring, request))


@router.post(
    f"{MONITORING}/timer",
    status_code=201,
    operation_id="postPatientMonitoringTimer",
    response_model=Monitoring,
    summary="Start the signed-in clinician's monitoring timer on a patient",
    responses=TIMER_REFUSALS,
)
async def start_timer_api(request: Request, patient_id: int) -> Response:
    """Its minutes are logged on today (by the server's clock) when it is stopped."""
    store, me, patient = request.app.state.store, account(request), patient_of(request)
    day = today(request)
    return await _timer(request, lambda: rtm.start_timer(store, me, patient, now_utc(), day), 201)


@router.post(
    f"{MONITORING}/timer/stop",
    operation_id="postPatientMonitoringTimerStop",
    response_model=Monitoring,
    summary="Stop the monitoring timer and log its minutes (a started minute counts whole)",
    responses=TIMER_REFUSALS,
)
async def stop_timer_api(request: Request, patient_id: int) -> Response:
    store, me, patient = request.app.state.store, account(request), patient_of(request)
    return await _timer(request, lambda: rtm.stop_timer(store, me, patient, now_utc()), 200)


@router.delete(
    f"{MONITORING}/timer",
    status_code=204,
    operation_id="deletePatientMonitoringTimer",
    summary="Discard the running monitoring timer without logging its time",
    responses=TIMER_REFUSALS,
)
async def discard_timer_api(request: Request, patient_id: int) -> Response:
    store, me, patient = request.app.state.store, account(request), patient_of(request)
    return await _timer(request, lambda: rtm.discard_timer(store, me, patient), 204)
