"""The app's own middleware: local mode's safeguards, accounts mode's, and compression.

Local mode's safeguards answer only to this machine's own pages. The app has no login in
local mode, so three things could reach a person's data from outside: a web page on another
site that makes the browser post to 127.0.0.1 (cross-site request forgery), a hostile name
that resolves to 127.0.0.1 (DNS rebinding), and a page that shows ours in a hidden frame to
steal a click (clickjacking). The first is refused by the browser's own `Sec-Fetch-Site`
and `Origin` headers on every request that changes something; the second by accepting only
the loopback host names; the third by headers that forbid framing.

With a phone paired (`lumbar serve --phone`, issue #16) the app also answers on one network
address, and a fourth safeguard applies to every request that does not come from this
computer itself: it must carry the cookie of a live paired device, or it is refused, whatever
it asks for (pages, API, static files, calendar). Only the pairing link itself and the
certificate answer without one, and the page that makes pairing links answers only here.
"""

from __future__ import annotations

import ipaddress
import json
import re
from typing import Any, Protocol
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lumbar.web import csrf
from lumbar.web.headers import STANDALONE_STYLE

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
NO_FRAMES = ((b"x-frame-options", b"DENY"),)
"""For older browsers; the Content-Security-Policy (web/headers.py) says it to the others."""


DEVICE_COOKIE = "lumbar_device"
UNPAIRED_PATHS = re.compile(r"/pair/[A-Za-z0-9_-]{1,100}")
"""What a device that is not paired yet may open: the pairing link and the certificate."""
LOOPBACK_PATHS = ("/settings/phone",)
"""What only this computer opens: the page that makes pairing links and revokes devices."""
NOT_PAIRED = (
    "This device is not paired with lumbar. On the computer lumbar runs on, open Settings, "
    "Use on your phone, and scan the code it shows."
)


class PairedDevices(Protocol):
    """The paired devices, as the guard asks about them (usecases/devices.py:Gate)."""

    inline: bool
    """Whether `live` is quick enough to ask on the event loop (no thread hop)."""

    def live(self, secret: str) -> Any | None: ...

    def seen_due(self, device: Any) -> bool: ...

    def mark_seen(self, device: Any) -> None: ...


