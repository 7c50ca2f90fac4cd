"""A clinic's program templates (issue #20): a prescription saved under a name, for every
clinician of the clinic to start patients from, and a patient's program copied from
another of the clinician's patients.

Every template goes through the prescription's one check (`formats/prescription.parse`,
which builds the domain `Program` and so meets every safety rule): when it is saved, and
again whenever it is read to start a patient, so that a template stored before a rule was
added, or written into the database by hand, can never reach a patient. Starting a patient
from a template, or copying another patient's program, writes through
`usecases/prescribing.prescribe`, the same path as the prescription form.

A template belongs to a clinic: another clinic's is answered as if it did not exist
(`NotAllowed`, a 404). A program is copied only from the clinician's own patients, the only
records they may read (`domain/access.may_see_patient`); the read is in the audit log.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.exc import IntegrityError

from lumbar.content.load import Content
from lumbar.domain.access import Account, Role
from lumbar.errors import NotAllowed, UserError, refuse_control_characters
from lumbar.formats.prescription import Prescribed, parse, to_json
from lumbar.store import program_templates as rows
from lumbar.usecases import audit, caseload, prescribing
from lumbar.usecases.accounts import LARGEST_ID, Accounts
from lumbar.usecases.identity import HIDDEN_IN_NAMES
from lumbar.usecases.person import Person

MAX_NAME = 100
NOT_FOUND = "no such template in your clinic"


@dataclass(frozen=True, slots=True)
class Template:
    id: int
    name: str
    updated_at: datetime
    document: dict[str, Any]
    """The prescription document, as stored (checked when saved)."""


def _template(stored: rows.StoredTemplate) -> Template:
    return Template(stored.id, stored.name, stored.updated_at, json.loads(stored.text))


def _clinic(clinician: Account, template_id: int | None = None) -> int:
    """The clinician's clinic; a template id that no row can have (ids are 32-bit integers
    on PostgreSQL, see `accounts.LARGEST_ID`) is not found before the database is asked."""
    if clinician.role is not Role.CLINICIAN or clinician.clinic_id is None:
        raise NotAllowed(NOT_FOUND)
    if template_id is not None and not 0 < template_id <= LARGEST_ID:
        raise NotAllowed(NOT_FOUND)
    return clinician.clinic_id


def template_name(raw: str) -> str:
    """A template's name as typed, normal: spaces folded, nothing invisible."""
    name = " ".join(unicodedata.normalize("NFKC", raw).split())
    if not name:
        raise UserError("give the template a name", field="name")
    if len(name) > MAX_NAME:
        raise UserError(f"a template's name has at most {MAX_NAME} characters", field="name")
    refuse_control_characters(name, field="name")
    if any(unicodedata.category(c) in HIDDEN_IN_NAMES for c in name):
        raise UserError(
            "the name holds a character that cannot be seen: type it again by hand", field="name"
        )
    return name


def templates(accounts: Accounts, clinician: Account) -> list[Template]:
    """The clinician's clinic's templates, by name."""
    clinic = _clinic(clinician)
    with accounts.store.transaction() as tx:
        return [_template(s) for s in rows.templates(tx.connection, clinic)]


def template(accounts: Accounts, clinician: Account, template_id: int) -> Template:
    """One of the clinic's templates; another clinic's is not found."""
    clinic = _clinic(clinician, template_id)
    with accounts.store.transaction() as tx:
        found = rows.template(tx.connection, clinic, template_id)
    if found is None:
        raise NotAllowed(NOT_FOUND)
    return _template(found)


def checked(found: Template, content: Content) -> Prescribed:
    """The template's program, built and checked by the safety rules as a new prescription
    (PrescriptionRefused, with every reason, when they refuse it)."""
    return parse(found.document, content)


