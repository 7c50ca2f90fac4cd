"""The static files, named by their content (issue #18): `static_url("player.js")` is
`/static/player.3f2a9c1b0d.js`, and that name is served with a year's cache lifetime and
`immutable`, so a browser that has it never asks again; a new version of the file is a new
name, so nobody keeps an old one by mistake.

The plain names (`/static/player.js`) keep working, for whatever still asks for them (a page
kept from before, a bookmark), with `no-cache`: the browser asks again each time. A name
with a hash that is no longer the file's (a page kept offline across an update) gets the
current file the same way.

The hashes are taken once, at first use, from the files as they are: the package is not
changed while the server runs. Files in sub-folders are named the same way
(`camera/pose-source.js`), except third-party runtimes under `vendor/` (MediaPipe Pose's
25 MB, issue #21): their own code asks for them by their plain names, so they are served
only as those, asked again each time (a 304 when unchanged).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fastapi.staticfiles import StaticFiles
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

STATIC = Path(__file__).parent / "static"
PREFIX = "/static/"
IMMUTABLE = "public, max-age=31536000, immutable"
ASK_AGAIN = "no-cache"
HASH_LENGTH = 10
HASHED = re.compile(rf"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{{{HASH_LENGTH}}})(?P<suffix>\.[^./]+)$")


@dataclass(frozen=True)
class Catalogue:
    """Every static file's hashed name, by its plain name."""

    hashed: dict[str, str]

    def url(self, name: str) -> str:
        """The URL to put in a page: the hashed name (a file not in the folder is a
        mistake in a template, said at once rather than served as a 404 later)."""
        try:
            return PREFIX + self.hashed[name]
        except KeyError:
            raise ValueError(f"no static file {name!r} in {STATIC}") from None

    def plain(self, requested: str) -> tuple[str, bool] | None:
        """A requested hashed name as (the plain name to serve, whether the hash is the
        file's current one); None for a name that is not hashed."""
        found = HASHED.match(requested)
        if found is None:
            return None
        name = found["stem"] + found["suffix"]
        if name not in self.hashed:
            return None
        return name, self.hashed[name] == requested

    @property
    def digest(self) -> str:
        """One hash for all the files together: it changes when any of them does."""
        joined = "\n".join(sorted(self.hashed.values()))
        return hashlib.sha256(joined.encode()).hexdigest()[:HASH_LENGTH]


UNHASHED = "vendor"
"""The sub-folder whose files keep their plain names only (see above)."""


def hashed_name(path: Path, folder: Path | None = None) -> str:
    """`camera/pose-source.js` -> `camera/pose-source.<hash>.js` (relative to `folder`)."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:HASH_LENGTH]
    parent = path.parent.relative_to(folder).as_posix() + "/" if folder else ""
    return f"{'' if parent == './' else parent}{path.stem}.{digest}{path.suffix}"


@cache
def catalogue(folder: Path = STATIC) -> Catalogue:
    files = sorted(
        p for p in folder.rglob("*") if p.is_file() and p.relative_to(folder).parts[0] != UNHASHED
    )
    return Catalogue({p.relative_to(folder).as_posix(): hashed_name(p, folder) for p in files})


def static_url(name: str) -> str:
    """`static_url("lumbar.css")` in a template or a module: the file's hashed URL."""
    return catalogue().url(name)


class Assets(StaticFiles):
    """StaticFiles that answer the hashed names too, each with its cache lifetime."""

    def __init__(self, folder: Path = STATIC) -> None:
        super().__init__(directory=folder)
        self.folder = folder

    async def get_response(self, path: str, scope: Scope) -> Response:
        found = catalogue(self.folder).plain(path)
        if found is None:
            response = await super().get_response(path, scope)
            lifetime = ASK_AGAIN
        else:
            name, current = found
            response = await super().get_response(name, scope)
            lifetime = IMMUTABLE if current else ASK_AGAIN
        if response.status_code in (200, 304):
            response.headers["Cache-Control"] = lifetime
        return response


LOCAL_PAGES = "private, no-cache"
CLINIC_PAGES = "no-store"


class PageCaching:
    """A cache rule for every answer that does not give its own (pages, the API, redirects):
    they are about one person, and change with each answer they give.

    Local mode: `private, no-cache`: the browser may keep a copy, on the computer that holds
    the database anyway, but asks the server before showing it. Accounts mode: `no-store`:
    health data from a server, no copy on the device (a shared or clinic computer). The
    offline pages the service worker keeps are its own copies (the Cache API), not the
    browser's HTTP cache, so neither rule stops them.
    """

    def __init__(self, app: ASGIApp, *, rule: str) -> None:
        self.app = app
        self.rule = rule.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_rule(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if not any(name.lower() == b"cache-control" for name, _ in headers):
                    headers.append((b"cache-control", self.rule))
                    message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_rule)
