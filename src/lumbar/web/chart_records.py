"""Records for the chart, from a clinician's patient page (issue #20): the summary PDF and
the FHIR Bundle (the same documents the patient downloads), the time logged against the
patient (by hand, or with the page's timer), and the monthly remote-monitoring report as a
page, a PDF and a CSV.

`authorization.enforce` has checked that the patient is one of the clinician's and written
the access to the audit log before any route here runs (a download is a read, logged with
its address: an export of the record is in the log as what it was)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from lumbar.domain.handover import MINUTES_IN_A_DAY, NOTE_LIMIT
from lumbar.domain.rtm import Report
from lumbar.errors import NoProgram, UserError
from lumbar.formats.rtm import entries_json, report_csv, report_html
from lumbar.formats.shapes.monitoring import TimeOut
from lumbar.usecases import handouts, rtm
from lumbar.usecases.accounts import now_utc
from lumbar.web.authorization import ACCOUNT_REFUSALS, account
from lumbar.web.clinic import ONE_PATIENT, called, patient_of, record_of
from lumbar.web.context import today
from lumbar.web.errors import REFUSALS
from lumbar.web.form_errors import FormErrors, Label
from lumbar.web.templating import page

router = APIRouter(responses={**ACCOUNT_REFUSALS, 503: REFUSALS[503]})

TIME_FIELDS = {
    "minutes": Label(
        "the minutes", missing="Give the minutes spent", whole="Give the minutes as a whole number"
    ),
    "date": Label("the day", missing="Give the day the time was spent"),
    "note": Label("the note"),
}


def _download(body: bytes | str, media_type: str, filename: str) -> Response:
    headers = {
        "content-disposition": f'attachment; filename="{filename}"',
        "cache-control": "no-store",  # a patient's record: no copy in a shared cache
    }
    return Response(body, media_type=media_type, headers=headers)


def _not_started(request: Request) -> Response:
    context = {"title": "Not started yet", "message": "This patient has not started the program."}
    return page(request, "message.html", context, status_code=409)


# The patient's own documents, for the chart.


@router.get("/clinic/patients/{patient_id}/summary.pdf", include_in_schema=False)
async def summary_pdf(request: Request, patient_id: int) -> Response:
    from lumbar.formats.pdf import write_pdf

    record = record_of(request, patient_of(request))
    try:
        html = await run_in_threadpool(handouts.summary_html, record, today(request))
        document = await run_in_threadpool(
            partial(write_pdf, html, out_name="lumbar-summary.pdf", one_page=True)
        )
    except NoProgram:
        return _not_started(request)
    return _download(document, "application/pdf", f"lumbar-summary-{patient_id}.pdf")


@router.get("/clinic/patients/{patient_id}/fhir.json", include_in_schema=False)
async def fhir_bundle(request: Request, patient_id: int) -> Response:
    record = record_of(request, patient_of(request))
    try:
        bundle = await run_in_threadpool(handouts.fhir, record, today(request))
    except NoProgram:
        return _not_started(request)
    body = json.dumps(bundle, indent=2, ensure_ascii=False)
    return _download(body, "application/fhir+json", f"lumbar-fhir-bundle-{patient_id}.json")


# Remote monitoring: the page, the time log and the timer.


def _report(request: Request) -> Report:
    state = request.app.state
    return rtm.report(state.store, state.content, patient_of(request), today(request))


def _monitoring_context(request: Request) -> dict[str, Any]:
    state = request.app.state
    patient = patient_of(request)
    return {
        "title": f"Remote monitoring: {called(patient)}",
        "patient": patient,
        "report": _report(request),
        "timer": rtm.running(state.store, account(request), patient),
        "today": today(request),
        "errors": None,
        "filled": {},
    }


@router.get("/clinic/patients/{patient_id}/monitoring", include_in_schema=False)
async def monitoring_page(request: Request, patient_id: int) -> Response:
    return page(request, "monitoring.html", await run_in_threadpool(_monitoring_context, request))


def _whole(text: str) -> int:
    text = text.strip()
    if not (text.isascii() and text.lstrip("-").isdigit()) or len(text) > 9:
        raise UserError(TIME_FIELDS["minutes"].said("whole"), field="minutes")
    return int(text)


@router.post("/clinic/patients/{patient_id}/time", include_in_schema=False)
async def time_form(request: Request, patient_id: int) -> Response:
    """Time entered by hand; a refusal is the page again with its problems beside their
    fields, nothing written."""
    form = await request.form()
    filled = {k: str(form.get(k, "")) for k in ("minutes", "date", "note")}
    errors = FormErrors(TIME_FIELDS)
    minutes, on = 0, today(request)
    with errors.reading("minutes"):
        if not filled["minutes"].strip():
            raise UserError(TIME_FIELDS["minutes"].said("missing"))
        minutes = _whole(filled["minutes"])
    with errors.reading("date"):
        try:
            on = dt.date.fromisoformat(filled["date"]) if filled["date"] else today(request)
        except ValueError:
            raise UserError("give the day as a date (YYYY-MM-DD)") from None
    if not errors:
        store, me, patient = request.app.state.store, account(request), patient_of(request)
        with errors.reading():
            await run_in_threadpool(
                partial(
                    rtm.log_time, store, me, patient, minutes=minutes, on=on,
                    note=filled["note"], today=today(request), now=now_utc(),
                )
            )  # fmt: skip
    if errors:
        context = await run_in_threadpool(_monitoring_context, request)
        shown = {k: v[:NOTE_LIMIT] for k, v in filled.items()}
        context.update(errors=errors, filled=shown)
        return page(request, "monitoring.html", context, status_code=422)
    return RedirectResponse(f"/clinic/patients/{patient_id}/monitoring#time", status_code=303)


TIMER: dict[str, Callable[..., Any]] = {
    "start": lambda store, me, patient, on: rtm.start_timer(store, me, patient, now_utc(), on),
    "stop": lambda store, me, patient, on: rtm.stop_timer(store, me, patient, now_utc()),
    "discard": lambda store, me, patient, on: rtm.discard_timer(store, me, patient),
}


@router.post("/clinic/patients/{patient_id}/timer", include_in_schema=False)
async def timer_form(request: Request, patient_id: int) -> Response:
    """Start, stop or discard the clinician's timer on this patient; back to the page it
    was pressed on (the patient's, or the monitoring page)."""
    form = await request.form()
    action = TIMER.get(str(form.get("action", "")))
    back = "monitoring" if form.get("back") == "monitoring" else ""
    where = f"/clinic/patients/{patient_id}" + (f"/{back}" if back else "") + "#timer"
    try:
        if action is None:
            raise UserError("choose start, stop or discard")
        store, me, patient = request.app.state.store, account(request), patient_of(request)
        await run_in_threadpool(action, store, me, patient, today(request))
    except UserError as refusal:
        context = await run_in_threadpool(_monitoring_context, request)
        context["error"] = refusal.message[:1].upper() + refusal.message[1:] + "."
        return page(request, "monitoring.html", context, status_code=422)
    return RedirectResponse(where, status_code=303)


@router.get("/clinic/patients/{patient_id}/monitoring.csv", include_in_schema=False)
async def monitoring_csv(request: Request, patient_id: int) -> Response:
    found = await run_in_threadpool(_report, request)
    return _download(report_csv(found), "text/csv", f"lumbar-monitoring-{patient_id}.csv")


@router.get("/clinic/patients/{patient_id}/monitoring.pdf", include_in_schema=False)
async def monitoring_pdf(request: Request, patient_id: int) -> Response:
    from lumbar.formats.pdf import write_pdf

    found = await run_in_threadpool(_report, request)
    name = f"lumbar-monitoring-{patient_id}.pdf"
    document = await run_in_threadpool(partial(write_pdf, report_html(found), out_name=name))
    return _download(document, "application/pdf", name)


# The same in the API.


def _day_text(value: object) -> object:
    """A day is written as one (YYYY-MM-DD): pydantic's lax mode would take 0 as 1 Jan 1970."""
    if not isinstance(value, str):
        raise ValueError("give the day as YYYY-MM-DD")
    return value


class TimeIn(BaseModel):
    """Time spent on the patient's remote monitoring."""

    model_config = ConfigDict(extra="forbid")

    minutes: Annotated[int, Field(strict=True, ge=1, le=MINUTES_IN_A_DAY)]
    date: Annotated[dt.date, BeforeValidator(_day_text)] = Field(
        description="The day the time was spent (not after today), as YYYY-MM-DD."
    )
    note: str = Field(default="", max_length=NOTE_LIMIT)


@router.get(
    "/api/v1/clinic/patients/{patient_id}/time",
    operation_id="getPatientTime",
    response_model=list[TimeOut],
    summary="The time logged against a patient for remote monitoring",
    responses=ONE_PATIENT,
)
async def time_api(request: Request, patient_id: int) -> JSONResponse:
    return JSONResponse(entries_json(await run_in_threadpool(_report, request)))


@router.post(
    "/api/v1/clinic/patients/{patient_id}/time",
    status_code=201,
    operation_id="postPatientTime",
    response_model=list[TimeOut],
    summary="Log time spent on a patient's remote monitoring (at most 24 hours, not ahead)",
    responses=ONE_PATIENT,
)
async def add_time_api(request: Request, patient_id: int, body: TimeIn) -> JSONResponse:
    store, me, patient = request.app.state.store, account(request), patient_of(request)
    await run_in_threadpool(
        partial(
            rtm.log_time, store, me, patient, minutes=body.minutes, on=body.date,
            note=body.note, today=today(request), now=now_utc(),
        )
    )  # fmt: skip
    found = await run_in_threadpool(_report, request)
    return JSONResponse(entries_json(found), status_code=201)
