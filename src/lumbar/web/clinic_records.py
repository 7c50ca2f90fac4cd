"""A clinician's view of a patient's records (issue #15): each with what became of it
(`corrected_on`, `deleted_on`); the clinician corrects only the clearances they recorded, a
patient's own answers being theirs. `authorization.enforce` has checked the patient is one
of the clinician's and logged the access (with the method: a correction is a write)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from lumbar.formats.shapes.records import Record as RecordShape
from lumbar.formats.shapes.records import Records
from lumbar.usecases import corrections, recorded
from lumbar.web.authorization import ACCOUNT_REFUSALS, NOT_YOURS
from lumbar.web.bodies import RecordChangeIn
from lumbar.web.clinic import ONE_PATIENT, patient_of, record_of
from lumbar.web.errors import REFUSALS, Conflict, Refusal
from lumbar.web.records_api import NO_RECORD, RecordId, change_of, corrected, records_json

router = APIRouter(responses={**ACCOUNT_REFUSALS, 503: REFUSALS[503]})

NOT_STARTED: dict[int | str, dict[str, Any]] = {
    409: {"model": Conflict, "description": "The patient has not started the program."}
}
ONE_RECORD: dict[int | str, dict[str, Any]] = {
    **ONE_PATIENT,
    **NOT_STARTED,
    404: {
        "model": Refusal,
        "description": f"{NOT_YOURS[404]['description']} {NO_RECORD[404]['description']}",
    },
}


@router.get(
    "/api/v1/clinic/patients/{patient_id}/records",
    operation_id="getPatientRecords",
    response_model=Records,
    summary="A patient's records, each with what became of it (corrected_on, deleted_on)",
    responses={**ONE_PATIENT, **NOT_STARTED},
)
async def patient_records(request: Request, patient_id: int) -> JSONResponse:
    record = record_of(request, patient_of(request))
    return JSONResponse(records_json(await run_in_threadpool(recorded.records, record)))


@router.patch(
    "/api/v1/clinic/patients/{patient_id}/records/{record_id}",
    operation_id="patchPatientRecord",
    response_model=RecordShape,
    summary="Correct a clearance you recorded (a patient's own answers are theirs to correct)",
    responses=ONE_RECORD,
)
async def edit_patient_record(
    request: Request, patient_id: int, record_id: RecordId, body: RecordChangeIn
) -> JSONResponse:
    record = record_of(request, patient_of(request))
    change = change_of(request, body)
    return await corrected(request, record, corrections.edit, record_id, change)


@router.delete(
    "/api/v1/clinic/patients/{patient_id}/records/{record_id}",
    operation_id="deletePatientRecord",
    response_model=RecordShape,
    summary="Delete a clearance you recorded: the alerts it cleared stand again",
    responses=ONE_RECORD,
)
async def delete_patient_record(
    request: Request, patient_id: int, record_id: RecordId
) -> JSONResponse:
    record = record_of(request, patient_of(request))
    return await corrected(request, record, corrections.delete, record_id)


@router.post(
    "/api/v1/clinic/patients/{patient_id}/records/{record_id}/undo",
    operation_id="postPatientRecordUndo",
    response_model=RecordShape,
    summary="Undo the last edit or delete of a clearance you recorded",
    responses=ONE_RECORD,
)
async def undo_patient_record(
    request: Request, patient_id: int, record_id: RecordId
) -> JSONResponse:
    record = record_of(request, patient_of(request))
    return await corrected(request, record, corrections.undo, record_id)
