"""An admin's pages and API (accounts mode): the clinic's accounts, and the audit log.

An admin manages accounts (disable, enable, a password reset link) and reads the audit
log; no route here shows clinical data.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from lumbar.errors import UserError
from lumbar.formats import audit as audit_format
from lumbar.formats.shapes.clinic import Account as AccountShape
from lumbar.formats.shapes.clinic import AuditEntry
from lumbar.usecases import audit, two_factor
from lumbar.usecases.accounts import NotAllowed, now_utc
from lumbar.usecases.mail import Mailer, MailError, reset_message
from lumbar.web.authorization import ACCOUNT_REFUSALS, account, accounts_of
from lumbar.web.errors import REFUSALS
from lumbar.web.templating import page, public_url

router = APIRouter(responses={**ACCOUNT_REFUSALS, 503: REFUSALS[503]})
logger = logging.getLogger(__name__)

AUDIT_SHOWN = 200
"""The newest entries on the page; the CSV holds them all."""


def _context(request: Request) -> dict[str, Any]:
    accounts = accounts_of(request)
    me = account(request)
    entries = audit.entries(accounts, me)
    clinic_accounts = accounts.accounts(me)
    return {
        "title": "Accounts and audit log",
        "accounts": clinic_accounts,
        "names": {a.id: a.email for a in clinic_accounts},
        "entries": list(reversed(entries[-AUDIT_SHOWN:])),
        "total": len(entries),
        "me": me,
        "two_factor_required": two_factor.status(accounts, me).required,
    }


@router.get("/admin", include_in_schema=False)
async def admin_page(request: Request) -> Response:
    return page(request, "admin.html", await run_in_threadpool(_context, request))


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
