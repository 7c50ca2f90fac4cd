"""What a person takes away or sends on: the handout, the clinician summary, the calendar
(download, subscription, reminder settings), the FHIR export, and the problem report.

Each route asks one use case; a PDF that cannot be made (no pango on this computer) says so
and points at the HTML version.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from functools import partial

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from lumbar.content.reporting import report_words
from lumbar.domain.model import WEEKDAY_NAMES, Alert, Level, ProblemKind
from lumbar.domain.reminders import parse_clock
from lumbar.errors import NoProgram, UserError
from lumbar.usecases import handouts, problems, program, reminders
from lumbar.usecases.person import Person
from lumbar.web import forms, record_list
from lumbar.web.context import PersonDep, today, write
from lumbar.web.form_errors import FormErrors, Label
from lumbar.web.templating import page

router = APIRouter(include_in_schema=False)

PROBLEM_CHOICES = (
    (ProblemKind.PAIN_AFTER_SESSION.value, "More pain after a session"),
    (ProblemKind.FALL.value, "A fall"),
    (ProblemKind.OTHER.value, "Something else"),
)
DAY_LABELS = tuple(name.capitalize() for name in WEEKDAY_NAMES)
ICS = "text/calendar; charset=utf-8"
PRIVATE = "no-store"
"""The calendar holds health data (the day's exercises, a pause): no cache, shared or the
browser's, keeps a copy; a calendar app polls the feed afresh anyway."""
FIELD_LABELS = {
    "session_time": "Session time",
    "work_start": "Work starts",
    "work_end": "Work ends",
    "work_days": "Working days",
    "break_minutes": "Posture breaks",
    "kind": "What happened",
    "note": "Note",
    "fall": "The fall",
    "symptoms": "Signs since",
    "size": "Paper size",
}


def _to(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


def _download(
    body: bytes | str, media_type: str, filename: str, *, cache: str | None = None
) -> Response:
    headers = {"content-disposition": f'attachment; filename="{filename}"'}
    if cache is not None:
        headers["cache-control"] = cache
    return Response(body, media_type=media_type, headers=headers)


# The page that gathers them.


@router.get("/share")
def share(request: Request, p: PersonDep) -> Response:
    return _share_page(request, p)


REMINDERS = {
    "session_time": Label("the time for your sessions", whole="Enter a time like 18:30"),
    "work_days": Label("your working days"),
    "work_start": Label("when work starts", whole="Enter a time like 09:00"),
    "work_end": Label("when work ends", whole="Enter a time like 17:30"),
    "break_minutes": Label(
        "the minutes between breaks", whole="Enter the minutes between breaks, like 45 (0 for none)"
    ),
}
"""The reminders form's fields, in the order it shows them."""


def _reminder_errors(form: FormData) -> FormErrors:
    """Every problem of the reminders form at once (the use case checks them again)."""
    errors = FormErrors(REMINDERS, anchors={"work_days": "work_days-0"})
    for field in ("session_time", "work_start", "work_end"):
        try:
            parse_clock(str(form.get(field, "")))
        except ValueError as error:
            errors.add(field, str(error))
    minutes = str(form.get("break_minutes", "")).strip()
    if not (minutes.isascii() and minutes.isdigit()):
        errors.add_kind("break_minutes", "whole")
    return errors


def _share_page(
    request: Request,
    p: Person,
    *,
    error: str | None = None,
    notice: str | None = None,
    errors: FormErrors | None = None,
    sent: Mapping[str, object] | None = None,
    new_token: str | None = None,
) -> Response:
    """The page; with `new_token`, the address just made, shown this once (only its token's
    SHA-256 is kept, so it cannot be shown again)."""
    try:
        settings, has_address = reminders.settings(p)
    except NoProgram:
        return _to("/start")
    address = None
    if new_token is not None:
        address = str(request.url_for("subscription", token=new_token))
    return page(
        request,
        "share.html",
        {
            "title": "Print and share",
            "reminders": settings,
            "address": address,
            "has_address": has_address,
            "weekdays": list(enumerate(DAY_LABELS)),
            "error": error,
            "errors": errors,
            "sent": sent or {},
            "notice": notice,
        },
        status_code=200 if error is None and not errors else 422,
    )


# The handout and the summary.


@router.get("/handout.pdf")
def handout(request: Request, p: PersonDep, size: str = "a4") -> Response:
    made = partial(handouts.handout_html, p, today(request), size=size)
    return _pdf(request, p, made, "lumbar-handout")


@router.get("/summary")
def summary(request: Request, p: PersonDep) -> Response:
    try:
        back = ("/progress", "Back to your progress")
        return HTMLResponse(handouts.summary_html(p, today(request), back=back))
    except NoProgram:
        return _to("/start")


@router.get("/summary.pdf")
def summary_pdf(request: Request, p: PersonDep) -> Response:
    return _pdf(request, p, partial(handouts.summary_html, p, today(request)), "lumbar-summary")


def _pdf(request: Request, p: Person, html: Callable[[], str], name: str) -> Response:
    from lumbar.formats.pdf import write_pdf

    try:
        document = write_pdf(html(), out_name=f"{name}.pdf", one_page=True)
    except NoProgram:
        return _to("/start")
    except UserError as error:
        return _share_page(request, p, error=error.said_as(FIELD_LABELS))
    return _download(document, "application/pdf", f"{name}.pdf")


# The FHIR export.


@router.get("/settings/export/fhir")
def export_fhir(request: Request, p: PersonDep) -> Response:
    try:
        bundle = handouts.fhir(p, today(request))
    except NoProgram:
        return _to("/start")
    body = json.dumps(bundle, indent=2, ensure_ascii=False)
    return _download(body, "application/fhir+json", "lumbar-fhir-bundle.json")


# The calendar.


@router.get("/calendar.ics")
def calendar(request: Request, p: PersonDep) -> Response:
    try:
        body = handouts.calendar(p, today(request))
        return _download(body, ICS, "lumbar.ics", cache=PRIVATE)
    except NoProgram:
        return _to("/start")


@router.get("/calendar/{token}.ics", name="subscription")
def subscription(request: Request, token: str) -> Response:
    """What a calendar app polls: the same calendar, found by the secret in its address."""
    state = request.app.state
    clinic = state.accounts is not None
    found = handouts.subscribed_calendar(
        state.store, state.content, token, today(request), clinic=clinic
    )
    if found is None:
        return Response("No calendar at this address.", status_code=404, media_type="text/plain")
    return Response(found, media_type=ICS, headers={"cache-control": PRIVATE})


@router.post("/settings/reminders")
async def set_reminders(request: Request, p: PersonDep) -> Response:
    form = await request.form()
    errors = _reminder_errors(form)
    sent = forms.kept(form, lists=("work_days",))
    shown = partial(_share_page, request, p, errors=errors, sent=sent)
    if errors:
        return await run_in_threadpool(shown)
    change = partial(
        reminders.change,
        session_time=str(form.get("session_time", "")),
        work_start=str(form.get("work_start", "")),
        work_end=str(form.get("work_end", "")),
        work_days=_work_days(form),
        break_minutes=str(form.get("break_minutes", "")),
    )
    try:
        await write(p, change, p)
    except NoProgram:
        return _to("/start")
    except UserError as error:
        errors.refused(error)
        return await run_in_threadpool(shown)
    notice = "Your reminders are saved; download the calendar again."
    return await run_in_threadpool(partial(_share_page, request, p, notice=notice))


def _work_days(form: FormData) -> list[str]:
    chosen = [str(d) for d in form.getlist("work_days")]
    return [WEEKDAY_NAMES[int(d)] if d.isdigit() and int(d) < 7 else d for d in chosen]


@router.post("/settings/calendar-link")
async def new_link(request: Request, p: PersonDep) -> Response:
    try:
        token = await write(p, partial(reminders.calendar_token, rotate=True), p)
    except NoProgram:
        return _to("/start")
    notice = "A new address is ready; the old one no longer works."
    shown = partial(_share_page, request, p, notice=notice, new_token=token)
    return await run_in_threadpool(shown)


# Reporting a problem.


@router.get("/problem")
def problem(request: Request, p: PersonDep) -> Response:
    return _problem_page(request, p)


def _problem_page(
    request: Request,
    p: Person,
    *,
    errors: FormErrors | None = None,
    saved: str = "",
    filled: Mapping[str, object] | None = None,
) -> Response:
    """The form (with a report's problems beside their fields), or right after a report of
    kind `saved` is sent, the advice for it."""
    try:
        reports = problems.reports(p)
    except NoProgram:
        return _to("/start")
    raised = _raised_today(request, p) if saved else []
    if any(a.level is Level.EMERGENCY for a in raised):
        return page(
            request,
            "emergency.html",
            {
                "title": "Please get care now",
                "messages": [p.content.say(a.decision) for a in raised if a.level.blocks],
                "after": "Your report is saved, and your sessions are paused until a "
                "clinician has seen you.",
            },
        )
    return page(
        request,
        "problem.html",
        {
            "title": "Report a problem",
            "choices": PROBLEM_CHOICES,
            "labels": dict(PROBLEM_CHOICES),
            "reports": reports,
            "errors": errors,
            "saved": saved,
            "words": report_words(),
            "clinic": p.clinic,
            # Right after the report is saved: Undo (web/record_list.py).
            "done": record_list.just_saved(p, "problem", today(request)) if saved else None,
            "raised": raised,
            "filled": filled or {},
            "signs": [(code, p.content.symptoms[code].question) for code in problems.LEG_SIGNS],
            "fall_questions": {
                "major": p.content.symptoms["major_trauma"].question,
                "fragile": p.content.symptoms["steroids_osteoporosis"].question,
            },
        },
        status_code=422 if errors else 200,
    )


PROBLEM = {
    "kind": Label("what happened", missing="Choose what happened"),
    "fall": Label(
        "whether the fall hurt your back",
        missing="Answer whether the fall hurt your back, or made your back pain worse",
    ),
    "symptoms": Label("the signs"),
    "note": Label("what happened, in your own words"),
}
"""The report's fields, in the order the form shows them."""
PROBLEM_ANCHORS = {"kind": "kind-0", "fall": "hurt_back-yes", "symptoms": "symptoms-0"}


def _problem_errors(kind: str, note: str, hurt_back: str) -> FormErrors:
    """Every problem of the report's form at once (the use case checks it again)."""
    errors = FormErrors(PROBLEM, anchors=PROBLEM_ANCHORS)
    kinds = {k.value for k in ProblemKind}
    if kind not in kinds:
        errors.add_kind("kind", "missing")
    if kind == ProblemKind.FALL.value and hurt_back not in ("yes", "no"):
        errors.add_kind("fall", "missing")
    with errors.reading("note"):
        # The note's own checks; a kind not chosen is said above.
        problems.checked_report(kind if kind in kinds else ProblemKind.FALL.value, note)
    return errors


@router.post("/problem")
async def report_problem(request: Request, p: PersonDep) -> Response:
    form = await request.form()
    kind, note = str(form.get("kind", "")), str(form.get("note", ""))
    filled = forms.kept(form, lists=("symptoms",), notes=("note",))
    errors = _problem_errors(kind, note, str(form.get("hurt_back", "")))
    if errors:
        shown = partial(_problem_page, request, p, errors=errors, filled=filled)
        return await run_in_threadpool(shown)
    signs = tuple(str(code) for code in form.getlist("symptoms"))
    fall = None
    if kind == "fall" and form.get("hurt_back") in ("yes", "no"):
        fall = problems.FallAnswers(
            form.get("hurt_back") == "yes",
            major=bool(form.get("major_injury")),
            fragile=bool(form.get("fragile")),
            symptoms=signs,
        )
    try:
        await write(
            p, partial(problems.report, fall=fall, signs=signs), p, today(request), kind, note
        )
    except NoProgram:
        return _to("/start")
    except UserError as error:
        errors.refused(error)
        shown = partial(_problem_page, request, p, errors=errors, filled=filled)
        return await run_in_threadpool(shown)
    return await run_in_threadpool(partial(_problem_page, request, p, saved=kind))


def _raised_today(request: Request, p: Person) -> list[Alert]:
    """The alerts the report just raised (its signs, through the screening)."""
    on = today(request)
    return [a for a in program.status(p, on).alerts if a.since == on and a.level.needs_clearance]
