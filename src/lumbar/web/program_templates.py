"""A clinic's program templates (issue #20): the page that lists them (rename, delete), the
form that saves a patient's prescription as one, and the API. Starting a patient from a
template, or from another patient's program, is the prescription page
(`web/prescribing.py`, `?template=` and `?copy=`): the grid shows it for review and nothing
is written until the clinician saves it, as any prescription; the API, which has no grid,
prescribes it directly. Both go through the prescription's one check and write.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from lumbar.errors import NotAllowed, UserError
from lumbar.formats.prescription import PrescriptionDocument, PrescriptionRefused
from lumbar.formats.shapes.templates import ProgramTemplate
from lumbar.usecases import program_templates as templates
from lumbar.usecases.accounts import now_utc
from lumbar.web.authorization import ACCOUNT_REFUSALS, NOT_YOURS, account, accounts_of
from lumbar.web.clinic import ONE_PATIENT, called, patient_of, record_of
from lumbar.web.context import today, write
from lumbar.web.errors import REFUSALS
from lumbar.web.prescribing import PrescriptionRefusal
from lumbar.web.templating import page

router = APIRouter(responses={**ACCOUNT_REFUSALS, 503: REFUSALS[503]})

NO_TEMPLATE: dict[int | str, dict[str, Any]] = {
    404: {
        **NOT_YOURS[404],
        "description": "No such template in the clinician's clinic, or no such patient "
        "among the clinician's own.",
    }
}
REFUSED: dict[int | str, dict[str, Any]] = {
    422: {
        "model": PrescriptionRefusal,
        "description": "Not a name or a prescription, or one that breaks a safety rule (every "
        "reason); nothing was written.",
    }
}


def _json(found: templates.Template) -> dict[str, Any]:
    return {
        "id": found.id,
        "name": found.name,
        "updated_at": found.updated_at.isoformat(),
        "document": found.document,
    }


def _refusal(refusal: PrescriptionRefused) -> JSONResponse:
    return JSONResponse({"message": refusal.message, "reasons": refusal.reasons}, 422)


# Pages.


async def _list_page(
    request: Request, *, problem: str | None = None, status_code: int = 200
) -> Response:
    found = await run_in_threadpool(templates.templates, accounts_of(request), account(request))
    context = {
        "title": "Program templates",
        "templates": found,
        "problem": problem,
        "saved": request.query_params.get("saved"),
        "limit": templates.MAX_NAME,
    }
    return page(request, "program_templates.html", context, status_code=status_code)


@router.get("/clinic/templates", include_in_schema=False)
async def templates_page(request: Request) -> Response:
    return await _list_page(request)


@router.post("/clinic/patients/{patient_id}/templates", include_in_schema=False)
async def save_form(request: Request, patient_id: int) -> Response:
    """Save the patient's prescription, as it stands, under the name typed."""
    patient = patient_of(request)
    form = await request.form()
    save = partial(
        templates.save_from_patient,
        accounts_of(request),
        account(request),
        record_of(request, patient),
        str(form.get("name", "")),
        now_utc(),
    )
    try:
        await run_in_threadpool(save)
    except PrescriptionRefused as refusal:
        problem = f"{called(patient)}'s program cannot be saved: " + " ".join(refusal.reasons)
        return await _list_page(request, problem=problem, status_code=422)
    except UserError as refusal:
        return await _list_page(request, problem=_said(refusal), status_code=422)
    return RedirectResponse("/clinic/templates?saved=1", status_code=303)


@router.post("/clinic/templates/{template_id}/rename", include_in_schema=False)
async def rename_form(request: Request, template_id: int) -> Response:
    form = await request.form()
    rename = partial(
        templates.rename,
        accounts_of(request),
        account(request),
        template_id,
        str(form.get("name", "")),
        now_utc(),
    )
    try:
        await run_in_threadpool(rename)
    except NotAllowed:
        raise  # another clinic's template: not found
    except UserError as refusal:
        return await _list_page(request, problem=_said(refusal), status_code=422)
    return RedirectResponse("/clinic/templates", status_code=303)


@router.post("/clinic/templates/{template_id}/delete", include_in_schema=False)
async def delete_form(request: Request, template_id: int) -> Response:
    remove = partial(templates.delete, accounts_of(request), account(request), template_id)
    await run_in_threadpool(remove)
    return RedirectResponse("/clinic/templates", status_code=303)


def _said(refusal: UserError) -> str:
    text = refusal.message
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


