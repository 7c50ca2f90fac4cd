"""Two-step sign-in for staff (accounts mode): setting it up, the code after the password,
and the clinic's setting that requires it.

After a right password an enrolled account holds only a pending session (its cookie opens
nothing else); `/sign-in/code` asks for the code and starts the real session. Setting up
shows the secret as text and as a QR code, then, once a code from it is confirmed, the ten
recovery codes, once.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from lumbar.errors import UserError
from lumbar.formats import qr
from lumbar.formats.shapes.clinic import Me
from lumbar.usecases import two_factor
from lumbar.usecases.accounts import now_utc
from lumbar.web import csrf
from lumbar.web.authorization import HOME, account, accounts_of
from lumbar.web.errors import REFUSALS, Refusal
from lumbar.web.form_errors import FormErrors, Label
from lumbar.web.guard import SESSION_COOKIE
from lumbar.web.signin import _safe_next, _start, client_address
from lumbar.web.templating import page

router = APIRouter(responses={503: REFUSALS[503]})

CODE_FIELDS = {"code": Label("the code", missing="Enter the 6-digit code from your app")}
TITLE = "Two-step sign-in"


# The code after the password.


@router.get("/sign-in/code", include_in_schema=False)
def code_page(request: Request, next: str | None = None) -> Response:
    accounts_of(request)
    if not request.cookies.get(SESSION_COOKIE):
        return RedirectResponse("/sign-in", status_code=303)
    return page(request, "sign_in_code.html", {"title": TITLE, "next": next or ""})


@router.post("/sign-in/code", include_in_schema=False)
async def code_form(request: Request) -> Response:
    accounts = accounts_of(request)
    form = await request.form()
    code = str(form.get("code", ""))[:40]
    target = str(form.get("next", ""))
    errors = FormErrors(CODE_FIELDS)
    context: dict[str, Any] = {"title": TITLE, "next": target, "errors": errors}
    if not code.strip():
        errors.add_kind("code", "missing")
        return page(request, "sign_in_code.html", context, status_code=422)
    token = request.cookies.get(SESSION_COOKIE, "")
    try:
        new = await run_in_threadpool(
            lambda: two_factor.finish(
                accounts, token, code, now_utc(), client=client_address(request)
            )
        )
    except UserError as refusal:
        errors.refused(refusal)
        status = 429 if "too many" in refusal.message else 401
        return page(request, "sign_in_code.html", context, status_code=status)
    to = _safe_next(target, new.signed_in.account)
    return _start(request, new, RedirectResponse(to, status_code=303))


class Code(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: Annotated[str, Field(max_length=40)]


@router.post(
    "/api/v1/sign-in/code",
    operation_id="postSignInCode",
    response_model=Me,
    summary="The second step of signing in to a staff account with two-step sign-in: the "
    "6-digit code from the authenticator app (or a recovery code), after POST "
    "/api/v1/sign-in answered 202",
    responses={
        401: {"model": Refusal, "description": "Wrong or used code, or the sign-in expired."},
        403: {"model": Refusal, "description": "Sent from another web site."},
        422: REFUSALS[422],
        429: {"model": Refusal, "description": "Too many wrong codes: wait, then try again."},
    },
)
async def code_api(request: Request, sent: Code) -> Response:
    accounts = accounts_of(request)
    token = request.cookies.get(SESSION_COOKIE, "")
    try:
        new = await run_in_threadpool(
            lambda: two_factor.finish(
                accounts, token, sent.code, now_utc(), client=client_address(request)
            )
        )
    except UserError as refusal:
        status = 429 if "too many" in refusal.message else 401
        return JSONResponse({"message": refusal.message}, status_code=status)
    who = new.signed_in
    body = {
        "id": who.account.id,
        "email": who.account.email,
        "role": who.account.role.value,
        "csrf_token": csrf.mask(who.csrf_token),
    }
    return _start(request, new, JSONResponse(body))


# Setting it up.


def _context(request: Request, **extra: Any) -> dict[str, Any]:
    me = account(request)
    found = two_factor.status(accounts_of(request), me)
    return {"title": TITLE, "me": me, "factor": found, **extra}


@router.get("/account/two-factor", include_in_schema=False)
async def setup_page(request: Request) -> Response:
    return page(request, "two_factor.html", await run_in_threadpool(_context, request))


@router.post("/account/two-factor", include_in_schema=False)
async def begin_form(request: Request) -> Response:
    accounts = accounts_of(request)
    me = account(request)
    try:
        enrolment = await run_in_threadpool(two_factor.begin, accounts, me, now_utc())
    except UserError as refusal:
        context = await run_in_threadpool(_context, request, message=refusal.message)
        return page(request, "two_factor.html", context, status_code=409)
    context = await run_in_threadpool(
        _context,
        request,
        enrolment=enrolment,
        qr=qr.svg(enrolment.uri, title="The two-step sign-in secret as a QR code"),
    )
    return page(request, "two_factor.html", context)


@router.post("/account/two-factor/confirm", include_in_schema=False)
async def confirm_form(request: Request) -> Response:
    accounts = accounts_of(request)
    me = account(request)
    form = await request.form()
    code = str(form.get("code", ""))[:40]
    errors = FormErrors(CODE_FIELDS)
    codes = None
    if not code.strip():
        errors.add_kind("code", "missing")
    else:
        try:
            codes = await run_in_threadpool(two_factor.confirm, accounts, me, code, now_utc())
        except UserError as refusal:
            errors.refused(refusal)
    if codes is None:
        context = await run_in_threadpool(_context, request, errors=errors, confirming=True)
        return page(request, "two_factor.html", context, status_code=422)
    # Set up: the session goes on (no longer held to this page when the clinic requires it).
    signed = request.scope["state"].get("signed_in")
    if signed is not None and signed.must_enrol:
        from dataclasses import replace

        request.scope["state"]["signed_in"] = replace(signed, must_enrol=False)
    context = await run_in_threadpool(_context, request, recovery=codes, home=HOME[me.role])
    return page(request, "two_factor.html", context)


@router.post("/admin/two-factor", include_in_schema=False)
async def require_form(request: Request) -> Response:
    accounts = accounts_of(request)
    me = account(request)
    form = await request.form()
    required = {"0": False, "1": True}.get(str(form.get("required", "")))
    if required is None:
        raise UserError("choose whether two-step sign-in is required", field="required")
    await run_in_threadpool(two_factor.require, accounts, me, required, now_utc())
    return RedirectResponse("/admin", status_code=303)
