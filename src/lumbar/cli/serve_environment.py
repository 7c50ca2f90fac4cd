"""What accounts mode reads from the environment when `lumbar serve --accounts` starts:
how long a staff session lasts idle, and the key that encrypts their TOTP secrets
(docs/deploy.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import typer


def staff_idle_limit(environ: Mapping[str, str]) -> dt.timedelta:
    """LUMBAR_STAFF_IDLE_MINUTES: how long a clinician's or admin's session lasts without a
    request (30 minutes unless set; 1 to 720)."""
    from lumbar.domain.staff import STAFF_IDLE
    from lumbar.errors import UserError

    raw = environ.get("LUMBAR_STAFF_IDLE_MINUTES", "").strip()
    if not raw:
        return STAFF_IDLE
    if not raw.isdigit() or not 1 <= int(raw) <= 720:
        raise UserError(
            f"LUMBAR_STAFF_IDLE_MINUTES={raw!r}: give a whole number of minutes from 1 to 720"
        )
    return dt.timedelta(minutes=int(raw))


def secret_sealer(environ: Mapping[str, str], sqlite_path: Path | None) -> Any:
    """What encrypts staff accounts' TOTP secrets: the key in LUMBAR_SECRET_KEY (a Fernet
    key: `python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key())"`),
    else a key file made on first use beside an SQLite database (`lumbar.db.key`, readable
    by its owner only). On PostgreSQL without LUMBAR_SECRET_KEY the server starts, but
    two-step sign-in cannot be set up: the key must not be kept in the database it
    protects."""
    from lumbar.errors import UserError
    from lumbar.usecases.two_factor import Sealer

    key = environ.get("LUMBAR_SECRET_KEY", "").strip()
    if key:
        try:
            return Sealer(key.encode())
        except ValueError:
            raise UserError(
                "LUMBAR_SECRET_KEY is not a Fernet key (32 bytes, url-safe base64)"
            ) from None
    if sqlite_path is None:
        typer.echo(
            "Two-step sign-in cannot be set up until LUMBAR_SECRET_KEY is set: on PostgreSQL "
            "its key must be kept outside the database (see docs/deploy.md).",
            err=True,
        )
        return Sealer(None)
    from cryptography.fernet import Fernet

    path = sqlite_path.with_name(sqlite_path.name + ".key")
    if not path.exists():
        path.touch(mode=0o600)
        path.write_bytes(Fernet.generate_key())
    return Sealer(path.read_bytes().strip())
