"""Who may call which route in accounts mode: one rule per route, in one table.

Every route of the app is listed in RULES with the kind of account it serves. A route
without a rule is refused to everyone (and a test generated from the route table fails), so
a new route cannot be reachable by accident. Routes about one patient take the patient's id
in the path (`{patient_id}`); `enforce` checks that the signed-in clinician may see that
patient, and writes the access to the audit log, before the route runs.

Local mode (one person on their own machine, no accounts) has no rules: `enforce` lets
everything through, and `guard.LocalOnly` keeps the app to this computer.
"""

from __future__ import annotations

from enum import StrEnum
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
from lumbar.web.errors import Refusal
from lumbar.web.templating import page


class Access(StrEnum):
    PUBLIC = "public"
    """Anyone, signed in or not: sign-in pages, the catalogue, figures, static files."""
    SIGNED_IN = "signed-in"
    """Any signed-in account (signing out)."""
    PATIENT = "patient"
    """A signed-in patient, on their own record."""
    CLINICIAN = "clinician"
    """A signed-in clinician; a `{patient_id}` in the path must be one of theirs."""
    ADMIN = "admin"
    """A signed-in admin: accounts and the audit log, never clinical data."""
    STAFF = "staff"
    """A signed-in clinician or admin (their two-step sign-in)."""


P, S, PT, C, A = Access.PUBLIC, Access.SIGNED_IN, Access.PATIENT, Access.CLINICIAN, Access.ADMIN
ST = Access.STAFF

