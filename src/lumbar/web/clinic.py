"""A clinician's pages: the dashboard of their patients, each patient's record and
messages, and invitations (the prescription is web/prescribing.py; the same in JSON is
web/clinic_api.py).

`authorization.enforce` has already checked, for every `{patient_id}` route, that the patient is
one of this clinician's, and written the access to the audit log (`request.state.patient`).
The dashboard (web/dashboard.py) writes one audit entry for each patient it lists.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import partial
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from lumbar.content.scores import measures
from lumbar.domain.access import Account
from lumbar.errors import NoProgram, UserError
from lumbar.formats import charts
from lumbar.formats import scores as score_words
from lumbar.formats.records import KIND_NAMES, describe, status_words
from lumbar.usecases import (
    caseload,
    clearances,
    corrections,
    equipment,
    handouts,
    invitations,
    messages,
    notifications,
    recorded,
    rtm,
    scores,
)
from lumbar.usecases.accounts import now_utc
from lumbar.usecases.person import Person
from lumbar.web import dashboard
from lumbar.web.authorization import ACCOUNT_REFUSALS, NOT_YOURS, account, accounts_of
from lumbar.web.context import today, write
from lumbar.web.errors import REFUSALS
from lumbar.web.form_errors import FormErrors, Label, sentence
from lumbar.web.headers import is_head
from lumbar.web.templating import page

router = APIRouter(responses={**ACCOUNT_REFUSALS, 503: REFUSALS[503]})

ONE_PATIENT: dict[int | str, dict[str, Any]] = {**NOT_YOURS, 422: REFUSALS[422]}
"""What a route about one patient may refuse: a patient not among the clinician's, or a
`patient_id` that is not a number."""


def patient_of(request: Request) -> Account:
    """The patient of a `{patient_id}` route, checked and logged by `authorization.enforce`."""
    patient: Account = request.state.patient
    return patient


def record_of(request: Request, patient: Account) -> Person:
    state = request.app.state
    return caseload.patient_record(state.store, state.content, patient, today=state.clock())


def pending_invitations(request: Request) -> list[invitations.Listed]:
    """The clinician's invitations not yet accepted (issue #20: web/invitations.py)."""
    return invitations.pending(accounts_of(request), account(request), now_utc())


def dashboard_context(request: Request) -> tuple[dict[str, Any], int]:
    """The /clinic page's context and status: a page of patients (web/dashboard.py: search,
    filter, pages), their unread messages and reports, and the pending invitations."""
    context, status = dashboard.page_context(request)
    found = context.get("found")
    shown = [] if found is None else [line.account for line in found.lines]
    waiting = notifications.waiting(request.app.state.store, account(request), shown)
    context["unread"] = {p.id: waiting.unread[p.id] for p in shown if p.id in waiting.unread}
    context["waiting"] = waiting
    context["invitations"] = pending_invitations(request)
    return {"title": "Your patients", **context}, status


# Pages.


@router.get("/clinic", include_in_schema=False)
async def dashboard_page(request: Request) -> Response:
    """A page of the clinician's patients, with what is new and the invitations pending."""
    context, status = await run_in_threadpool(dashboard_context, request)
    return page(request, "clinic.html", context, status_code=status)


def called(patient: Account) -> str:
    """How a page's title names a patient: their name, or their address when they joined
    before invitations asked for a name."""
    return patient.name or patient.email


def _patient_context(request: Request, patient: Account) -> dict[str, Any]:
    state = request.app.state
    found = caseload.overview(state.store, state.content, patient, today(request))
    progress = found.progress
    labels = state.content.wording.symptom_labels
    standing = (
        ()
        if found.history is None
        else clearances.standing(found.person, max(today(request), found.history.profile.start))
    )
    signals = caseload.signals(state.store, patient)
    return {
        "standing": [(a, labels.get(a.code, a.code)) for a in standing],
        "requests": clearances.requests(found.person, open_only=True),
        "intake_signs": [(on, code, labels.get(code, code)) for on, code in signals.intake],
        "acknowledged": signals.acknowledged,
        "labels": labels,
        "title": called(patient),
        "patient": patient,
        "overview": found,
        "progress": progress,
        "pain_chart": None if progress is None else charts.pain_chart(progress),
        "psfs_chart": None if progress is None else charts.psfs_chart(progress),
        "thread": messages.thread(accounts_of(request), patient),
        "me": account(request),
        "prescription": found.person.prescription(),
        "records": [] if found.history is None else _records_shown(found.person),
        # What the patient has to lift (issue #17): the prescription's loads are fitted to it.
        "equipment": None if found.history is None else equipment.line(found.history.profile),
        # The clinician's remote-monitoring timer on this patient (issue #20).
        "timer": rtm.running(state.store, account(request), patient),
        # The outcome measures the clinic scores itself (issue #20): web/outcome_scores.py.
        "scores": score_words.shown(scores.summaries(found.person), state.content),
        "measures": measures(),
        "score_today": today(request),
    }


def _records_shown(record: Person) -> list[dict[str, Any]]:
    """Every record of the patient, as the clinician reads it: what it says, and what became
    of it (corrected, deleted). A clinician corrects only the clearances they recorded."""
    return [
        {
            "record": r,
            "kind": KIND_NAMES[r.kind],
            "says": describe(r, record.content),
            # The patient's page says "recorded by your clinician"; here it is the reader.
            "status": status_words(replace(r, by_clinician=False)),
        }
        for r in recorded.records(record)
    ]


