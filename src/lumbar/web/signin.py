"""Signing in and out, password reset links, and joining by a clinician's invitation.

Only in accounts mode (`lumbar serve --accounts`); in local mode these routes answer 404.
The session cookie is HttpOnly (scripts cannot read it), SameSite=Lax (other sites' forms
do not carry it), and Secure unless the server was started for plain HTTP on purpose.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool

from lumbar.domain.access import MIN_PASSWORD, Account, Role, password_problem
from lumbar.errors import UserError
from lumbar.formats.shapes.clinic import Me
from lumbar.usecases.accounts import (
    SESSION_LIFETIME,
    Accounts,
    NewSession,
    SignInRefused,
    now_utc,
)
from lumbar.usecases.identity import address_problem, character_problem, normal_address
from lumbar.usecases.joining import check_invitation
from lumbar.usecases.mail import Mailer, MailError, reset_message
from lumbar.usecases.reset_links import note_forgot, reset_mail
from lumbar.web import csrf
from lumbar.web.authorization import ACCOUNT_REFUSALS, HOME, Refused, accounts_of, signed_in
from lumbar.web.errors import REFUSALS, Refusal
from lumbar.web.form_errors import FormErrors, Label
from lumbar.web.guard import SESSION_COOKIE
from lumbar.web.templating import page, public_url

router = APIRouter(responses={503: REFUSALS[503]})
logger = logging.getLogger(__name__)


NOBODY = 0
"""No account has this id (they start at 1): the person of a request that has none."""


def signed_in_person(request: Request) -> int:
    """Accounts mode's `person_of`: the signed-in patient's own record. Routes about a
    patient's record admit only patients (`authorization.enforce` ran first); the public ones (the
    catalogue) use no record, and get NOBODY, whose record is always empty."""
    found = signed_in(request)
    if found is None or found.account.role is not Role.PATIENT:
        return NOBODY
    return found.account.id


def client_address(request: Request) -> str:
    """The address a request came from, for the throttles: the connection's peer, as the
    ASGI server reports it. Behind a reverse proxy that is the proxy, unless the server is
    told to trust the proxy's X-Forwarded-For (docs/deploy.md, "Throttling"); a header is
    never trusted by default, as anyone can send one."""
    return request.client.host if request.client is not None else ""


def _start(request: Request, new: NewSession, response: Response) -> Response:
    response.set_cookie(
        SESSION_COOKIE,
        new.token,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        path="/",
        httponly=True,
        samesite="lax",
        secure=request.app.state.secure_cookies,
    )
    return response


def _end_cookie(request: Request, response: Response) -> None:
    """Remove the cookie with the flags it was set with (browsers match on them)."""
    response.delete_cookie(
        SESSION_COOKIE,
        path="/",
        httponly=True,
        samesite="lax",
        secure=request.app.state.secure_cookies,
    )


def _safe_next(target: str | None, who: Account) -> str:
    """Back to the page that asked for sign-in, if it is one of ours; else the role's home."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return HOME[who.role]


# Pages.

ACCOUNT_FIELDS = {
    "email": Label("your email address", missing="Enter your email address"),
    "password": Label("your password", missing="Enter your password"),
}
"""The account forms' fields, in the order they show them."""


def _account_errors(email: str, password: str | None, *, new: bool) -> FormErrors:
    """Every problem of an account form at once (`new`: an address and password being made,
    checked as the account will be; `password` None: a form without one)."""
    errors = FormErrors(ACCOUNT_FIELDS)
    address = normal_address(email)
    if not address:
        errors.add_kind("email", "missing")
    elif new and (problem := address_problem(address, new=True)) is not None:
        errors.add("email", problem)
    elif (problem := character_problem(address)) is not None:
        # An address no account may have (an invisible character, a look-alike letter):
        # said at every door, which tells nothing about who has an account.
        errors.add("email", problem)
    if password is not None:
        if not password:
            errors.add(
                "password",
                f"Choose a password of at least {MIN_PASSWORD} characters"
                if new
                else "Enter your password",
            )
        elif new and (problem := password_problem(password)) is not None:
            errors.add("password", problem)
    return errors


def _email_kept(email: str) -> str:
    return email[:254]


@router.get("/sign-in", include_in_schema=False)
def sign_in_page(request: Request, next: str | None = None) -> Response:
    accounts_of(request)
    return page(request, "sign_in.html", {"title": "Sign in", "next": next or "", "email": ""})


