"""The pages a person uses to follow the program: today, check-in, progress (the intake
is web/intake.py; settings, web/settings.py).

Each handler asks one use case and renders one template; refusals are shown on the page
with the form as it was filled in (status 422), and nothing is written. A form is read on
the event loop; what follows (the use case, which may wait for the database) runs in the
thread pool, so one slow write never holds up the other pages.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from lumbar.domain.access import Role
from lumbar.domain.model import Kind, Level
from lumbar.domain.rules import RuleId
from lumbar.domain.screening import RED_FLAGS
from lumbar.domain.timeline import estimated_minutes, session_seconds
from lumbar.errors import NoProgram, UserError
from lumbar.formats import charts
from lumbar.formats import routine as formats_routine
from lumbar.usecases import checkins, milestones, program, routine, sessions
from lumbar.usecases.person import Person
from lumbar.web import forms, handover, record_list
from lumbar.web.authorization import HOME, signed_in
from lumbar.web.context import PersonDep, person, today, write
from lumbar.web.form_errors import FormErrors
from lumbar.web.intake import first_step, symptom_groups
from lumbar.web.templating import page

router = APIRouter(include_in_schema=False)

FIRST_DAY = RuleId.SCHEDULE_FIRST_DAY


def _to(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


@router.get("/")
async def home(request: Request) -> Response:
    """The start page: Today for the person following the program (the intake's next step
    before they have one), shown here rather than redirected to, which would cost a round
    trip; a clinician's patients or an admin's accounts in accounts mode."""
    who = signed_in(request)
    if who is not None and who.account.role is not Role.PATIENT:
        return _to(HOME[who.account.role])
    p = await person(request)
    started = await run_in_threadpool(p.has_program)
    shown = today_page if started else first_step
    return await run_in_threadpool(shown, request, p)


# Following the program.


@router.get("/today")
def today_page(request: Request, p: PersonDep) -> Response:
    try:
        standing = milestones.standing(p, today(request))
    except NoProgram:
        return _to("/start")
    plan = standing.status.plan
    catalogue = p.content.catalogue
    # A rest day's routine, guided in the player (web/routine.py), and how long it takes.
    daily = routine.today(p, plan.on).exercises if plan.daily else ()
    shown = page(
        request,
        "today.html",
        {
            "title": "Today",
            "current": "/today",  # the menu's Today, at `/` too
            "plan": plan,
            "cards": standing.cards,
            "first_day": bool(plan.decisions) and plan.decisions[0].rule == FIRST_DAY,
            "week": standing.status.week,
            "unit": p.unit(),
            "phase": p.content.program.phase(plan.phase),
            "catalogue": catalogue,
            "Kind": Kind,
            "can_start": sessions.refusal(p, plan) is None,
            # How long the session takes, every exercise's steps and pain question counted.
            "minutes": estimated_minutes(session_seconds(plan, catalogue))
            if plan.exercises
            else None,
            "routine": daily,
            "routine_minutes": formats_routine.minutes(daily, catalogue) if daily else None,
            # Accounts mode: what the patient's clinician wrote with the prescription.
            "notes": "" if (prescribed := p.prescription()) is None else prescribed.notes,
            # Right after a check-in or a clearance: Undo (web/record_list.py).
            "done": record_list.saved_notice(request, p),
            # Accounts mode: who the patient's clinician is now, after a handover (#20).
            "handover_notice": handover.notice(request, plan.on),
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
    errors: FormErrors | None = None,
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
            "groups": symptom_groups(p.content),
            "activities": activities,
            "filled": filled,
            "errors": errors,
        },
        status_code=422 if errors else 200,
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
    filled = forms.kept(form, lists=("symptoms",))
    symptoms = tuple(str(code) for code in form.getlist("symptoms"))
    leg_now = focus == "leg_now"
    if leg_now and not symptoms:
        # Right after pain down the leg, nothing ticked: nothing more to record (the next
        # session asks the safety questions again).
        return _to("/today")
    errors = FormErrors(forms.checkin_labels(activities), anchors=forms.CHECKIN_ANCHORS)
    pain = forms.whole(errors, form, "pain", required=False, most=10)
    scores = forms.scores(errors, form, [f"score_{i}" for i in range(len(activities))])
    if errors:
        return _checkin_page(request, p, activities, focus, filled, errors)
    try:
        given = tuple(score for score in scores if score is not None)
        await write(
            p,
            partial(
                checkins.record,
                pain=pain,
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
        errors.refused(error)
        return _checkin_page(request, p, activities, focus, filled, errors)
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
            "timeline": charts.timeline(progress),
            "catalogue": p.content.catalogue,
            "phases": p.content.program,
            **record_list.on_progress(p),
        },
    )
