"""Handing patients over to another clinician of the clinic (issue #20): an admin's page
for any clinician of their clinic (`/admin/accounts/{user_id}/handover`), a clinician's for
their own patients (`/clinic/handover`), the same in the API, and the notice a patient's
pages show afterwards. The rules are in usecases/handover.py."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from lumbar.domain.access import Account, Role
from lumbar.errors import NotAllowed
from lumbar.formats.shapes.base import Shape
from lumbar.usecases import handover
from lumbar.usecases.accounts import LARGEST_ID, now_utc
from lumbar.web.authorization import ACCOUNT_REFUSALS, account, accounts_of, signed_in
from lumbar.web.context import today
from lumbar.web.errors import REFUSALS, Refusal
from lumbar.web.form_errors import FormErrors, Label
from lumbar.web.templating import page

router = APIRouter(responses={**ACCOUNT_REFUSALS, 503: REFUSALS[503]})

FIELDS = {
    "patients": Label("the patients", missing="Tick at least one patient to hand over"),
    "to": Label("the clinician", missing="Choose the clinician who takes them"),
}
NO_CLINICIAN: dict[int | str, dict[str, Any]] = {
    404: {"model": Refusal, "description": "No such clinician in your clinic."},
    422: REFUSALS[422],
}

AccountId = Annotated[int, Field(ge=1, le=LARGEST_ID)]


class HandoverIn(BaseModel):
    """Whom to hand the patients to, and which (all of them when `patients` is left out)."""

    model_config = ConfigDict(extra="forbid")

    to: AccountId = Field(description="The clinician who takes the patients (an account id).")
    patients: list[AccountId] | None = Field(
        default=None,
        min_length=1,
        max_length=10_000,
        description="The patients to move (account ids); left out: every one.",
    )


class HandoverOut(Shape):
    """The patients moved, and to whom."""

    to: int
    patients: list[int]


def notice(request: Request, today: date) -> handover.Notice | None:
    """What a signed-in patient's pages say after a handover; None in local mode."""
    accounts = request.app.state.accounts
    found = signed_in(request)
    if accounts is None or found is None:
        return None
    return handover.notice(accounts, found.account, today)


# Pages.


def _context(
    request: Request, source: Account, chosen: set[int] | None = None, to: int | None = None
) -> dict[str, Any]:
    accounts = accounts_of(request)
    me = account(request)
    patients = handover.patients_of(accounts, source)
    own = me.id == source.id
    return {
        "title": "Hand over your patients" if own else f"Hand over the patients of {source.email}",
        "source": source,
        "own": own,
        "patients": patients,
        "receivers": handover.receivers(accounts, source),
        "chosen": {p.id for p in patients} if chosen is None else chosen,
        "to": to,
        "action": "/clinic/handover" if own else f"/admin/accounts/{source.id}/handover",
        "back": ("/clinic", "Your patients") if own else ("/admin", "Accounts and audit log"),
    }


def _numbers(values: list[Any]) -> list[int]:
    """Ids from a form: anything that is not one is no patient of anyone's."""
    found = []
    for value in values:
        text = str(value)
        found.append(int(text) if text.isascii() and text.isdigit() and len(text) < 11 else 0)
    return found


async def _page(request: Request, source_id: int, chosen: set[int] | None = None) -> Response:
    source = await run_in_threadpool(
        handover.source_of, accounts_of(request), account(request), source_id
    )
    context = await run_in_threadpool(_context, request, source, chosen)
    return page(request, "handover.html", context)


async def _submit(request: Request, source_id: int) -> Response:
    """Move the ticked patients; a refusal is the page again with its problems, nothing
    written. Another clinic's clinician is not found (404)."""
    accounts, me = accounts_of(request), account(request)
    source = await run_in_threadpool(handover.source_of, accounts, me, source_id)
    form = await request.form()
    chosen = _numbers(form.getlist("patients"))
    to = _numbers([form.get("to", "")])[0]
    errors = FormErrors(FIELDS)
    if not chosen:
        errors.add("patients", FIELDS["patients"].said("missing"))
    if not to:
        errors.add("to", FIELDS["to"].said("missing"))
    if not errors:
        with errors.reading():
            moved = await run_in_threadpool(
                lambda: handover.move(
                    accounts, me, source.id, to, now_utc(), on=today(request), patient_ids=chosen
                )
            )
    if errors:
        context = await run_in_threadpool(_context, request, source, set(chosen), to or None)
        return page(request, "handover.html", {**context, "errors": errors}, status_code=422)
    where = "/clinic" if me.role is Role.CLINICIAN else "/admin"
    return RedirectResponse(f"{where}?handed_over={len(moved.patients)}", status_code=303)


@router.get("/clinic/handover", include_in_schema=False)
async def own_page(request: Request, patient: str = "") -> Response:
    """`?patient=ID`: that one patient ticked (from the patient's page), else all."""
    chosen = set(_numbers([patient])) if patient else None
    return await _page(request, account(request).id, chosen)


@router.post("/clinic/handover", include_in_schema=False)
async def own_form(request: Request) -> Response:
    return await _submit(request, account(request).id)


@router.get("/admin/accounts/{user_id}/handover", include_in_schema=False)
async def admin_page(request: Request, user_id: int) -> Response:
    return await _page(request, user_id)


@router.post("/admin/accounts/{user_id}/handover", include_in_schema=False)
async def admin_form(request: Request, user_id: int) -> Response:
    return await _submit(request, user_id)


# The API.


async def _moved(request: Request, source_id: int, body: HandoverIn) -> JSONResponse:
    accounts, me = accounts_of(request), account(request)
    moved = await run_in_threadpool(
        lambda: handover.move(
            accounts,
            me,
            source_id,
            body.to,
            now_utc(),
            on=today(request),
            patient_ids=body.patients,
        )
    )
    shown = HandoverOut(to=moved.to.id, patients=[p.id for p in moved.patients])
    return JSONResponse(shown.model_dump())


@router.post(
    "/api/v1/clinic/handover",
    operation_id="postHandover",
    response_model=HandoverOut,
    summary="Hand your patients (all, or those listed) over to another clinician of your clinic",
    responses=NO_CLINICIAN,
)
async def own_api(request: Request, body: HandoverIn) -> JSONResponse:
    return await _moved(request, account(request).id, body)


def _admin_source(request: Request, user_id: int) -> Account:
    """The clinician of the address, checked before the body is read: another clinic's
    clinician (or no clinician) is not found, whatever was sent."""
    if not 0 < user_id <= LARGEST_ID:
        raise NotAllowed("no such clinician in your clinic")
    return handover.source_of(accounts_of(request), account(request), user_id)


@router.post(
    "/api/v1/admin/accounts/{user_id}/handover",
    operation_id="postAccountHandover",
    response_model=HandoverOut,
    summary="Hand a clinician's patients (all, or those listed) over to another clinician",
    responses=NO_CLINICIAN,
)
async def admin_api(
    request: Request,
    user_id: int,
    source: Annotated[Account, Depends(_admin_source)],
    body: HandoverIn,
) -> JSONResponse:
    return await _moved(request, source.id, body)
