"""A clinician enters an outcome score on the patient's page (issue #20): the totals of
STarT Back, ODI, RMDQ and MSK-HQ that the clinic scores on its own licensed forms.

`authorization.enforce` has already checked that the patient is the clinician's own and
logged the write. A refusal (an unknown measure, a total out of range, a day ahead) is the
patient's page again with the problem beside its field and what was typed, nothing written.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from lumbar.usecases import scores
from lumbar.usecases.accounts import now_utc
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
