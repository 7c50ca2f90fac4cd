"""Where the data lives: `--db PATH` first, then LUMBAR_DATABASE_URL, then the data directory."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from lumbar.store.database import sqlite_url

DATABASE_URL_VARIABLE = "LUMBAR_DATABASE_URL"


def database_url(db: str | None, environ: Mapping[str, str]) -> str:
    """The SQLAlchemy URL to use. `db` may be a file path or a full URL."""
    if db:
        return db if "://" in db else sqlite_url(Path(db))
    from_environment = environ.get(DATABASE_URL_VARIABLE, "").strip()
    if from_environment:
        return from_environment
    from platformdirs import user_data_dir

    return sqlite_url(Path(user_data_dir("lumbar", appauthor=False)) / "lumbar.db")
