"""Invitations that travel (issue #20): a new patient's invitation mailed to them or shown
once on screen with a QR code; the pending invitations, sent again or revoked; the same in
JSON under `/api/v1/clinic/invitations`.

A clinician handles their own invitations; an admin sees and revokes those of their
clinic's clinicians, and sends one again by email only: a link shown to an admin would let
them join as the patient (a reset link is never shown to an admin either).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from lumbar.domain.access import Role
from lumbar.formats import qr
from lumbar.formats.shapes.invitations import Invitation, PendingInvitation
from lumbar.usecases import identity
from lumbar.usecases import invitations as use
from lumbar.usecases.accounts import now_utc
from lumbar.web.authorization import ACCOUNT_REFUSALS, account, accounts_of
from lumbar.web.bodies import InvitationIn
from lumbar.web.clinic import dashboard_context
from lumbar.web.clinic import pending_invitations as listed
from lumbar.web.context import today
from lumbar.web.errors import REFUSALS, Refusal
from lumbar.web.form_errors import FormErrors, Label, clip
from lumbar.web.templating import page, public_url

router = APIRouter(responses={**ACCOUNT_REFUSALS, 503: REFUSALS[503]})

NO_SUCH: dict[int | str, dict[str, Any]] = {
    404: {
        "model": Refusal,
        "description": "No such invitation among yours (or your clinic's): accepted, "
        "revoked, another clinic's, or never made.",
    }
}

INVITE_FIELDS = {
    "name": Label("the patient's name", missing="Write the patient's name"),
    "birth_date": Label("their date of birth", missing="Give their date of birth"),
    "email": Label("their email address", missing="Give their email address"),
}

WHY_SHOWN = {
    use.Delivery.NO_SERVER: "This server has no mail server set up, so nothing was mailed.",
    use.Delivery.FAILED: "The mail server did not take the message, so nothing was mailed.",
}
"""Why a link meant to be mailed is shown instead."""


def _link(request: Request, made: use.Made) -> str:
    return public_url(request) + f"/join/{made.code}"


def _shown(request: Request, made: use.Made, sent: use.Sent, *, again: bool) -> Response:
    """The answer to a new or renewed invitation: that it was mailed, or its link and QR
    code, once (the clinician gives it in person)."""
    invitation = made.invitation
    link = None if sent.how is use.Delivery.MAILED else _link(request, made)
    name = invitation.name or "your patient"
    context = {
        "title": f"{'A new link' if again else 'An invitation'} for {name}",
        "name": name,
        "invitation": invitation,
        "mailed": sent.how is use.Delivery.MAILED,
        "why": WHY_SHOWN.get(sent.how),
        "link": link,
        "qr": None if link is None else qr.svg(link, title=f"The invitation link for {name}"),
        "back": "/clinic" if account(request).role is Role.CLINICIAN else "/clinic/invitations",
    }
    response = page(request, "invited.html", context)
    response.headers["Cache-Control"] = "no-store"  # the link works once: keep no copy
    return response


@router.post("/clinic/invite", include_in_schema=False)
async def invite_form(request: Request) -> Response:
    """A new patient's invitation, mailed (the "mail" button) or shown on screen. Its link
    is in this answer only, and in no address: a code in a URL stays in proxy logs and the
    browser's history. A refusal is the dashboard with its problems, nothing written."""
    form = await request.form()
    name, born = str(form.get("name", "")), str(form.get("birth_date", ""))
    raw_email = str(form.get("email", ""))
    by_mail = form.get("give") == "mail"
    now = now_utc()
    errors = FormErrors(INVITE_FIELDS)
    with errors.reading("name"):
        name = identity.patient_name(name)
    with errors.reading("birth_date"):
        birth = identity.birth_date(born, today(request))
    with errors.reading("email"):
        address = use.optional_address(raw_email)
        if by_mail and address is None:
            errors.add("email", "Give their email address to send the invitation by email")
    if not errors:
        invite = partial(
            use.invite,
            accounts_of(request),
            account(request),
            now,
            name=name,
            born=birth,
            on=today(request),
        )
        with errors.reading():
            made = await run_in_threadpool(partial(invite, email=address))
    if errors:
        context, _ = await run_in_threadpool(dashboard_context, request)
        # Echoed without the characters that cannot be seen (a bidi override would show
        # the name backwards in its own field): sent again, it is what the clinician saw.
        context["invite"] = {
            "name": clip(identity.visible(name), 100),
            "birth_date": clip(born, 10),
            "email": clip(identity.visible(raw_email), 254),
        }
        context["errors"] = errors
        return page(request, "clinic.html", context, status_code=422)
    sent = use.Sent(use.Delivery.NO_ADDRESS)
    if by_mail:
        mailer = request.app.state.mailer
        sent = await run_in_threadpool(use.deliver, mailer, made, _link(request, made))
    return _shown(request, made, sent, again=False)


@router.get("/clinic/invitations", include_in_schema=False)
async def invitations_page(request: Request) -> Response:
    """The pending invitations: a clinician's own (also on their patients' page), or every
    one of an admin's clinic."""
    return await run_in_threadpool(_list_page, request, None, 200)


