"""Where a prescription form starts (issue #20): the patient's own program, one of the
clinic's templates, or the program of another of the clinician's patients. The two others
are shown in the grid for review rather than written at once: a template is a starting
point, and a clinician adapts its doses to the patient in front of them; saving the form is
the one write, through the prescription's check, as any prescription.

A template or a patient's program the safety rules refuse (one stored before a rule, or
written into the database by hand) is not shown in the grid: the page says why, and the
patient's own program stays in it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi import Request

from lumbar.errors import NotAllowed, UserError
from lumbar.formats.prescription import Prescribed, PrescriptionRefused, parse
from lumbar.usecases import audit
from lumbar.usecases import program_templates as templates
from lumbar.usecases.accounts import now_utc
from lumbar.usecases.person import Person
from lumbar.web.authorization import account, accounts_of
from lumbar.web.context import today
from lumbar.web.form_errors import sentence


@dataclass
class StartingPoint:
    prescribed: Prescribed | None = None
    """The program to review in the grid; None: the patient's own."""
    source: str | None = None
    """What it came from, in words: "the template Knee-friendly", "Bob Brown's program"."""
    refused: list[str] = field(default_factory=list)
    """Why the template or program asked for cannot be used: every rule it breaks."""
    templates: list[templates.Template] = field(default_factory=list)
    patients: list[tuple[int, str]] = field(default_factory=list)

    def shown(self) -> dict[str, Any]:
        return {
            "start_from": self.source,
            "start_refused": self.refused,
            "template_choices": self.templates,
            "patient_choices": self.patients,
        }


def starting_point(
    request: Request, record: Person, *, template: int | None, copy: int | None
) -> StartingPoint:
    """What the form starts from, and the templates and patients it may start from. A
    template of another clinic, or a patient not the clinician's, is not found (404)."""
    accounts, me = accounts_of(request), account(request)
    found = StartingPoint(
        templates=templates.templates(accounts, me),
        patients=[
            (p.id, p.name or p.email) for p in audit.patients(accounts, me) if p.id != record.id
        ],
    )
    document: dict[str, Any] | None = None
    if template is not None:
        chosen = templates.template(accounts, me, template)
        found.source, document = f"the template “{chosen.name}”", chosen.document
    elif copy is not None and copy != record.id:
        name = next((n for i, n in found.patients if i == copy), "another patient")
        found.source = f"{name}’s program"
        try:
            document = templates.source_document(
                accounts, me, copy, record.content, now_utc(), today(request)
            )
        except NotAllowed:
            raise  # not one of the clinician's patients: not found
        except UserError as refusal:
            found.refused = [sentence(refusal.message)]
    if document is not None:
        try:
            found.prescribed = parse(document, record.content)
        except PrescriptionRefused as refusal:
            found.refused = list(refusal.reasons)
        except UserError as refusal:  # a document that is not a prescription at all
            found.refused = [sentence(refusal.message)]
    return found
