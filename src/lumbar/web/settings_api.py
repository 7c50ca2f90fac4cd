"""The JSON API's settings and what the person keeps beside their program: training days,
alternatives, reminders, the export, the problem reports, the calendar, and an import
(the routes of the day's program are in web/api.py).
"""

from __future__ import annotations

import json
from functools import partial
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import JSONResponse, Response

from lumbar.formats.shapes.library import Choice
from lumbar.formats.shapes.settings import Days, Export, Imported, Problem, Reminders
from lumbar.formats.views import (
    choice_json,
    problem_json,
    reminders_json,
)
from lumbar.usecases import (
    handouts,
    problems,
    program,
    records,
    reminders,
    versions,
)
from lumbar.web.bodies import (
    AlternativeIn,
    DaysIn,
    ProblemIn,
    RemindersIn,
)
from lumbar.web.context import PersonDep, day_or_today, write
from lumbar.web.errors import NOT_FOUND, REFUSALS

router = APIRouter(prefix="/api/v1", tags=["api"], responses=REFUSALS)


def _json(body: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(body, status_code=status)


@router.put(
    "/settings/days",
    operation_id="putTrainingDays",
    response_model=Days,
    summary="Change the training days",
)
async def set_days(request: Request, p: PersonDep, body: DaysIn) -> JSONResponse:
    """New training days from today; the days before keep their own (adherence counts
    each day against the days in force on it)."""
    on = day_or_today(request, None)
    days = await write(p, program.set_training_days, p, body.days, on)
    return _json({"days": days.label})


@router.get(
    "/settings/alternatives",
    operation_id="getAlternatives",
    response_model=list[Choice],
    summary="The exercises done on a chair or standing",
)
def alternatives(p: PersonDep) -> JSONResponse:
    return _json([choice_json(c.exercise, c.chosen) for c in versions.choices(p)])


@router.put(
    "/settings/alternatives/{exercise_id}",
    operation_id="putAlternative",
    response_model=Choice,
    summary="Do an exercise on a chair or standing instead, from now on",
    # An id holding a control character is no address at all (web/limits.py).
    responses={404: {**NOT_FOUND[404], "description": "No such address."}},
)
async def set_alternative(p: PersonDep, exercise_id: str, body: AlternativeIn) -> JSONResponse:
    """The rules count the alternative as the exercise itself: the same doses and pain rules."""
    chosen = await write(p, versions.choose, p, exercise_id, body.alternative)
    return _json(choice_json(chosen.exercise, chosen.chosen))


FHIR_JSON = "application/fhir+json"
"""FHIR's own media type for a Bundle in JSON, as the web download serves it."""


@router.get(
    "/export",
    operation_id="getExport",
    response_model=Export,
    summary="Everything recorded, as one versioned JSON document (format=fhir: a FHIR R4 Bundle)",
    responses={200: {"content": {FHIR_JSON: {"schema": {"type": "object"}}}}},
)
def export(
    request: Request,
    p: PersonDep,
    format: Annotated[Literal["native", "fhir"], Query(description="native or fhir")] = "native",
) -> JSONResponse:
    if format == "fhir":
        return JSONResponse(handouts.fhir(p, day_or_today(request, None)), media_type=FHIR_JSON)
    return _json(records.export(p))


@router.get(
    "/problems",
    operation_id="getProblems",
    response_model=list[Problem],
    summary="The problem reports (the adverse-event log)",
)
def problem_reports(p: PersonDep) -> JSONResponse:
    return _json([problem_json(r) for r in problems.reports(p)])


@router.post(
    "/problems",
    status_code=201,
    operation_id="postProblem",
    response_model=Problem,
    summary="Report a problem: more pain, a fall, other",
)
async def report_problem(request: Request, p: PersonDep, body: ProblemIn) -> JSONResponse:
    on = day_or_today(request, body.date)
    fall = None
    if body.kind == "fall" and body.hurt_back is not None:
        fall = problems.FallAnswers(
            body.hurt_back, body.major_injury, body.fragile, tuple(body.symptoms)
        )
    signs = tuple(body.symptoms)
    report = await write(
        p, partial(problems.report, fall=fall, signs=signs), p, on, body.kind, body.note
    )
    return _json(problem_json(report), 201)


@router.get(
    "/settings/reminders",
    operation_id="getReminders",
    response_model=Reminders,
    summary="When sessions and posture breaks are reminded",
)
def reminder_settings(p: PersonDep) -> JSONResponse:
    settings, _ = reminders.settings(p)
    return _json(reminders_json(settings))


@router.put(
    "/settings/reminders",
    operation_id="putReminders",
    response_model=Reminders,
    summary="Change when sessions and posture breaks are reminded",
)
async def set_reminders(p: PersonDep, body: RemindersIn) -> JSONResponse:
    settings = await write(
        p,
        partial(
            reminders.change,
            session_time=body.session_time,
            work_start=body.work_start,
            work_end=body.work_end,
            work_days=body.work_days,
            break_minutes=body.break_minutes,
        ),
        p,
    )
    return _json(reminders_json(settings))


@router.get(
    "/calendar",
    operation_id="getCalendar",
    summary="The coming weeks as iCalendar (RFC 5545): sessions, check-ins, review, breaks",
    response_class=Response,
    responses={
        200: {
            "description": "The calendar (an iCalendar file).",
            "content": {"text/calendar": {"schema": {"type": "string"}}},
        }
    },
)
def calendar(
    request: Request,
    p: PersonDep,
    weeks: Annotated[int, Query(ge=1, le=12, description="Weeks ahead.")] = 4,
) -> Response:
    return Response(
        handouts.calendar(p, day_or_today(request, None), weeks=weeks), media_type="text/calendar"
    )


@router.post(
    "/import",
    status_code=201,
    operation_id="postImport",
    response_model=Imported,
    summary="Load an export into an empty database",
)
async def import_(
    p: PersonDep, document: Annotated[dict[str, Any], Body(description="An export.")]
) -> JSONResponse:
    history = await write(p, partial(records.import_, source="body"), p, json.dumps(document))
    return _json({"events": len(history.events), "start": history.profile.start.isoformat()}, 201)