@router.get("/clinic/patients/{patient_id}", include_in_schema=False)
async def patient_page(request: Request, patient_id: int) -> Response:
    """The patient's page; opening it reads their messages and problem reports (issue #20),
    and says once which were new."""
    patient, me = patient_of(request), account(request)
    store = request.app.state.store
    opened = await run_in_threadpool(
        partial(notifications.open_patient, mark=not is_head(request)),
        store, me, patient, now_utc(),
    )  # fmt: skip
    context = await run_in_threadpool(_patient_context, request, patient)
    context |= {"new_messages": opened.new_messages, "new_reports": opened.new_reports}
    return page(request, "patient.html", context)


@router.post("/clinic/patients/{patient_id}/messages", include_in_schema=False)
async def send_form(request: Request, patient_id: int) -> Response:
    form = await request.form()
    patient = patient_of(request)
    try:
        await run_in_threadpool(
            messages.send,
            accounts_of(request),
            account(request),
            patient,
            str(form.get("body", "")),
            now_utc(),
        )
    except UserError as refusal:
        return await _refused_on_patient_page(request, patient, "body", refusal)
    return RedirectResponse(f"/clinic/patients/{patient.id}#messages", status_code=303)


PATIENT_FORMS = {
    "alerts": Label("the alerts you clear", missing="Tick the alerts you clear"),
    "body": Label("your message", missing="Write your message"),
}
"""The patient page's forms with a field to show a problem beside."""


async def _refused_on_patient_page(
    request: Request, patient: Account, field: str | None, refusal: UserError
) -> Response:
    """The patient's page with a refusal: beside its field when it has one, else at the top
    (a safety action of one button); nothing written."""
    context = await run_in_threadpool(_patient_context, request, patient)
    if field is None:
        context["error"] = sentence(refusal.message)
    else:
        errors = FormErrors(PATIENT_FORMS, anchors={"alerts": "alerts-0"}, fallback=field)
        errors.add(field, refusal.message)
        context["errors"] = errors
    return page(request, "patient.html", context, status_code=422)


async def _safety_write(request: Request, use_case: Any, field: str | None = None) -> Response:
    """Run a clinician's safety action for the patient of the route; a refusal is shown on
    the patient's page, with nothing written."""
    patient = patient_of(request)
    try:
        await run_in_threadpool(use_case, record_of(request, patient))
    except UserError as refusal:
        return await _refused_on_patient_page(request, patient, field, refusal)
    return RedirectResponse(f"/clinic/patients/{patient.id}#safety", status_code=303)


@router.post("/clinic/patients/{patient_id}/clearances", include_in_schema=False)
async def clear_form(request: Request, patient_id: int) -> Response:
    form = await request.form()
    codes = tuple(str(code) for code in form.getlist("alerts"))
    every = bool(form.get("intake"))
    me, on, now = account(request), today(request), now_utc()

    def clear(record: Person) -> None:
        if not codes and not every:
            raise UserError(PATIENT_FORMS["alerts"].said("missing"))
        clearances.clear_patient(record, me, on, now=now, codes=codes)

    return await _safety_write(request, clear, None if every else "alerts")


@router.post("/clinic/patients/{patient_id}/clearances/decline", include_in_schema=False)
async def decline_form(request: Request, patient_id: int) -> Response:
    me, now = account(request), now_utc()
    return await _safety_write(request, lambda record: clearances.decline(record, me, now=now))


@router.post("/clinic/patients/{patient_id}/acknowledgements", include_in_schema=False)
async def acknowledge_form(request: Request, patient_id: int) -> Response:
    form = await request.form()
    code = str(form.get("code", ""))
    try:
        since = date.fromisoformat(str(form.get("since", "")))
    except ValueError:
        since = date.min
    me, on, now = account(request), today(request), now_utc()
    return await _safety_write(
        request,
        lambda record: clearances.acknowledge(record, me, on, code=code, since=since, now=now),
    )


def _clinician(request: Request) -> corrections.Corrector:
    """The signed-in clinician, correcting a record they made, at the time the audit logs
    (their access to the patient's record is logged by `authorization.enforce`)."""
    return corrections.Corrector(account=account(request), at=now_utc())


@router.post("/clinic/patients/{patient_id}/records/{record_id}/delete", include_in_schema=False)
async def delete_record_form(request: Request, patient_id: int, record_id: str) -> Response:
    """Delete a clearance the clinician recorded; a refusal (an unknown record, one that is
    the patient's own) is shown on the patient's page, with nothing written."""
    patient = patient_of(request)
    record = record_of(request, patient)
    try:
        await write(record, partial(corrections.delete, by=_clinician(request)), record, record_id)
    except UserError as refusal:
        return await _refused_on_patient_page(request, patient, None, refusal)
    return RedirectResponse(f"/clinic/patients/{patient.id}#records", status_code=303)


@router.get("/clinic/patients/{patient_id}/summary", include_in_schema=False)
async def summary_page(request: Request, patient_id: int) -> Response:
    record = record_of(request, patient_of(request))
    try:
        back = (f"/clinic/patients/{patient_id}", "Back to the patient")
        html = await run_in_threadpool(
            partial(handouts.summary_html, back=back), record, today(request)
        )
    except NoProgram:
        return page(
            request,
            "message.html",
            {"title": "No summary yet", "message": "This patient has not started the program."},
            status_code=409,
        )
    return HTMLResponse(html)
