"""The rows of paired devices and pairing links (issue #16), over one connection."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Row, insert, select, update
from sqlalchemy.engine import Connection

from lumbar.domain.access import Device
from lumbar.store.accounts import digest
from lumbar.store.tables import devices, pairings


def _device(row: Row[Any]) -> Device:
    return Device(row.id, row.name, row.paired_at, row.last_seen, row.revoked_at)


def add_pairing(connection: Connection, token: str, *, now: datetime, expires_at: datetime) -> None:
    connection.execute(
        insert(pairings).values(token_hash=digest(token), created_at=now, expires_at=expires_at)
    )


def take_pairing(connection: Connection, token: str, *, now: datetime) -> bool:
    """Use a pairing link: True once, while it has not expired. Marking it used in the same
    statement means two devices cannot both pair with it."""
    row = connection.execute(
        update(pairings)
        .where(
            pairings.c.token_hash == digest(token),
            pairings.c.used_at.is_(None),
            pairings.c.expires_at > now,
        )
        .values(used_at=now)
        .returning(pairings.c.token_hash)
    ).first()
    return row is not None


def add_device(connection: Connection, name: str, secret: str, *, now: datetime) -> Device:
    row = connection.execute(
        insert(devices)
        .values(name=name, secret_hash=digest(secret), paired_at=now, last_seen=now)
        .returning(devices)
    ).one()
    return _device(row)


def device_by_secret(connection: Connection, secret: str) -> Device | None:
    row = connection.execute(select(devices).where(devices.c.secret_hash == digest(secret))).first()
    return None if row is None else _device(row)


def seen(connection: Connection, device_id: int, now: datetime) -> None:
    connection.execute(update(devices).where(devices.c.id == device_id).values(last_seen=now))


def all_devices(connection: Connection) -> list[Device]:
    rows = connection.execute(select(devices).order_by(devices.c.id)).all()
    return [_device(row) for row in rows]


def revoke(connection: Connection, device_id: int, now: datetime) -> Device | None:
    row = connection.execute(
        update(devices)
        .where(devices.c.id == device_id, devices.c.revoked_at.is_(None))
        .values(revoked_at=now)
        .returning(devices)
    ).first()
    return None if row is None else _device(row)
