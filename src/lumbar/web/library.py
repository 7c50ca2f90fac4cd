"""The pages everyone may read: the exercise library, the education topics, the figures as
files, and the web app's manifest. They are the same for every person (the content), so
they ask no use case and need no record; but an exercise's page also shows a signed-in
patient their clinician's note on it (issue #20): a clinic's pages are never kept in a
shared cache (`assets.CLINIC_PAGES`).
"""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from lumbar.content.load import Content
from lumbar.domain.access import Role
from lumbar.figures.drawings import Picture
from lumbar.web.assets import static_url
from lumbar.web.authorization import signed_in
from lumbar.web.context import person
from lumbar.web.templating import page

router = APIRouter(include_in_schema=False)


# Reading.


@router.get("/library")
def library(request: Request, phase: str = "", category: str = "") -> Response:
    content = _content(request)
    phases = content.program
    exercises = list(content.catalogue.values())
    if phase.isascii() and phase.isdigit() and len(phase) < 3:
        number = int(phase)
        chosen = phases.phase(number) if 1 <= number <= phases.last_phase else None
        exercises = [e for e in exercises if chosen and chosen.prescription(e.id) is not None]
    if category:
        exercises = [e for e in exercises if e.category == category]
    categories = sorted({e.category for e in content.catalogue.values()})
    context = {
        "title": "Exercise library",
        "exercises": exercises,
        "categories": categories,
        "phases": phases.phases,
        "phase": phase,
        "category": category,
    }
    if request.headers.get("hx-request") and request.headers.get("hx-target") == "results":
        return page(request, "_exercises.html", context)
    return page(request, "library.html", context)


@router.get("/library/{exercise_id}")
async def exercise_page(request: Request, exercise_id: str) -> Response:
    content = _content(request)
    exercise = content.catalogue.get(exercise_id)
    if exercise is None:
        return _missing(request, f"There is no exercise called {exercise_id!r}.")
    return page(
        request,
        "exercise.html",
        {
            "title": exercise.name,
            "description": f"{exercise.name}: {exercise.purpose}",
            "exercise": exercise,
            "phases": content.program.phases,
            "clinician_note": await _note(request, exercise_id),
        },
    )


async def _note(request: Request, exercise_id: str) -> str | None:
    """The signed-in patient's clinician's note on this exercise (accounts mode); nobody
    else has one: the page is the same for everyone else."""
    found = signed_in(request)
    if found is None or found.account.role is not Role.PATIENT:
        return None
    prescribed = await run_in_threadpool((await person(request)).prescription)
    return None if prescribed is None else prescribed.exercise_notes.get(exercise_id)


@router.get("/learn")
def learn(request: Request) -> Response:
    topics = _content(request).topics.values()
    return page(request, "learn.html", {"title": "Learn", "topics": topics})


@router.get("/learn/{topic_id}")
def topic_page(request: Request, topic_id: str) -> Response:
    topic = _content(request).topics.get(topic_id)
    if topic is None:
        return _missing(request, f"There is no topic called {topic_id!r}.")
    context = {"title": topic.title, "description": topic.summary, "topic": topic}
    return page(request, "topic.html", context)


def _content(request: Request) -> Content:
    """The catalogue and education, the same for everyone."""
    content: Content = request.app.state.content
    return content


def _missing(request: Request, message: str) -> HTMLResponse:
    return page(
        request, "message.html", {"title": "Not found", "message": message}, status_code=404
    )


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
            {"src": static_url("icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static_url("icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static_url("icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    return Response(json.dumps(body), media_type="application/manifest+json")


# Figures, as files: for printing, saving, and anything that cannot take them inline.

FIGURE_KINDS = {"-poses": Picture.POSES, "-still": Picture.STILL}


@router.get("/figures/{name}.svg")
def figure_file(
    request: Request, name: str, hold: int | None = None, version: str | None = None
) -> Response:
    """`ID.svg` moves (at `?hold=` seconds), `ID-poses.svg` is the key poses, `ID-still.svg`
    the main pose; `?version=` draws one of the exercise's variants or alternatives."""
    exercise_id, kind = name, Picture.MOTION
    for suffix, suffix_kind in FIGURE_KINDS.items():
        if name.endswith(suffix):
            exercise_id, kind = name.removesuffix(suffix), suffix_kind
    drawings = request.app.state.drawings
    if exercise_id not in drawings:
        return Response(f"No figure for {exercise_id!r}.", status_code=404, media_type="text/plain")
    if version is not None and not drawings.has(exercise_id, version):
        return Response(
            f"No version {version!r} of {exercise_id!r}.", status_code=404, media_type="text/plain"
        )
    if hold is not None and not 1 <= hold <= 300:
        return Response(
            "hold: give whole seconds from 1 to 300.", status_code=422, media_type="text/plain"
        )
    return Response(
        drawings.svg(exercise_id, kind, hold, version=version),
        media_type="image/svg+xml",
        headers={"Cache-Control": "public, max-age=3600"},
    )
