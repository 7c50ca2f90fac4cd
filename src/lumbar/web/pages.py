"""The pages a person uses to follow the program: start, today, check-in, progress, settings.

Each handler asks one use case and renders one template; refusals are shown on the page
with the form as it was filled in (status 422), and nothing is written. A form is read on
the event loop; what follows (the use case, which may wait for the database) runs in the
thread pool, so one slow write never holds up the other pages.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import partial

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from lumbar.content.load import Content
from lumbar.domain.access import Role
from lumbar.domain.loads import unit_for_accept_language
from lumbar.domain.model import WEEKDAY_FULL_NAMES, WEEKDAY_NAMES, Kind, Level
from lumbar.domain.screening import RED_FLAGS
from lumbar.domain.timeline import estimated_minutes, session_seconds
from lumbar.errors import NoProgram, UserError
from lumbar.formats import charts
from lumbar.usecases import checkins, program, records, sessions, versions
from lumbar.usecases.accounts import now_utc
from lumbar.usecases.person import Person
from lumbar.usecases.program import EmergencyAtIntake
from lumbar.web import forms, record_list
from lumbar.web.authorization import HOME, signed_in
from lumbar.web.context import PersonDep, person, today, write
from lumbar.web.guard import from_loopback
from lumbar.web.templating import page

router = APIRouter(include_in_schema=False)

TIERS = (
    (Level.EMERGENCY, "Signs that need emergency care"),
    (Level.URGENT, "Signs to see a doctor about today"),
    (Level.SEE_CLINICIAN, "Signs to have checked in the next few days"),
)
WEEKDAYS = tuple(
    (short, full.capitalize())
    for short, full in zip(WEEKDAY_NAMES, WEEKDAY_FULL_NAMES, strict=True)
)
"""The training-day boxes: the value each form sends, and the label a person reads."""


def _symptom_groups(content: Content) -> list[tuple[str, list[tuple[str, str]]]]:
    return [
        (
            heading,
            [(code, sym.question) for code, sym in content.symptoms.items() if sym.level is level],
        )
        for level, heading in TIERS
    ]


def _to(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


@router.get("/")
async def home(request: Request) -> Response:
    """The start page: the program for the person following it; a clinician's patients
    or an admin's accounts in accounts mode."""
    who = signed_in(request)
    if who is not None and who.account.role is not Role.PATIENT:
        return _to(HOME[who.account.role])
    p = await person(request)
    started = await run_in_threadpool(p.has_program)
    return _to("/today" if started else "/start")


# Starting.


@router.get("/start")
def start_form(request: Request, p: PersonDep) -> Response:
    if p.has_program():
        return _to("/today")
    return _start_page(request, p, {})


def _start_page(
    request: Request, p: Person, filled: Mapping[str, object], error: str | None = None
) -> HTMLResponse:
    return page(
        request,
        "start.html",
        {
            "title": "Start",
            "groups": _symptom_groups(p.content),
            "weekdays": WEEKDAYS,
            "filled": filled,
            "error": error,
            "disclaimer": p.content.topics.get("disclaimer"),
            "clinic": p.clinic,
            # The Equipment fieldset's unit until the person picks one: the browser's.
            "unit_default": unit_for_accept_language(request.headers.get("accept-language")),
        },
        status_code=200 if error is None else 422,
    )


@router.post("/start")
async def start(request: Request, p: PersonDep) -> Response:
    form = await request.form()
    filled = {
        key: form.getlist(key) if key in ("red_flags", "days", "equipment") else form.get(key)
        for key in form.keys()
    }
    try:
        answers = forms.intake(form)
        unit = unit_for_accept_language(request.headers.get("accept-language"))
        start = partial(program.start, now=now_utc(), unit=unit)
        await write(p, start, p, answers, today(request))
    except EmergencyAtIntake as emergency:
        return _emergency(request, p, emergency)
    except UserError as error:
        return _start_page(request, p, filled, forms.said(error))
    return _to("/today")