def save(
    accounts: Accounts, clinician: Account, name: str, data: Any, content: Content, now: datetime
) -> Template:
    """Save a prescription document under a name for the clinic. A document the safety
    rules refuse, a name taken in the clinic or a bad name writes nothing."""
    clinic = _clinic(clinician)
    name = template_name(name)
    prescribed = parse(data, content)
    text = to_json(prescribed.document)
    try:
        with accounts.store.transaction() as tx:
            if rows.named(tx.connection, clinic, name) is not None:
                raise _taken(name)
            new = rows.add(tx.connection, clinic, name=name, text=text, by=clinician.id, now=now)
    except IntegrityError:  # the same name saved at the same moment by a colleague
        raise _taken(name) from None
    return Template(new, name, now, json.loads(text))


def save_from_patient(
    accounts: Accounts, clinician: Account, patient: Person, name: str, now: datetime
) -> Template:
    """Save this patient's prescription (the default program when they have none) as a
    template; `patient` is one the clinician may see (checked by the caller's route)."""
    prescribed = patient.prescription()
    data = {} if prescribed is None else prescribed.document.model_dump(exclude_none=True)
    return save(accounts, clinician, name, data, patient.content, now)


def _taken(name: str) -> UserError:
    return UserError(f"your clinic already has a template called {name!r}", field="name")


def rename(
    accounts: Accounts, clinician: Account, template_id: int, name: str, now: datetime
) -> Template:
    clinic = _clinic(clinician, template_id)
    name = template_name(name)
    try:
        with accounts.store.transaction() as tx:
            other = rows.named(tx.connection, clinic, name)
            if other is not None and other != template_id:
                raise _taken(name)
            if not rows.rename(tx.connection, clinic, template_id, name, now):
                raise NotAllowed(NOT_FOUND)
            found = rows.template(tx.connection, clinic, template_id)
    except IntegrityError:
        raise _taken(name) from None
    assert found is not None
    return _template(found)


def delete(accounts: Accounts, clinician: Account, template_id: int) -> None:
    clinic = _clinic(clinician, template_id)
    with accounts.store.transaction() as tx:
        if not rows.remove(tx.connection, clinic, template_id):
            raise NotAllowed(NOT_FOUND)


def apply(
    accounts: Accounts,
    clinician: Account,
    patient: Person,
    template_id: int,
    *,
    now: datetime,
    on: date | None = None,
) -> Prescribed:
    """Prescribe the template to the patient as it is, through the prescription's one check
    and write; a refused template writes nothing."""
    found = template(accounts, clinician, template_id)
    return prescribing.prescribe(patient, found.document, clinician=clinician.id, now=now, on=on)


def source_document(
    accounts: Accounts,
    clinician: Account,
    source_id: int,
    content: Content,
    now: datetime,
    on: date | None = None,
) -> dict[str, Any]:
    """The prescription document of another of the clinician's own patients, to copy (its
    read is in the audit log). One on the default program has nothing to copy. `on`: the
    server's day (`serve --date`), whose program is copied; `now`'s day without it."""
    source = audit.patient_for(
        accounts,
        clinician,
        source_id,
        now,
        action=audit.Action.READ,
        target=f"prescription of patient {source_id} (copied)",
    )
    record = caseload.patient_record(accounts.store, content, source, today=on or now.date())
    prescribed = record.prescription()
    if prescribed is None:
        raise UserError(
            "that patient follows the default program: there is no prescription to copy",
            field="from_patient_id",
        )
    return prescribed.document.model_dump(exclude_none=True)


def copy(
    accounts: Accounts,
    clinician: Account,
    patient: Person,
    source_id: int,
    *,
    now: datetime,
    on: date | None = None,
) -> Prescribed:
    """Prescribe another of the clinician's patients' program to this one, through the
    prescription's one check and write."""
    if source_id == patient.id:
        raise UserError("choose another patient to copy from", field="from_patient_id")
    document = source_document(accounts, clinician, source_id, patient.content, now, on)
    return prescribing.prescribe(patient, document, clinician=clinician.id, now=now, on=on)
