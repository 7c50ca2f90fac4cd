"""The headers every answer carries, whatever gave it (a route, a guard's refusal, a
static file): its Content-Security-Policy, and HEAD answered wherever GET is.

The policy of a page allows scripts, styles and images from this server only: no inline
script or `style="..."`, nothing from another origin, no plugin, no `<base>`, forms posted
back here only, and no other site may show the page in a frame. Were some text ever to
slip through the templates' escaping, the browser would still run no script of it.

Three documents must stand alone, without the stylesheet, and keep one fixed style written
in them: a figure (its SVG is the same inline and as a file), the summary for a clinician
(a file and a PDF too), and the small page for a device that may open nothing else (the
pairing page, a refusal). Each of those texts is allowed by its hash, and only it: a
changed style is a new hash, and any other inline style is still refused.

Other answers (JSON, files, images) get `frame-ancestors 'none'` only: a stricter policy
on a PDF would stop the browser's own viewer from showing it.

The camera (issue #21): MediaPipe Pose is WebAssembly, and a browser compiles WebAssembly
under a policy only with 'wasm-unsafe-eval' in script-src (Chromium refuses
`WebAssembly.instantiate` without it; pose.js's own test for SIMD too). That source allows
compiling WebAssembly and nothing else: no `eval`, no `new Function`, no inline script. It
is given only to the pages that use the camera (CAMERA_PAGES), and so is the camera itself:
Permissions-Policy `camera=(self)` there, `camera=()` on every other page, so that no
other page (nor anything framed in one) can ask for it.
"""

from __future__ import annotations

import base64
import hashlib

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lumbar.figures.svg import STYLE as FIGURE_STYLE
from lumbar.formats.documents import SUMMARY_STYLE

STANDALONE_STYLE = (
    "body{font:1.1rem/1.5 system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem}"
    "label,input,button{display:block;width:100%;box-sizing:border-box;font:inherit}"
    "input{margin:.4rem 0 1rem;padding:.7rem}"
    "button{padding:.9rem;border:0;border-radius:.5rem;background:#2f5d50;color:#fff;"
    "font-weight:600}"
    ".refused{border-left:.3rem solid #b3261e;padding-left:1rem}"
)
"""The style of a page shown to a device that may not open the stylesheet (a phone not
paired yet: templates/pair.html, and the guards' refusals)."""


def style_hash(text: str) -> str:
    """A CSP source that allows one `<style>` element holding exactly `text`."""
    digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
    return f"'sha256-{digest}'"


PAGE_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        # The three styles that stand alone (see above), each by its hash.
        "style-src 'self' "
        + " ".join(style_hash(s) for s in (FIGURE_STYLE, SUMMARY_STYLE, STANDALONE_STYLE)),
        # data: for the images the vendored Swagger UI's stylesheet holds (its icons).
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
CAMERA_POLICY = PAGE_POLICY.replace("script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'")
OTHER_POLICY = "frame-ancestors 'none'"

CAMERA_PAGES = frozenset({"/camera", "/session"})
"""The pages that run the pose model on the camera: the camera check (web/camera.py) and
the session player, where "Use the camera" is offered."""
CAMERA_ALLOWED = "camera=(self)"
CAMERA_REFUSED = "camera=()"


def page_policy(path: str) -> str:
    """The Content-Security-Policy of the page at `path`."""
    return CAMERA_POLICY if path in CAMERA_PAGES else PAGE_POLICY


def permissions_policy(path: str) -> str:
    """The Permissions-Policy of the page at `path`: the camera, where it is used."""
    return CAMERA_ALLOWED if path in CAMERA_PAGES else CAMERA_REFUSED


HEAD_KEY = "lumbar.head"
"""The scope's mark of a HEAD request that the routes see as a GET."""


def is_head(request: Request) -> bool:
    """Whether this GET is a HEAD request: a route that marks something (a message read)
    when it is opened marks nothing for a HEAD, which must be safe (a link checker, a
    prefetch)."""
    return bool(request.scope.get(HEAD_KEY, False))


class Headers:
    """Pure ASGI middleware, outside every other: it sees the guards' refusals too.

    HEAD is answered as GET, without the body: the same status and headers (its length
    included), wherever GET is, with the same rules (a route, its access rule, the guards
    see a GET). A page gets PAGE_POLICY (CAMERA_POLICY on CAMERA_PAGES), any other answer
    OTHER_POLICY, unless it set a policy of its own; a page also gets its Permissions-Policy
    for the camera.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        path = scope["path"]
        if head:
            scope = {**scope, "method": "GET", HEAD_KEY: True}

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower(): value for name, value in headers}
                html = names.get(b"content-type", b"").startswith(b"text/html")
                if b"content-security-policy" not in names:
                    policy = page_policy(path) if html else OTHER_POLICY
                    headers.append((b"content-security-policy", policy.encode()))
                if html and b"permissions-policy" not in names:
                    headers.append((b"permissions-policy", permissions_policy(path).encode()))
                message = {**message, "headers": headers}
            elif message["type"] == "http.response.body" and head:
                message = {**message, "body": b""}
            await send(message)

        await self.app(scope, receive, with_headers)
