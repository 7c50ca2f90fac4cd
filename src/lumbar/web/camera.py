"""The camera check (issue #21): a page where a person turns the camera on and sees that
lumbar can follow their body, before using it in a session.

The page only hosts the pose source (static/camera/pose-source.js): the camera's frames
and the landmarks found in them stay in the browser, so this route serves the page and
receives nothing. Its Content-Security-Policy and Permissions-Policy allow what the pose
model needs (web/headers.py, CAMERA_PAGES).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from lumbar.web.templating import page

router = APIRouter(include_in_schema=False)


@router.get("/camera")
def camera_check(request: Request) -> Response:
    return page(request, "camera.html", {"title": "Check your camera"})
