"""The app's own middleware: local mode's safeguards, accounts mode's, and compression.

Local mode's safeguards answer only to this machine's own pages. The app has no login in
local mode, so three things could reach a person's data from outside: a web page on another
site that makes the browser post to 127.0.0.1 (cross-site request forgery), a hostile name
that resolves to 127.0.0.1 (DNS rebinding), and a page that shows ours in a hidden frame to
steal a click (clickjacking). The first is refused by the browser's own `Sec-Fetch-Site`
and `Origin` headers on every request that changes something; the second by accepting only
the loopback host names; the third by headers that forbid framing.
"""

from __future__ import annotations

import json
import secrets
from typing import Any
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
NO_FRAMES = (
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"frame-ancestors 'none'"),
)


class LocalOnly:
    """Pure ASGI middleware (no per-request task, unlike Starlette's BaseHTTPMiddleware)."""

    def __init__(self, app: ASGIApp, *, allowed_hosts: tuple[str, ...]) -> None:
        self.app = app
        self.allowed_hosts = frozenset(allowed_hosts)

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
    - The session cookie is looked up on every request; the account it belongs to is put
      in `scope["state"]["signed_in"]` for `authorization.enforce`.
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

            try:
                signed_in = await run_in_threadpool(self.accounts.session, token, now_utc())
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
                # As bytes: compare_digest refuses str holding non-ASCII (a 500, not a 403).
                if not secrets.compare_digest(sent.encode(), signed_in.csrf_token.encode()):
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


async def _refuse(send: Send, status: int, message: str) -> None:
    body = json.dumps({"message": message}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


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
