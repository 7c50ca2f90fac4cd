"""Using local mode on a phone (issue #16): the computer's page that pairs one, and the
phone's side of the pairing link.

Settings, Use on your phone (`/settings/phone`) answers only on this computer
(web/guard.py): it makes a one-time pairing link, shows it as a QR code with the HTTPS
certificate's fingerprint and how to trust it, and lists the paired devices with when each
was last seen, each revocable. The phone opens the link, names itself, and gets the device
cookie: HttpOnly, SameSite=Strict, and Secure unless the person chose plain HTTP.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from lumbar.errors import UserError
from lumbar.formats import qr
from lumbar.usecases import devices
from lumbar.usecases.accounts import now_utc
from lumbar.usecases.phone import PhoneAddress, pairing_url
from lumbar.web.context import PersonDep, write
from lumbar.web.guard import DEVICE_COOKIE
from lumbar.web.templating import page

router = APIRouter(include_in_schema=False)

COOKIE_LASTS = 400 * 24 * 60 * 60
"""The longest a browser keeps a cookie (Chromium caps it at 400 days); revoking ends it."""


def _address(request: Request) -> PhoneAddress | None:
    found: PhoneAddress | None = request.app.state.phone_address
    return found


def _phone_page(request: Request, p: PersonDep, *, link: str | None = None) -> Response:
    address = _address(request)
    return page(
        request,
        "phone.html",
        {
            "title": "Use on your phone",
            "address": address,
            "link": link,
            "qr": None if link is None else qr.svg(link),
            "minutes": int(devices.PAIRING_LASTS.total_seconds() // 60),
            "devices": devices.listed(p.store),
        },
    )


@router.get("/settings/phone")
def phone_settings(request: Request, p: PersonDep) -> Response:
    return _phone_page(request, p)


@router.post("/settings/phone/pairing")
async def new_pairing(request: Request, p: PersonDep) -> Response:
    """A new one-time link, shown at once (it is kept only hashed)."""
    address = _address(request)
    if address is None:
        return await run_in_threadpool(_phone_page, request, p)
    token = await write(p, devices.start_pairing, p.store, now_utc())
    return await run_in_threadpool(_phone_page, request, p, link=pairing_url(address, token))


@router.post("/settings/phone/devices/{device_id}/revoke")
async def revoke_device(device_id: int, p: PersonDep) -> Response:
    await write(p, devices.revoke, p.store, device_id, now_utc())
    return RedirectResponse("/settings/phone", status_code=303)


@router.get("/pair/certificate")
def certificate(request: Request) -> Response:
    """The HTTPS certificate, for a phone to install and trust (public: it holds no secret)."""
    address = _address(request)
    if address is None or address.certificate is None:
        return Response("lumbar is not serving HTTPS to a phone.", status_code=404)
    return FileResponse(
        address.certificate,
        media_type="application/x-x509-ca-cert",
        filename="lumbar.crt",
    )


@router.get("/pair/{token}")
def pairing_page(request: Request, token: str, p: PersonDep) -> Response:
    """The phone's page: name this device, then pair it (a GET changes nothing, so a link
    preview cannot use the link up)."""
    live = devices.pairing_open(p.store, token, now_utc())
    return page(
        request,
        "pair.html",
        {
            "title": "Pair this device",
            "token": token,
            "live": live,
            "error": None if live else devices.PAIRING_CLOSED,
            "name": _guessed_name(request.headers.get("user-agent", "")),
            "address": _address(request),
        },
        status_code=200 if live else 410,
    )


@router.post("/pair/{token}")
async def pair(
    request: Request, token: str, p: PersonDep, name: Annotated[str, Form()] = ""
) -> Response:
    try:
        paired = await write(p, devices.pair, p.store, token, name, now_utc())
    except UserError as error:
        return page(
            request,
            "pair.html",
            {
                "title": "Pair this device",
                "token": token,
                "live": False,
                "error": str(error),
                "name": name,
                "address": _address(request),
            },
            status_code=410 if isinstance(error, devices.PairingRefused) else 422,
        )
    address = _address(request)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(
        DEVICE_COOKIE,
        paired.secret,
        max_age=COOKIE_LASTS,
        httponly=True,
        secure=address is None or not address.over_http,
        samesite="strict",
        path="/",
    )
    return response


def _guessed_name(agent: str) -> str:
    """A first name for the device, from what its browser says it is; the person edits it."""
    for marker, name in (
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Android", "Android phone"),
        ("Macintosh", "Mac"),
        ("Windows", "Windows computer"),
        ("Linux", "Linux computer"),
    ):
        if marker in agent:
            return name
    return "My phone"