RULES: dict[tuple[str, str], Access] = {
    # The person's own program (patients; in local mode, the one person).
    ("GET", "/"): S,
    ("GET", "/start"): PT,
    ("POST", "/start"): PT,
    ("GET", "/start/{slug}"): PT,
    ("POST", "/start/{slug}"): PT,
    ("GET", "/today"): PT,
    ("POST", "/today/cards/{card}"): PT,
    ("GET", "/welcome"): PT,
    ("GET", "/check-in"): PT,
    ("POST", "/check-in"): PT,
    ("GET", "/clear"): PT,
    ("POST", "/clear"): PT,
    ("GET", "/progress"): PT,
    ("GET", "/settings"): PT,
    ("POST", "/settings/days"): PT,
    ("POST", "/settings/alternatives"): PT,
    ("POST", "/settings/equipment"): PT,
    ("GET", "/settings/export"): PT,
    ("POST", "/settings/import"): PT,
    ("POST", "/settings/import/replace"): PT,
    ("GET", "/session"): PT,
    ("POST", "/session/answer"): PT,
    ("POST", "/session/skip"): PT,
    ("POST", "/session/swap"): PT,
    ("POST", "/session/finish"): PT,
    ("POST", "/session/alternative"): PT,
    ("GET", "/routine"): PT,
    ("GET", "/routine/stopped"): PT,
    ("GET", "/share"): PT,
    ("GET", "/handout.pdf"): PT,
    ("GET", "/summary"): PT,
    ("GET", "/summary.pdf"): PT,
    ("GET", "/settings/export/fhir"): PT,
    ("GET", "/calendar.ics"): PT,
    ("POST", "/settings/reminders"): PT,
    ("POST", "/settings/calendar-link"): PT,
    ("GET", "/problem"): PT,
    ("POST", "/problem"): PT,
    # Correcting one's own records (issue #15): the use case lets a patient correct only
    # what they recorded themselves.
    ("GET", "/records"): PT,
    ("GET", "/records/{record_id}"): PT,
    ("POST", "/records/{record_id}"): PT,
    ("POST", "/records/{record_id}/delete"): PT,
    ("POST", "/records/{record_id}/undo"): PT,
    ("GET", "/messages"): PT,
    ("POST", "/messages"): PT,
    ("GET", "/api/v1/today"): PT,
    ("GET", "/api/v1/status"): PT,
    ("GET", "/api/v1/progress"): PT,
    ("POST", "/api/v1/program"): PT,
    ("POST", "/api/v1/sessions"): PT,
    ("POST", "/api/v1/session/answers"): PT,
    ("POST", "/api/v1/session/skips"): PT,
    ("POST", "/api/v1/checkins"): PT,
    ("POST", "/api/v1/clearances"): PT,
    ("PUT", "/api/v1/settings/days"): PT,
    ("GET", "/api/v1/settings/equipment"): PT,
    ("PUT", "/api/v1/settings/equipment"): PT,
    ("GET", "/api/v1/settings/alternatives"): PT,
    ("PUT", "/api/v1/settings/alternatives/{exercise_id}"): PT,
    ("GET", "/api/v1/export"): PT,
    ("GET", "/api/v1/problems"): PT,
    ("POST", "/api/v1/problems"): PT,
    ("GET", "/api/v1/settings/reminders"): PT,
    ("PUT", "/api/v1/settings/reminders"): PT,
    ("GET", "/api/v1/calendar"): PT,
    ("POST", "/api/v1/import"): PT,
    ("GET", "/api/v1/messages"): PT,
    ("POST", "/api/v1/messages"): PT,
    # A patient's own records (issue #15): the signed-in patient's, never another's.
    ("GET", "/api/v1/records"): PT,
    ("PATCH", "/api/v1/records/{record_id}"): PT,
    ("DELETE", "/api/v1/records/{record_id}"): PT,
    ("POST", "/api/v1/records/{record_id}/undo"): PT,
    # The secret in the address is the access (calendar apps cannot sign in).
    ("GET", "/calendar/{token}.ics"): P,
    # The catalogue and education are the same for everyone.
    ("GET", "/library"): P,
    ("GET", "/library/{exercise_id}"): P,
    ("GET", "/learn"): P,
    ("GET", "/learn/{topic_id}"): P,
    ("GET", "/manifest.webmanifest"): P,
    ("GET", "/sw.js"): P,
    ("GET", "/figures/{name}.svg"): P,
    ("GET", "/api/v1/exercises"): P,
    ("GET", "/api/v1/exercises/{exercise_id}"): P,
    ("GET", "/api/v1/topics"): P,
    ("GET", "/api/v1/topics/{topic_id}"): P,
    ("GET", "/api/docs"): P,
    ("GET", "/api/v1/openapi.json"): P,
    # Signing in and out.
    ("GET", "/sign-in"): P,
    ("POST", "/sign-in"): P,
    ("POST", "/api/v1/sign-in"): P,
    ("POST", "/sign-out"): S,
    ("POST", "/api/v1/sign-out"): S,
    ("GET", "/api/v1/me"): S,
    ("GET", "/forgot"): P,
    ("POST", "/forgot"): P,
    ("GET", "/reset/{token}"): P,
    ("POST", "/reset/{token}"): P,
    ("GET", "/join/{code}"): P,
    ("POST", "/join/{code}"): P,
    # One's own account (issue #19): the password, and a second factor for staff. The code
    # page is public: a pending session (password checked, code not yet) is no one signed in.
    ("GET", "/account"): S,
    ("POST", "/account/password"): S,
    ("POST", "/api/v1/me/password"): S,
    ("GET", "/sign-in/code"): P,
    ("POST", "/sign-in/code"): P,
    ("POST", "/api/v1/sign-in/code"): P,
    ("GET", "/account/two-factor"): ST,
    ("POST", "/account/two-factor"): ST,
    ("POST", "/account/two-factor/confirm"): ST,
    # Clinicians.
    ("POST", "/account/mail"): C,
    ("GET", "/api/v1/clinic/mail-settings"): C,
    ("PUT", "/api/v1/clinic/mail-settings"): C,
    ("GET", "/clinic"): C,
    ("POST", "/clinic/invite"): C,
    ("GET", "/clinic/patients/{patient_id}"): C,
    ("POST", "/clinic/patients/{patient_id}/messages"): C,
    ("GET", "/clinic/patients/{patient_id}/prescription"): C,
    ("POST", "/clinic/patients/{patient_id}/prescription"): C,
    ("GET", "/clinic/patients/{patient_id}/summary"): C,
    ("POST", "/clinic/patients/{patient_id}/clearances"): C,
    ("POST", "/clinic/patients/{patient_id}/clearances/decline"): C,
    ("POST", "/clinic/patients/{patient_id}/acknowledgements"): C,
    ("POST", "/clinic/patients/{patient_id}/records/{record_id}/delete"): C,
    ("POST", "/clinic/patients/{patient_id}/scores"): C,
    ("GET", "/api/v1/clinic/patients"): C,
    ("POST", "/api/v1/clinic/invitations"): C,
    ("GET", "/api/v1/clinic/invitations"): ST,
    ("POST", "/api/v1/clinic/invitations/{invitation_id}/resend"): ST,
    ("DELETE", "/api/v1/clinic/invitations/{invitation_id}"): ST,
    ("GET", "/clinic/invitations"): ST,
    ("POST", "/clinic/invitations/{invitation_id}/resend"): ST,
    ("POST", "/clinic/invitations/{invitation_id}/revoke"): ST,
    ("GET", "/api/v1/clinic/patients/{patient_id}"): C,
    ("GET", "/api/v1/clinic/patients/{patient_id}/export"): C,
    ("GET", "/api/v1/clinic/patients/{patient_id}/messages"): C,
    ("POST", "/api/v1/clinic/patients/{patient_id}/messages"): C,
    ("POST", "/api/v1/clinic/patients/{patient_id}/clearances"): C,
    ("POST", "/api/v1/clinic/patients/{patient_id}/acknowledgements"): C,
    ("GET", "/api/v1/clinic/patients/{patient_id}/records"): C,
    ("PATCH", "/api/v1/clinic/patients/{patient_id}/records/{record_id}"): C,
    ("DELETE", "/api/v1/clinic/patients/{patient_id}/records/{record_id}"): C,
    ("POST", "/api/v1/clinic/patients/{patient_id}/records/{record_id}/undo"): C,
    ("GET", "/api/v1/clinic/patients/{patient_id}/prescription"): C,
    ("PUT", "/api/v1/clinic/patients/{patient_id}/prescription"): C,
    # A clinic's program templates (issue #20): the use case keeps each to its clinic.
    ("GET", "/clinic/templates"): C,
    ("POST", "/clinic/patients/{patient_id}/templates"): C,
    ("POST", "/clinic/templates/{template_id}/rename"): C,
    ("POST", "/clinic/templates/{template_id}/delete"): C,
    ("GET", "/api/v1/clinic/templates"): C,
    ("POST", "/api/v1/clinic/templates"): C,
    ("PATCH", "/api/v1/clinic/templates/{template_id}"): C,
    ("DELETE", "/api/v1/clinic/templates/{template_id}"): C,
    ("POST", "/api/v1/clinic/patients/{patient_id}/prescription/template"): C,
    ("POST", "/api/v1/clinic/patients/{patient_id}/prescription/copy"): C,
    # Handover (issue #20): a clinician's own patients; an admin's, any clinician's of the
    # clinic (usecases/handover.py refuses another clinic's as not found).
    ("GET", "/clinic/handover"): C,
    ("POST", "/clinic/handover"): C,
    ("POST", "/api/v1/clinic/handover"): C,
    ("GET", "/admin/accounts/{user_id}/handover"): A,
    ("POST", "/admin/accounts/{user_id}/handover"): A,
    ("POST", "/api/v1/admin/accounts/{user_id}/handover"): A,
    # Records for the chart (issue #20): one of the clinician's own patients.
    ("GET", "/clinic/patients/{patient_id}/summary.pdf"): C,
    ("GET", "/clinic/patients/{patient_id}/fhir.json"): C,
    ("GET", "/clinic/patients/{patient_id}/monitoring"): C,
    ("GET", "/clinic/patients/{patient_id}/monitoring.csv"): C,
    ("GET", "/clinic/patients/{patient_id}/monitoring.pdf"): C,
    ("POST", "/clinic/patients/{patient_id}/time"): C,
    ("POST", "/clinic/patients/{patient_id}/timer"): C,
    ("GET", "/api/v1/clinic/patients/{patient_id}/time"): C,
    ("POST", "/api/v1/clinic/patients/{patient_id}/time"): C,
    ("GET", "/api/v1/clinic/patients/{patient_id}/monitoring"): C,
    ("POST", "/api/v1/clinic/patients/{patient_id}/monitoring/timer"): C,
    ("POST", "/api/v1/clinic/patients/{patient_id}/monitoring/timer/stop"): C,
    ("DELETE", "/api/v1/clinic/patients/{patient_id}/monitoring/timer"): C,
    ("GET", "/api/v1/clinic/patients/{patient_id}/scores"): C,
    ("POST", "/api/v1/clinic/patients/{patient_id}/scores"): C,
    # Admins.
    ("GET", "/admin"): A,
    ("POST", "/admin/accounts/{user_id}/active"): A,
    ("POST", "/admin/accounts/{user_id}/reset-link"): A,
    ("GET", "/admin/audit.csv"): A,
    ("POST", "/admin/two-factor"): A,
    ("GET", "/api/v1/admin/accounts"): A,
    ("GET", "/api/v1/admin/audit"): A,
}
"""(method, path template) → who may call it. `GET /` answers everyone signed in, each
with their own start page."""

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
