"""The pages a person uses: start, today, check-in, progress, library, learn, settings.

Each handler asks one use case and renders one template; refusals are shown on the page
with the form as it was filled in (status 422), and nothing is written. A form is read on
the event loop; what follows (the use case, which may wait for the database) runs in the
thread pool, so one slow write never holds up the other pages.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from lumbar import charts
from lumbar.domain.access import Role
from lumbar.domain.model import Kind, Level
from lumbar.domain.screening import RED_FLAGS
from lumbar.errors import NoProgram, UserError
from lumbar.figures.drawings import Picture
from lumbar.services import EmergencyAtIntake, Services
from lumbar.web import forms
from lumbar.web.access import HOME, signed_in
from lumbar.web.context import services, today
from lumbar.web.templating import page

router = APIRouter(include_in_schema=False)
ServicesDep = Annotated[Services, Depends(services)]

TIERS = (
    (Level.EMERGENCY, "Signs that need emergency care"),
    (Level.URGENT, "Signs to see a doctor about today"),
    (Level.SEE_CLINICIAN, "Signs to have checked in the next few days"),
)
WEEKDAYS = (
    ("mon", "Monday"),
    ("tue", "Tuesday"),
    ("wed", "Wednesday"),
    ("thu", "Thursday"),
    ("fri", "Friday"),
    ("sat", "Saturday"),
    ("sun", "Sunday"),
)


def _symptom_groups(s: Services) -> list[tuple[str, list[tuple[str, str]]]]:
    return [
        (
            heading,
            [
                (code, sym.question)
                for code, sym in s.content.symptoms.items()
                if sym.level is level
            ],
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
    s = await services(request)
    started = await run_in_threadpool(s.has_program)
    return _to("/today" if started else "/start")


# Starting.


@router.get("/start")
def start_form(request: Request, s: ServicesDep) -> Response:
    if s.has_program():
        return _to("/today")
    return _start_page(request, s, {})


def _start_page(
    request: Request, s: ServicesDep, filled: Mapping[str, object], error: str | None = None
) -> HTMLResponse:
    return page(
        request,
        "start.html",
        {
            "title": "Start",
            "groups": _symptom_groups(s),
            "weekdays": WEEKDAYS,
            "filled": filled,
            "error": error,
            "disclaimer": s.content.topics.get("disclaimer"),
        },
        status_code=200 if error is None else 422,
    )


@router.post("/start")
async def start(request: Request, s: ServicesDep) -> Response:
    return await run_in_threadpool(_start, request, s, await request.form())


def _start(request: Request, s: Services, form: FormData) -> Response:
    filled = {
        key: form.getlist(key) if key in ("red_flags", "days") else form.get(key)
        for key in form.keys()
    }
    try:
        answers = forms.intake(form)
        s.start(answers, today(request))
    except EmergencyAtIntake as emergency:
        return _emergency(request, s, emergency)
    except UserError as error:
        return _start_page(request, s, filled, str(error))
    return _to("/today")


def _emergency(request: Request, s: Services, emergency: EmergencyAtIntake) -> HTMLResponse:
    return page(
        request,
        "emergency.html",
        {
            "title": "Please get care now",
            "messages": [s.content.say(a.decision) for a in emergency.alerts],
            "after": "Nothing has been saved. When a clinician has seen you and cleared you "
            "to exercise, come back to this page to start.",
        },
    )


# Following the program.


@router.get("/today")
def today_page(request: Request, s: ServicesDep) -> Response:
    try:
        plan = s.today(today(request))
    except NoProgram:
        return _to("/start")
    catalogue = s.content.catalogue
    return page(
        request,
        "today.html",
        {
            "title": "Today",
            "plan": plan,
            "phase": s.content.program.phase(plan.phase),
            "catalogue": catalogue,
            "Kind": Kind,
            "can_start": s.refusal(plan) is None,
            # Accounts mode: what the patient's clinician wrote with the prescription.
            "notes": "" if (prescribed := s.prescription()) is None else prescribed.notes,
        },
    )


@router.get("/check-in")
def checkin_form(request: Request, s: ServicesDep, focus: str = "") -> Response:
    try:
        history = s.history()
    except NoProgram:
        return _to("/start")
    return _checkin_page(request, s, history.profile.psfs_activities, focus, {})


def _checkin_page(
    request: Request,
    s: Services,
    activities: tuple[str, ...],
    focus: str,
    filled: Mapping[str, object],
    error: str | None = None,
) -> HTMLResponse:
    symptoms_only = focus == "symptoms"
    return page(
        request,
        "checkin.html",
        {
            "title": "New symptom" if symptoms_only else "Check in",
            "symptoms_only": symptoms_only,
            "groups": _symptom_groups(s),
            "activities": activities,
            "filled": filled,
            "error": error,
        },
        status_code=200 if error is None else 422,
    )


@router.post("/check-in")
async def checkin(request: Request, s: ServicesDep) -> Response:
    return await run_in_threadpool(_checkin, request, s, await request.form())


def _checkin(request: Request, s: Services, form: FormData) -> Response:
    focus = str(form.get("focus", ""))
    try:
        history = s.history()
    except NoProgram:
        return _to("/start")
    activities = history.profile.psfs_activities
    filled = {key: form.getlist(key) if key == "symptoms" else form.get(key) for key in form.keys()}
    try:
        pain = forms.score(form, "pain")
        scores = [forms.score(form, f"score_{i}") for i in range(len(activities))]
        given = [score for score in scores if score is not None]
        if given and len(given) != len(activities):
            raise UserError("Activities: please rate every activity, or none of them")
        symptoms = tuple(str(code) for code in form.getlist("symptoms"))
        cleared = bool(form.get("cleared"))
        if pain is None and not given and not symptoms and not cleared:
            raise UserError("Nothing to record yet: answer at least one question")
        s.checkin(
            today(request),
            pain=pain,
            psfs=tuple(given) if given else None,
            symptoms=symptoms,
            cleared_by_clinician=cleared,
        )
    except UserError as error:
        return _checkin_page(request, s, activities, focus, filled, str(error))
    emergency = [code for code in symptoms if RED_FLAGS.get(code) is Level.EMERGENCY]
    if emergency:
        current = s.status(today(request))
        messages = [s.content.say(a.decision) for a in current.alerts if a.level is Level.EMERGENCY]
        after = (
            "Your sessions are paused. When a clinician has seen you and cleared you to "
            "exercise, say so in a check-in and the program carries on."
        )
        context = {"title": "Please get care now", "messages": messages, "after": after}
        return page(request, "emergency.html", context)
    return _to("/today")


@router.get("/progress")
def progress_page(request: Request, s: ServicesDep) -> Response:
    try:
        progress = s.progress(today(request))
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
            "phases": s.content.program,
        },
    )


# Reading.


@router.get("/library")
def library(request: Request, s: ServicesDep, phase: str = "", category: str = "") -> Response:
    program = s.content.program
    exercises = list(s.content.catalogue.values())
    if phase.isascii() and phase.isdigit() and len(phase) < 3:
        number = int(phase)
        chosen = program.phase(number) if 1 <= number <= program.last_phase else None
        exercises = [e for e in exercises if chosen and chosen.prescription(e.id) is not None]
    if category:
        exercises = [e for e in exercises if e.category == category]
    categories = sorted({e.category for e in s.content.catalogue.values()})
    context = {
        "title": "Exercise library",
        "exercises": exercises,
        "categories": categories,
        "phases": program.phases,
        "phase": phase,
        "category": category,
    }
    if request.headers.get("hx-request") and request.headers.get("hx-target") == "results":
        return page(request, "_exercises.html", context)
    return page(request, "library.html", context)


@router.get("/library/{exercise_id}")
def exercise_page(request: Request, s: ServicesDep, exercise_id: str) -> Response:
    exercise = s.content.catalogue.get(exercise_id)
    if exercise is None:
        return _missing(request, f"There is no exercise called {exercise_id!r}.")
    return page(
        request,
        "exercise.html",
        {"title": exercise.name, "exercise": exercise, "phases": s.content.program.phases},
    )


@router.get("/learn")
def learn(request: Request, s: ServicesDep) -> Response:
    return page(request, "learn.html", {"title": "Learn", "topics": s.content.topics.values()})


@router.get("/learn/{topic_id}")
def topic_page(request: Request, s: ServicesDep, topic_id: str) -> Response:
    topic = s.content.topics.get(topic_id)
    if topic is None:
        return _missing(request, f"There is no topic called {topic_id!r}.")
    paragraphs = [p.strip() for p in topic.body.split("\n\n") if p.strip()]
    return page(
        request, "topic.html", {"title": topic.title, "topic": topic, "paragraphs": paragraphs}
    )


def _missing(request: Request, message: str) -> HTMLResponse:
    return page(
        request, "message.html", {"title": "Not found", "message": message}, status_code=404
    )


# Settings.


@router.get("/settings")
def settings(request: Request, s: ServicesDep) -> Response:
    return _settings_page(request, s)


def _settings_page(
    request: Request, s: Services, *, error: str | None = None, notice: str | None = None
) -> HTMLResponse:
    history = s.store.read(s.person)
    days = history.profile.training_days if history is not None else None
    return page(
        request,
        "settings.html",
        {
            "title": "Settings",
            "weekdays": WEEKDAYS,
            "days": days,
            "has_program": history is not None,
            "error": error,
            "notice": notice,
        },
        status_code=200 if error is None else 422,
    )


@router.post("/settings/days")
async def set_days(request: Request, s: ServicesDep) -> Response:
    return await run_in_threadpool(_set_days, request, s, await request.form())


def _set_days(request: Request, s: Services, form: FormData) -> Response:
    try:
        s.set_training_days(forms.days(form))
    except UserError as error:
        message = error.said_as({"days": "Training days"})
        return _settings_page(request, s, error=message)
    return _settings_page(request, s, notice="Your training days are saved.")


@router.get("/settings/export")
def export(s: ServicesDep) -> Response:
    try:
        document = s.export()
    except NoProgram:
        return _to("/settings")
    return Response(
        json.dumps(document, indent=2, ensure_ascii=False),
        media_type="application/json",
        headers={"content-disposition": 'attachment; filename="lumbar-export.json"'},
    )


@router.post("/settings/import")
async def import_(request: Request, s: ServicesDep) -> Response:
    async with request.form() as form:
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            return _settings_page(request, s, error="Import: choose an export file first")
        name = upload.filename
        raw = await upload.read()
    return await run_in_threadpool(_import, request, s, name, raw)


def _import(request: Request, s: Services, name: str, raw: bytes) -> Response:
    try:
        s.import_(raw.decode("utf-8"), source=name)
    except UnicodeDecodeError:
        return _settings_page(request, s, error=f"Import: {name} is not a text file")
    except UserError as error:
        return _settings_page(request, s, error=f"Import: {error}")
    return _to("/today")


# Installing.


@router.get("/manifest.webmanifest")
def manifest() -> Response:
    body = {
        "name": "lumbar: back exercise program",
        "short_name": "lumbar",
        "description": "A home exercise program for lower back pain.",
        "start_url": "/today",
        "scope": "/",
        "display": "standalone",
        "background_color": "#f7f5f0",
        "theme_color": "#2f5d50",
        "icons": [
            {"src": "/static/icon-192.png", "sizes": "192x192", "type": "image/png"},
            {"src": "/static/icon-512.png", "sizes": "512x512", "type": "image/png"},
            {"src": "/static/icon.svg", "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    return Response(json.dumps(body), media_type="application/manifest+json")


# Figures, as files: for printing, saving, and anything that cannot take them inline.

FIGURE_KINDS = {"-poses": Picture.POSES, "-still": Picture.STILL}


@router.get("/figures/{name}.svg")
def figure_file(request: Request, name: str, hold: int | None = None) -> Response:
    """`ID.svg` moves (at `?hold=` seconds), `ID-poses.svg` is the key poses, `ID-still.svg`
    the main pose."""
    exercise_id, kind = name, Picture.MOTION
    for suffix, suffix_kind in FIGURE_KINDS.items():
        if name.endswith(suffix):
            exercise_id, kind = name.removesuffix(suffix), suffix_kind
    drawings = request.app.state.drawings
    if exercise_id not in drawings:
        return Response(f"No figure for {exercise_id!r}.", status_code=404, media_type="text/plain")
    if hold is not None and not 1 <= hold <= 300:
        return Response(
            "hold: give whole seconds from 1 to 300.", status_code=422, media_type="text/plain"
        )
    return Response(
        drawings.svg(exercise_id, kind, hold),
        media_type="image/svg+xml",
        headers={"Cache-Control": "public, max-age=3600"},
    )
