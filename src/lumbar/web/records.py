"""The person's records on the web (issue #15): every record listed (`/records`), one
edited, deleted, or its last edit or delete undone.

An edit, a delete and an undo each answer with the list and a notice of what was done, with
Undo; a refusal answers with the form as it was filled in, or the list, and the message
(status 422), and nothing is written. The use case (`usecases/corrections`) decides what
can change; on a clinic's server it is told who corrects (the signed-in patient) and when,
for the audit log. The list's rows and the notices are `web/record_list.py`'s.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from functools import partial

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from lumbar.content.wording import format_date
from lumbar.domain.corrections import Record
from lumbar.domain.model import CheckIn, Clearance, Pain, ProblemReport, SessionLog
from lumbar.errors import NoProgram, NotAllowed, UserError
from lumbar.formats.records import describe
from lumbar.usecases import corrections, recorded
from lumbar.usecases.corrections import Change
from lumbar.usecases.person import Person
from lumbar.web import forms
from lumbar.web.context import PersonDep, today, write
from lumbar.web.form_errors import FormErrors, Invalid, Label
from lumbar.web.intake import symptom_groups
from lumbar.web.record_list import Done, listing, row, sentence, what
from lumbar.web.records_api import corrector
from lumbar.web.share import PROBLEM_CHOICES
from lumbar.web.templating import page

router = APIRouter(include_in_schema=False)

FIELD_NAMES = {
    **forms.FIELD_NAMES,
    "exercises": "Exercises",
    "kind": "What happened",
    "note": "In your own words",
    "by": "Who cleared you",
}
"""The edit forms' fields, as the refusals name them."""


def _said(error: UserError, record: Record) -> str:
    """A refusal in the page's words: the field as the form names it, and the record as
    the page names it (not by the id the command line shows)."""
    message = error.message if error.field == "id" else error.said_as(FIELD_NAMES)
    return sentence(message.replace(record.id, what(record)))


# The list.


@router.get("/records")
def records_page(request: Request, p: PersonDep) -> Response:
    try:
        return _records_page(request, p)
    except NoProgram:
        return RedirectResponse("/start", status_code=303)


def _records_page(
    request: Request, p: Person, *, done: Done | None = None, error: str | None = None
) -> HTMLResponse:
    return page(
        request,
        "records.html",
        {"title": "Your records", "rows": listing(p), "done": done, "error": error},
        status_code=200 if error is None else 422,
    )


# Editing.


@router.get("/records/{record_id}")
def edit_form(request: Request, p: PersonDep, record_id: str) -> Response:
    try:
        record = _find(p, record_id)
        return _edit_page(request, p, record, _filled(record))
    except NoProgram:
        return RedirectResponse("/start", status_code=303)


@router.post("/records/{record_id}")
async def edit(request: Request, p: PersonDep, record_id: str) -> Response:
    form = await request.form()
    try:
        record = await run_in_threadpool(_find, p, record_id)
    except NoProgram:
        return RedirectResponse("/start", status_code=303)
    filled = _filled_from(form)
    errors = await run_in_threadpool(_edit_errors, p, record)
    try:
        change = _change(form, record, errors)
        changed = await write(
            p, partial(corrections.edit, by=corrector(request)), p, record.id, change
        )
    except NotAllowed:
        raise
    except UserError as error:
        if not isinstance(error, Invalid):
            errors.add(error.field, sentence(error.message.replace(record.id, what(record))))
        return await run_in_threadpool(_edit_page, request, p, record, filled, errors)
    done = Done(
        said=f"Corrected {what(changed)}: {describe(changed, p.content)}.",
        action=f"/records/{changed.id}/undo",
        button=f" the correction of {what(changed)}",
    )
    return await run_in_threadpool(partial(_records_page, request, p, done=done))


@router.post("/records/{record_id}/delete")
async def delete(request: Request, p: PersonDep, record_id: str) -> Response:
    try:
        record = await run_in_threadpool(_find, p, record_id)
    except NoProgram:
        return RedirectResponse("/start", status_code=303)
    try:
        deleted = await write(p, partial(corrections.delete, by=corrector(request)), p, record.id)
    except NotAllowed:
        raise
    except UserError as error:
        said = _said(error, record)
        return await run_in_threadpool(partial(_records_page, request, p, error=said))
    done = Done(
        said=f"Deleted {what(deleted)}. The program reads past it.",
        action=f"/records/{deleted.id}/undo",
        button=f" deleting {what(deleted)}",
    )
    return await run_in_threadpool(partial(_records_page, request, p, done=done))


@router.post("/records/{record_id}/undo")
async def undo(request: Request, p: PersonDep, record_id: str) -> Response:
    try:
        record = await run_in_threadpool(_find, p, record_id)
    except NoProgram:
        return RedirectResponse("/start", status_code=303)
    try:
        undone = await write(p, partial(corrections.undo, by=corrector(request)), p, record.id)
    except NotAllowed:
        raise
    except UserError as error:
        said = _said(error, record)
        return await run_in_threadpool(partial(_records_page, request, p, error=said))
    if record.undo == "delete":
        said = f"Undone: {what(undone)} is back, and the program reads it again."
    else:
        said = f"Undone: {what(undone)} says again what it said: {describe(undone, p.content)}."
    return await run_in_threadpool(partial(_records_page, request, p, done=Done(said)))