# The API.


class TemplateIn(BaseModel):
    """A new template: its name and the prescription it holds."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=templates.MAX_NAME)
    document: dict[str, Any] = Field(description="A prescription document, as a patient's.")


class TemplateName(BaseModel):
    """A template's new name."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=templates.MAX_NAME)


class FromTemplate(BaseModel):
    """The template to prescribe."""

    model_config = ConfigDict(extra="forbid")

    template_id: int


class FromPatient(BaseModel):
    """The patient (one of the clinician's own) whose prescription to copy."""

    model_config = ConfigDict(extra="forbid")

    from_patient_id: int


@router.get(
    "/api/v1/clinic/templates",
    operation_id="getProgramTemplates",
    response_model=list[ProgramTemplate],
    summary="The clinic's program templates, by name",
)
async def templates_api(request: Request) -> JSONResponse:
    found = await run_in_threadpool(templates.templates, accounts_of(request), account(request))
    return JSONResponse([_json(t) for t in found])


@router.post(
    "/api/v1/clinic/templates",
    status_code=201,
    operation_id="postProgramTemplate",
    response_model=ProgramTemplate,
    summary="Save a prescription as a named template for the clinic; one that breaks a "
    "safety rule is refused with every reason",
    responses=REFUSED,
)
async def save_api(request: Request, body: TemplateIn) -> JSONResponse:
    save = partial(
        templates.save,
        accounts_of(request),
        account(request),
        body.name,
        body.document,
        request.app.state.content,
        now_utc(),
    )
    try:
        found = await run_in_threadpool(save)
    except PrescriptionRefused as refusal:
        return _refusal(refusal)
    return JSONResponse(_json(found), status_code=201)


@router.patch(
    "/api/v1/clinic/templates/{template_id}",
    operation_id="patchProgramTemplate",
    response_model=ProgramTemplate,
    summary="Rename one of the clinic's templates",
    responses={**NO_TEMPLATE, 422: REFUSALS[422]},
)
async def rename_api(request: Request, template_id: int, body: TemplateName) -> JSONResponse:
    rename = partial(
        templates.rename, accounts_of(request), account(request), template_id, body.name, now_utc()
    )
    return JSONResponse(_json(await run_in_threadpool(rename)))


@router.delete(
    "/api/v1/clinic/templates/{template_id}",
    status_code=204,
    operation_id="deleteProgramTemplate",
    summary="Delete one of the clinic's templates (patients started from it keep theirs)",
    responses={**NO_TEMPLATE, 422: REFUSALS[422]},
)
async def delete_api(request: Request, template_id: int) -> Response:
    remove = partial(templates.delete, accounts_of(request), account(request), template_id)
    await run_in_threadpool(remove)
    return Response(status_code=204)


@router.post(
    "/api/v1/clinic/patients/{patient_id}/prescription/template",
    operation_id="postPrescriptionFromTemplate",
    response_model=PrescriptionDocument,
    summary="Prescribe one of the clinic's templates to the patient, as it is; one that "
    "breaks a safety rule is refused with every reason",
    responses={**ONE_PATIENT, **NO_TEMPLATE, **REFUSED},
)
async def apply_api(request: Request, patient_id: int, body: FromTemplate) -> JSONResponse:
    record = record_of(request, patient_of(request))
    apply = partial(
        templates.apply,
        accounts_of(request),
        account(request),
        record,
        body.template_id,
        now=now_utc(),
        on=today(request),
    )
    try:
        found = await write(record, apply)
    except PrescriptionRefused as refusal:
        return _refusal(refusal)
    return JSONResponse(found.document.model_dump(exclude_none=True))


@router.post(
    "/api/v1/clinic/patients/{patient_id}/prescription/copy",
    operation_id="postPrescriptionCopy",
    response_model=PrescriptionDocument,
    summary="Prescribe the patient the program of another of the clinician's own patients",
    responses={**ONE_PATIENT, **NO_TEMPLATE, **REFUSED},
)
async def copy_api(request: Request, patient_id: int, body: FromPatient) -> JSONResponse:
    record = record_of(request, patient_of(request))
    copy = partial(
        templates.copy,
        accounts_of(request),
        account(request),
        record,
        body.from_patient_id,
        now=now_utc(),
        on=today(request),
    )
    try:
        found = await write(record, copy)
    except PrescriptionRefused as refusal:
        return _refusal(refusal)
    return JSONResponse(found.document.model_dump(exclude_none=True))
