"""`lumbar devices` lists the paired devices and revokes one (issue #16)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from lumbar.store.database import Store, sqlite_url
from lumbar.usecases import devices
from tests.cli.conftest import Cli
from tests.cli.test_commands import _refused

PAIRED = datetime(2026, 11, 2, 18, 30)


def test_devices_are_listed_and_a_revoked_one_is_shut_out(started: Cli, db_path: Path) -> None:
    assert started("devices").stdout.strip() == "No device is paired."
    store = Store(sqlite_url(db_path))
    paired = devices.pair(store, devices.start_pairing(store, PAIRED), "Ann's phone", PAIRED)
    listed = started("devices", "--json").json()["devices"]
    assert listed == [
        {
            "id": paired.device.id,
            "name": "Ann's phone",
            "paired_at": "2026-11-02T18:30:00",
            "last_seen": "2026-11-02T18:30:00",
            "revoked_at": None,
        }
    ]
    assert "Ann's phone  paired 2026-11-02 18:30 UTC" in started("devices").stdout
    revoked = started("devices", "revoke", str(paired.device.id))
    assert revoked.code == 0 and "Revoked: Ann's phone" in revoked.stdout
    assert devices.device_for(store, paired.secret, PAIRED) is None
    assert "revoked" in started("devices").stdout
    _refused(started("devices", "revoke", str(paired.device.id)), "no paired device")
    store.dispose()
