"""The session player: one exercise at a time, a pain check-in after each.

Every answer is saved as it is given (a draft in the database), so a reload or a closed tab
resumes at the next exercise. htmx swaps the player in place; without JavaScript the same
forms post and redirect back, so the session works either way.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from lumbar.domain.decisions import Decision
from lumbar.domain.model import Pain
from lumbar.errors import NoProgram, UserError
from lumbar.services import LoggedSession, Services, SessionInProgress
from lumbar.web.context import services, today
from lumbar.web.templating import page

router = APIRouter(include_in_schema=False)
ServicesDep = Annotated[Services, Depends(services)]


@router.get("/session")
def session(request: Request, s: ServicesDep) -> Response:
    try:
        progress = s.in_progress(today(request))
    except NoProgram:
        return RedirectResponse("/start", status_code=303)
    return _player(request, s, progress)


@router.post("/session/answer")
async def answer(request: Request, s: ServicesDep) -> Response:
    """The form is read on the event loop; the answer (a write) in the thread pool."""
    return await run_in_threadpool(_answer, request, s, await request.form())


def _answer(request: Request, s: Services, form: FormData) -> Response:
    on = today(request)
    try:
        pain = Pain(str(form.get("pain", "")))
    except ValueError:
        return _refused(request, s, "please choose one of the four answers")
    try:
        answered = s.answer(on, str(form.get("exercise", "")), pain)
    except UserError as error:
        return _refused(request, s, str(error))
    if answered.finished is not None:
        return _finished(request, s, answered.finished, answered.response)
    return _player(request, s, answered.progress, response=answered.response)


@router.post("/session/finish")
def finish(request: Request, s: ServicesDep) -> Response:
    try:
        logged = s.finish(today(request))
    except UserError as error:
        return _refused(request, s, str(error))
    return _finished(request, s, logged, None)


def _player(
    request: Request,
    s: Services,
    progress: SessionInProgress,
    *,
    response: Decision | None = None,
    error: str | None = None,
) -> Response:
    plan = progress.plan
    following = progress.next
    exercise = None if following is None else s.content.catalogue[following.exercise_id]
    position = len(progress.answers) + 1
    context = {
        "title": "Session",
        "plan": plan,
        "refusal": s.refusal(plan),
        "progress": progress,
        "planned": following,
        "exercise": exercise,
        "position": position,
        "count": len(plan.exercises),
        "response": response,
        "error": error,
    }
    partial = bool(request.headers.get("hx-request"))
    return page(
        request,
        "_player.html" if partial else "session.html",
        context,
        status_code=200 if error is None else 422,
    )


def _refused(request: Request, s: Services, message: str) -> Response:
    try:
        progress = s.in_progress(today(request))
    except NoProgram:
        return RedirectResponse("/start", status_code=303)
    return _player(request, s, progress, error=message)


def _finished(
    request: Request, s: Services, logged: LoggedSession, response: Decision | None
) -> Response:
    partial = bool(request.headers.get("hx-request"))
    return page(
        request,
        "_finished.html" if partial else "finished.html",
        {"title": "Session saved", "logged": logged, "response": response},
    )