def _find(p: Person, record_id: str) -> Record:
    """The record by its id; NotAllowed (answered 404) when there is none."""
    for record in recorded.records(p):
        if record.id == record_id:
            return record
    raise NotAllowed("there is no such record among yours")


def _edit_page(
    request: Request,
    p: Person,
    record: Record,
    filled: Mapping[str, object],
    errors: FormErrors | None = None,
) -> HTMLResponse:
    if record.by_clinician:
        raise NotAllowed(f"{what(record)} was recorded by your clinician: only they correct it")
    history = p.history()
    day = today(request)
    start = history.profile.start
    days = [start + timedelta(days=n) for n in range((day - start).days, -1, -1)]
    content = record.content
    context: dict[str, object] = {
        "title": f"Edit {what(record)}",
        "row": row(record, p),
        "filled": filled,
        "errors": errors,
        "days": [(d.isoformat(), format_date(d)) for d in days],
    }
    if isinstance(content, CheckIn):
        context["activities"] = history.profile.psfs_activities
        context["groups"] = symptom_groups(p.content)
    elif isinstance(content, SessionLog):
        names = p.content.wording.exercise_names
        context["exercises"] = [(r.exercise_id, names[r.exercise_id]) for r in content.results]
    elif isinstance(content, ProblemReport):
        context["choices"] = PROBLEM_CHOICES
    return page(request, "record_edit.html", context, status_code=422 if errors else 200)


def _edit_errors(p: Person, record: Record) -> FormErrors:
    """The edit form's fields, as its messages name them and the page shows them."""
    content = record.content
    day = {"date": Label("the day", missing="Choose a day from the list")}
    if isinstance(content, Clearance):
        by = Label("who cleared you", missing="Enter who cleared you: a name or a role")
        return FormErrors({"by": by})
    if isinstance(content, CheckIn):
        labels = forms.checkin_labels(p.history().profile.psfs_activities)
        return FormErrors(labels, anchors=forms.CHECKIN_ANCHORS, fallback="pain")
    if isinstance(content, SessionLog):
        first = content.results[0].exercise_id if content.results else ""
        exercises = Label(
            "how each exercise felt", missing="Choose one of the four answers for each exercise"
        )
        anchors = {"exercises": f"pain-{first}-none"}
        return FormErrors({**day, "exercises": exercises}, anchors=anchors, fallback="exercises")
    labels = {
        **day,
        "kind": Label("what happened", missing="Choose what happened"),
        "note": Label("what happened, in your own words"),
    }
    return FormErrors(labels, anchors={"kind": "kind-0"}, fallback="kind")


def _filled(record: Record) -> dict[str, object]:
    """The edit form as the record fills it in."""
    content = record.content
    filled: dict[str, object] = {"date": content.on.isoformat()}
    if isinstance(content, CheckIn):
        filled["pain"] = "" if content.pain is None else str(content.pain)
        for index, score in enumerate(content.psfs or ()):
            filled[f"score_{index}"] = str(score)
        filled["symptoms"] = list(content.symptoms)
    elif isinstance(content, SessionLog):
        for result in content.results:
            filled[f"pain-{result.exercise_id}"] = result.pain.value
    elif isinstance(content, ProblemReport):
        filled["kind"] = content.kind.value
        filled["note"] = content.note
    elif isinstance(content, Clearance):
        filled["by"] = content.by
    return filled


def _filled_from(form: FormData) -> dict[str, object]:
    return forms.kept(form, lists=("symptoms",), notes=("note",))


def _change(form: FormData, record: Record, errors: FormErrors) -> Change:
    """What the edit form asks to change (a field the form leaves as it was: unchanged);
    `Invalid` with every problem of the form at once."""
    content = record.content
    if isinstance(content, Clearance):
        return Change(by=str(form.get("by", "")))
    on = None
    with errors.reading("date"):
        on = _day(form, record)
    if isinstance(content, CheckIn):
        pain = forms.whole(errors, form, "pain", required=False, most=10)
        scores = forms.scores(errors, form, [n for n in errors.labels if n.startswith("score_")])
        if errors:
            raise Invalid(errors)
        given = tuple(score for score in scores if score is not None)
        return Change(
            on=on,
            pain=pain,
            psfs=given or None,
            symptoms=tuple(str(code) for code in form.getlist("symptoms")),
        )
    if errors:
        raise Invalid(errors)
    if isinstance(content, ProblemReport):
        return Change(on=on, kind=str(form.get("kind", "")), note=str(form.get("note", "")))
    if isinstance(content, SessionLog):
        entries = []
        for result in content.results:
            value = str(form.get(f"pain-{result.exercise_id}", result.pain.value))
            try:
                entries.append((result.exercise_id, Pain(value)))
            except ValueError:
                errors.add_kind("exercises", "missing")
                raise Invalid(errors) from None
        return Change(on=on, exercises=entries)
    raise AssertionError(f"no edit form for {record.id}")


def _day(form: FormData, record: Record) -> date | None:
    """The day the form gives, or None when it is the record's own (or not given)."""
    text = str(form.get("date", "")).strip()
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise UserError("Choose a day from the list", field="date") from None
    return None if day == record.on else day
