"""An admin's pages and API (accounts mode): the clinic's accounts, and the audit log.

An admin manages accounts (disable, enable, a password reset link) and reads the audit
log; no route here shows clinical data.
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from datetime import date
from enum import Enum
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from lumbar.domain.access import Role
from lumbar.errors import NotAllowed, UserError
from lumbar.formats import audit as audit_format
from lumbar.formats.shapes.clinic import Account as AccountShape
from lumbar.formats.shapes.clinic import AuditEntry
from lumbar.usecases import audit, handover, two_factor
from lumbar.usecases.accounts import LARGEST_ID, now_utc
from lumbar.usecases.mail import Mailer, MailError, reset_message
from lumbar.web.authorization import ACCOUNT_REFUSALS, account, accounts_of
from lumbar.web.errors import REFUSALS
from lumbar.web.templating import page, public_url

router = APIRouter(responses={**ACCOUNT_REFUSALS, 503: REFUSALS[503]})
logger = logging.getLogger(__name__)

FILTER = Query(max_length=20)
"""A filter of the audit view, as the page's form sends it ("" when not chosen)."""
PAGES_AT_MOST = 1_000_000


def _audit_query(
    page_number: str, actor: str, patient: str, action: str, since: str, until: str
) -> audit.AuditQuery:
    """The audit view's filters from the address, or UserError naming the one at fault (an
    empty one is not chosen; an id a database's integer cannot hold is refused here, not by
    PostgreSQL)."""

    def number(name: str, text: str, largest: int) -> int | None:
        if not text:
            return None
        if not (text.isascii() and text.isdigit() and 1 <= int(text) <= largest):
            raise UserError(f"{name}: give a number from 1 to {largest} (got {text!r})")
        return int(text)

    def day(name: str, text: str) -> date | None:
        try:
            return date.fromisoformat(text) if text else None
        except ValueError:
            raise UserError(f"{name}: give a day as YYYY-MM-DD (got {text!r})") from None

    chosen = None
    if action:
        try:
            chosen = audit.Action(action)
        except ValueError:
            names = ", ".join(a.value for a in audit.Action)
            raise UserError(f"action: choose one of {names} (got {action!r})") from None
    return audit.AuditQuery(
        number("page", page_number, PAGES_AT_MOST) or 1,
        number("actor", actor, LARGEST_ID),
        number("patient", patient, LARGEST_ID),
        chosen,
        day("since", since),
        day("until", until),
    )


def _context(request: Request, query: audit.AuditQuery | None = None) -> dict[str, Any]:
    """The page: the clinic's accounts, and one page of the audit log (50 entries, newest
    first, filtered as `query` says); the CSV holds them all."""
    accounts = accounts_of(request)
    me = account(request)
    query = query or audit.AuditQuery()
    shown = audit.entries_page(accounts, me, query)
    clinic_accounts = accounts.accounts(me)
    filters = {
        name: str(value.value if isinstance(value, Enum) else value)
        for name, value in asdict(query).items()
        if value is not None and name != "page"
    }

    def page_link(number: int) -> str:
        return "/admin?" + urlencode({**filters, "page": number} if number > 1 else filters)

    return {
        "title": "Accounts and audit log",
        "accounts": clinic_accounts,
        "names": {a.id: a.email for a in clinic_accounts},
        "staff": [a for a in clinic_accounts if a.role is not Role.PATIENT],
        "patients": [a for a in clinic_accounts if a.role is Role.PATIENT],
        "actions": list(audit.Action),
        "query": query,
        "filtered": bool(filters),
        "entries": shown.entries,
        "total": shown.total,
        "pages": shown.pages,
        "newer": page_link(query.page - 1) if query.page > 1 else None,
        "older": page_link(query.page + 1) if query.page < shown.pages else None,
        "me": me,
        "two_factor_required": two_factor.status(accounts, me).required,
        # Clinicians with patients: the handover (issue #20), before or after disabling.
        "patient_counts": handover.patient_counts(accounts, me),
    }


