"""Pairing a phone with the app on a person's own computer (issue #16): the computer shows a
one-time link (as a QR code) that lasts ten minutes; the device that opens it is paired,
named, and given a cookie whose secret lets it in from then on; the person lists the
devices and revokes any of them, which shuts it out at once.

Times are UTC without a zone, as the clinic's accounts keep them; the shells read the clock.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from lumbar.domain.access import Device
from lumbar.errors import UserError, refuse_hidden_characters
from lumbar.store import devices as rows
from lumbar.store.database import Store

PAIRING_LASTS = timedelta(minutes=10)
SEEN_EVERY = timedelta(minutes=1)
"""How stale `last_seen` may get: a device's requests write it at most this often."""
NAME_LIMIT = 60


PAIRING_CLOSED = (
    "this pairing link has expired or was used already: show a new code on your computer "
    "(Settings, Use on your phone, or `lumbar serve --phone`)"
)


class PairingRefused(UserError):
    """A pairing link that is unknown, used or expired."""


@dataclass(frozen=True, slots=True)
class Paired:
    device: Device
    secret: str
    """For the device's cookie; kept nowhere else (only its hash is stored)."""


def start_pairing(store: Store, now: datetime) -> str:
    """A new one-time pairing token (for the link the QR code holds)."""
    token = secrets.token_urlsafe(32)
    with store.transaction() as tx:
        rows.add_pairing(tx.connection, token, now=now, expires_at=now + PAIRING_LASTS)
    return token


def pairing_open(store: Store, token: str, now: datetime) -> bool:
    """Whether this pairing link would still pair a device (the phone's page asks first)."""
    with store.reading() as connection:
        return rows.pairing_open(connection, token, now=now)


def pair(store: Store, token: str, name: str, now: datetime) -> Paired:
    """Pair the device that opened the link, under `name`; PairingRefused when the link is
    unknown, already used or more than ten minutes old (nothing is written then)."""
    named = " ".join(name.split())[:NAME_LIMIT] or "A device"
    refuse_hidden_characters(named, field="name")
    with store.transaction() as tx:
        if not rows.take_pairing(tx.connection, token, now=now):
            raise PairingRefused(PAIRING_CLOSED)
        secret = secrets.token_urlsafe(32)
        device = rows.add_device(tx.connection, named, secret, now=now)
    return Paired(device, secret)


def device_for(store: Store, secret: str, now: datetime) -> Device | None:
    """The live device this cookie's secret belongs to, or None (unknown or revoked). Its
    `last_seen` is brought up to date, at most once a minute. (What the web guard asks
    on every request, through one long-lived Gate.)"""
    gate = Gate(store, lambda: now)
    try:
        device = gate.live(secret)
        if device is not None and gate.seen_due(device):
            gate.mark_seen(device)
        return device
    finally:
        gate.close()


class Gate:
    """What the web guard asks of every request from another device (web/guard.py): the
    live device its cookie names, quickly; and, at most once a minute, that it was seen."""

    def __init__(self, store: Store, clock: Callable[[], datetime]) -> None:
        self._store = store
        self._clock = clock
        self._lookup = rows.SecretLookup(store.sqlite_path, store.reading)
        self.inline = self._lookup.inline

    def live(self, secret: str) -> Device | None:
        device = self._lookup(secret)
        return device if device is not None and device.live else None

    def seen_due(self, device: Device) -> bool:
        return self._clock() - device.last_seen >= SEEN_EVERY

    def mark_seen(self, device: Device) -> None:
        with self._store.transaction() as tx:
            rows.seen(tx.connection, device.id, self._clock())

    def close(self) -> None:
        self._lookup.close()


def listed(store: Store) -> list[Device]:
    """Every device paired, revoked ones included (with when)."""
    with store.reading() as connection:
        return rows.all_devices(connection)


def revoke(store: Store, device_id: int, now: datetime) -> Device:
    """Shut a device out: its cookie no longer lets it in, from its next request on."""
    with store.transaction() as tx:
        device = rows.revoke(tx.connection, device_id, now)
    if device is None:
        raise UserError(f"no paired device {device_id} (or it was revoked already)", field="id")
    return device
