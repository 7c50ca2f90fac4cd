"""The daily routine in the hands-free player (issue #17): on a rest day, a few minutes of
breathing and gentle mobility, guided like a session's exercises.

It only reads: the routine is not a training session, and nothing of it is sent or
recorded (docs/rules.md, "The daily routine"). The page carries every exercise (the first
in the player, the others in `<template>`s), its end and what its Stop shows, so that
static/routine.js goes from one to the next without the server, offline too; without
JavaScript the page lists each exercise with its sets, rests and times. "Stop: it hurts"
ends the routine with the session's own safety advice, from the page or, without
JavaScript, from `GET /routine/stopped`.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from lumbar.domain.model import Kind, Pain
from lumbar.domain.pain import respond
from lumbar.domain.rules import RuleId
from lumbar.errors import NoProgram
from lumbar.formats import routine as shown
from lumbar.usecases import routine
from lumbar.usecases.problems import LEG_SIGNS
from lumbar.web.context import PersonDep, today
from lumbar.web.templating import page

router = APIRouter(include_in_schema=False)

STOPS = (Pain.SHARP, Pain.RADIATING)
"""The Stop bar's two answers."""


@router.get("/routine")
def routine_page(request: Request, p: PersonDep) -> Response:
    try:
        found = routine.today(p, today(request))
    except NoProgram:
        return RedirectResponse("/start", status_code=303)
    catalogue = p.content.catalogue
    return page(
        request,
        "routine.html",
        {
            "title": "Daily routine",
            "unit": p.unit(),
            "plan": found.plan,
            "Kind": Kind,
            "views": shown.views(found.exercises, catalogue),
            "minutes": shown.minutes(found.exercises, catalogue),
            "leg_signs": LEG_SIGNS,
        },
    )


@router.get("/routine/stopped")
def stopped(request: Request, p: PersonDep, pain: str = "", exercise: str = "") -> Response:
    """The routine stopped because it hurt: the safety advice, nothing written. Which Stop
    asks the leg's questions is the session's rule (`pain.respond`: pain down the leg stops
    the session); either way the routine ends here."""
    try:
        found = routine.today(p, today(request))
    except NoProgram:
        return RedirectResponse("/start", status_code=303)
    context: dict[str, object] = {
        "title": "Routine stopped",
        "plan": found.plan,
        "Kind": Kind,
        "leg_signs": LEG_SIGNS,
    }
    chosen = next((stop for stop in STOPS if stop.value == pain), None)
    if chosen is None:
        catalogue = p.content.catalogue
        context.update(
            title="Daily routine",
            error="Please choose one of the two Stop buttons: sharp pain, or down my leg.",
            views=shown.views(found.exercises, catalogue),
            minutes=shown.minutes(found.exercises, catalogue),
        )
        return page(request, "routine.html", context, status_code=422)
    leg = respond(exercise, chosen).rule == RuleId.PAIN_STOP_SESSION
    context.update(stopped=True, leg=leg)
    return page(request, "routine.html", context)
