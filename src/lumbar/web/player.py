"""The session player: one exercise at a time, a pain check-in after each.

Every answer is saved as it is given (a draft in the database), so a reload or a closed tab
resumes at the next exercise. htmx swaps the player in place; without JavaScript the same
forms post and redirect back, so the session works either way. The page carries the
exercise's steps with their words (formats/timeline.py) for the hands-free player
(static/player.js), and how long the exercise and the session take.
"""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from lumbar.domain.decisions import Decision
from lumbar.domain.exercise import Exercise
from lumbar.domain.model import Pain, PlannedExercise
from lumbar.domain.rules import RuleId
from lumbar.domain.screening import PHASE_CHANGE_CHECK
from lumbar.domain.session import LoggedSession, SessionInProgress
from lumbar.domain.timeline import estimated_minutes, estimated_seconds
from lumbar.errors import NoProgram, UserError
from lumbar.formats import timeline
from lumbar.formats.views import taught
from lumbar.usecases import sessions, versions
from lumbar.usecases.person import Person
from lumbar.usecases.problems import LEG_SIGNS
from lumbar.web import record_list
from lumbar.web.context import PersonDep, today, write
from lumbar.web.templating import page

router = APIRouter(include_in_schema=False)


@router.get("/session")
def session(request: Request, p: PersonDep) -> Response:
    try:
        progress = sessions.in_progress(p, today(request))
    except NoProgram:
        return RedirectResponse("/start", status_code=303)
    due = progress.screening_due
    if due is not None:
        # The safety questions again before the first exercise (issue #14).
        focus = "phase" if due == PHASE_CHANGE_CHECK else "follow_up"
        return RedirectResponse(f"/check-in?focus={focus}", status_code=303)
    return _player(request, p, progress)


@router.post("/session/answer")
async def answer(request: Request, p: PersonDep) -> Response:
    """The form is read on the event loop; the answer is a write (context.write)."""
    form = await request.form()
    try:
        pain = Pain(str(form.get("pain", "")))
    except ValueError:
        message = "please choose one of the four answers"
        return await run_in_threadpool(_refused, request, p, message)
    exercise = str(form.get("exercise", ""))
    try:
        answered = await write(p, sessions.answer, p, today(request), exercise, pain)
    except UserError as error:
        return await run_in_threadpool(_refused, request, p, str(error))
    if answered.finished is not None:
        done = await run_in_threadpool(record_list.just_saved, p, "session", today(request))
        return _finished(request, answered.finished, answered.response, done)
    return _player(request, p, answered.progress, response=answered.response)


@router.post("/session/finish")
async def finish(request: Request, p: PersonDep) -> Response:
    try:
        logged = await write(p, sessions.finish, p, today(request))
    except UserError as error:
        return await run_in_threadpool(_refused, request, p, str(error))
    done = await run_in_threadpool(record_list.just_saved, p, "session", today(request))
    return _finished(request, logged, None, done)


@router.post("/session/alternative")
async def alternative(request: Request, p: PersonDep) -> Response:
    """Do the exercise on a chair or standing instead, from now on (or go back to it)."""
    form = await request.form()
    exercise, choice = str(form.get("exercise", "")), str(form.get("alternative", ""))
    try:
        await write(p, versions.choose, p, exercise, choice)
    except UserError as error:
        return await run_in_threadpool(_refused, request, p, str(error))
    if not request.headers.get("hx-request"):
        return RedirectResponse("/session", status_code=303)
    progress = await run_in_threadpool(sessions.in_progress, p, today(request))
    return _player(request, p, progress)


def _player(
    request: Request,
    p: Person,
    progress: SessionInProgress,
    *,
    response: Decision | None = None,
    error: str | None = None,
) -> Response:
    plan = progress.plan
    following = progress.next
    catalogue = p.content.catalogue
    exercise = None if following is None else catalogue[following.exercise_id]
    position = len(progress.answers) + 1
    context: dict[str, object] = {
        "title": "Session",
        "plan": plan,
        "refusal": sessions.refusal(p, plan),
        "progress": progress,
        "planned": following,
        "exercise": exercise,
        "position": position,
        "count": len(plan.exercises),
        "response": response,
        "error": error,
    }
    if following is not None and exercise is not None:
        context.update(_runner(progress, following, exercise, catalogue, response))
    partial = bool(request.headers.get("hx-request"))
    return page(
        request,
        "_player.html" if partial else "session.html",
        context,
        status_code=200 if error is None else 422,
    )


def _runner(
    progress: SessionInProgress,
    planned: PlannedExercise,
    exercise: Exercise,
    catalogue: Mapping[str, Exercise],
    response: Decision | None,
) -> dict[str, object]:
    """What the hands-free player runs (formats/timeline.py: each step of the dose with its
    words) and how long the exercise and the rest of the session take."""
    name = taught(exercise, planned.version).name
    answered = {r.exercise_id for r in progress.answers}
    left = [e for e in progress.plan.exercises if e.exercise_id not in answered]
    return {
        "steps": timeline.steps_attribute(exercise, planned.dose, name),
        "say_done": timeline.done_cue(name),
        "own_pace": timeline.at_own_pace(exercise, planned.dose),
        # Said as the player moves on after an answer ("Next: Dead bug, …").
        "say_next": timeline.next_cue(exercise, planned.dose, name) if response else None,
        "exercise_minutes": estimated_minutes(estimated_seconds(exercise, planned.dose)),
        "session_minutes": timeline.minutes_left(progress.plan.exercises, catalogue),
        "minutes_left": timeline.minutes_left(left, catalogue),
    }


def _refused(request: Request, p: Person, message: str) -> Response:
    try:
        progress = sessions.in_progress(p, today(request))
    except NoProgram:
        return RedirectResponse("/start", status_code=303)
    return _player(request, p, progress, error=message)


def _finished(
    request: Request,
    logged: LoggedSession,
    response: Decision | None,
    done: record_list.Done | None = None,
) -> Response:
    partial = bool(request.headers.get("hx-request"))
    return page(
        request,
        "_finished.html" if partial else "finished.html",
        {
            "title": "Session saved",
            "logged": logged,
            "response": response,
            "leg": any(d.rule == RuleId.PAIN_STOP_SESSION for d in logged.responses),
            "leg_signs": LEG_SIGNS,
            "done": done,  # Undo, right after the session is saved (web/record_list.py)
        },
    )
