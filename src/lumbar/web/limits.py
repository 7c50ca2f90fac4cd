"""What a request may hold (issue #19): a body of 1 MB (more for an import), and no control
character in its path or query.

Without a limit one anonymous 300 MB body to `/api/v1/sign-in` kept the server busy for
30 s and took 2.2 GB of memory before it was refused as invalid. The limit is checked here,
outside every other middleware, before anything reads the body: a declared
`Content-Length` over the limit is answered 413 at once, without reading a byte of the
body; a body sent without one (chunked) is counted as it arrives and answered 413 as soon
as it passes the limit, and nothing after that is read. The server (uvicorn) stops reading
from a connection whose body nobody asks for, so what the client still sends waits in the
network's buffers, not in the server's memory.
"""

from __future__ import annotations

import json
import unicodedata
from urllib.parse import unquote_to_bytes

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MEGABYTE = 1_000_000
BODY_LIMIT = 1 * MEGABYTE
"""The largest body of any request but an import: a form, a session, a message."""
IMPORT_LIMIT = 20 * MEGABYTE
"""The largest body of an import (a whole archive of someone's records)."""
IMPORT_PATHS = frozenset({"/api/v1/import", "/settings/import", "/settings/import/replace"})
"""The requests that carry an archive, and may be as large as IMPORT_LIMIT."""


class BodyLimit:
    """Pure ASGI middleware: refuses a body over its limit with 413, unread."""

    def __init__(self, app: ASGIApp, *, limit: int, import_limit: int) -> None:
        self.app = app
        self.limit = limit
        self.import_limit = import_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.import_limit if scope["path"] in IMPORT_PATHS else self.limit
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _too_large(send, limit)
            return
        received = 0
        refused = False

        async def counted() -> Message:
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # Answered here, and the app told the client went away: it stops
                    # reading, and whatever it answers is not sent (below).
                    refused = True
                    await _too_large(send, limit)
                    return {"type": "http.disconnect"}
            return message

        async def unless_refused(message: Message) -> None:
            if not refused:
                await send(message)

        try:
            await self.app(scope, counted, unless_refused)
        except Exception:
            if not refused:
                raise
            # The app failed on the body it could not finish reading: already answered.


class NoControlCharacters:
    """Pure ASGI middleware: a path or query holding a control character is refused before
    any route sees it: 404 for a path (no page has such a name), 422 for a query.

    A NUL in a calendar token reached PostgreSQL, which cannot hold one in text, and the
    server answered 503 "cannot reach its database", as if it were down. Every path
    parameter is an id, a token or a name, and none holds a control character; refusing them
    here covers every route, the ones added later too, before any query is made. A query's
    tabs and line breaks are text (a form sent by GET); its other control characters are not.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            if _has_control(scope["path"], allowed=""):
                await _refuse(send, 404, "there is no page at this address")
                return
            query = unquote_to_bytes(scope["query_string"].replace(b"+", b" "))
            if _has_control(query.decode("utf-8", "replace"), allowed="\t\n\r"):
                await _refuse(send, 422, "the address holds a control character, which is not text")
                return
        await self.app(scope, receive, send)


def _has_control(text: str, *, allowed: str) -> bool:
    return any(unicodedata.category(c) == "Cc" and c not in allowed for c in text)


def _content_length(scope: Scope) -> int | None:
    """The declared body size, or None when there is none (or it is not a number, which
    the server itself refuses before the app sees the request)."""
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _too_large(send: Send, limit: int) -> None:
    megabytes = f"{limit / MEGABYTE:g} MB"
    message = f"this request is larger than the server accepts ({megabytes}): send less"
    # The rest of the body is never read: the connection cannot be used again.
    await _refuse(send, 413, message, close=True)


async def _refuse(send: Send, status: int, message: str, *, close: bool = False) -> None:
    body = json.dumps({"message": message}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"cache-control", b"no-store"),
    ]
    if close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
