"""The intake in steps (issue #17): about you, warning signs, your days, your pain and
activities, equipment; each its own page that works without JavaScript.

Each step is sent on its own and checked at once: its problems are shown on its page, the
GOV.UK way (web/form_errors.py). What a person wrote is kept as typed
(`usecases/intake_drafts.py`) whether the step was right or not, so going back, reloading
or coming back tomorrow finds it; the program starts from the last step, when the whole
intake is checked again by the same reader as the one-page form (`forms.intake`) and the
same use case (`program.start`).

The warning signs are screened as soon as they are answered: an emergency is said on the
spot, not three pages later, and the answers are then forgotten (the clinic's server keeps
the emergency for the clinician, as `program.start` would).

`POST /start` still takes the whole intake in one form.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import partial

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from lumbar.content.load import Content
from lumbar.domain.loads import unit_for_accept_language
from lumbar.domain.model import Level
from lumbar.domain.outcomes import PSFS_MAX_ACTIVITIES
from lumbar.errors import UserError
from lumbar.usecases import intake_drafts, program
from lumbar.usecases.accounts import now_utc
from lumbar.usecases.intake_drafts import Answers
from lumbar.usecases.person import Person
from lumbar.usecases.program import EmergencyAtIntake
from lumbar.web import forms
from lumbar.web.context import PersonDep, alerting, today, write
from lumbar.web.form_errors import FormErrors, Invalid
from lumbar.web.templating import page

router = APIRouter(include_in_schema=False)

TIERS = (
    (Level.EMERGENCY, "Signs that need emergency care"),
    (Level.URGENT, "Signs to see a doctor about today"),
    (Level.SEE_CLINICIAN, "Signs to have checked in the next few days"),
)
"""The warning signs' groups, most urgent first (the intake, the check-in, a record's edit)."""

_ACTIVITY_FIELDS = tuple(
    f"{kind}_{i}" for i in range(1, PSFS_MAX_ACTIVITIES + 1) for kind in ("activity", "score")
)


@dataclass(frozen=True, slots=True)
class Step:
    slug: str
    title: str
    fields: tuple[str, ...]
    """The form's fields this step asks, and whose problems it shows."""
    lists: tuple[str, ...] = ()
    """Its groups of boxes: sent as lists, and empty when nothing is ticked."""


STEPS = (
    Step("about", "About you", ("understood", "age", "pain_weeks")),
    Step("signs", "Warning signs", ("red_flags", "seen_by"), lists=("red_flags",)),
    Step("days", "Your days", ("days", "every_other_day"), lists=("days",)),
    Step("activities", "Your pain and activities", ("pain", "psfs", *_ACTIVITY_FIELDS)),
    Step(
        "equipment",
        "Equipment",
        ("unit", "equipment", "dumbbells", "kettlebells"),
        lists=("equipment",),
    ),
)
BY_SLUG = {step.slug: step for step in STEPS}
BOXES_KEPT = 40
"""The most boxes of one group a draft keeps (there are 26 warning signs): a form sent with
thousands is not written out whole; the reader refuses what is not a choice anyway."""
DONE = "steps_done"
"""The draft's list of the steps sent without a problem."""


def symptom_groups(content: Content) -> list[tuple[str, list[tuple[str, str]]]]:
    return [
        (
            heading,
            [(code, sym.question) for code, sym in content.symptoms.items() if sym.level is level],
        )
        for level, heading in TIERS
    ]


