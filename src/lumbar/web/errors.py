"""How refusals reach the client: one JSON shape with a message, and nothing written.

- 422: the request itself is wrong (a missing field, an unknown exercise, a rest day).
- 409: the request is fine but the program's state refuses it (no program yet, an
  emergency sign at the intake).
- 503: the database cannot be used.
- 404 and 405 under `/api/`: no such address, or a method the address does not take.

The models below document these answers in the OpenAPI schema (`REFUSALS`), so a client
(and tests/web/test_schemathesis.py) can hold every refusal to its shape.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from lumbar.errors import DatabaseError, NoProgram, UserError
from lumbar.formats.validation import describe_problem
from lumbar.usecases.program import EmergencyAtIntake
from lumbar.usecases.recorded import NoSuchRecord
from lumbar.usecases.records import HoldsProgram

logger = logging.getLogger(__name__)


async def invalid_request(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    problems = list(error.errors())
    messages = [_described(p, error.body) for p in problems]
    return JSONResponse(
        {"message": messages[0], "problems": messages, "detail": _plain(problems)},
        status_code=422,
    )


async def refused(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, UserError)
    body: dict[str, Any] = {"message": str(error)}
    status = 422
    if isinstance(error, NoProgram):
        status = 409
    if isinstance(error, NoSuchRecord):
        status = 404
    if isinstance(error, HoldsProgram):
        body["message"] = (
            f"this database already holds a program ({error.held.said()}): an import goes into "
            "an empty one; to replace it, export it first (GET /api/v1/export), then import "
            "it with `lumbar import --replace` or the Settings page"
        )
    if isinstance(error, EmergencyAtIntake):
        status = 409
        body["alerts"] = [
            {"level": a.level.value, "code": a.code, "rule": a.rule} for a in error.alerts
        ]
    return JSONResponse(body, status_code=status)


async def unusable(request: Request, error: Exception) -> JSONResponse:
    """Local mode says what is wrong with the person's own database file; a clinic's server
    keeps where its database lives to itself (the server's log has it)."""
    if request.app.state.accounts is not None:
        logger.error("database unusable: %s", error)
        message = "the server cannot reach its database right now: try again in a minute"
        return JSONResponse({"message": message}, status_code=503)
    return JSONResponse({"message": str(error)}, status_code=503)


UNREADABLE_BODY = "There was an error parsing the body"
"""FastAPI's 400 for a body it cannot decode (bytes that are not UTF-8)."""


async def http_refusal(request: Request, error: Exception) -> Response:
    """FastAPI's and Starlette's own refusals in the API's shape, so that a script reads a
    message there too: a body that cannot be read (422, as any wrong request), an unknown
    address (404), a method the address does not take (405). Pages keep FastAPI's answers."""
    assert isinstance(error, HTTPException)
    if not request.url.path.startswith("/api/") or error.status_code < 400:
        return await http_exception_handler(request, error)
    status = error.status_code
    headers = dict(error.headers or {})
    if status == 400 and error.detail == UNREADABLE_BODY:
        status, message = 422, "body: not valid JSON (it is not UTF-8 text)"
    elif status == 404:
        message = f"no such address: {request.url.path}"
    elif status == 405:
        # Starlette names only the methods of the first route with this path; the schema
        # knows them all (a route it does not document keeps Starlette's answer).
        headers["Allow"] = ", ".join(_methods_of(request)) or headers.get("Allow", "")
        message = f"{request.method} is not allowed on {request.url.path}: use {headers['Allow']}"
    else:
        message = str(error.detail)
    return JSONResponse({"message": message}, status_code=status, headers=headers)


def install(app: FastAPI) -> None:
    app.add_exception_handler(UserError, refused)
    app.add_exception_handler(DatabaseError, unusable)
    app.add_exception_handler(HTTPException, http_refusal)


def _described(problem: Mapping[str, Any], body: Any) -> str:
    """One problem of a request's body or query, in words, named by its field."""
    location = tuple(problem["loc"])
    if problem["type"] == "json_invalid":
        # The location holds the character where decoding stopped, not a field.
        return _not_json(location[-1], problem.get("ctx", {}).get("error", ""), body)
    if location == ("body",) and problem["type"] in ("model_attributes_type", "dict_type"):
        # A model's body, or a free-form object's (a clinician's prescription).
        if isinstance(problem.get("input"), bytes):
            return "body: expected a JSON object, sent as Content-Type: application/json"
        return f"body: expected a JSON object (got {json.dumps(problem['input'], default=str)})"
    # The location starts with where the value came from (body, query); the field is enough.
    return describe_problem(problem, skip=1 if len(location) > 1 else 0)


def _not_json(position: Any, reason: str, document: Any) -> str:
    """Where a body stops being JSON, as `lumbar start --answers` says it of a file."""
    if not isinstance(document, str) or not isinstance(position, int):
        return f"body: not valid JSON ({reason})"
    line = document.count("\n", 0, position) + 1
    column = position - document.rfind("\n", 0, position)
    return f"body: not valid JSON (line {line}, column {column}: {reason})"


HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})


def _methods_of(request: Request) -> list[str]:
    """Every method the API's schema documents at the requested path."""
    methods: set[str] = set()
    for template, operations in request.app.openapi().get("paths", {}).items():
        pattern = re.sub(r"\\\{[^/]*?\\\}", "[^/]+", re.escape(template))
        if re.fullmatch(pattern, request.url.path):
            methods |= {m.upper() for m in operations if m in HTTP_METHODS}
    return sorted(methods)


# The answers above, as the OpenAPI schema documents them.


class Refusal(BaseModel):
    """Every refused request: one line a person can act on, naming the field at fault."""

    message: str = Field(min_length=1, description="What is wrong, e.g. `pain: ...`.")


class ProblemDetail(BaseModel):
    """One problem pydantic found, as FastAPI reports it (without its context)."""

    type: str
    loc: list[str | int]
    msg: str


class Invalid(Refusal):
    """A request that is wrong; the first problem found is the message."""

    problems: list[str] = Field(
        default=[], description="Every problem found in the body or the query, in words."
    )
    detail: list[ProblemDetail] = Field(default=[], description="The same problems, structured.")


class AlertOut(BaseModel):
    level: str
    code: str
    rule: str


class Conflict(Refusal):
    """A request the program's state refuses."""

    alerts: list[AlertOut] = Field(
        default=[], description="The emergency signs found at the intake, when that is why."
    )


REFUSALS: dict[int | str, dict[str, Any]] = {
    409: {"model": Conflict, "description": "No program yet, or an emergency sign at the intake."},
    422: {"model": Invalid, "description": "The request is wrong; nothing was written."},
    503: {"model": Refusal, "description": "The database cannot be used."},
}
"""The refusals a route of the API may answer, for `APIRouter(responses=...)`."""

NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": Refusal, "description": "No such item in the catalogue."}
}


def _plain(problems: list[Any]) -> list[dict[str, Any]]:
    """The problems without their `ctx` (it can hold exceptions, which JSON cannot carry)."""
    return [{k: v for k, v in p.items() if k in ("type", "loc", "msg")} for p in problems]
