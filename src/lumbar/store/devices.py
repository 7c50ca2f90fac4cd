"""The rows of paired devices and pairing links (issue #16), over one connection."""

from __future__ import annotations

import sqlite3
import threading
from datetime import datetime
from pathlib import Path
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


def pairing_open(connection: Connection, token: str, *, now: datetime) -> bool:
    """Whether the link would pair a device now (unused, not expired); changes nothing."""
    row = connection.execute(
        select(pairings.c.token_hash).where(
            pairings.c.token_hash == digest(token),
            pairings.c.used_at.is_(None),
            pairings.c.expires_at > now,
        )
    ).first()
    return row is not None


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


class SecretLookup:
    """The device a cookie's secret belongs to, asked on every request from a phone.

    On SQLite it reads through one connection of its own, kept open, read-only, with the
    statement prepared once: an indexed read of a few microseconds, without the pool, a
    transaction or a thread hop, so that it may run on the server's event loop (`inline`).
    Every request reads the row again, so a revocation, by this process or `lumbar devices
    revoke` in another, shuts the device out at its next request. Elsewhere (PostgreSQL)
    it reads through the store, and is not inline.
    """

    QUERY = "SELECT id, name, paired_at, last_seen, revoked_at FROM devices WHERE secret_hash = ?"

    def __init__(self, sqlite_path: Path | None, read: Any) -> None:
        self.inline = sqlite_path is not None
        self._path = sqlite_path
        self._read = read
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None

    def __call__(self, secret: str) -> Device | None:
        if self._path is None:
            with self._read() as connection:
                return device_by_secret(connection, secret)
        with self._lock:
            if self._connection is None:
                self._connection = sqlite3.connect(
                    f"{self._path.as_uri()}?mode=ro", uri=True, check_same_thread=False
                )
            row = self._connection.execute(self.QUERY, (digest(secret),)).fetchone()
        if row is None:
            return None
        device_id, name, paired_at, last_seen, revoked_at = row
        return Device(
            device_id,
            name,
            datetime.fromisoformat(paired_at),
            datetime.fromisoformat(last_seen),
            None if revoked_at is None else datetime.fromisoformat(revoked_at),
        )

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None