def _to(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


def _as_form(answers: Mapping[str, str | list[str]]) -> FormData:
    return FormData(
        [
            (key, value)
            for key, kept in answers.items()
            if key != DONE
            for value in (kept if isinstance(kept, list) else [kept])
        ]
    )


def _no_problems() -> FormErrors:
    """The intake's problems, none yet: its fields named and anchored as the form shows them."""
    return FormErrors(forms.INTAKE, anchors=forms.INTAKE_ANCHORS)


def _problems(answers: Mapping[str, str | list[str]], content: Content) -> FormErrors:
    """Every problem of the intake as written so far (those of steps not yet reached too)."""
    try:
        forms.intake(_as_form(answers), content)
    except Invalid as invalid:
        return invalid.errors
    except UserError as error:
        return forms.refused(error, forms.INTAKE, anchors=forms.INTAKE_ANCHORS)
    return _no_problems()


def _of_step(errors: FormErrors, step: Step) -> FormErrors:
    mine = _no_problems()
    for found in errors:
        if found.field in step.fields:
            mine.add(found.field, found.message)
    return mine


def _first_open(answers: Answers, content: Content) -> Step | None:
    """The first step not yet sent, or with a problem; None when every step is done."""
    done = answers.get(DONE) or []
    errors = _problems(answers, content)
    for step in STEPS:
        if step.slug not in done or _of_step(errors, step):
            return step
    return None


# The pages.


@router.get("/start")
def start_form(request: Request, p: PersonDep) -> Response:
    """Where the person left off: the first step not yet answered."""
    if p.has_program():
        return _to("/today")
    step = _first_open(intake_drafts.kept(p), p.content) or STEPS[-1]
    return _to(f"/start/{step.slug}")


def first_step(request: Request, p: Person) -> Response:
    """The first step not yet answered, shown at once (the start page, `/`, renders it
    rather than sending the browser on to `/start/{slug}`)."""
    answers = intake_drafts.kept(p)
    step = _first_open(answers, p.content) or STEPS[-1]
    return _step_page(request, p, step, answers)


@router.get("/start/{slug}")
def step_form(request: Request, slug: str, p: PersonDep) -> Response:
    step = _step(slug)
    if p.has_program():
        return _to("/today")
    answers = intake_drafts.kept(p)
    first = _first_open(answers, p.content)
    if first is not None and STEPS.index(first) < STEPS.index(step):
        return _to(f"/start/{first.slug}")  # the steps are answered in order
    return _step_page(request, p, step, answers)


@router.post("/start/{slug}")
async def step_sent(request: Request, slug: str, p: PersonDep) -> Response:
    step = _step(slug)
    form = await request.form()
    if await run_in_threadpool(p.has_program):
        return _to("/today")
    answers = await run_in_threadpool(intake_drafts.kept, p)
    answers = _with_step(answers, step, form)
    index = STEPS.index(step)
    if form.get("go") == "back":
        await write(p, partial(intake_drafts.keep, now=now_utc()), p, answers)
        return _to(f"/start/{STEPS[max(index - 1, 0)].slug}")
    errors = _of_step(_problems(answers, p.content), step)
    done = [s for s in answers.get(DONE) or [] if s != step.slug]
    answers[DONE] = done if errors else [*done, step.slug]
    await write(p, partial(intake_drafts.keep, now=now_utc()), p, answers)
    if errors:
        return _step_page(request, p, step, answers, errors)
    if step.slug == "signs":
        try:
            await write(p, _screen, p, answers, today(request))
        except EmergencyAtIntake as emergency:
            await write(p, intake_drafts.discard, p)
            return _emergency_page(request, p, emergency)
    first = _first_open(answers, p.content)
    if first is not None:
        return _to(f"/start/{first.slug}")
    return await _start(request, p, _as_form(answers), step)


@router.post("/start")
async def start(request: Request, p: PersonDep) -> Response:
    """The whole intake in one form (the steps' last page sends it the same way)."""
    return await _start(request, p, await request.form(), None)


async def _start(request: Request, p: Person, form: FormData, step: Step | None) -> Response:
    try:
        answers = forms.intake(form, p.content)
        unit = unit_for_accept_language(request.headers.get("accept-language"))
        start = partial(program.start, now=now_utc(), unit=unit)
        await write(p, start, p, answers, today(request))
    except EmergencyAtIntake as emergency:
        await write(p, intake_drafts.discard, p)
        return _emergency_page(request, p, emergency)
    except UserError as error:
        errors = forms.refused(error, forms.INTAKE, anchors=forms.INTAKE_ANCHORS)
        filled = forms.kept(form, lists=("red_flags", "days", "equipment"))
        for name in ("red_flags", "days", "equipment"):
            filled.setdefault(name, [])  # none ticked: none shown ticked
        if step is None:
            return _whole_page(request, p, filled, errors)
        owner = next((s for s in STEPS for e in errors if e.field in s.fields), step)
        return _step_page(request, p, owner, filled, _of_step(errors, owner) or errors)
    return _to("/welcome")


@alerting
def _screen(p: Person, answers: Answers, on: date) -> None:
    """The warning signs just answered, screened (the age is the first step's); an
    emergency is kept for the clinician, who may be mailed at once (issue #20)."""
    form = _as_form(answers)
    age = str(form.get("age", "")).strip()
    program.screen_signs(
        p,
        [str(code) for code in form.getlist("red_flags")],
        seen_by=str(form.get("seen_by", "")),
        age=int(age) if age.isdigit() else 0,
        on=on,
        now=now_utc(),
    )


def _step(slug: str) -> Step:
    step = BY_SLUG.get(slug)
    if step is None:
        raise HTTPException(status_code=404)
    return step


def _with_step(answers: Answers, step: Step, form: FormData) -> Answers:
    """The draft with this step's fields as the form sent them: a field left empty, or a
    box unticked, replaces what was kept before."""
    kept = {k: v for k, v in answers.items() if k not in step.fields}
    sent = forms.kept(form, lists=step.lists)
    for field in step.fields:
        if field in step.lists:
            kept[field] = (sent.get(field) or [])[:BOXES_KEPT]
        elif isinstance(value := sent.get(field), str) and value:
            kept[field] = value
    return kept


def _context(request: Request, p: Person) -> dict[str, object]:
    return {
        "groups": symptom_groups(p.content),
        "weekdays": forms.WEEKDAYS,
        "disclaimer": p.content.topics.get("disclaimer"),
        "clinic": p.clinic,
        # The Equipment fieldset's unit until the person picks one: the browser's.
        "unit_default": unit_for_accept_language(request.headers.get("accept-language")),
    }


def _step_page(
    request: Request,
    p: Person,
    step: Step,
    filled: Mapping[str, object],
    errors: FormErrors | None = None,
) -> HTMLResponse:
    number = STEPS.index(step) + 1
    done = filled.get(DONE) or []
    return page(
        request,
        "start.html",
        {
            **_context(request, p),
            "title": f"{step.title} (step {number} of {len(STEPS)})",
            "step": step,
            "steps": STEPS,
            "number": number,
            "done": done,
            "filled": filled,
            "errors": errors or None,
        },
        status_code=422 if errors else 200,
    )


def _whole_page(
    request: Request, p: Person, filled: Mapping[str, object], errors: FormErrors
) -> HTMLResponse:
    """The one-page form's refusal: every step on one page, with its problems."""
    return page(
        request,
        "start.html",
        {
            **_context(request, p),
            "title": "Start",
            "step": None,
            "steps": STEPS,
            "filled": filled,
            "errors": errors,
        },
        status_code=422,
    )


def _emergency_page(request: Request, p: Person, emergency: EmergencyAtIntake) -> HTMLResponse:
    return page(
        request,
        "emergency.html",
        {
            "title": "Please get care now",
            "messages": list(emergency.messages),
            "after": (
                "Your program has not started. Your clinician can see what you answered. Once "
                "they have cleared you, come back to this page to start."
                if p.clinic
                else "Nothing has been saved. Once a clinician has seen you and cleared you to "
                "exercise, come back to this page, give the same answers, and write who saw "
                "you in the box under the warning signs."
            ),
        },
    )