async def _resend(request: Request, ref: str) -> tuple[use.Made, use.Sent]:
    """Send an invitation again: a new link (the old one stops working), mailed where it
    can be. An admin's is mailed or refused, before anything is written."""
    me, mailer = account(request), request.app.state.mailer
    made = await run_in_threadpool(
        partial(use.resend, accounts_of(request), me, ref, now_utc(), can_mail=mailer is not None)
    )
    sent = await run_in_threadpool(use.deliver, mailer, made, _link(request, made))
    return made, sent


@router.post("/clinic/invitations/{invitation_id}/resend", include_in_schema=False)
async def resend_form(request: Request, invitation_id: str) -> Response:
    made, sent = await _resend(request, invitation_id)
    if account(request).role is not Role.CLINICIAN and sent.how is not use.Delivery.MAILED:
        failed = "The mail server did not take the message. Try again later."
        return await run_in_threadpool(_list_page, request, failed, 503)
    return _shown(request, made, sent, again=True)


@router.post("/clinic/invitations/{invitation_id}/revoke", include_in_schema=False)
async def revoke_form(request: Request, invitation_id: str) -> Response:
    me = account(request)
    await run_in_threadpool(use.revoke, accounts_of(request), me, invitation_id, now_utc())
    where = "/clinic#invitations" if me.role is Role.CLINICIAN else "/clinic/invitations"
    return RedirectResponse(where, status_code=303)


def _list_page(request: Request, error: str | None, status_code: int) -> Response:
    context = {
        "title": "Pending invitations",
        "invitations": listed(request),
        "me_admin": account(request).role is Role.ADMIN,
        "error": error,
    }
    return page(request, "invitations.html", context, status_code=status_code)


# The API.


def _made_json(request: Request, made: use.Made, sent: use.Sent) -> dict[str, Any]:
    invitation = made.invitation
    shown = account(request).role is Role.CLINICIAN
    return {
        "id": invitation.ref,
        "code": made.code if shown else None,
        "url": _link(request, made) if shown else None,
        "name": invitation.name,
        "birth_date": None if invitation.birth_date is None else invitation.birth_date.isoformat(),
        "email": invitation.email,
        "expires_at": invitation.expires_at.isoformat(),
        "delivery": sent.how.value,
    }


def _pending_json(item: use.Listed) -> dict[str, Any]:
    i = item.invitation
    return {
        "id": i.ref,
        "name": i.name,
        "birth_date": None if i.birth_date is None else i.birth_date.isoformat(),
        "email": i.email,
        "clinician_email": i.clinician_email,
        "invited_at": i.invited_at.isoformat(),
        "expires_at": i.expires_at.isoformat(),
        "expired": item.expired,
    }


@router.post(
    "/api/v1/clinic/invitations",
    status_code=201,
    operation_id="postInvitation",
    response_model=Invitation,
    summary="Invite a new patient (their name, date of birth and optionally email): mailed "
    "to them when the server has a mail server; the join link, shown once",
    responses={422: REFUSALS[422]},
)
async def invite_api(request: Request, body: InvitationIn) -> JSONResponse:
    now = now_utc()
    on = today(request)
    name, born = identity.patient_name(body.name), identity.birth_date(body.birth_date, on)
    invite = partial(
        use.invite, accounts_of(request), account(request), now, name=name, born=born, on=on
    )
    made = await run_in_threadpool(partial(invite, email=use.optional_address(body.email)))
    sent = await run_in_threadpool(
        use.deliver, request.app.state.mailer, made, _link(request, made)
    )
    return JSONResponse(_made_json(request, made, sent), status_code=201)


@router.get(
    "/api/v1/clinic/invitations",
    operation_id="getInvitations",
    response_model=list[PendingInvitation],
    summary="The pending invitations: a clinician's own, or an admin's clinic's",
)
async def invitations_api(request: Request) -> JSONResponse:
    return JSONResponse([_pending_json(i) for i in await run_in_threadpool(listed, request)])


@router.post(
    "/api/v1/clinic/invitations/{invitation_id}/resend",
    operation_id="postInvitationResend",
    response_model=Invitation,
    summary="Send an invitation again: a new link, the old one stops working (an admin's "
    "is mailed, never shown)",
    responses={**NO_SUCH, 422: REFUSALS[422]},
)
async def resend_api(request: Request, invitation_id: str) -> JSONResponse:
    made, sent = await _resend(request, invitation_id)
    return JSONResponse(_made_json(request, made, sent))


@router.delete(
    "/api/v1/clinic/invitations/{invitation_id}",
    status_code=204,
    operation_id="deleteInvitation",
    summary="Revoke an invitation: its link stops working",
    responses={**NO_SUCH, 422: REFUSALS[422]},
)
async def revoke_api(request: Request, invitation_id: str) -> Response:
    await run_in_threadpool(
        use.revoke, accounts_of(request), account(request), invitation_id, now_utc()
    )
    return Response(status_code=204)
