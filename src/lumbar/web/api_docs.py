"""The API's documentation page, `/api/docs`: Swagger UI, vendored in static/ (pinned, with
its licence), so the page asks nothing of another origin and works without the internet.

FastAPI's own docs page loads Swagger UI from a CDN (an unpinned version, no integrity
check, running on the session cookie's origin) and starts it with an inline script, which
the Content-Security-Policy refuses. Here the files are ours (static/swagger-ui-*.js,
.css, and their LICENCE and NOTICE files), and static/api-docs.js starts it.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from lumbar.web.templating import TEMPLATES

SWAGGER_UI_VERSION = "5.35.0"
"""swagger-ui-dist on npm (`npm pack swagger-ui-dist@5.35.0`); its files as packed."""
SWAGGER_UI_SHA256 = {
    "swagger-ui-bundle.js": "e6a898692f2d768e807c3ba4626068a69a2c5dd960dd6c76f3e4d3a3de180af2",
    "swagger-ui.css": "5ed08757e53da3e026d6cbecc61fe5d43585c9560b302d534ad56692519a273d",
}
"""The vendored files' hashes (tests/web/test_headers.py checks them): an update is a
deliberate change of these lines, with the version."""

router = APIRouter(include_in_schema=False)


@router.get("/api/docs")
def api_docs(request: Request) -> HTMLResponse:
    return TEMPLATES.TemplateResponse(
        request,
        "api_docs.html",
        {"openapi_url": request.app.openapi_url, "title": request.app.title},
    )