@router.get("/admin", include_in_schema=False)
async def admin_page(
    request: Request,
    page_number: Annotated[str, Query(alias="page", max_length=20)] = "",
    actor: Annotated[str, FILTER] = "",
    patient: Annotated[str, FILTER] = "",
    action: Annotated[str, FILTER] = "",
    since: Annotated[str, FILTER] = "",
    until: Annotated[str, FILTER] = "",
) -> Response:
    """The accounts, and the audit log a page at a time: `?page=2`, and any of `actor`,
    `patient` (account ids), `action` (read, write, refused), `since`, `until` (days)."""
    try:
        query = _audit_query(page_number, actor, patient, action, since, until)
    except UserError as refusal:
        context = await run_in_threadpool(_context, request)
        return page(request, "admin.html", {**context, "error": refusal.message}, status_code=422)
    return page(request, "admin.html", await run_in_threadpool(_context, request, query))


@router.post("/admin/accounts/{user_id}/active", include_in_schema=False)
async def active_form(request: Request, user_id: int) -> Response:
    form = await request.form()
    active = {"0": False, "1": True}.get(str(form.get("active", "")))
    try:
        if active is None:
            # Another clinic's account is not found, whatever the form says.
            await run_in_threadpool(accounts_of(request).managed, account(request), user_id)
            raise UserError("active: send 1 to enable the account or 0 to disable it")
        await run_in_threadpool(
            lambda: accounts_of(request).manage(account(request), user_id, now_utc(), active=active)
        )
    except NotAllowed:
        raise  # another clinic's account: answered as if it did not exist
    except UserError as refusal:  # disabling one's own account: said on the page
        context = await run_in_threadpool(_context, request)
        return page(request, "admin.html", {**context, "error": refusal.message}, status_code=422)
    return RedirectResponse("/admin", status_code=303)


@router.post("/admin/accounts/{user_id}/reset-link", include_in_schema=False)
async def reset_link_form(request: Request, user_id: int) -> Response:
    """A reset link goes to the account's own stored address by email, and is never shown
    to the admin: a link on this page would let the admin sign in as a patient (and read
    their record) or as a clinician (and read every one of theirs). Without a mail server
    the link is given from the server's command line, by whoever runs the server."""
    mailer: Mailer | None = request.app.state.mailer
    accounts = accounts_of(request)
    target = await run_in_threadpool(accounts.managed, account(request), user_id)
    if mailer is None:
        context = await run_in_threadpool(_context, request)
        context["error"] = (
            "This server sends no email, so a reset link is given on the server itself. "
            f"Whoever runs the server makes one with: lumbar admin reset-link {target.email}"
        )
        return page(request, "admin.html", context, status_code=422)
    _, token = await run_in_threadpool(accounts.manage, account(request), user_id, now_utc())
    assert token is not None
    subject, body = reset_message(public_url(request) + f"/reset/{token}")
    context = await run_in_threadpool(_context, request)
    try:
        # To the address the account has, never one typed into a form.
        await run_in_threadpool(mailer.send, target.email, subject, body)
    except MailError as failure:
        logger.error("reset link not sent: %s", failure)
        context["error"] = "The mail server did not take the message. Try again later."
        return page(request, "admin.html", context, status_code=503)
    context["sent"] = target.email
    return page(request, "admin.html", context)


@router.get("/admin/audit.csv", include_in_schema=False)
async def audit_csv(request: Request) -> Response:
    entries = await run_in_threadpool(audit.entries, accounts_of(request), account(request))
    return Response(
        audit_format.audit_csv(entries),
        media_type="text/csv",
        headers={"content-disposition": 'attachment; filename="lumbar-audit.csv"'},
    )


@router.get(
    "/api/v1/admin/accounts",
    operation_id="getAccounts",
    response_model=list[AccountShape],
    summary="The clinic's accounts (admins)",
)
async def accounts_api(request: Request) -> JSONResponse:
    found = await run_in_threadpool(accounts_of(request).accounts, account(request))
    return JSONResponse(
        [{"id": a.id, "email": a.email, "role": a.role.value, "active": a.active} for a in found]
    )


@router.get(
    "/api/v1/admin/audit",
    operation_id="getAudit",
    response_model=list[AuditEntry],
    summary="The audit log of the clinic's accounts (admins)",
)
async def audit_api(request: Request) -> JSONResponse:
    entries = await run_in_threadpool(audit.entries, accounts_of(request), account(request))
    return JSONResponse([audit_format.audit_json(e) for e in entries])
