"""What a patient's concern summary is computed from beside their history, for any number
of patients in one query (issue #20): their account, their history's revision, their
prescription, and whether they have any of the things most patients have none of (the
clinic's signals, problem reports), so that those are read only for the few who have them.

The summary is computed again inside every write of a clinic's patient: it was six
statements before the history was walked, which on PostgreSQL cost more than the walk.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import bindparam, exists, select
from sqlalchemy.engine import Connection

from lumbar.domain.access import Account
from lumbar.store.accounts import ACCOUNT_COLUMNS, StoredPrescription, _account
from lumbar.store.notices import Kept
from lumbar.store.tables import (
    acknowledgements,
    clearance_requests,
    intake_emergencies,
    people,
    prescriptions,
    problem_reports,
    users,
)


@dataclass(frozen=True, slots=True)
class PatientFacts:
    account: Account
    revision: int | None
    """None before the patient's program starts."""
    prescription: StoredPrescription | None
    kept: Kept
    """Which of the clinic's signals they have any of."""
    has_problems: bool
    """Whether they reported any problem (deleted ones aside)."""


def patient_facts(connection: Connection, ids: Sequence[int]) -> dict[int, PatientFacts]:
    """The facts of these accounts that exist, by id, in one query."""
    if not ids:
        return {}
    rows = connection.execute(FACTS, {"ids": list(ids)})
    return {
        row.id: PatientFacts(
            account=_account(row),
            revision=None if row.revision is None else int(row.revision),
            prescription=(
                None
                if row.program is None
                else StoredPrescription(row.program, row.prescribed_by, row.prescribed_at)
            ),
            kept=Kept(bool(row.has_acknowledgements), bool(row.has_requests), bool(row.has_intake)),
            has_problems=bool(row.has_problems),
        )
        for row in rows
    }


FACTS = (
    select(
        *ACCOUNT_COLUMNS,
        people.c.revision,
        prescriptions.c.program,
        prescriptions.c.clinician_id.label("prescribed_by"),
        prescriptions.c.updated_at.label("prescribed_at"),
        exists().where(acknowledgements.c.patient_id == users.c.id).label("has_acknowledgements"),
        exists()
        .where(
            clearance_requests.c.patient_id == users.c.id,
            clearance_requests.c.closed_at.is_(None),
        )
        .label("has_requests"),
        exists().where(intake_emergencies.c.patient_id == users.c.id).label("has_intake"),
        exists()
        .where(problem_reports.c.person_id == users.c.id, problem_reports.c.deleted_on.is_(None))
        .label("has_problems"),
    )
    .select_from(
        users.outerjoin(people, people.c.id == users.c.id).outerjoin(
            prescriptions, prescriptions.c.patient_id == users.c.id
        )
    )
    .where(users.c.id.in_(bindparam("ids", expanding=True)))
)
"""Built once: it runs with every write of a clinic's patient."""