def _emergency(request: Request, p: Person, emergency: EmergencyAtIntake) -> HTMLResponse:
    return page(
        request,
        "emergency.html",
        {
            "title": "Please get care now",
            "messages": list(emergency.messages),
            "after": (
                "Your program has not started. Your clinician can see what you answered. Once "
                "they have cleared you, come back to this page to start."
                if p.clinic
                else "Nothing has been saved. Once a clinician has seen you and cleared you to "
                "exercise, come back to this page, give the same answers, and write who saw "
                "you in the box under the warning signs."
            ),
        },
    )


# Following the program.


@router.get("/today")
def today_page(request: Request, p: PersonDep) -> Response:
    try:
        plan = program.today(p, today(request))
    except NoProgram:
        return _to("/start")
    catalogue = p.content.catalogue
    shown = page(
        request,
        "today.html",
        {
            "title": "Today",
            "plan": plan,
            "unit": p.unit(),
            "phase": p.content.program.phase(plan.phase),
            "catalogue": catalogue,
            "Kind": Kind,
            "can_start": sessions.refusal(p, plan) is None,
            # How long the session takes, every exercise's steps and pain question counted.
            "minutes": estimated_minutes(session_seconds(plan, catalogue))
            if plan.exercises
            else None,
            # Accounts mode: what the patient's clinician wrote with the prescription.
            "notes": "" if (prescribed := p.prescription()) is None else prescribed.notes,
            # Right after a check-in or a clearance: Undo (web/record_list.py).
            "done": record_list.saved_notice(request, p),
        },
    )
    return record_list.forget(request, shown)


@router.get("/check-in")
def checkin_form(request: Request, p: PersonDep, focus: str = "") -> Response:
    try:
        history = p.history()
    except NoProgram:
        return _to("/start")
    return _checkin_page(request, p, history.profile.psfs_activities, focus, {})


def _checkin_page(
    request: Request,
    p: Person,
    activities: tuple[str, ...],
    focus: str,
    filled: Mapping[str, object],
    error: str | None = None,
) -> HTMLResponse:
    symptoms_only = focus in ("symptoms", "phase", "follow_up")
    titles = {
        "symptoms": "New symptom",
        "phase": "Before your next session",
        "follow_up": "Before your next session",
    }
    return page(
        request,
        "checkin.html",
        {
            "title": titles.get(focus, "Check in"),
            "focus": focus if focus in titles else "",
            "symptoms_only": symptoms_only,
            "groups": _symptom_groups(p.content),
            "activities": activities,
            "filled": filled,
            "error": error,
        },
        status_code=200 if error is None else 422,
    )


@router.post("/check-in")
async def checkin(request: Request, p: PersonDep) -> Response:
    form = await request.form()
    focus = str(form.get("focus", ""))
    try:
        history = await run_in_threadpool(p.history)
    except NoProgram:
        return _to("/start")
    activities = history.profile.psfs_activities
    filled = {key: form.getlist(key) if key == "symptoms" else form.get(key) for key in form.keys()}
    symptoms = tuple(str(code) for code in form.getlist("symptoms"))
    leg_now = focus == "leg_now"
    if leg_now and not symptoms:
        # Right after pain down the leg, nothing ticked: nothing more to record (the next
        # session asks the safety questions again).
        return _to("/today")
    try:
        scores = [forms.score(form, f"score_{i}") for i in range(len(activities))]
        given = tuple(score for score in scores if score is not None)
        await write(
            p,
            partial(
                checkins.record,
                pain=forms.score(form, "pain"),
                psfs=given or None,
                symptoms=symptoms,
                # The form asks every safety question: sending it answers them all (right
                # after pain down the leg it asks only the leg's signs).
                screened=not leg_now,
            ),
            p,
            today(request),
        )
    except UserError as error:
        return _checkin_page(request, p, activities, focus, filled, forms.said(error))
    if any(RED_FLAGS.get(code) is Level.EMERGENCY for code in symptoms):
        current = await run_in_threadpool(program.status, p, today(request))
        messages = [p.content.say(a.decision) for a in current.alerts if a.level is Level.EMERGENCY]
        after = (
            "Your sessions are paused, and your clinician can see what you reported. Once "
            "they have seen you, they clear you and the program carries on."
            if p.clinic
            else "Your sessions are paused. Once a clinician has seen you and cleared you to "
            "exercise, record it on the page 'A clinician has seen me', and the program "
            "carries on."
        )
        context = {"title": "Please get care now", "messages": messages, "after": after}
        return page(request, "emergency.html", context)
    if focus in ("phase", "follow_up"):
        return _to("/session")
    return record_list.remember(request, _to("/today"), "checkin")


