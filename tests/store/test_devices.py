"""Pairing a device (issue #16): a link pairs one device, once, within ten minutes; the
device's secret lets it in until it is revoked; only hashes are stored. On SQLite and
PostgreSQL."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from lumbar.domain.access import Device
from lumbar.errors import UserError
from lumbar.store.database import Store
from lumbar.store.tables import devices, pairings
from lumbar.usecases import devices as pairing
from lumbar.usecases.devices import PAIRING_LASTS, PairingRefused

NOW = datetime(2026, 12, 3, 18, 0)


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    opened = Store(database_url)
    yield opened
    opened.dispose()


def test_a_link_pairs_one_device_once_and_its_secret_lets_it_in(store: Store) -> None:
    token = pairing.start_pairing(store, NOW)
    paired = pairing.pair(store, token, "Ann's phone", NOW + timedelta(minutes=2))
    assert paired.device.name == "Ann's phone" and paired.device.live
    assert pairing.device_for(store, paired.secret, NOW + timedelta(minutes=3)) == replace_seen(
        paired.device, NOW + timedelta(minutes=2)
    )
    with pytest.raises(PairingRefused, match="expired or was used already"):
        pairing.pair(store, token, "Someone else", NOW + timedelta(minutes=3))
    assert [d.name for d in pairing.listed(store)] == ["Ann's phone"]


def replace_seen(device: Device, at: datetime) -> Device:
    return replace(device, last_seen=at)


def test_a_link_expires_after_ten_minutes_and_writes_nothing(store: Store) -> None:
    token = pairing.start_pairing(store, NOW)
    with pytest.raises(PairingRefused):
        pairing.pair(store, token, "late", NOW + PAIRING_LASTS)
    with pytest.raises(PairingRefused):
        pairing.pair(store, "not-a-token", "guess", NOW)
    assert pairing.listed(store) == []


def test_a_revoked_device_is_shut_out_at_once(store: Store) -> None:
    paired = pairing.pair(store, pairing.start_pairing(store, NOW), "tablet", NOW)
    revoked = pairing.revoke(store, paired.device.id, NOW + timedelta(hours=1))
    assert revoked.revoked_at == NOW + timedelta(hours=1) and not revoked.live
    assert pairing.device_for(store, paired.secret, NOW + timedelta(hours=1)) is None
    with pytest.raises(UserError, match="no paired device"):
        pairing.revoke(store, paired.device.id, NOW + timedelta(hours=2))
    assert pairing.device_for(store, "another secret", NOW) is None


def test_last_seen_is_written_at_most_once_a_minute(store: Store) -> None:
    paired = pairing.pair(store, pairing.start_pairing(store, NOW), "phone", NOW)
    pairing.device_for(store, paired.secret, NOW + timedelta(seconds=30))
    assert pairing.listed(store)[0].last_seen == NOW
    pairing.device_for(store, paired.secret, NOW + timedelta(seconds=61))
    assert pairing.listed(store)[0].last_seen == NOW + timedelta(seconds=61)


def test_only_hashes_of_the_secrets_are_stored(store: Store) -> None:
    token = pairing.start_pairing(store, NOW)
    paired = pairing.pair(store, token, "phone", NOW)
    with store.reading() as connection:
        kept = connection.execute(select(devices.c.secret_hash)).scalar_one()
        links = connection.execute(select(pairings.c.token_hash)).scalars().all()
    assert kept == hashlib.sha256(paired.secret.encode()).hexdigest()
    assert links == [hashlib.sha256(token.encode()).hexdigest()]


@pytest.mark.parametrize("name", ["", "   ", "x" * 200, "two\nlines"])
def test_a_device_name_is_tidied_to_one_short_line(store: Store, name: str) -> None:
    paired = pairing.pair(store, pairing.start_pairing(store, NOW), name, NOW)
    assert paired.device.name == (" ".join(name.split())[:60] or "A device")
