"""What a person takes away or sends on: the handout, the clinician summary, the calendar
(download, subscription, reminder settings), the FHIR export, and the problem report.

Each route asks one use case; a PDF that cannot be made (no pango on this computer) says so
and points at the HTML version.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from lumbar.domain.model import WEEKDAY_NAMES, ProblemKind
from lumbar.errors import NoProgram, UserError
from lumbar.services import Services
from lumbar.web.context import services, today
from lumbar.web.templating import page

router = APIRouter(include_in_schema=False)
ServicesDep = Annotated[Services, Depends(services)]

PROBLEM_CHOICES = (
    (ProblemKind.PAIN_AFTER_SESSION.value, "More pain after a session"),
    (ProblemKind.FALL.value, "A fall"),
    (ProblemKind.OTHER.value, "Something else"),
)
DAY_LABELS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
ICS = "text/calendar; charset=utf-8"
FIELD_LABELS = {
    "session_time": "Session time",
    "work_start": "Work starts",
    "work_end": "Work ends",
    "work_days": "Working days",
    "break_minutes": "Posture breaks",
    "kind": "What happened",
    "note": "Note",
    "size": "Paper size",
}


def _to(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


def _download(body: bytes | str, media_type: str, filename: str) -> Response:
    return Response(
        body,
        media_type=media_type,
        headers={"content-disposition": f'attachment; filename="{filename}"'},
    )


# The page that gathers them.


@router.get("/share")
def share(request: Request, s: ServicesDep) -> Response:
    return _share_page(request, s)


def _share_page(
    request: Request, s: Services, *, error: str | None = None, notice: str | None = None
) -> Response:
    try:
        reminders, token = s.reminders()
    except NoProgram:
        return _to("/start")
    address = None if token is None else str(request.url_for("subscription", token=token))
    return page(
        request,
        "share.html",
        {
            "title": "Print and share",
            "reminders": reminders,
            "address": address,
            "weekdays": list(enumerate(DAY_LABELS)),
            "error": error,
            "notice": notice,
        },
        status_code=200 if error is None else 422,
    )


# The handout and the summary.


@router.get("/handout.pdf")
def handout(request: Request, s: ServicesDep, size: str = "a4") -> Response:
    return _pdf(request, s, lambda: s.handout_html(today(request), size=size), "lumbar-handout")


@router.get("/summary")
def summary(request: Request, s: ServicesDep) -> Response:
    try:
        return HTMLResponse(s.summary_html(today(request)))
    except NoProgram:
        return _to("/start")


@router.get("/summary.pdf")
def summary_pdf(request: Request, s: ServicesDep) -> Response:
    return _pdf(request, s, lambda: s.summary_html(today(request)), "lumbar-summary")


def _pdf(request: Request, s: Services, html: Callable[[], str], name: str) -> Response:
    from lumbar.handouts.pdf import write_pdf

    try:
        document = write_pdf(html(), out_name=f"{name}.pdf", one_page=True)
    except NoProgram:
        return _to("/start")
    except UserError as error:
        return _share_page(request, s, error=error.said_as(FIELD_LABELS))
    return _download(document, "application/pdf", f"{name}.pdf")


# The FHIR export.


@router.get("/settings/export/fhir")
def export_fhir(request: Request, s: ServicesDep) -> Response:
    try:
        bundle = s.fhir(today(request))
    except NoProgram:
        return _to("/start")
    body = json.dumps(bundle, indent=2, ensure_ascii=False)
    return _download(body, "application/fhir+json", "lumbar-fhir-bundle.json")


# The calendar.


@router.get("/calendar.ics")
def calendar(request: Request, s: ServicesDep) -> Response:
    try:
        return _download(s.calendar(today(request)), ICS, "lumbar.ics")
    except NoProgram:
        return _to("/start")


@router.get("/calendar/{token}.ics", name="subscription")
def subscription(request: Request, token: str) -> Response:
    """What a calendar app polls: the same calendar, found by the secret in its address."""
    state = request.app.state
    with state.store.transaction() as tx:
        person = tx.person_with_token(token)
    if person is None:
        return Response("No calendar at this address.", status_code=404, media_type="text/plain")
    owner = Services(state.store, state.content, person)
    return Response(owner.calendar(today(request)), media_type=ICS)


@router.post("/settings/reminders")
async def set_reminders(request: Request, s: ServicesDep) -> Response:
    return await run_in_threadpool(_set_reminders, request, s, await request.form())


def _set_reminders(request: Request, s: Services, form: FormData) -> Response:
    try:
        s.change_reminders(
            session_time=str(form.get("session_time", "")),
            work_start=str(form.get("work_start", "")),
            work_end=str(form.get("work_end", "")),
            work_days=_work_days(form),
            break_minutes=str(form.get("break_minutes", "")),
        )
    except NoProgram:
        return _to("/start")
    except UserError as error:
        return _share_page(request, s, error=error.said_as(FIELD_LABELS))
    return _share_page(request, s, notice="Your reminders are saved; download the calendar again.")


def _work_days(form: FormData) -> list[str]:
    chosen = [str(d) for d in form.getlist("work_days")]
    return [WEEKDAY_NAMES[int(d)] if d.isdigit() and int(d) < 7 else d for d in chosen]


@router.post("/settings/calendar-link")
def new_link(request: Request, s: ServicesDep) -> Response:
    try:
        s.calendar_token(rotate=True)
    except NoProgram:
        return _to("/start")
    return _share_page(request, s, notice="A new address is ready; the old one no longer works.")


# Reporting a problem.


@router.get("/problem")
def problem(request: Request, s: ServicesDep) -> Response:
    return _problem_page(request, s)


def _problem_page(
    request: Request,
    s: Services,
    *,
    error: str | None = None,
    saved: bool = False,
    kind: str = "",
    note: str = "",
) -> Response:
    try:
        reports = s.problems()
    except NoProgram:
        return _to("/start")
    return page(
        request,
        "problem.html",
        {
            "title": "Report a problem",
            "choices": PROBLEM_CHOICES,
            "labels": dict(PROBLEM_CHOICES),
            "reports": reports,
            "error": error,
            "saved": saved,
            "kind": kind,
            "note": note,
        },
        status_code=200 if error is None else 422,
    )


@router.post("/problem")
async def report_problem(request: Request, s: ServicesDep) -> Response:
    return await run_in_threadpool(_report, request, s, await request.form())


def _report(request: Request, s: Services, form: FormData) -> Response:
    kind, note = str(form.get("kind", "")), str(form.get("note", ""))
    try:
        s.report_problem(today(request), kind, note)
    except NoProgram:
        return _to("/start")
    except UserError as error:
        return _problem_page(request, s, error=error.said_as(FIELD_LABELS), kind=kind, note=note)
    return _problem_page(request, s, saved=True)
