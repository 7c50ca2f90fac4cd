"""A clinician's choice of mail about their patients (issue #20): the alert at once for an
emergency or urgent sign, and the daily digest; on the account page and in the API.

The unread markers themselves are drawn by the pages that show the messages and reports
(web/clinic.py, web/messages.py); the mail is sent by usecases/alerts.py.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field, StrictBool
from starlette.concurrency import run_in_threadpool

from lumbar.formats.shapes.clinic import MailSettings
from lumbar.usecases import notifications
from lumbar.web.authorization import ACCOUNT_REFUSALS, account
from lumbar.web.errors import REFUSALS

router = APIRouter(responses={**ACCOUNT_REFUSALS, 503: REFUSALS[503]})


class MailSettingsIn(BaseModel):
    """Both choices, each true or false (a missing one is refused, not taken as off)."""

    model_config = ConfigDict(extra="forbid")

    alerts: StrictBool = Field(description="An alert at once for an emergency or urgent sign.")
    digest: StrictBool = Field(description="A daily digest of new concerns.")


@router.post("/account/mail", include_in_schema=False)
async def mail_form(request: Request) -> Response:
    form = await request.form()  # a box not ticked is not sent: that mail is off
    chosen = notifications.MailSettings(
        alerts=form.get("alerts") is not None, digest=form.get("digest") is not None
    )
    store, me = request.app.state.store, account(request)
    await run_in_threadpool(notifications.set_mail_settings, store, me, chosen)
    return RedirectResponse("/account?mail=saved#mail", status_code=303)


def _json(settings: notifications.MailSettings) -> dict[str, bool]:
    return {"alerts": settings.alerts, "digest": settings.digest}


@router.get(
    "/api/v1/clinic/mail-settings",
    operation_id="getMailSettings",
    response_model=MailSettings,
    summary="Which mail you get about your patients",
)
async def mail_settings_api(request: Request) -> JSONResponse:
    store, me = request.app.state.store, account(request)
    found = await run_in_threadpool(notifications.mail_settings, store, me)
    return JSONResponse(_json(found))


@router.put(
    "/api/v1/clinic/mail-settings",
    operation_id="putMailSettings",
    response_model=MailSettings,
    summary="Choose which mail you get about your patients",
    responses={422: REFUSALS[422]},
)
async def set_mail_settings_api(request: Request, body: MailSettingsIn) -> JSONResponse:
    store, me = request.app.state.store, account(request)
    chosen = notifications.MailSettings(alerts=body.alerts, digest=body.digest)
    await run_in_threadpool(notifications.set_mail_settings, store, me, chosen)
    return JSONResponse(_json(chosen))
