"""A patient's handover to another clinician, and the time logged against a patient, on a
connection the caller holds inside one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.engine import Connection

from lumbar.domain.access import Role
from lumbar.domain.rtm import TimeEntry
from lumbar.store.clinic_tables import messages, users
from lumbar.store.handover_tables import handovers, monitoring_time, prescription_changes
from lumbar.store.touched import touch


@dataclass(frozen=True, slots=True)
class Handover:
    patient_id: int
    from_id: int
    to_id: int
    at: datetime


def move(connection: Connection, patient_ids: list[int], *, to_id: int) -> None:
    connection.execute(
        update(users)
        .where(users.c.id.in_(patient_ids), users.c.role == Role.PATIENT.value)
        .values(clinician_id=to_id)
    )
    for patient_id in patient_ids:  # their dashboard rows move with them, in this transaction
        touch(connection, patient_id)


def add_handover(
    connection: Connection, *, patient_id: int, from_id: int, to_id: int, by_id: int, at: datetime
) -> None:
    connection.execute(
        insert(handovers).values(
            patient_id=patient_id, from_id=from_id, to_id=to_id, by_id=by_id, at=at
        )
    )


def last_handover(connection: Connection, patient_id: int) -> Handover | None:
    row = connection.execute(
        select(handovers.c.patient_id, handovers.c.from_id, handovers.c.to_id, handovers.c.at)
        .where(handovers.c.patient_id == patient_id)
        .order_by(handovers.c.id.desc())
        .limit(1)
    ).first()
    return None if row is None else Handover(row.patient_id, row.from_id, row.to_id, row.at)


def patient_counts(connection: Connection, clinic_id: int) -> dict[int, int]:
    """Each clinician of the clinic who has patients → how many."""
    query = (
        select(users.c.clinician_id, func.count())
        .where(
            users.c.clinic_id == clinic_id,
            users.c.role == Role.PATIENT.value,
            users.c.clinician_id.is_not(None),
        )
        .group_by(users.c.clinician_id)
    )
    return {int(row[0]): int(row[1]) for row in connection.execute(query)}


# Time logged against a patient.


def add_time(
    connection: Connection,
    *,
    patient_id: int,
    clinician_id: int,
    on: date,
    minutes: int | None,
    note: str,
    now: datetime,
    started_at: datetime | None = None,
) -> None:
    connection.execute(
        insert(monitoring_time).values(
            patient_id=patient_id,
            clinician_id=clinician_id,
            on_date=on,
            minutes=minutes,
            note=note,
            started_at=started_at,
            created_at=now,
        )
    )


def time_entries(connection: Connection, patient_id: int) -> list[TimeEntry]:
    query = (
        select(monitoring_time)
        .where(monitoring_time.c.patient_id == patient_id)
        .order_by(monitoring_time.c.on_date, monitoring_time.c.id)
    )
    return [
        TimeEntry(r.id, r.clinician_id, r.on_date, r.minutes, r.note, r.started_at)
        for r in connection.execute(query)
    ]


def lock_timer(connection: Connection, patient_id: int, clinician_id: int) -> None:
    """Hold one clinician's timer on one patient for the rest of the transaction, so that
    starts (or stops) sent together are read one after the other and one timer runs.
    SQLite's BEGIN IMMEDIATE already does (one writer at a time); PostgreSQL takes a
    transaction-scoped advisory lock."""
    if connection.dialect.name == "postgresql":
        key = f"monitoring-timer:{patient_id}:{clinician_id}"
        connection.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": key})


def running_timer(connection: Connection, patient_id: int, clinician_id: int) -> TimeEntry | None:
    return next(
        (
            e
            for e in time_entries(connection, patient_id)
            if e.minutes is None and e.clinician_id == clinician_id
        ),
        None,
    )


def stop_timer(connection: Connection, entry_id: int, minutes: int) -> None:
    connection.execute(
        update(monitoring_time).where(monitoring_time.c.id == entry_id).values(minutes=minutes)
    )


def drop_timer(connection: Connection, entry_id: int) -> None:
    connection.execute(delete(monitoring_time).where(monitoring_time.c.id == entry_id))


# The interactions the monitoring report counts.


def message_times(connection: Connection, patient_id: int) -> list[tuple[datetime, bool]]:
    """When each message of the patient's thread was sent, and whether by the patient."""
    query = (
        select(messages.c.at, messages.c.sender_id)
        .where(messages.c.patient_id == patient_id)
        .order_by(messages.c.id)
    )
    return [(row.at, row.sender_id == patient_id) for row in connection.execute(query)]


def add_prescription_change(
    connection: Connection, patient_id: int, clinician_id: int, now: datetime
) -> None:
    connection.execute(
        insert(prescription_changes).values(
            patient_id=patient_id, clinician_id=clinician_id, at=now
        )
    )


def prescription_change_times(connection: Connection, patient_id: int) -> list[datetime]:
    query = (
        select(prescription_changes.c.at)
        .where(prescription_changes.c.patient_id == patient_id)
        .order_by(prescription_changes.c.id)
    )
    return [row.at for row in connection.execute(query)]
