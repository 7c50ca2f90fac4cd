"""The session player: one exercise at a time, a pain check-in after each.

Every answer is saved as it is given (a draft in the database), so a reload or a closed tab
resumes at the next exercise. htmx swaps the player in place; without JavaScript the same
forms post and redirect back, so the session works either way. The page carries the
exercise's steps with their words (formats/timeline.py) for the hands-free player
(static/player.js), and how long the exercise and the session take.

Offline (issue #16): the page also carries every exercise still to come, each as the player
would show it, in `<template>`s, so that once it has loaded it can finish the session
without the network (static/offline.js). Answers given offline wait in the browser, each
with an `Idempotency-Key`, and are sent when the connection is back; an answer or an end
sent again with its key writes nothing more (usecases/sessions.py). Each form carries the
day of its session, so that an answer sent the next morning is of the day it was given.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from lumbar.content.wording import SKIP_WORDS
from lumbar.domain.decisions import Decision
from lumbar.domain.model import (
    COMMENT_MAX,
    SKIP_NOTE_MAX,
    Pain,
    SkipReason,
)
from lumbar.domain.rules import RuleId
from lumbar.domain.screening import PHASE_CHANGE_CHECK
from lumbar.domain.session import Answered, LoggedSession, SessionInProgress
from lumbar.errors import NoProgram, UserError
from lumbar.usecases import sessions, swaps, versions
from lumbar.usecases.accounts import now_utc
from lumbar.usecases.camera_records import parse_camera
from lumbar.usecases.idempotency import ClientKey, Once
from lumbar.usecases.person import Person
from lumbar.usecases.problems import LEG_SIGNS
from lumbar.web import record_list
from lumbar.web.context import PersonDep, day_or_today, today, write
from lumbar.web.player_ahead import exercises_ahead, runner, swaps_offline
from lumbar.web.templating import page

router = APIRouter(include_in_schema=False)

SKIP_REASONS = [(reason.value, SKIP_WORDS[reason.value].capitalize()) for reason in SkipReason]
"""The reasons the player offers to skip an exercise, as (value, label)."""


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
    """The form is read on the event loop; the answer is a write (context.write).

    With an `Idempotency-Key` header (the page's queue sends one with every answer), the
    same answer sent again writes nothing and shows the same outcome."""
    form = await request.form()
    try:
        pain = Pain(str(form.get("pain", "")))
    except ValueError:
        message = "please choose one of the four answers"
        return await run_in_threadpool(_refused, request, p, message)
    exercise = str(form.get("exercise", ""))
    version = str(form.get("version", "")) or None
    comment = str(form.get("comment", "")) or None
    key = _key(request)
    try:
        # The camera's summary of the exercise (issue #21), when the camera was on: JSON.
        said = (comment, parse_camera(str(form.get("camera", "")) or None))
        on = _day(request, form.get("date"))
        if key is None:
            answered = await write(p, _answer_once, p, on, exercise, pain, version, said, None)
            replayed = False
        else:
            once = await write(p, _answer_once, p, on, exercise, pain, version, said, key)
            answered, replayed = once.outcome, once.replayed
    except UserError as error:
        # The comment typed is shown again in its box, to be put right (issue #20).
        return await run_in_threadpool(_refused, request, p, str(error), comment)
    return await _went_on(request, p, on, answered, replayed)


@router.post("/session/skip")
async def skip(request: Request, p: PersonDep) -> Response:
    """Skip the exercise shown, with a reason (issue #17): kept like an answer (and queued
    like one offline, static/offline.js), never as a pain answer. An unknown reason, or
    "other" without its few words, is refused with the player and nothing is written."""
    form = await request.form()
    exercise = str(form.get("exercise", ""))
    reason, note = str(form.get("reason", "")), str(form.get("note", ""))
    if reason != SkipReason.OTHER.value:
        note = ""  # the form's note box is for "other"; a word left in it is not kept
    key = _key(request)
    try:
        on = _day(request, form.get("date"))
        if key is None:
            answered = await write(p, sessions.skip, p, on, exercise, reason, note)
            replayed = False
        else:
            once = await write(p, _skip_once, p, on, exercise, reason, note, key)
            answered, replayed = once.outcome, once.replayed
    except UserError as error:
        return await run_in_threadpool(_refused, request, p, str(error))
    return await _went_on(request, p, on, answered, replayed)


@router.post("/session/swap")
async def swap(request: Request, p: PersonDep) -> Response:
    """Show the exercise in one of its alternatives, for this session only: nothing of the
    session is written until its pain is answered (the answer carries the version done).

    Queued offline like an answer (static/offline.js), a swap comes with its day and an
    `Idempotency-Key`, before the answer that follows it (usecases/swaps.py)."""
    form = await request.form()
    exercise, version = str(form.get("exercise", "")), str(form.get("version", ""))
    key = _key(request)
    try:
        on = _day(request, form.get("date"))
        if key is None:
            progress = await run_in_threadpool(swaps.swap, p, on, exercise, version)
            replayed = False
        else:
            once = await write(p, _swap_once, p, on, exercise, version, key)
            progress, replayed = once.outcome, once.replayed
    except UserError as error:
        return await run_in_threadpool(_refused, request, p, str(error))
    now = progress.next is not None and progress.next.exercise_id == exercise
    shown = _player(request, p, progress, swap=version if now else None)
    return _replayed(shown) if replayed else shown


def _swap_once(
    p: Person, on: date, exercise: str, version: str, key: ClientKey
) -> Once[SessionInProgress]:
    return swaps.swap(p, on, exercise, version, key=key)


async def _went_on(
    request: Request, p: Person, on: date, answered: Answered, replayed: bool
) -> Response:
    """After an answer or a skip: the next exercise, or the session saved."""
    if answered.finished is not None:
        done = await run_in_threadpool(record_list.just_saved, p, "session", on)
        shown = _finished(request, answered.finished, answered.response, done)
    else:
        shown = _player(request, p, answered.progress, response=answered.response)
    return _replayed(shown) if replayed else shown


@router.post("/session/finish")
async def finish(request: Request, p: PersonDep) -> Response:
    form = await request.form()
    key = _key(request)
    try:
        on = _day(request, form.get("date"))
        if key is None:
            logged = await write(p, sessions.finish, p, on)
            replayed = False
        else:
            once = await write(p, _finish_once, p, on, key)
            logged, replayed = once.outcome, once.replayed
    except UserError as error:
        return await run_in_threadpool(_refused, request, p, str(error))
    done = await run_in_threadpool(record_list.just_saved, p, "session", on)
    shown = _finished(request, logged, None, done)
    return _replayed(shown) if replayed else shown


def _answer_once(
    p: Person,
    on: date,
    exercise: str,
    pain: Pain,
    version: str | None,
    said: tuple[str | None, object],
    key: ClientKey | None,
) -> Any:
    """`said`: the person's comment, and the camera's summary (its JSON's data)."""
    comment, camera = said
    if key is None:
        return sessions.answer(
            p, on, exercise, pain, version=version, comment=comment, camera=camera
        )
    return sessions.answer(
        p, on, exercise, pain, version=version, comment=comment, camera=camera, key=key
    )


def _skip_once(
    p: Person, on: date, exercise: str, reason: str, note: str, key: ClientKey
) -> Once[Answered]:
    return sessions.skip(p, on, exercise, reason, note, key=key)


def _finish_once(p: Person, on: date, key: ClientKey) -> Once[LoggedSession]:
    return sessions.finish(p, on, key=key)


def _key(request: Request) -> ClientKey | None:
    """The request's Idempotency-Key (the use case checks it), and when it came."""
    given = request.headers.get("idempotency-key")
    return None if given is None else ClientKey(given, now_utc())


def _day(request: Request, given: Any) -> date:
    """The day of the session the form is of (its hidden `date`), or today."""
    if not given:
        return today(request)
    try:
        day = date.fromisoformat(str(given))
    except ValueError:
        raise UserError(f"date: {str(given)!r} is not a date (YYYY-MM-DD)") from None
    return day_or_today(request, day)


def _replayed(response: Response) -> Response:
    response.headers["Idempotent-Replayed"] = "true"
    return response


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
    swap: str | None = None,
    comment: str | None = None,
) -> Response:
    plan = progress.plan
    following = progress.next
    if following is not None and swap is not None:
        following = replace(following, version=swap)
    catalogue = p.content.catalogue
    exercise = None if following is None else catalogue[following.exercise_id]
    position = len(progress.answers) + len(progress.skipped) + 1
    unit = p.unit()  # every weight in the person's own unit (issue #17)
    context: dict[str, object] = {
        "title": "Session",
        "unit": unit,
        "plan": plan,
        "refusal": sessions.refusal(p, plan),
        "progress": progress,
        "planned": following,
        "exercise": exercise,
        "position": position,
        "count": len(plan.exercises),
        "response": response,
        "error": error,
        "swapped": swap,
        "skip_reasons": SKIP_REASONS,
        "skip_note_max": SKIP_NOTE_MAX,
        "comment_max": COMMENT_MAX,
        "comment": comment,
    }
    if following is not None and exercise is not None:
        context.update(runner(progress, following, exercise, catalogue, response, unit))
        # The clinician's note on this exercise (a clinic's prescription; none in local mode).
        prescribed = p.prescription()
        if prescribed is not None:
            context["clinician_note"] = prescribed.exercise_notes.get(exercise.id)
    partial = bool(request.headers.get("hx-request"))
    if not partial and following is not None:
        context["ahead"] = ahead = exercises_ahead(progress, catalogue, unit)
        context["swaps"] = swaps_offline(context, ahead, catalogue, unit)
    return page(
        request,
        "_player.html" if partial else "session.html",
        context,
        status_code=200 if error is None else 422,
    )


def _refused(request: Request, p: Person, message: str, comment: str | None = None) -> Response:
    try:
        progress = sessions.in_progress(p, today(request))
    except NoProgram:
        return RedirectResponse("/start", status_code=303)
    return _player(request, p, progress, error=message, comment=comment)


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