@router.get("/progress")
def progress_page(request: Request, p: PersonDep) -> Response:
    try:
        progress = program.progress(p, today(request))
    except NoProgram:
        return _to("/start")
    return page(
        request,
        "progress.html",
        {
            "title": "Progress",
            "progress": progress,
            "pain_chart": charts.pain_chart(progress),
            "psfs_chart": charts.psfs_chart(progress),
            "weeks": charts.weeks(progress.calendar),
            "phases": p.content.program,
            **record_list.on_progress(p),
        },
    )


# Settings.


@router.get("/settings")
def settings(request: Request, p: PersonDep) -> Response:
    return settings_page(request, p)


def settings_page(
    request: Request, p: Person, *, error: str | None = None, notice: str | None = None
) -> HTMLResponse:
    try:
        days = program.training_days(p)
        choices = versions.choices(p)
        owned = forms.owned_fields(p)
    except NoProgram:
        days, choices, owned = None, [], None
    return page(
        request,
        "settings.html",
        {
            "title": "Settings",
            "weekdays": WEEKDAYS,
            "days": days,
            "choices": choices,
            "owned": owned,
            "has_program": days is not None,
            "error": error,
            "notice": notice,
            # Pairing a phone is done from the computer itself, in local mode (web/phone.py).
            "phone_settings": request.app.state.accounts is None and from_loopback(request.scope),
        },
        status_code=200 if error is None else 422,
    )


@router.post("/settings/days")
async def set_days(request: Request, p: PersonDep) -> Response:
    form = await request.form()
    try:
        await write(p, program.set_training_days, p, forms.days(form), today(request))
    except UserError as error:
        return await run_in_threadpool(settings_page, request, p, error=forms.said(error))
    notice = "Your training days are saved."
    return await run_in_threadpool(settings_page, request, p, notice=notice)


ALTERNATIVE_FIELD = "alternative-"
"""The settings form names each exercise's select `alternative-<exercise id>`."""


@router.post("/settings/alternatives")
async def set_alternatives(request: Request, p: PersonDep) -> Response:
    """Each exercise's select: an alternative's id, or "none" for the exercise as it is."""
    form = await request.form()
    picks = {
        str(key).removeprefix(ALTERNATIVE_FIELD): str(value)
        for key, value in form.multi_items()
        if str(key).startswith(ALTERNATIVE_FIELD)
    }
    try:
        await write(p, versions.choose_each, p, picks)
    except UserError as error:
        return await run_in_threadpool(settings_page, request, p, error=forms.said(error))
    notice = "Your exercise choices are saved."
    return await run_in_threadpool(settings_page, request, p, notice=notice)


@router.get("/settings/export")
def export(p: PersonDep) -> Response:
    try:
        document = records.export(p)
    except NoProgram:
        return _to("/settings")
    return Response(
        json.dumps(document, indent=2, ensure_ascii=False),
        media_type="application/json",
        headers={"content-disposition": 'attachment; filename="lumbar-export.json"'},
    )


@router.post("/settings/import")
async def import_(request: Request, p: PersonDep) -> Response:
    async with request.form() as form:
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            error = "Import: choose an export file first"
            return await run_in_threadpool(settings_page, request, p, error=error)
        name = upload.filename
        raw = await upload.read()
    try:
        unit = unit_for_accept_language(request.headers.get("accept-language"))
        load = partial(records.import_, source=name, unit=unit)
        await write(p, load, p, raw.decode("utf-8"))
    except UnicodeDecodeError:
        error = f"Import: {name} is not a text file"
        return await run_in_threadpool(settings_page, request, p, error=error)
    except UserError as error:
        said = f"Import: {error}"
        return await run_in_threadpool(settings_page, request, p, error=said)
    return _to("/today")
