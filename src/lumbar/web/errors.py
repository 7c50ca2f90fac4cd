"""How refusals reach the client: one JSON shape with a message, and nothing written.

- 422: the request itself is wrong (a missing field, an unknown exercise, a rest day).
- 409: the request is fine but the program's state refuses it (no program yet, an
  emergency sign at the intake).
- 503: the database cannot be used.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from lumbar.errors import NoProgram, UserError
from lumbar.inputs import describe_problem
from lumbar.services import EmergencyAtIntake
from lumbar.store.database import DatabaseError


async def invalid_request(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    problems = list(error.errors())
    # The location starts with where the value came from (body, query); the field is enough.
    messages = [describe_problem(p, skip=1 if len(p["loc"]) > 1 else 0) for p in problems]
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
    if isinstance(error, EmergencyAtIntake):
        status = 409
        body["alerts"] = [
            {"level": a.level.value, "code": a.code, "rule": a.rule} for a in error.alerts
        ]
    return JSONResponse(body, status_code=status)


async def unusable(_request: Request, error: Exception) -> JSONResponse:
    return JSONResponse({"message": str(error)}, status_code=503)


def install(app: FastAPI) -> None:
    app.add_exception_handler(UserError, refused)
    app.add_exception_handler(DatabaseError, unusable)


def _plain(problems: list[Any]) -> list[dict[str, Any]]:
    """The problems without their `ctx` (it can hold exceptions, which JSON cannot carry)."""
    return [{k: v for k, v in p.items() if k in ("type", "loc", "msg")} for p in problems]
