"""The JSON API, `/api/v1`: the same use cases as the pages and the command line.

Answers carry the shapes of `lumbar.formats.views` (the ones `lumbar ... --json` prints, documented
in docs/cli.md), so a script can move between the command line and the API. Each route
declares its shape's model (`lumbar.formats.shapes`, `response_model=`) and a name chosen by
hand (`operation_id=`), so that a client generated from the OpenAPI schema returns typed
answers from functions named `getToday`, `postSession`, ... (tests/web/test_openapi.py).
The routes still answer with the dicts the views build: the model describes them, and the
schema tests (schemathesis) hold every answer to it.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from lumbar.domain.session import Answered
from lumbar.formats.shapes import plan as plan_shapes
from lumbar.formats.shapes.settings import ClearanceRequested
from lumbar.formats.shapes.status import Progress, Status
from lumbar.formats.views import (
    answered_json,
    logged_json,
    plan_json,
    progress_json,
    status_json,
)
from lumbar.usecases import (
    checkins,
    clearances,
    program,
    sessions,
)
from lumbar.usecases.accounts import now_utc
from lumbar.usecases.idempotency import ClientKey, Idempotency, Once, Recorded
from lumbar.usecases.person import Person
from lumbar.web.bodies import (
    AnswerIn,
    CheckInIn,
    ClearanceIn,
    ProgramIn,
    SessionIn,
    SkipAnswerIn,
)
from lumbar.web.context import PersonDep, day_or_today, write
from lumbar.web.errors import REFUSALS

router = APIRouter(prefix="/api/v1", tags=["api"], responses=REFUSALS)

DayQuery = Annotated[
    dt.date | None, Query(description="The day to ask about (ISO 8601); today if left out.")
]


def _json(body: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(body, status_code=status)


@router.get(
    "/today",
    operation_id="getToday",
    response_model=plan_shapes.Plan,
    summary="Today's plan: a session, a rest day, or why it is paused",
)
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


@router.get(
    "/status",
    operation_id="getStatus",
    response_model=Status,
    summary="Phase, sessions, next session, alerts and improvement",
)
def status(request: Request, p: PersonDep, date: DayQuery = None) -> JSONResponse:
    return _json(status_json(program.status(p, day_or_today(request, date)), p.content))


@router.get(
    "/progress",
    operation_id="getProgress",
    response_model=Progress,
    summary="Pain and PSFS over time, the adherence calendar, phases",
)
def progress(request: Request, p: PersonDep, date: DayQuery = None) -> JSONResponse:
    return _json(progress_json(program.progress(p, day_or_today(request, date)), p.content))


@router.post(
    "/program",
    status_code=201,
    operation_id="postProgram",
    response_model=plan_shapes.Plan,
    summary="Start the program with the intake answers",
)
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
    operation_id="postSession",
    response_model=plan_shapes.Logged,
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
    skipped = [(k.id, k.reason, k.note) for k in body.skipped]
    versions = {e.id: e.version for e in body.exercises if e.version}
    comments = {e.id: e.comment for e in body.exercises if e.comment is not None}
    cameras = {e.id: e.camera.model_dump() for e in body.exercises if e.camera is not None}
    on = day_or_today(request, body.date)
    if idempotency_key is None:
        log = partial(
            sessions.log, skipped=skipped, versions=versions, comments=comments, cameras=cameras
        )
        logged = await write(p, log, p, on, entries)
        return _json(logged_json(logged, p.content), 201)
    once = Idempotency(
        idempotency_key,
        request=body.model_dump_json(),
        at=now_utc(),
    )

    def record() -> Recorded:
        return sessions.log(
            p,
            on,
            entries,
            skipped=skipped,
            versions=versions,
            comments=comments,
            cameras=cameras,
            idempotency=once,
        )

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
    operation_id="postSessionAnswer",
    response_model=plan_shapes.Answered,
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
    camera = None if body.camera is None else body.camera.model_dump()
    if idempotency_key is None:
        answer = partial(sessions.answer, version=body.version, comment=body.comment, camera=camera)
        answered = await write(p, answer, p, on, body.exercise, body.pain)
        return _json(answered_json(answered, p.content), 201)
    key = ClientKey(idempotency_key, now_utc())

    def keep() -> Once[Answered]:
        return sessions.answer(
            p,
            on,
            body.exercise,
            body.pain,
            version=body.version,
            comment=body.comment,
            camera=camera,
            key=key,
        )

    once = await write(p, keep)
    headers = {"Idempotent-Replayed": "true"} if once.replayed else None
    return JSONResponse(answered_json(once.outcome, p.content), status_code=201, headers=headers)


@router.post(
    "/session/skips",
    status_code=201,
    operation_id="postSessionSkip",
    response_model=plan_shapes.Answered,
    summary="Skip one exercise of today's session, with a reason (the guided player)",
    description="A skip is not a pain answer: the exercise keeps its dose, and the session "
    "counts toward the next phase when the reason is no equipment, no time or the floor "
    "(docs/rules.md). An unknown reason is refused (422) and nothing is written. The "
    "`Idempotency-Key` header works as for an answer.",
    responses={201: {**REPLAYED[201], "description": "The skip was kept."}},
)
async def skip(
    request: Request,
    p: PersonDep,
    body: SkipAnswerIn,
    idempotency_key: Annotated[
        str | None, Header(alias="Idempotency-Key", description=ANSWER_KEY)
    ] = None,
) -> JSONResponse:
    on = day_or_today(request, body.date)
    args = (p, on, body.exercise, body.reason, body.note)
    if idempotency_key is None:
        answered = await write(p, sessions.skip, *args)
        return _json(answered_json(answered, p.content), 201)
    key = ClientKey(idempotency_key, now_utc())

    def keep() -> Once[Answered]:
        return sessions.skip(*args, key=key)

    once = await write(p, keep)
    headers = {"Idempotent-Replayed": "true"} if once.replayed else None
    return JSONResponse(answered_json(once.outcome, p.content), status_code=201, headers=headers)


@router.post(
    "/checkins",
    status_code=201,
    operation_id="postCheckin",
    response_model=Status,
    summary="Check in: pain, activities, new symptoms",
)
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
    operation_id="postClearance",
    response_model=Status,
    summary="A clinician saw you: recorded as your statement (self-guided), or a request "
    "to your clinician (202, on a clinic's server)",
    responses={
        202: {
            "model": ClearanceRequested,
            "description": "A request for your clinician: nothing cleared yet.",
        }
    },
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
