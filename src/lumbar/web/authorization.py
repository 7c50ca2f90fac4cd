"""Who may call which route in accounts mode: one rule per route, in one table (RULES, in
web/access_rules.py), enforced here.

Every route of the app is listed in RULES with the kind of account it serves. A route
without a rule is refused to everyone (and a test generated from the route table fails), so
a new route cannot be reachable by accident. Routes about one patient take the patient's id
in the path (`{patient_id}`); `enforce` checks that the signed-in clinician may see that
patient, and writes the access to the audit log, before the route runs.

Local mode (one person on their own machine, no accounts) has no rules: `enforce` lets
everything through, and `guard.LocalOnly` keeps the app to this computer.
"""

from __future__ import annotations

from functools import partial
from typing import Any
from urllib.parse import quote

from fastapi import HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.routing import Route

from lumbar.domain.access import Account, Role, SignedIn
from lumbar.errors import NotAllowed
from lumbar.usecases import audit
from lumbar.usecases.accounts import Accounts, now_utc
from lumbar.usecases.audit import Action
from lumbar.web.access_rules import RULES, Access
from lumbar.web.errors import Refusal
from lumbar.web.templating import page

WHILE_ENROLLING = frozenset(
    {
        ("GET", "/account/two-factor"),
        ("POST", "/account/two-factor"),
        ("POST", "/account/two-factor/confirm"),
        ("POST", "/sign-out"),
        ("POST", "/api/v1/sign-out"),
        ("GET", "/api/v1/me"),
    }
)
"""All that a staff account may open while its clinic requires a second factor it has not
set up: setting it up, and signing out."""
ENROL = "/account/two-factor"


ROLE_OF = {Access.PATIENT: Role.PATIENT, Access.CLINICIAN: Role.CLINICIAN, Access.ADMIN: Role.ADMIN}


HOME = {Role.PATIENT: "/", Role.CLINICIAN: "/clinic", Role.ADMIN: "/admin"}
"""Where each role lands after signing in."""


class Refused(HTTPException):
    """A request the rules refuse: JSON with a message for the API, a page for a browser."""


class EnrolFirst(Refused):
    """A staff account that must set up two-step sign-in first: pages go to its setup."""

    def __init__(self) -> None:
        super().__init__(
            403, "your clinic requires two-step sign-in: set it up first (Your account)"
        )


class SignInNeeded(Refused):
    """No one is signed in: pages send the browser to the sign-in page, the API says 401."""

    def __init__(self) -> None:
        super().__init__(401, "sign in first")


ACCOUNT_REFUSALS: dict[int | str, dict[str, Any]] = {
    401: {"model": Refusal, "description": "Nobody is signed in."},
    403: {
        "model": Refusal,
        "description": "Not for this kind of account; or a change sent without the "
        "session's X-CSRF-Token header, or from another web site.",
    },
}
"""The refusals of a route for signed-in accounts (accounts mode), as the API's schema
documents them (`APIRouter(responses=...)`)."""

NOT_YOURS: dict[int | str, dict[str, Any]] = {
    404: {
        "model": Refusal,
        "description": "No such patient among the clinician's own (another clinician's "
        "patient is not found either).",
    }
}
"""The refusal of a `{patient_id}` route to a clinician the patient is not assigned to."""


async def not_allowed(request: Request, error: Exception) -> Response:
    """A use case's own refusal of an account it does not concern (another clinic's
    account, say): answered as if it did not exist."""
    assert isinstance(error, NotAllowed)
    return await refused(request, Refused(404, error.message))


async def refused(request: Request, error: Exception) -> Response:
    assert isinstance(error, Refused)
    if request.url.path.startswith("/api/"):
        return JSONResponse({"message": error.detail}, status_code=error.status_code)
    if isinstance(error, SignInNeeded) and request.method == "GET":
        return RedirectResponse(f"/sign-in?next={quote(request.url.path)}", status_code=303)
    if isinstance(error, EnrolFirst) and request.method == "GET":
        return RedirectResponse(ENROL, status_code=303)
    titles = {401: "Please sign in", 403: "Not for this account", 404: "Not found"}
    context = {"title": titles.get(error.status_code, "Refused"), "message": error.detail}
    return page(request, "message.html", context, status_code=error.status_code)


def rule_for(request: Request) -> Access | None:
    route = request.scope.get("route")
    path = route.path if isinstance(route, Route) else getattr(route, "path", None)
    return None if path is None else RULES.get((request.method, path))


def signed_in(request: Request) -> SignedIn | None:
    found: SignedIn | None = request.scope.get("state", {}).get("signed_in")
    return found


def account(request: Request) -> Account:
    """The signed-in account (routes whose rule makes sure there is one)."""
    found = signed_in(request)
    if found is None:
        raise SignInNeeded()
    return found.account


def accounts_of(request: Request) -> Accounts:
    """The app's accounts (accounts mode); in local mode there are none to answer with."""
    found: Accounts | None = request.app.state.accounts
    if found is None:
        raise Refused(
            404,  # pragma: no mutate (unreachable: local mode mounts no route that asks)
            "this server has no accounts (local mode)",
        )
    return found


async def enforce(request: Request) -> None:
    """The dependency every router carries: apply the route's rule before it runs."""
    accounts: Accounts | None = request.app.state.accounts
    if accounts is None:
        return
    rule = rule_for(request)
    if rule is None:
        raise Refused(403, "this address has no access rule, so it is closed")
    if rule is Access.PUBLIC:
        return
    found = signed_in(request)
    if found is None:
        raise SignInNeeded()
    role = found.account.role
    route = request.scope.get("route")
    if found.must_enrol and (request.method, getattr(route, "path", "")) not in WHILE_ENROLLING:
        raise EnrolFirst()
    if rule is Access.SIGNED_IN:
        return
    if rule is Access.STAFF:
        if role is Role.PATIENT:
            raise Refused(403, "this page is for a clinician's or an admin's account")
        return
    if role is not ROLE_OF[rule]:
        raise Refused(403, f"this page is for a {ROLE_OF[rule].value}'s account")
    patient_id = request.path_params.get("patient_id")
    if rule is Access.CLINICIAN and patient_id is not None:
        # ASCII digits only: int() also reads other scripts' digits ("٦" is 6), which the
        # route's own validation then refuses, after the access was logged.
        if not (isinstance(patient_id, str) and patient_id.isascii() and patient_id.isdigit()):
            raise Refused(404, "no such patient among yours")
        number = int(patient_id)
        action = Action.READ if request.method in ("GET", "HEAD") else Action.WRITE
        try:
            patient = await run_in_threadpool(
                partial(audit.patient_for, accounts),
                found.account,
                number,
                now_utc(),
                action=action,
                target=f"{request.method} {request.url.path}",
            )
        except NotAllowed as refusal:
            raise Refused(404, refusal.message) from None
        request.state.patient = patient
