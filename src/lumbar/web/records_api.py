"""The records in the API (issue #15): each with its id, and a mistake corrected: the
person's own (`/api/v1/records`; a clinician's view of a patient's is web/clinic_records.py).
An id that names no record answers 404, and so, on a clinic's server, does a record that is
not the corrector's own (`NotAllowed`)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse

from lumbar.domain.corrections import Record
from lumbar.formats.records import record_json
from lumbar.formats.shapes.records import Record as RecordShape
from lumbar.formats.shapes.records import Records
from lumbar.usecases import corrections, recorded
from lumbar.usecases.accounts import now_utc
from lumbar.usecases.person import Person
from lumbar.web.authorization import account
from lumbar.web.bodies import RecordChangeIn
from lumbar.web.context import PersonDep, day_or_today, write
from lumbar.web.errors import REFUSALS, Refusal

router = APIRouter(tags=["api"], responses=REFUSALS)

RecordId = Annotated[
    str,
    Path(
        description="The record's id, as the list of records gives it: s12 a session, "
        "c13 a check-in, cl14 a clearance, p3 a problem report."
    ),
]
NO_RECORD: dict[int | str, dict[str, Any]] = {
    404: {
        "model": Refusal,
        "description": "No record by that id; on a clinic's server, also a record that is "
        "not yours to correct (a clearance the clinician recorded, or, for a clinician, the "
        "patient's own answers). Nothing was written.",
    }
}


def records_json(found: list[Record]) -> dict[str, Any]:
    """The list of records, as `lumbar records --json` prints it."""
    return {"records": [record_json(r) for r in found]}


def change_of(request: Request, body: RecordChangeIn) -> corrections.Change:
    """The change a body asks for; a field left out or null stays as it is."""
    return corrections.Change(
        on=None if body.date is None else day_or_today(request, body.date),
        exercises=None if body.exercises is None else [(e.id, e.pain) for e in body.exercises],
        pain=body.pain,
        psfs=None if body.psfs is None else tuple(body.psfs),
        symptoms=None if body.symptoms is None else tuple(body.symptoms),
        kind=body.kind,
        note=body.note,
        by=body.by,
    )


def corrector(request: Request) -> corrections.Corrector:
    """Who corrects: nobody named in local mode; on a clinic's server the signed-in account,
    at the time the audit log records."""
    if request.app.state.accounts is None:
        return corrections.YOURSELF
    return corrections.Corrector(account=account(request), at=now_utc())


async def corrected(
    request: Request, p: Person, use_case: Callable[..., Record], *args: Any
) -> JSONResponse:
    """Run one correction as a write, and answer with the record as it now stands."""
    done = await write(p, partial(use_case, by=corrector(request)), p, *args)
    return JSONResponse(record_json(done))


# The person's own records.


@router.get(
    "/api/v1/records",
    operation_id="getRecords",
    response_model=Records,
    summary="Every record with its id, deleted ones included",
)
def record_list(p: PersonDep) -> JSONResponse:
    return JSONResponse(records_json(recorded.records(p)))


@router.patch(
    "/api/v1/records/{record_id}",
    operation_id="patchRecord",
    response_model=RecordShape,
    summary="Correct what a record says (the program follows the corrected history)",
    responses=NO_RECORD,
)
async def edit_record(
    request: Request, p: PersonDep, record_id: RecordId, body: RecordChangeIn
) -> JSONResponse:
    return await corrected(request, p, corrections.edit, record_id, change_of(request, body))


@router.delete(
    "/api/v1/records/{record_id}",
    operation_id="deleteRecord",
    response_model=RecordShape,
    summary="Delete a record: the program reads past it; it stays, marked, to be undone",
    responses=NO_RECORD,
)
async def delete_record(request: Request, p: PersonDep, record_id: RecordId) -> JSONResponse:
    return await corrected(request, p, corrections.delete, record_id)


@router.post(
    "/api/v1/records/{record_id}/undo",
    operation_id="postRecordUndo",
    response_model=RecordShape,
    summary="Undo the last edit or delete of a record (again: the one before it)",
    responses=NO_RECORD,
)
async def undo_record(request: Request, p: PersonDep, record_id: RecordId) -> JSONResponse:
    return await corrected(request, p, corrections.undo, record_id)
