"""A clinician enters an outcome score on the patient's page (issue #20): the totals of
STarT Back, ODI, RMDQ and MSK-HQ that the clinic scores on its own licensed forms; the same
in JSON at `/api/v1/clinic/patients/{patient_id}/scores`.

`authorization.enforce` has already checked that the patient is the clinician's own and
logged the write. A refusal (an unknown measure, a total out of range, a day ahead) is the
patient's page again with the problem beside its field and what was typed, nothing written.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from lumbar.domain.scores import Score
from lumbar.formats.shapes.scores import OutcomeScore
from lumbar.usecases import scores
from lumbar.usecases.accounts import now_utc
from lumbar.usecases.person import Person
from lumbar.web.authorization import ACCOUNT_REFUSALS
from lumbar.web.clinic import ONE_PATIENT, _patient_context, patient_of, record_of
from lumbar.web.form_errors import FormErrors, Label, clip
from lumbar.web.templating import page

router = APIRouter(responses={**ACCOUNT_REFUSALS, **ONE_PATIENT})

FIELDS = {
    "measure": Label("the measure", missing="Choose the measure"),
    "on": Label("the day the patient answered", missing="Give the day the patient answered"),
    "total": Label("the total", missing="Enter the total"),
    "subscale": Label("the psychosocial subscale"),
}
ANCHORS = {name: f"score-{name}" for name in FIELDS}
"""The fields' ids on the patient's page (its other forms have a `body`)."""


@router.post("/clinic/patients/{patient_id}/scores", include_in_schema=False)
async def score_form(request: Request, patient_id: int) -> Response:
    form = await request.form()
    patient = patient_of(request)
    typed = {name: str(form.get(name, "")) for name in FIELDS}
    errors = FormErrors(FIELDS, anchors=ANCHORS, fallback="total")
    with errors.reading():
        score = scores.entered(typed["measure"], typed["on"], typed["total"], typed["subscale"])
        record = record_of(request, patient)
        await run_in_threadpool(scores.record, record, score, now_utc())
    if errors:
        context = await run_in_threadpool(_patient_context, request, patient)
        shown = {name: clip(value, 20) for name, value in typed.items()}
        context.update(errors=errors, score_typed=shown)
        return page(request, "patient.html", context, status_code=422)
    return RedirectResponse(f"/clinic/patients/{patient.id}#scores", status_code=303)


def _written_day(value: Any) -> Any:
    """A day as JSON writes one, "2026-11-02": pydantic would also take 0 for 1 January
    1970."""
    if not isinstance(value, str):
        raise ValueError("write the day as text, like 2026-11-02")
    return value


class ScoreIn(BaseModel):
    """A total to keep; its range is the measure's (content/scores.toml), checked by the
    use case."""

    model_config = ConfigDict(extra="forbid")

    date: Annotated[dt.date, BeforeValidator(_written_day)] = Field(
        description="The day the patient answered (ISO 8601)"
    )
    measure: str = Field(min_length=1, max_length=20, examples=["odi"])
    total: int = Field(strict=True, examples=[32])
    subscale: int | None = Field(
        default=None, strict=True, description="STarT Back only: items 5 to 9"
    )


def _scores_json(record: Person) -> list[dict[str, Any]]:
    with record.store.reading() as connection:
        kept = scores.documented(connection, record)
    return [
        {
            "date": s.on.isoformat(),
            "measure": s.measure,
            "name": m.name,
            "total": s.total,
            "subscale": s.subscale,
            "risk": risk,
        }
        for s, m, risk in kept
    ]


@router.get(
    "/api/v1/clinic/patients/{patient_id}/scores",
    operation_id="getPatientScores",
    response_model=list[OutcomeScore],
    summary="The outcome scores entered for a patient, by day",
)
async def scores_api(request: Request, patient_id: int) -> JSONResponse:
    record = record_of(request, patient_of(request))
    return JSONResponse(await run_in_threadpool(_scores_json, record))


@router.post(
    "/api/v1/clinic/patients/{patient_id}/scores",
    status_code=201,
    operation_id="postPatientScore",
    response_model=list[OutcomeScore],
    summary="Enter a patient's outcome score (the total of a measure the clinic scores on "
    "its own licensed form); answers every score, by day",
)
async def score_api(request: Request, patient_id: int, body: ScoreIn) -> JSONResponse:
    record = record_of(request, patient_of(request))
    score = Score(body.date, body.measure, body.total, body.subscale)
    scores.checked(score)
    await run_in_threadpool(scores.record, record, score, now_utc())
    return JSONResponse(await run_in_threadpool(_scores_json, record), status_code=201)
