"""The settings page: training days, the chair or standing versions, and the person's data
(export, and import: into an empty lumbar, or in the place of the program it holds after
showing what would be lost and keeping an export of it).

Each form's problems are shown beside its field (web/form_errors.py), nothing written.
"""

from __future__ import annotations

import json
from functools import partial

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from lumbar.domain.loads import unit_for_accept_language
from lumbar.errors import NoProgram, UserError
from lumbar.formats.archive import CHOOSE_EXPORT
from lumbar.usecases import program, records, versions
from lumbar.usecases.accounts import now_utc
from lumbar.usecases.person import Person
from lumbar.web import forms
from lumbar.web.context import PersonDep, today, write
from lumbar.web.form_errors import FormErrors, Label, clip
from lumbar.web.forms import WEEKDAYS
from lumbar.web.guard import from_loopback
from lumbar.web.templating import page

router = APIRouter(include_in_schema=False)

SETTINGS = {
    "days": forms.DAYS,
    "alternative": Label("your exercise choices"),
    "unit": forms.INTAKE["unit"],
    "equipment": forms.INTAKE["equipment"],
    "dumbbells": forms.INTAKE["dumbbells"],
    "kettlebells": forms.INTAKE["kettlebells"],
    "file": Label(
        "the export file",
        missing="Choose the export file to import: the .json file that lumbar's export made",
    ),
}
"""The settings page's fields, in the order it shows them."""

EXPORT_FIRST = "export it first (Download all my data, above), then import it with Replace"


def _to(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


def _errors(p: Person) -> FormErrors:
    anchors = {"days": "days-0", "file": "file", **forms.EQUIPMENT_ANCHORS}
    try:
        first = versions.choices(p)[:1]
    except NoProgram:
        first = []
    if first:
        anchors["alternative"] = f"alternative-{first[0].exercise.id}"
    return FormErrors(SETTINGS, anchors=anchors, fallback="file")


@router.get("/settings")
def settings(request: Request, p: PersonDep) -> Response:
    return settings_page(request, p)


def settings_page(
    request: Request, p: Person, *, errors: FormErrors | None = None, notice: str | None = None
) -> HTMLResponse:
    try:
        days = program.training_days(p)
        choices = versions.choices(p)
        owned = forms.owned_fields(p)
    except NoProgram:
        days, choices, owned = None, [], None
    return page(
        request,
        "settings.html",
        {
            "title": "Settings",
            "weekdays": WEEKDAYS,
            "days": days,
            "choices": choices,
            "owned": owned,
            "has_program": days is not None,
            "errors": errors,
            "notice": notice,
            # Pairing a phone is done from the computer itself, in local mode (web/phone.py).
            "phone_settings": request.app.state.accounts is None and from_loopback(request.scope),
        },
        status_code=422 if errors else 200,
    )


async def refused(request: Request, p: Person, field: str, error: UserError) -> HTMLResponse:
    """The settings page again, with the refusal beside `field` (or the field it names)."""
    errors = await run_in_threadpool(_errors, p)
    errors.add(field, error.message)
    return await run_in_threadpool(partial(settings_page, request, p, errors=errors))


@router.post("/settings/days")
async def set_days(request: Request, p: PersonDep) -> Response:
    form = await request.form()
    try:
        await write(p, program.set_training_days, p, forms.days(form), today(request))
    except UserError as error:
        return await refused(request, p, "days", error)
    notice = "Your training days are saved."
    return await run_in_threadpool(partial(settings_page, request, p, notice=notice))


ALTERNATIVE_FIELD = "alternative-"
"""The settings form names each exercise's select `alternative-<exercise id>`."""


@router.post("/settings/alternatives")
async def set_alternatives(request: Request, p: PersonDep) -> Response:
    """Each exercise's select: an alternative's id, or "none" for the exercise as it is."""
    form = await request.form()
    picks = {
        str(key).removeprefix(ALTERNATIVE_FIELD): str(value)
        for key, value in form.multi_items()
        if str(key).startswith(ALTERNATIVE_FIELD)
    }
    try:
        await write(p, versions.choose_each, p, picks)
    except UserError as error:
        return await refused(request, p, "alternative", error)
    notice = "Your exercise choices are saved."
    return await run_in_threadpool(partial(settings_page, request, p, notice=notice))


@router.get("/settings/export")
def export(p: PersonDep) -> Response:
    try:
        document = records.export(p)
    except NoProgram:
        return _to("/settings")
    return Response(
        json.dumps(document, indent=2, ensure_ascii=False),
        media_type="application/json",
        headers={"content-disposition": 'attachment; filename="lumbar-export.json"'},
    )


@router.post("/settings/import")
async def import_(request: Request, p: PersonDep) -> Response:
    """Import an upload. Into a lumbar that holds a program, nothing is written: a page
    shows what would be lost and asks whether to replace it."""
    async with request.form() as form:
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            errors = await run_in_threadpool(_errors, p)
            errors.add_kind("file", "missing")
            return await run_in_threadpool(partial(settings_page, request, p, errors=errors))
        name = clip(upload.filename)
        raw = await upload.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return await refused(
            request, p, "file", UserError(f"{name} is not a lumbar export: {CHOOSE_EXPORT}")
        )
    try:
        unit = unit_for_accept_language(request.headers.get("accept-language"))
        await write(p, partial(records.import_, source=name, unit=unit), p, text)
    except records.HoldsProgram as holds:
        return _replace_page(request, name, text, holds.held)
    except UserError as error:
        return await refused(request, p, "file", _said_of_import(error))
    return _to("/today")


def _said_of_import(error: UserError) -> UserError:
    if "already holds a program" in error.message or "holds data" in error.message:
        return UserError(f"This computer already holds a program: {EXPORT_FIRST}")
    return error


def _replace_page(request: Request, name: str, text: str, held: records.Held) -> HTMLResponse:
    return page(
        request,
        "import_replace.html",
        {"title": "Replace your program?", "name": name, "document": text, "held": held.said()},
        status_code=409,
    )


@router.post("/settings/import/replace")
async def replace(request: Request, p: PersonDep) -> Response:
    """The import, confirmed: what the database held is exported to lumbar's data folder
    (0600) first, and the page names that file."""
    form = await request.form()
    name = clip(str(form.get("name", "")) or "The file")
    text = str(form.get("document", ""))
    if request.app.state.accounts is not None:
        return _to("/settings")
    try:
        replaced = await write(
            p,
            partial(
                records.import_replacing,
                source=name,
                folder=records.data_folder(p),
                now=now_utc(),
                unit=unit_for_accept_language(request.headers.get("accept-language")),
            ),
            p,
            text,
        )
    except UserError as error:
        return await refused(request, p, "file", error)
    notice = "Your data is imported."
    if replaced.backup is not None and replaced.held is not None:
        notice = (
            f"Your data is imported. What this computer held ({replaced.held.said()}) is kept "
            f"in {replaced.backup}"
        )
    return await run_in_threadpool(partial(settings_page, request, p, notice=notice))
