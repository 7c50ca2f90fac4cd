"""One's own account (accounts mode, every role): changing the password while signed in.

The second factor's pages are in web/two_factor.py. A changed password ends every other
session of the account and renews this one: the response sets the new cookie, and the page
after it carries the new CSRF token.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from lumbar.domain.access import MAX_PASSWORD, MIN_PASSWORD, Role
from lumbar.domain.staff import is_staff
from lumbar.errors import UserError
from lumbar.formats.shapes.clinic import Me
from lumbar.usecases import notifications
from lumbar.usecases.accounts import now_utc
from lumbar.usecases.passwords import WrongPassword, change_password
from lumbar.usecases.two_factor import status
from lumbar.web import csrf
from lumbar.web.authorization import ACCOUNT_REFUSALS, account, accounts_of
from lumbar.web.errors import REFUSALS, Refusal
from lumbar.web.form_errors import FormErrors, Label
from lumbar.web.guard import SESSION_COOKIE
from lumbar.web.signin import _start as start_session
from lumbar.web.templating import page

router = APIRouter(responses={**ACCOUNT_REFUSALS, 503: REFUSALS[503]})

PASSWORD_FIELDS = {
    "current_password": Label("your current password", missing="Enter your current password"),
    "new_password": Label(
        "your new password", missing=f"Choose a new password of at least {MIN_PASSWORD} characters"
    ),
}


def _context(request: Request, **extra: Any) -> dict[str, Any]:
    me = account(request)
    context: dict[str, Any] = {"title": "Your account", "me": me, "staff": is_staff(me.role)}
    if is_staff(me.role):
        context["factor"] = status(accounts_of(request), me)
    if me.role is Role.CLINICIAN:  # their mail about patients (issue #20, web/notifications.py)
        context["mail"] = notifications.mail_settings(request.app.state.store, me)
        context["mail_server"] = request.app.state.mailer is not None
    return {**context, **extra}


@router.get("/account", include_in_schema=False)
async def account_page(request: Request) -> Response:
    return page(request, "account.html", await run_in_threadpool(_context, request))


@router.post("/account/password", include_in_schema=False)
async def password_form(request: Request) -> Response:
    accounts = accounts_of(request)
    form = await request.form()
    current = str(form.get("current_password", ""))
    new = str(form.get("new_password", ""))
    errors = FormErrors(PASSWORD_FIELDS)
    if not current:
        errors.add_kind("current_password", "missing")
    if not new:
        errors.add_kind("new_password", "missing")
    token = request.cookies.get(SESSION_COOKIE, "")
    renewed = None
    if not errors:
        try:
            renewed = await run_in_threadpool(
                change_password, accounts, token, current, new, now_utc()
            )
        except UserError as refusal:
            errors.refused(refusal)
    if renewed is None:
        status_code = 429 if "too many" in str(errors.as_dict()) else 422
        context = await run_in_threadpool(_context, request, errors=errors)
        return page(request, "account.html", context, status_code=status_code)
    # The page is drawn for the renewed session: its forms carry the new CSRF token.
    request.scope["state"]["signed_in"] = renewed.signed_in
    context = await run_in_threadpool(
        _context, request, notice="Your new password is set. You were signed out everywhere else."
    )
    return start_session(request, renewed, page(request, "account.html", context))


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    current_password: Annotated[str, Field(max_length=MAX_PASSWORD)]
    new_password: Annotated[str, Field(max_length=MAX_PASSWORD)]


@router.post(
    "/api/v1/me/password",
    operation_id="postMyPassword",
    response_model=Me,
    summary="Change the signed-in account's password: ends its other sessions, renews this "
    "one (a new cookie and a new CSRF token, in the answer)",
    responses={
        401: ACCOUNT_REFUSALS[401],
        403: {
            "model": Refusal,
            "description": "The current password is wrong (or, as for every change, no "
            "X-CSRF-Token header).",
        },
        422: REFUSALS[422],
        429: {"model": Refusal, "description": "Too many wrong passwords: wait, then retry."},
    },
)
async def password_api(request: Request, change: PasswordChange) -> Response:
    accounts = accounts_of(request)
    token = request.cookies.get(SESSION_COOKIE, "")
    try:
        renewed = await run_in_threadpool(
            change_password,
            accounts,
            token,
            change.current_password,
            change.new_password,
            now_utc(),
        )
    except WrongPassword as refusal:
        status_code = 429 if "too many" in refusal.message else 403
        return JSONResponse({"message": refusal.message}, status_code=status_code)
    who = renewed.signed_in
    body = {
        "id": who.account.id,
        "email": who.account.email,
        "role": who.account.role.value,
        "csrf_token": csrf.mask(who.csrf_token),
    }
    return start_session(request, renewed, JSONResponse(body))
