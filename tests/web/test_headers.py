"""Local mode's headers (issue #19): every page with the full Content-Security-Policy and
nothing inline it would refuse; HEAD wherever GET; Swagger UI vendored as pinned; the
CSRF mask (web/csrf.py) on its own."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient

from lumbar.figures.svg import STYLE as FIGURE_STYLE
from lumbar.formats.documents import SUMMARY_STYLE
from lumbar.web import csrf
from lumbar.web.api_docs import SWAGGER_UI_SHA256, SWAGGER_UI_VERSION
from lumbar.web.assets import STATIC, static_url
from lumbar.web.headers import (
    CAMERA_PAGES,
    CAMERA_POLICY,
    PAGE_POLICY,
    STANDALONE_STYLE,
    page_policy,
    permissions_policy,
    style_hash,
)
from tests.server.test_headers import elsewhere
from tests.web.conftest import BASE_URL

TEMPLATES = Path(STATIC).parent / "templates"
PATHS = {
    "{exercise_id}": "bird-dog",
    "{topic_id}": "disclaimer",
    "{name}": "bird-dog",
    "{slug}": "about",
    "{token}": "not-a-token",
    "{record_id}": "not-a-record",
}
INLINE_STYLES = re.compile(r"<style>(.*?)</style>", re.S)


def get_routes(client: TestClient) -> list[str]:
    found = []
    for context in iter_route_contexts(client.app.routes):  # type: ignore[attr-defined]
        if context.methods and "GET" in context.methods and context.path:
            path = context.path
            for name, value in PATHS.items():
                path = path.replace(name, value)
            found.append(path)
    return found


def test_every_page_has_the_policy_and_nothing_inline_it_refuses(started: TestClient) -> None:
    allowed = {FIGURE_STYLE, SUMMARY_STYLE, STANDALONE_STYLE}
    pages = 0
    for path in get_routes(started):
        response = started.get(path)
        if not response.headers.get("content-type", "").startswith("text/html"):
            assert response.headers["content-security-policy"] == "frame-ancestors 'none'", path
            continue
        pages += 1
        html = response.text
        assert response.headers["content-security-policy"] == page_policy(path), path
        assert response.headers["permissions-policy"] == permissions_policy(path), path
        if response.status_code == 200:
            assert response.headers["cache-control"] == "private, no-cache", path
        assert elsewhere(html) == [], path
        assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is None, f"inline script: {path}"
        assert re.search(r"\sstyle=", html) is None, f"a style attribute: {path}"
        assert re.search(r"\son[a-z]+=", html) is None, f"an event handler attribute: {path}"
        strays = [s[:60] for s in INLINE_STYLES.findall(html) if s not in allowed]
        assert strays == [], f"an inline style the policy does not allow: {path}"
    assert pages > 20


def test_only_the_camera_pages_may_compile_webassembly_and_use_the_camera(
    started: TestClient,
) -> None:
    """MediaPipe Pose needs 'wasm-unsafe-eval' (and only it) where the camera runs; every
    other page keeps the plain policy and refuses the camera, frames included."""
    assert CAMERA_PAGES == {"/camera", "/session"}
    camera = dict(part.split(" ", 1) for part in CAMERA_POLICY.split("; "))
    plain = dict(part.split(" ", 1) for part in PAGE_POLICY.split("; "))
    assert camera["script-src"] == "'self' 'wasm-unsafe-eval'"
    assert {k: v for k, v in camera.items() if k != "script-src"} == {
        k: v for k, v in plain.items() if k != "script-src"
    }
    assert "'unsafe-eval'" not in CAMERA_POLICY and "'unsafe-inline'" not in CAMERA_POLICY
    for path in CAMERA_PAGES:
        response = started.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-security-policy"] == CAMERA_POLICY, path
        assert response.headers["permissions-policy"] == "camera=(self)", path
    for path in ("/today", "/progress", "/library", "/camera/", "/session/answer"):
        response = started.get(path)
        if response.headers.get("content-type", "").startswith("text/html"):
            assert response.headers["content-security-policy"] == PAGE_POLICY, path
            assert response.headers["permissions-policy"] == "camera=()", path
    # A file or JSON answer carries no Permissions-Policy (it is not a document).
    assert "permissions-policy" not in started.get("/api/v1/status").headers


def test_the_policy_allows_exactly_the_styles_that_stand_alone() -> None:
    policy = dict(part.split(" ", 1) for part in PAGE_POLICY.split("; "))
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["object-src"] == "'none'" and policy["base-uri"] == "'none'"
    assert policy["frame-ancestors"] == "'none'" and policy["form-action"] == "'self'"
    hashes = set(policy["style-src"].split()) - {"'self'"}
    assert hashes == {style_hash(s) for s in (FIGURE_STYLE, SUMMARY_STYLE, STANDALONE_STYLE)}
    assert "unsafe" not in PAGE_POLICY


def test_no_template_holds_inline_script_or_style_attributes() -> None:
    for template in TEMPLATES.glob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) is None, template.name
        assert re.search(r"\sstyle=", text) is None, template.name


def test_head_answers_as_get_does_without_a_body(started: TestClient) -> None:
    plain = {"accept-encoding": "identity"}
    for path in ("/today", "/library", "/api/v1/status", static_url("lumbar.css"), "/nowhere"):
        get, head = started.get(path, headers=plain), started.head(path, headers=plain)
        assert head.status_code == get.status_code, path
        assert head.content == b"", path
        assert head.headers.get("content-length") == get.headers.get("content-length"), path
        assert head.headers["content-type"] == get.headers["content-type"], path


def test_swagger_ui_is_vendored_as_pinned_with_its_licence() -> None:
    for name, digest in SWAGGER_UI_SHA256.items():
        assert hashlib.sha256((STATIC / name).read_bytes()).hexdigest() == digest, name
    assert (
        f"swagger-ui-dist@{SWAGGER_UI_VERSION}"
        in (STATIC.parents[3] / "docs" / "deploy.md").read_text()
    )
    assert "Apache License" in (STATIC / "swagger-ui.LICENSE.txt").read_text()
    assert "SmartBear" in (STATIC / "swagger-ui.NOTICE.txt").read_text()


def test_the_api_docs_page_starts_swagger_ui_from_our_files(client: TestClient) -> None:
    html = client.get("/api/docs").text
    assert static_url("swagger-ui-bundle.js") in html
    assert static_url("swagger-ui.css") in html
    assert static_url("api-docs.js") in html
    assert 'data-openapi="/api/v1/openapi.json"' in html
    assert client.get("/docs/oauth2-redirect").status_code == 404


def test_a_masked_token_is_new_each_time_and_unmasks_to_the_token() -> None:
    token = "x7Vq-secret_token-43chars-aaaaaaaaaaaaaaaaa"
    masks = {csrf.mask(token) for _ in range(50)}
    assert len(masks) == 50
    assert all(token not in m and csrf.unmask(m) == token for m in masks)
    assert all(csrf.matches(m, token) for m in masks)
    assert csrf.matches(token, token)  # as it is, from the session itself


def test_a_token_that_is_not_the_sessions_does_not_match() -> None:
    token = "x7Vq-secret_token-43chars-aaaaaaaaaaaaaaaaa"
    other = csrf.mask("another-token-of-the-same-length-aaaaaaaaaa")
    masked = csrf.mask(token)
    for sent in (other, masked[:-1], masked + "A", "", "é", "%%%", masked[: len(masked) // 2]):
        assert not csrf.matches(sent, token), sent


def test_a_refusal_page_has_the_policy_and_only_the_style_it_allows(app: FastAPI) -> None:
    """A device that is not paired is refused everything, the stylesheet too: the refusal
    page's own style is the one the policy allows by its hash."""
    with TestClient(app, base_url=BASE_URL, client=("192.0.2.7", 50000)) as other_device:
        response = other_device.get("/today", headers={"accept": "text/html"})
    assert response.status_code == 403
    assert response.headers["content-security-policy"] == PAGE_POLICY
    assert response.headers["cache-control"] == "private, no-cache"
    assert INLINE_STYLES.findall(response.text) == [STANDALONE_STYLE]
    assert " style=" not in response.text
