"""The JSON API, `/api/v1`: the same use cases as the pages and the command line.

Answers carry the shapes of `lumbar.formats.views` (the ones `lumbar ... --json` prints, documented
in docs/cli.md), so a script can move between the command line and the API.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import partial
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Header, Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from lumbar.content.load import Content
from lumbar.domain.model import Exercise
from lumbar.domain.session import Answered
from lumbar.formats.views import (
    answered_json,
    choice_json,
    exercise_json,
    logged_json,
    plan_json,
    problem_json,
    progress_json,
    reminders_json,
    status_json,
    topic_json,
)
from lumbar.usecases import (
    checkins,
    clearances,
    handouts,
    problems,
    program,
    records,
    reminders,
    sessions,
    versions,
)
from lumbar.usecases.accounts import now_utc
from lumbar.usecases.idempotency import ClientKey, Idempotency, Once, Recorded
from lumbar.usecases.person import Person
from lumbar.web.bodies import (
    AlternativeIn,
    AnswerIn,
    CheckInIn,
    ClearanceIn,
    DaysIn,
    ProblemIn,
    ProgramIn,
    RemindersIn,
    SessionIn,
)
from lumbar.web.context import PersonDep, day_or_today, write
from lumbar.web.errors import NOT_FOUND, REFUSALS

router = APIRouter(prefix="/api/v1", tags=["api"], responses=REFUSALS)

DayQuery = Annotated[
    dt.date | None, Query(description="The day to ask about (ISO 8601); today if left out.")
]


def _json(body: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(body, status_code=status)


@router.get("/today", summary="Today's plan: a session, a rest day, or why it is paused")
async def today(request: Request, p: PersonDep, date: DayQuery = None) -> Response:
    # The most frequent request: answered from memory while the person's revision (one
    # small query) says nothing was written since, by this process or another.
    on = day_or_today(request, date)
    answers: program.DayAnswers = request.app.state.day_answers
    if p.reads_at_once:
        revision = answers.revision(p)
    else:
        revision = await run_in_threadpool(answers.revision, p)
    body = answers.kept(p, on, revision)
    if body is None:
        body = await run_in_threadpool(_today_body, p, on)
        answers.keep(p, on, revision, body)
    return Response(body, media_type="application/json")


def _today_body(p: Person, on: dt.date) -> bytes:
    return json.dumps(
        plan_json(program.today(p, on), p.content), ensure_ascii=False, separators=(",", ":")
    ).encode()


@router.get("/status", summary="Phase, sessions, next session, alerts and improvement")
def status(request: Request, p: PersonDep, date: DayQuery = None) -> JSONResponse:
    return _json(status_json(program.status(p, day_or_today(request, date)), p.content))


@router.get("/progress", summary="Pain and PSFS over time, the adherence calendar, phases")
def progress(request: Request, p: PersonDep, date: DayQuery = None) -> JSONResponse:
    return _json(progress_json(program.progress(p, day_or_today(request, date)), p.content))


@router.post("/program", status_code=201, summary="Start the program with the intake answers")
async def start(request: Request, p: PersonDep, body: ProgramIn) -> JSONResponse:
    on = day_or_today(request, body.date)
    plan = await write(p, partial(program.start, now=now_utc()), p, body, on)
    return _json(plan_json(plan, p.content), 201)


IDEMPOTENCY_KEY = (
    "Optional: 1 to 128 printable ASCII characters that the client makes up for this one "
    "session (a UUID will do) and sends again with every retry of it. The first request "
    "records the session and keeps its answer under the key, in the same transaction; a "
    "retry gets that answer again (201, with `Idempotent-Replayed: true`) and records "
    "nothing, even when it arrives while the first is still being written. The same key "
    "with a different body is refused (422), and so is a key that is empty, too long or "
    "not printable ASCII."
)
REPLAYED: dict[int | str, dict[str, Any]] = {
    201: {
        "description": "The session was recorded (or, with a key used before, it already was).",
        "headers": {
            "Idempotent-Replayed": {
                "description": "`true` when this is the answer kept from an earlier request "
                "with the same Idempotency-Key: nothing was recorded this time.",
                "schema": {"type": "string", "enum": ["true"]},
            }
        },
    }
}


@router.post(
    "/sessions",
    status_code=201,
    summary="Record a session with the pain after each",
    description="A client that may send the same session twice (a retry after a timeout or "
    "a lost connection) sends an `Idempotency-Key` header, so that it is recorded once.",
    responses=REPLAYED,
)
async def record_session(
    request: Request,
    p: PersonDep,
    body: SessionIn,
    idempotency_key: Annotated[
        str | None, Header(alias="Idempotency-Key", description=IDEMPOTENCY_KEY)
    ] = None,
) -> JSONResponse:
    entries = [(e.id, e.pain) for e in body.exercises]
    on = day_or_today(request, body.date)
    if idempotency_key is None:
        logged = await write(p, sessions.log, p, on, entries)
        return _json(logged_json(logged, p.content), 201)
    once = Idempotency(
        idempotency_key,
        request=body.model_dump_json(),
        at=now_utc(),
    )

    def record() -> Recorded:
        return sessions.log(p, on, entries, idempotency=once)

    recorded = await write(p, record)
    headers = {"Idempotent-Replayed": "true"} if recorded.replayed else None
    return JSONResponse(recorded.body, status_code=201, headers=headers)


ANSWER_KEY = (
    "Optional: 1 to 128 printable ASCII characters that the client makes up for this one "
    "answer (a UUID will do) and sends again with every retry of it, however late (a phone "
    "that was offline). The first request keeps the answer; a retry writes nothing and gets "
    "the same response, with the session as it stands now (201, `Idempotent-Replayed: "
    "true`). The same key with another answer is refused (422). Keys are kept for a week."
)


@router.post(
    "/session/answers",
    status_code=201,
    summary="Answer the pain after one exercise of today's session (the guided player)",
    description="A client that may send an answer twice (a retry, or answers kept while "
    "offline) sends an `Idempotency-Key` header, so that it is kept once.",
    responses={
        201: {
            **REPLAYED[201],
            "description": "The answer was kept (or, with a key used before, it already was).",
        }
    },
)
async def answer(
    request: Request,
    p: PersonDep,
    body: AnswerIn,
    idempotency_key: Annotated[
        str | None, Header(alias="Idempotency-Key", description=ANSWER_KEY)
    ] = None,
) -> JSONResponse:
    on = day_or_today(request, body.date)
    if idempotency_key is None:
        answered = await write(p, sessions.answer, p, on, body.exercise, body.pain)
        return _json(answered_json(answered, p.content), 201)
    key = ClientKey(idempotency_key, now_utc())

    def keep() -> Once[Answered]:
        return sessions.answer(p, on, body.exercise, body.pain, key=key)

    once = await write(p, keep)
    headers = {"Idempotent-Replayed": "true"} if once.replayed else None
    return JSONResponse(answered_json(once.outcome, p.content), status_code=201, headers=headers)


@router.post("/checkins", status_code=201, summary="Check in: pain, activities, new symptoms")
async def checkin(request: Request, p: PersonDep, body: CheckInIn) -> JSONResponse:
    current = await write(
        p,
        partial(
            checkins.record,
            pain=body.pain,
            psfs=None if body.psfs is None else tuple(body.psfs),
            symptoms=tuple(body.symptoms),
            screened=body.screened,
        ),
        p,
        day_or_today(request, body.date),
    )
    return _json(status_json(current, p.content), 201)


@router.post(
    "/clearances",
    status_code=201,
    summary="A clinician saw you: recorded as your statement (self-guided), or a request "
    "to your clinician (202, on a clinic's server)",
    responses={202: {"description": "A request for your clinician: nothing cleared yet."}},
)
async def clearance(request: Request, p: PersonDep, body: ClearanceIn) -> JSONResponse:
    on = day_or_today(request, body.date)
    codes = tuple(body.alerts)
    if p.clinic:
        asked = await write(
            p, partial(clearances.request, seen_by=body.by, now=now_utc(), codes=codes), p, on
        )
        text = "Your clinician will see this and decide; until then the alerts stand."
        return _json({"requested": list(asked), "text": text}, 202)
    current = await write(p, partial(clearances.record, by=body.by, codes=codes), p, on)
    return _json(status_json(current, p.content), 201)


@router.put("/settings/days", summary="Change the training days")
async def set_days(request: Request, p: PersonDep, body: DaysIn) -> JSONResponse:
    """New training days from today; the days before keep their own (adherence counts
    each day against the days in force on it)."""
    on = day_or_today(request, None)
    days = await write(p, program.set_training_days, p, body.days, on)
    return _json({"days": days.label})


@router.get("/settings/alternatives", summary="The exercises done on a chair or standing")
def alternatives(p: PersonDep) -> JSONResponse:
    return _json([choice_json(c.exercise, c.chosen) for c in versions.choices(p)])


@router.put(
    "/settings/alternatives/{exercise_id}",
    summary="Do an exercise on a chair or standing instead, from now on",
)
async def set_alternative(p: PersonDep, exercise_id: str, body: AlternativeIn) -> JSONResponse:
    """The rules count the alternative as the exercise itself: the same doses and pain rules."""
    chosen = await write(p, versions.choose, p, exercise_id, body.alternative)
    return _json(choice_json(chosen.exercise, chosen.chosen))


@router.get(
    "/export",
    summary="Everything recorded, as one versioned JSON document (format=fhir: a FHIR R4 Bundle)",
)
def export(
    request: Request,
    p: PersonDep,
    format: Annotated[Literal["native", "fhir"], Query(description="native or fhir")] = "native",
) -> JSONResponse:
    if format == "fhir":
        return _json(handouts.fhir(p, day_or_today(request, None)))
    return _json(records.export(p))


@router.get("/problems", summary="The problem reports (the adverse-event log)")
def problem_reports(p: PersonDep) -> JSONResponse:
    return _json([problem_json(r) for r in problems.reports(p)])


@router.post("/problems", status_code=201, summary="Report a problem: more pain, a fall, other")
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


@router.get("/settings/reminders", summary="When sessions and posture breaks are reminded")
def reminder_settings(p: PersonDep) -> JSONResponse:
    settings, _ = reminders.settings(p)
    return _json(reminders_json(settings))


@router.put("/settings/reminders", summary="Change when sessions and posture breaks are reminded")
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
    summary="The coming weeks as iCalendar (RFC 5545): sessions, check-ins, review, breaks",
    response_class=Response,
)
def calendar(
    request: Request,
    p: PersonDep,
    weeks: Annotated[int, Query(ge=1, le=12, description="Weeks ahead.")] = 4,
) -> Response:
    return Response(
        handouts.calendar(p, day_or_today(request, None), weeks=weeks), media_type="text/calendar"
    )


@router.post("/import", status_code=201, summary="Load an export into an empty database")
async def import_(
    p: PersonDep, document: Annotated[dict[str, Any], Body(description="An export.")]
) -> JSONResponse:
    history = await write(p, partial(records.import_, source="body"), p, json.dumps(document))
    return _json({"events": len(history.events), "start": history.profile.start.isoformat()}, 201)


def _with_figures(exercise: Exercise, content: Content) -> dict[str, Any]:
    """The exercise as the command line shows it, with where its figure is drawn."""
    return exercise_json(exercise, content) | {
        "figures": {
            "moving": f"/figures/{exercise.id}.svg",
            "poses": f"/figures/{exercise.id}-poses.svg",
            "still": f"/figures/{exercise.id}-still.svg",
        }
    }


@router.get("/exercises", summary="The exercise catalogue")
def exercises(request: Request) -> JSONResponse:
    content = _content(request)
    return _json([_with_figures(e, content) for e in content.catalogue.values()])


@router.get(
    "/exercises/{exercise_id}",
    summary="One exercise, with the addresses of its figure",
    responses=NOT_FOUND,
)
def exercise(request: Request, exercise_id: str) -> JSONResponse:
    content = _content(request)
    found = content.catalogue.get(exercise_id)
    if found is None:
        return _json({"message": f"no exercise {exercise_id!r}"}, 404)
    return _json(_with_figures(found, content))


@router.get("/topics", summary="The education topics")
def topics(request: Request) -> JSONResponse:
    return _json([topic_json(t) for t in _content(request).topics.values()])


@router.get("/topics/{topic_id}", summary="One education topic", responses=NOT_FOUND)
def topic(request: Request, topic_id: str) -> JSONResponse:
    found = _content(request).topics.get(topic_id)
    if found is None:
        return _json({"message": f"no topic {topic_id!r}"}, 404)
    return _json(topic_json(found))


def _content(request: Request) -> Content:
    """The catalogue and education, the same for everyone."""
    content: Content = request.app.state.content
    return content