@router.post("/sign-in", include_in_schema=False)
async def sign_in_form(request: Request) -> Response:
    accounts = accounts_of(request)
    form = await request.form()
    email, password = str(form.get("email", "")), str(form.get("password", ""))
    target = str(form.get("next", ""))
    errors = _account_errors(email, password, new=False)
    context = {"title": "Sign in", "next": target, "email": _email_kept(email), "errors": errors}
    if errors:
        return page(request, "sign_in.html", context, status_code=422)
    try:
        new = await run_in_threadpool(
            lambda: accounts.sign_in(email, password, now_utc(), client=client_address(request))
        )
    except SignInRefused as refusal:
        errors.add("email", refusal.message)
        status = 429 if "too many" in refusal.message else 401
        return page(request, "sign_in.html", context, status_code=status)
    if new.pending:
        # The password was right; the second factor is asked next (web/two_factor.py).
        code_page = "/sign-in/code" + (f"?next={quote(target)}" if target else "")
        return _start(request, new, RedirectResponse(code_page, status_code=303))
    to = _safe_next(target, new.signed_in.account)
    return _start(request, new, RedirectResponse(to, status_code=303))


@router.post("/sign-out", include_in_schema=False)
def sign_out_form(request: Request) -> Response:
    _end(request)
    response = RedirectResponse("/sign-in", status_code=303)
    _end_cookie(request, response)
    return response


def _end(request: Request) -> None:
    token = request.cookies.get(SESSION_COOKIE, "")
    if token:
        accounts_of(request).sign_out(token)


@router.get("/forgot", include_in_schema=False)
def forgot_page(request: Request) -> Response:
    accounts_of(request)
    context = {"title": "Forgot your password?", "mail": request.app.state.mailer is not None}
    return page(request, "forgot.html", context)


@router.post("/forgot", include_in_schema=False)
async def forgot_form(request: Request) -> Response:
    """Email a reset link where a mail server is set up. The answer is the same, and takes
    the same time, whether or not the address has an account: the request only counts
    itself against the client address (at most FORGOTS_PER_CLIENT an hour); looking the
    address up, making the link and sending it happen after the answer has gone."""
    accounts = accounts_of(request)
    mailer: Mailer | None = request.app.state.mailer
    form = await request.form()
    email = str(form.get("email", ""))
    context: dict[str, Any] = {"title": "Forgot your password?", "mail": mailer is not None}
    if mailer is None:
        return page(request, "forgot.html", context, status_code=409)
    errors = _account_errors(email, None, new=False)
    if errors:
        return page(request, "forgot.html", {**context, "errors": errors}, status_code=422)
    now = now_utc()
    try:
        await run_in_threadpool(note_forgot, accounts.store, client_address(request), now)
    except UserError as refusal:
        errors.add("email", refusal.message)
        return page(request, "forgot.html", {**context, "errors": errors}, status_code=429)
    context["sent"] = True
    response = page(request, "forgot.html", context)
    response.background = BackgroundTask(
        _send_reset, accounts, mailer, public_url(request), email, now
    )
    return response


def _send_reset(accounts: Accounts, mailer: Mailer, base: str, email: str, now: datetime) -> None:
    """After the answer: a link for the account with that address, if there is one and it
    was not sent too many, to the address the account has."""
    found = reset_mail(accounts.store, email, now)
    if found is None:
        return
    subject, body = reset_message(base + f"/reset/{found.token}")
    try:
        mailer.send(found.to, subject, body)
    except MailError as failure:
        # The person was already told a link is on its way, as for an unknown address;
        # the server's log keeps the reason.
        logger.error("reset link not sent: %s", failure)


@router.get("/reset/{token}", include_in_schema=False)
def reset_page(request: Request, token: str) -> Response:
    accounts_of(request)
    return page(request, "reset.html", {"title": "Choose a new password", "token": token})


@router.post("/reset/{token}", include_in_schema=False)
async def reset_form(request: Request, token: str) -> Response:
    accounts = accounts_of(request)
    form = await request.form()
    password = str(form.get("password", ""))
    errors = FormErrors(ACCOUNT_FIELDS, fallback="password")
    with errors.reading("password"):
        if (problem := password_problem(password)) is not None:
            raise UserError(problem)
        await run_in_threadpool(accounts.reset_password, token, password, now_utc())
    if errors:
        context = {"title": "Choose a new password", "token": token, "errors": errors}
        return page(request, "reset.html", context, status_code=422)
    context = {"title": "Sign in", "next": "", "email": "", "notice": "Your new password is set."}
    return page(request, "sign_in.html", context)


