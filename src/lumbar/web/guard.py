"""The app's own middleware: local mode's safeguards, and compression.

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
