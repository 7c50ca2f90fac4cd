"""A patient's side of the messages with their clinician (accounts mode).

Short messages, one thread per patient; the clinician's side is in web/clinic.py.
"""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from lumbar.domain.access import Account
from lumbar.errors import UserError
from lumbar.formats.shapes.clinic import Message
from lumbar.usecases import messages, notifications
from lumbar.usecases.accounts import Accounts, now_utc
from lumbar.usecases.messages import MESSAGE_LIMIT
from lumbar.web import handover
from lumbar.web.authorization import ACCOUNT_REFUSALS, account, accounts_of
from lumbar.web.context import today
from lumbar.web.errors import REFUSALS
from lumbar.web.form_errors import FormErrors, Label
from lumbar.web.headers import is_head
from lumbar.web.templating import page

router = APIRouter(responses={**ACCOUNT_REFUSALS, 503: REFUSALS[503]})


class MessageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    body: Annotated[str, Field(min_length=1, max_length=MESSAGE_LIMIT)]


def thread_json(accounts: Accounts, patient: Account) -> list[dict[str, Any]]:
    return [
        {
            "id": m.id,
            "from": m.sender_id,
            "at": m.at.isoformat(),
            "body": m.body,
            "read_at": None if m.read_at is None else m.read_at.isoformat(),
        }
        for m in messages.thread(accounts, patient)
    ]


async def read_thread_json(request: Request, patient: Account) -> JSONResponse:
    """The thread in JSON, as the signed-in reader opens it: what the other side sent is
    read from now (the patient's own API and their clinician's)."""
    store, reader = request.app.state.store, account(request)
    opened = partial(notifications.open_thread, mark=not is_head(request))
    await run_in_threadpool(opened, store, reader, patient, now_utc())
    return JSONResponse(await run_in_threadpool(thread_json, accounts_of(request), patient))


def _context(request: Request, errors: FormErrors | None = None, body: str = "") -> dict[str, Any]:
    me = account(request)
    accounts = accounts_of(request)
    clinician = None if me.clinician_id is None else accounts.account(me.clinician_id)
    return {
        "title": "Messages",
        "thread": messages.thread(accounts, me),
        "me": me,
        "clinician": clinician,
        "handover_notice": handover.notice(request, today(request)),
        "errors": errors,
        "body": body[:MESSAGE_LIMIT],
    }


@router.get("/messages", include_in_schema=False)
async def messages_page(request: Request) -> Response:
    """The thread; opening it reads the clinician's messages (issue #20)."""
    me = account(request)
    look = partial(notifications.open_thread, mark=not is_head(request))
    opened = await run_in_threadpool(look, request.app.state.store, me, me, now_utc())
    context = await run_in_threadpool(_context, request)
    return page(request, "messages.html", {**context, "new_messages": opened.new_messages})


@router.post("/messages", include_in_schema=False)
async def send_form(request: Request) -> Response:
    form = await request.form()
    me = account(request)
    try:
        await run_in_threadpool(
            messages.send, accounts_of(request), me, me, str(form.get("body", "")), now_utc()
        )
    except UserError as refusal:
        errors = FormErrors({"body": Label("your message", missing="Write your message")})
        errors.add("body", refusal.message)
        body = str(form.get("body", ""))
        context = await run_in_threadpool(_context, request, errors, body)
        return page(request, "messages.html", context, status_code=422)
    return RedirectResponse("/messages", status_code=303)


@router.get(
    "/api/v1/messages",
    operation_id="getMessages",
    response_model=list[Message],
    summary="The messages with your clinician (accounts mode)",
)
async def thread_api(request: Request) -> JSONResponse:
    return await read_thread_json(request, account(request))


@router.post(
    "/api/v1/messages",
    status_code=201,
    operation_id="postMessage",
    response_model=list[Message],
    summary="Send your clinician a message",
    responses={422: REFUSALS[422]},
)
async def send_api(request: Request, body: MessageIn) -> JSONResponse:
    me = account(request)
    accounts = accounts_of(request)
    await run_in_threadpool(messages.send, accounts, me, me, body.body, now_utc())
    return JSONResponse(await run_in_threadpool(thread_json, accounts, me), status_code=201)