@router.get("/join/{code}", include_in_schema=False)
def join_page(request: Request, code: str) -> Response:
    accounts_of(request)
    return page(request, "join.html", {"title": "Join your clinic's program", "code": code})


@router.post("/join/{code}", include_in_schema=False)
async def join_form(request: Request, code: str) -> Response:
    """The invitation first (an unknown one: nothing else is looked at, nothing hashed),
    then what was typed, then the account (usecases/joining.py)."""
    accounts = accounts_of(request)
    form = await request.form()
    email, password = str(form.get("email", "")), str(form.get("password", ""))
    now, client = now_utc(), client_address(request)
    errors = FormErrors(ACCOUNT_FIELDS)
    context = {
        "title": "Join your clinic's program",
        "code": code,
        "email": _email_kept(email),
        "errors": errors,
    }
    try:
        await run_in_threadpool(lambda: check_invitation(accounts.store, code, now, client=client))
    except UserError as refusal:
        errors.refused(refusal)
        return page(request, "join.html", context, status_code=_refused_status(refusal))
    errors = context["errors"] = _account_errors(email, password, new=True)
    if errors:
        return page(request, "join.html", context, status_code=422)
    try:
        made = await run_in_threadpool(
            lambda: accounts.accept_invite(code, email, password, now, client=client)
        )
    except UserError as refusal:
        errors.refused(refusal)  # beside the address (the invitation's own refusals too)
        return page(request, "join.html", context, status_code=_refused_status(refusal))
    new = await run_in_threadpool(accounts.start_session, made, now)
    return _start(request, new, RedirectResponse("/start", status_code=303))


def _refused_status(refusal: UserError) -> int:
    """429 when the refusal is a throttle's ("too many attempts ..."), else 422."""
    return 429 if refusal.message.startswith("too many") else 422


# The API.


class Credentials(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Annotated[str, Field(max_length=254)]
    password: Annotated[str, Field(max_length=200)]


def _me(who: Account, csrf_token: str) -> dict[str, Any]:
    # Masked afresh each time, as on the pages (web/csrf.py).
    masked = csrf.mask(csrf_token)
    return {"id": who.id, "email": who.email, "role": who.role.value, "csrf_token": masked}


@router.post(
    "/api/v1/sign-in",
    operation_id="postSignIn",
    response_model=Me,
    summary="Sign in (accounts mode): sets the session cookie; send the CSRF token back "
    "in an X-CSRF-Token header on every request that changes something",
    responses={
        202: {
            "model": Refusal,
            "description": "The password is right and the account has two-step sign-in: "
            "send the code to POST /api/v1/sign-in/code (with the cookie set here).",
        },
        401: {"model": Refusal, "description": "Wrong email or password."},
        403: {
            "model": Refusal,
            "description": "Sent from another web site, or by a browser already signed in "
            "without its X-CSRF-Token header.",
        },
        422: REFUSALS[422],
        429: {"model": Refusal, "description": "Too many attempts: wait, then try again."},
    },
)
async def sign_in_api(request: Request, credentials: Credentials) -> Response:
    accounts = accounts_of(request)
    try:
        new = await run_in_threadpool(
            lambda: accounts.sign_in(
                credentials.email, credentials.password, now_utc(), client=client_address(request)
            )
        )
    except SignInRefused as refusal:
        status = 429 if "too many" in refusal.message else 401
        return JSONResponse({"message": refusal.message}, status_code=status)
    if new.pending:
        message = "enter the code from your authenticator app: POST /api/v1/sign-in/code"
        return _start(request, new, JSONResponse({"message": message}, status_code=202))
    body = _me(new.signed_in.account, new.signed_in.csrf_token)
    return _start(request, new, JSONResponse(body))


@router.post(
    "/api/v1/sign-out",
    operation_id="postSignOut",
    status_code=204,
    summary="Sign out (accounts mode)",
    responses=ACCOUNT_REFUSALS,
)
def sign_out_api(request: Request) -> Response:
    _end(request)
    response = Response(status_code=204)
    _end_cookie(request, response)
    return response


@router.get(
    "/api/v1/me",
    operation_id="getMe",
    response_model=Me,
    summary="Who is signed in (accounts mode), with the CSRF token",
    responses={401: ACCOUNT_REFUSALS[401]},
)
def me(request: Request) -> dict[str, Any]:
    found = signed_in(request)
    if found is None:
        raise Refused(401, "sign in first")
    return _me(found.account, found.csrf_token)
