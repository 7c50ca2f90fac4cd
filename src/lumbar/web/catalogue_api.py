"""The JSON API's content: the exercise catalogue, with each figure's address, and the
education topics. The same for everyone, read from the content loaded at start."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from lumbar.content.load import Content
from lumbar.domain.model import Exercise
from lumbar.formats.shapes.library import CatalogueExercise, Topic
from lumbar.formats.views import (
    exercise_json,
    topic_json,
)
from lumbar.web.errors import NOT_FOUND, REFUSALS

router = APIRouter(prefix="/api/v1", tags=["api"], responses=REFUSALS)


def _json(body: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(body, status_code=status)


def _with_figures(exercise: Exercise, content: Content) -> dict[str, Any]:
    """The exercise as the command line shows it, with where its figure is drawn."""
    return exercise_json(exercise, content) | {
        "figures": {
            "moving": f"/figures/{exercise.id}.svg",
            "poses": f"/figures/{exercise.id}-poses.svg",
            "still": f"/figures/{exercise.id}-still.svg",
        }
    }


@router.get(
    "/exercises",
    operation_id="getExercises",
    response_model=list[CatalogueExercise],
    summary="The exercise catalogue",
)
def exercises(request: Request) -> JSONResponse:
    content = _content(request)
    return _json([_with_figures(e, content) for e in content.catalogue.values()])


@router.get(
    "/exercises/{exercise_id}",
    operation_id="getExercise",
    response_model=CatalogueExercise,
    summary="One exercise, with the addresses of its figure",
    responses=NOT_FOUND,
)
def exercise(request: Request, exercise_id: str) -> JSONResponse:
    content = _content(request)
    found = content.catalogue.get(exercise_id)
    if found is None:
        return _json({"message": f"no exercise {exercise_id!r}"}, 404)
    return _json(_with_figures(found, content))


@router.get(
    "/topics", operation_id="getTopics", response_model=list[Topic], summary="The education topics"
)
def topics(request: Request) -> JSONResponse:
    return _json([topic_json(t) for t in _content(request).topics.values()])


@router.get(
    "/topics/{topic_id}",
    operation_id="getTopic",
    response_model=Topic,
    summary="One education topic",
    responses=NOT_FOUND,
)
def topic(request: Request, topic_id: str) -> JSONResponse:
    found = _content(request).topics.get(topic_id)
    if found is None:
        return _json({"message": f"no topic {topic_id!r}"}, 404)
    return _json(topic_json(found))


def _content(request: Request) -> Content:
    """The catalogue and education, the same for everyone."""
    content: Content = request.app.state.content
    return content
