"""A clinic's program templates: read, add, rename and delete them, always within one
clinic (a template of another clinic is not found, as if it did not exist)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, delete, insert, select, update

from lumbar.store.template_tables import program_templates as t


@dataclass(frozen=True, slots=True)
class StoredTemplate:
    id: int
    clinic_id: int
    name: str
    text: str
    """The prescription document, as `formats/prescription.to_json` wrote it."""
    created_by: int | None
    updated_at: datetime


COLUMNS = (t.c.id, t.c.clinic_id, t.c.name, t.c.program, t.c.created_by, t.c.updated_at)


def _stored(row: object) -> StoredTemplate:
    return StoredTemplate(*row)  # type: ignore[misc]


def templates(connection: Connection, clinic_id: int) -> list[StoredTemplate]:
    """The clinic's templates, by name."""
    rows = connection.execute(
        select(*COLUMNS).where(t.c.clinic_id == clinic_id).order_by(t.c.name, t.c.id)
    )
    return [_stored(row) for row in rows]


def template(connection: Connection, clinic_id: int, template_id: int) -> StoredTemplate | None:
    row = connection.execute(
        select(*COLUMNS).where(t.c.id == template_id, t.c.clinic_id == clinic_id)
    ).first()
    return None if row is None else _stored(row)


def named(connection: Connection, clinic_id: int, name: str) -> int | None:
    """The id of the clinic's template of this name (names are unique within a clinic)."""
    found = connection.execute(
        select(t.c.id).where(t.c.clinic_id == clinic_id, t.c.name == name)
    ).scalar()
    return None if found is None else int(found)


def add(
    connection: Connection, clinic_id: int, *, name: str, text: str, by: int, now: datetime
) -> int:
    result = connection.execute(
        insert(t).values(
            clinic_id=clinic_id, name=name, program=text, created_by=by, updated_at=now
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def rename(
    connection: Connection, clinic_id: int, template_id: int, name: str, now: datetime
) -> bool:
    result = connection.execute(
        update(t)
        .where(t.c.id == template_id, t.c.clinic_id == clinic_id)
        .values(name=name, updated_at=now)
    )
    return result.rowcount == 1


def remove(connection: Connection, clinic_id: int, template_id: int) -> bool:
    result = connection.execute(delete(t).where(t.c.id == template_id, t.c.clinic_id == clinic_id))
    return result.rowcount == 1
