"""What a clinic's server keeps for a clinician to act on (issue #14): a patient's request
for clearance, an emergency answered at an invited patient's intake, and a clinician's
acknowledgement of an alert. On a connection the caller holds inside one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import bindparam, exists, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import BindParameter

from lumbar.store.history import as_date
from lumbar.store.tables import acknowledgements, clearance_requests, intake_emergencies
from lumbar.store.touched import touch


@dataclass(frozen=True, slots=True)
class ClearanceRequest:
    """A patient's "a clinician has seen me": open until their clinician clears or declines."""

    id: int
    on: date
    codes: tuple[str, ...]
    seen_by: str
    outcome: str | None


def add_request(
    connection: Connection,
    patient: int,
    on: date,
    codes: tuple[str, ...],
    seen_by: str,
    now: datetime,
) -> None:
    connection.execute(
        insert(clearance_requests).values(
            patient_id=patient, on_date=on, codes=",".join(codes), seen_by=seen_by, created_at=now
        )
    )
    touch(connection, patient)


def requests(
    connection: Connection, patient: int, *, open_only: bool = False
) -> list[ClearanceRequest]:
    query = select(clearance_requests).where(clearance_requests.c.patient_id == patient)
    if open_only:
        query = query.where(clearance_requests.c.closed_at.is_(None))
    rows = connection.execute(query.order_by(clearance_requests.c.id)).all()
    return [
        ClearanceRequest(r.id, as_date(r.on_date), tuple(r.codes.split(",")), r.seen_by, r.outcome)
        for r in rows
    ]


def close_requests(
    connection: Connection, patient: int, *, by: int, outcome: str, now: datetime
) -> None:
    connection.execute(
        update(clearance_requests)
        .where(clearance_requests.c.patient_id == patient, clearance_requests.c.closed_at.is_(None))
        .values(closed_at=now, closed_by=by, outcome=outcome)
    )
    touch(connection, patient)


def add_intake_emergencies(
    connection: Connection, patient: int, on: date, codes: tuple[str, ...], now: datetime
) -> None:
    """Record the emergency signs of a refused intake (once each a day)."""
    known = {(e.on, e.code) for e in intake_emergencies_of(connection, patient)}
    fresh = [code for code in codes if (on, code) not in known]
    if fresh:
        connection.execute(
            insert(intake_emergencies),
            [{"patient_id": patient, "on_date": on, "code": c, "created_at": now} for c in fresh],
        )
        touch(connection, patient)


@dataclass(frozen=True, slots=True)
class IntakeEmergency:
    on: date
    code: str
    cleared_by: int | None
    """The clinician who cleared it (the patient may then start), or None."""


def intake_emergencies_of(connection: Connection, patient: int) -> list[IntakeEmergency]:
    rows = connection.execute(
        select(intake_emergencies)
        .where(intake_emergencies.c.patient_id == patient)
        .order_by(intake_emergencies.c.on_date, intake_emergencies.c.code)
    ).all()
    return [IntakeEmergency(as_date(r.on_date), r.code, r.cleared_by) for r in rows]


def clear_intake_emergencies(
    connection: Connection, patient: int, codes: tuple[str, ...], *, by: int, now: datetime
) -> None:
    connection.execute(
        update(intake_emergencies)
        .where(
            intake_emergencies.c.patient_id == patient,
            intake_emergencies.c.code.in_(codes),
            intake_emergencies.c.cleared_at.is_(None),
        )
        .values(cleared_by=by, cleared_at=now)
    )
    touch(connection, patient)


def acknowledge(
    connection: Connection, patient: int, code: str, since: date, clinician: int, now: datetime
) -> None:
    if (code, since) in acknowledged(connection, patient):
        return
    connection.execute(
        insert(acknowledgements).values(
            patient_id=patient, code=code, since=since, clinician_id=clinician, at=now
        )
    )
    touch(connection, patient)


def acknowledged(connection: Connection, patient: int) -> set[tuple[str, date]]:
    rows = connection.execute(
        select(acknowledgements.c.code, acknowledgements.c.since).where(
            acknowledgements.c.patient_id == patient
        )
    ).all()
    return {(r.code, as_date(r.since)) for r in rows}


@dataclass(frozen=True, slots=True)
class Kept:
    """Which of the three kinds a patient has anything of: most patients have none, and one
    query says so (the concern summary is kept with every write, issue #20)."""

    acknowledgements: bool
    requests: bool
    intake: bool


def kept(connection: Connection, patient: int) -> Kept:
    """Whether the patient has acknowledgements, open clearance requests and emergencies
    answered at intake, in one query."""
    row = connection.execute(KEPT, {"patient": patient}).one()
    return Kept(bool(row[0]), bool(row[1]), bool(row[2]))


_patient: BindParameter[int] = bindparam("patient")
KEPT = select(
    exists().where(acknowledgements.c.patient_id == _patient),
    exists().where(
        clearance_requests.c.patient_id == _patient, clearance_requests.c.closed_at.is_(None)
    ),
    exists().where(intake_emergencies.c.patient_id == _patient),
)
"""Built once: `kept` runs with every write of a clinic's patient."""
