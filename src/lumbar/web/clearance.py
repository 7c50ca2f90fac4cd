"""The page where a person says a clinician has seen them ("A clinician has seen me").

Self-guided, what they say is recorded as their statement and clears the alerts they name;
on a clinic's server it is a request their clinician answers (web/clinic.py), and nothing
changes until then.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from lumbar.errors import NoProgram, UserError
from lumbar.usecases import clearances
from lumbar.usecases.accounts import now_utc
from lumbar.usecases.person import Person
from lumbar.web import forms, record_list
from lumbar.web.context import PersonDep, today, write
from lumbar.web.form_errors import FormErrors, Label
from lumbar.web.templating import page

router = APIRouter(include_in_schema=False)


@router.get("/clear")
def clear_form(request: Request, p: PersonDep) -> Response:
    try:
        return _page(request, p, {})
    except NoProgram:
        return RedirectResponse("/start", status_code=303)


def _page(
    request: Request,
    p: Person,
    filled: Mapping[str, object],
    errors: FormErrors | None = None,
    notice: str | None = None,
) -> HTMLResponse:
    standing = clearances.standing(p, today(request))
    labels = p.content.wording.symptom_labels
    return page(
        request,
        "clear.html",
        {
            "title": "A clinician has seen me",
            "alerts": [(a, labels.get(a.code, a.code)) for a in standing],
            "clinic": p.clinic,
            "filled": filled,
            "errors": errors,
            "notice": notice,
        },
        status_code=422 if errors else 200,
    )


CLEARANCE = {
    "alerts": Label(
        "what they saw you about", missing="Tick what the clinician saw you about, at least one"
    ),
    "by": Label("who saw you", missing='Enter who saw you: a name or a role, such as "Dr Rao"'),
}
"""The clearance form's fields, in the order the page shows them."""


@router.post("/clear")
async def clear(request: Request, p: PersonDep) -> Response:
    form = await request.form()
    codes = tuple(str(code) for code in form.getlist("alerts"))
    by = str(form.get("by", ""))
    filled = {"alerts": list(codes), "by": by[: forms.TEXT_LIMIT]}
    on = today(request)
    errors = FormErrors(CLEARANCE, anchors={"alerts": "alerts-0"})
    if not codes:
        errors.add_kind("alerts", "missing")
    with errors.reading("by"):
        clearances.checked_name(by, CLEARANCE["by"].said("missing"))
    if errors:
        return await run_in_threadpool(_page, request, p, filled, errors)
    try:
        if p.clinic:
            await write(
                p, partial(clearances.request, seen_by=by, now=now_utc(), codes=codes), p, on
            )
        else:
            await write(p, partial(clearances.record, by=by, codes=codes), p, on)
    except NoProgram:
        return RedirectResponse("/start", status_code=303)
    except UserError as error:
        errors.refused(error)
        return await run_in_threadpool(_page, request, p, filled, errors)
    if p.clinic:
        notice = "Sent to your clinician. The alerts stay until they clear you."
        return await run_in_threadpool(_page, request, p, {}, None, notice)
    return record_list.remember(request, RedirectResponse("/today", status_code=303), "clearance")