class LocalOnly:
    """Pure ASGI middleware (no per-request task, unlike Starlette's BaseHTTPMiddleware).

    `devices` knows the paired devices; without it, no other device is let in.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        allowed_hosts: tuple[str, ...],
        devices: PairedDevices | None = None,
    ) -> None:
        self.app = app
        self.allowed_hosts = frozenset(allowed_hosts)
        self.devices = devices

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        authority = headers.get(b"host", b"").decode("latin-1")
        host = _hostname(authority)
        if host not in self.allowed_hosts:
            await _refuse(send, 400, f"this app answers only on this computer, not as {host!r}")
            return
        if not from_loopback(scope):
            refusal = await self._unpaired(scope, headers)
            if refusal is not None:
                await _refuse(send, 403, refusal, page=_wants_page(headers))
                return
        if scope["method"] not in SAFE_METHODS and not _same_origin(headers, authority):
            await _refuse(send, 403, "a request from another web site was refused")
            return

        async def unframed(message: Message) -> None:
            # No other site may show these pages in a frame (clickjacking: a hidden frame
            # could get a click on "cleared by a clinician" that was meant for something else).
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), *NO_FRAMES]
            await send(message)

        await self.app(scope, receive, unframed)

    async def _unpaired(self, scope: Scope, headers: dict[bytes, bytes]) -> str | None:
        """Why a request from another device is refused, or None when it may go on."""
        path = scope["path"]
        if path.startswith(LOOPBACK_PATHS):
            return "This page opens only on the computer lumbar runs on."
        if UNPAIRED_PATHS.fullmatch(path):
            return None
        secret = _cookie(headers.get(b"cookie", b""), DEVICE_COOKIE)
        if not secret or self.devices is None:
            return NOT_PAIRED
        from starlette.concurrency import run_in_threadpool

        devices = self.devices
        device = (
            devices.live(secret)
            if devices.inline
            else await run_in_threadpool(devices.live, secret)
        )
        if device is None:
            return NOT_PAIRED
        if devices.seen_due(device):
            await run_in_threadpool(devices.mark_seen, device)
        return None


def from_loopback(scope: Scope) -> bool:
    """Whether the request comes from this computer itself (a loopback address). A client
    that is not an IP address at all is not."""
    client = scope.get("client")
    if not client:
        return False
    try:
        address = ipaddress.ip_address(client[0])
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def _wants_page(headers: dict[bytes, bytes]) -> bool:
    return b"text/html" in headers.get(b"accept", b"")


SESSION_COOKIE = "lumbar_session"
CSRF_HEADER = b"x-csrf-token"
CSRF_FIELD = "csrf_token"
MAX_FORM_BYTES = 5 * 1024 * 1024
"""The largest form body read to find its CSRF token (an import file fits)."""
CLINIC_HEADERS = (
    *NO_FRAMES,
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
)


class ClinicGuard:
    """Accounts mode's safeguards, for a server that other computers reach.

    - The host must be one the clinic named (`allowed_hosts`; None accepts any, for a
      server behind a reverse proxy that checks it).
    - The session cookie is looked up once on every request (one indexed read: on SQLite
      on the event loop, on PostgreSQL on a pooled connection in a thread); the account it
      belongs to is put in `scope["state"]["signed_in"]` for `authorization.enforce` and
      the routes, which never look it up again.
    - Every request that changes something must come from our own pages (`Sec-Fetch-Site`
      and `Origin`, as in local mode), and, when someone is signed in, carry the session's
      CSRF token: in the `X-CSRF-Token` header (htmx and API clients) or a `csrf_token`
      form field (plain forms). A page on another site can make a browser send the cookie,
      but it cannot read the token.
    """

    def __init__(self, app: ASGIApp, *, accounts: Any, allowed_hosts: tuple[str, ...] | None):
        self.app = app
        self.accounts = accounts
        self.allowed_hosts = None if allowed_hosts is None else frozenset(allowed_hosts)
        from lumbar.usecases.staff_sessions import reads_at_once

        self.inline = reads_at_once(accounts.store)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        from starlette.concurrency import run_in_threadpool

        from lumbar.usecases.accounts import now_utc

        headers = dict(scope["headers"])
        authority = headers.get(b"host", b"").decode("latin-1")
        if self.allowed_hosts is not None and _hostname(authority) not in self.allowed_hosts:
            await _refuse(send, 400, f"this server does not answer as {_hostname(authority)!r}")
            return
        token = _cookie(headers.get(b"cookie", b""), SESSION_COOKIE)
        signed_in = None
        if token:
            from lumbar.errors import DatabaseError
            from lumbar.usecases import staff_sessions

            # Looked up once per request, here; the route reads it from the scope.
            store, idle, now = self.accounts.store, self.accounts.staff_idle, now_utc()
            try:
                if self.inline:  # a SQLite file: no thread hop for a read in microseconds
                    signed_in, due = staff_sessions.look_up(store, token, now, idle)
                else:
                    signed_in, due = await run_in_threadpool(
                        staff_sessions.look_up, store, token, now, idle
                    )
                if due:
                    await run_in_threadpool(staff_sessions.mark_seen, store, token, now)
            except DatabaseError:
                # Outside the app's exception handlers: said here, as the app would say it.
                await _refuse(
                    send, 503, "the server cannot reach its database right now: try again"
                )
                return
        scope.setdefault("state", {})["signed_in"] = signed_in
        if scope["method"] not in SAFE_METHODS:
            if not _same_origin(headers, authority):
                await _refuse(send, 403, "a request from another web site was refused")
                return
            if signed_in is not None:
                sent = headers.get(CSRF_HEADER, b"").decode("latin-1")
                if not sent:
                    body, receive = await _buffered(receive)
                    sent = await _form_field(scope, body, CSRF_FIELD)
                # Masked afresh on every page (web/csrf.py: BREACH), unmasked here.
                if not csrf.matches(sent, signed_in.csrf_token):
                    await _refuse(
                        send,
                        403,
                        "this form is out of date (its security token does not match your "
                        "sign-in): reload the page and try again",
                    )
                    return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), *CLINIC_HEADERS]
            await send(message)

        await self.app(scope, receive, with_headers)


def _cookie(header: bytes, name: str) -> str:
    from http.cookies import CookieError, SimpleCookie

    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(header.decode("latin-1"))
    except CookieError:
        return ""
    morsel = jar.get(name)
    return "" if morsel is None else morsel.value


async def _buffered(receive: Receive) -> tuple[bytes, Receive]:
    """The whole body (up to MAX_FORM_BYTES), and a `receive` that gives it again."""
    chunks: list[bytes] = []
    size = 0
    more = True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_FORM_BYTES:
            break
        chunks.append(chunk)
        more = message.get("more_body", False)
    body = b"".join(chunks)
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True  # pragma: no mutate (nothing reads on past the body: no POST streams)
        return {"type": "http.request", "body": body, "more_body": False}

    return body, replay


async def _form_field(scope: Scope, body: bytes, name: str) -> str:
    """One field of a url-encoded or multipart form body, or "" (parsed by Starlette)."""
    from starlette.requests import Request

    async def once() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    try:
        form = await Request(scope, once).form()
    except Exception:  # a body that is not a form has no token: refused below
        return ""
    value = form.get(name)
    await form.close()  # a multipart form's files are spooled to disk
    return value if isinstance(value, str) else ""


def _hostname(host: str) -> str:
    if host.startswith("["):
        return host[: host.find("]") + 1]
    return host.rsplit(":", 1)[0] if ":" in host else host


def _same_origin(headers: dict[bytes, bytes], authority: str) -> bool:
    """Same origin: the browser says so, and any Origin names this host and port."""
    site = headers.get(b"sec-fetch-site")
    if site is not None and site not in (b"same-origin", b"none"):
        return False
    origin = headers.get(b"origin")
    if origin is None or origin == b"null":
        return origin is None
    return urlsplit(origin.decode("latin-1")).netloc.lower() == authority.lower()


async def _refuse(send: Send, status: int, message: str, *, page: bool = False) -> None:
    """The refusal as JSON, or as a small page for a browser that asked for one."""
    if page:
        from html import escape

        body = REFUSAL_PAGE.replace("{message}", escape(message)).encode()
        kind = b"text/html; charset=utf-8"
    else:
        body = json.dumps({"message": message}).encode()
        kind = b"application/json"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", kind),
                (b"content-length", str(len(body)).encode()),
                *NO_FRAMES,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


REFUSAL_PAGE = (
    '<!doctype html><html lang="en"><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
    f"<title>lumbar</title><style>{STANDALONE_STYLE}</style><body><h1>lumbar</h1>"
    "<p>{message}</p>"
)
"""Said to a browser that is refused: the stylesheet is refused to it as well, so its
style is written in it (allowed by its hash: web/headers.py)."""


class Compress:
    """Gzip for clients that accept it, and nothing at all for the others.

    Starlette's GZipMiddleware, for a client that does not accept gzip, still wraps the
    response to look at its headers and add `Vary`: work with no effect on what is sent,
    on every request. Here such a request goes straight to the app.
    """

    def __init__(self, app: ASGIApp, *, minimum_size: int) -> None:
        from starlette.middleware.gzip import GZipMiddleware

        self.app = app
        self.gzip = GZipMiddleware(app, minimum_size=minimum_size)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            for name, value in scope["headers"]:
                if name == b"accept-encoding" and b"gzip" in value:
                    await self.gzip(scope, receive, send)
                    return
        await self.app(scope, receive, send)
