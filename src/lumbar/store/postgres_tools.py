"""PostgreSQL's client tools for `lumbar backup` and `lumbar restore` (store/backup.py):
the newest pg_dump or pg_restore found, run with the password in the environment (never
on the command line, where other users' `ps` can read it), and what a refusal raises.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
from pathlib import Path

from lumbar.errors import DatabaseError

POSTGRES_BIN_GLOB = "/usr/lib/postgresql/*/bin"
"""Where Debian and Ubuntu install each version of the PostgreSQL tools, off PATH."""

CONNECT_TIMEOUT_SECONDS = "10"
"""How long pg_dump and pg_restore wait for the server before giving up (not for ever)."""


class BackupError(DatabaseError):
    """A backup or restore refused, or a tool that failed; the message says why, in one
    line, and nothing has been written."""


class HoldsData(BackupError):
    """The restore's target already holds data: restoring would replace all of it."""


def find_tool(name: str, *, path: str | None = None, roots: str = POSTGRES_BIN_GLOB) -> str:
    """The newest `name` (pg_dump, pg_restore) on PATH (`path`) or in the version folders of
    `roots`; a dump needs tools at least as new as the server."""
    candidates: list[str] = []
    on_path = shutil.which(name, path=path)
    if on_path is not None:
        candidates.append(on_path)
    candidates += sorted(glob.glob(os.path.join(roots, name)))
    best: tuple[tuple[int, ...], str] | None = None
    for candidate in candidates:
        version = tool_version(candidate)
        if version is not None and (best is None or version > best[0]):
            best = (version, candidate)
    if best is None:
        raise BackupError(
            f"{name} was not found on PATH or in {roots}: install the PostgreSQL client tools "
            "(on Debian or Ubuntu: apt install postgresql-client)"
        )
    return best[1]


def tool_version(program: str) -> tuple[int, ...] | None:
    """The version a PostgreSQL tool reports ("pg_dump (PostgreSQL) 15.18" is (15, 18))."""
    try:
        done = subprocess.run(
            [program, "--version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    found = re.search(r"\)\s*(\d+(?:\.\d+)*)", done.stdout)
    if done.returncode != 0 or found is None:
        return None
    return tuple(int(part) for part in found.group(1).split("."))


def dbname(url: str) -> str:
    """`--dbname=` with the libpq form of a SQLAlchemy URL (no `+psycopg`, no password: that
    goes in the environment, where other users' `ps` cannot read it)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    plain = parsed.set(drivername=parsed.drivername.split("+", 1)[0], password=None)
    return f"--dbname={plain.render_as_string(hide_password=False)}"


def run(command: list[str], url: str | None) -> str:
    """Run a PostgreSQL tool; its standard output, or its first complaint as a BackupError."""
    from sqlalchemy.engine import make_url

    environment = dict(os.environ)
    environment.setdefault("PGCONNECT_TIMEOUT", CONNECT_TIMEOUT_SECONDS)
    if url is not None:
        password = make_url(url).password
        if password is not None:
            environment["PGPASSWORD"] = str(password)
    try:
        done = subprocess.run(command, capture_output=True, text=True, env=environment, check=False)
    except OSError as error:
        raise BackupError(f"cannot run {command[0]}: {error.strerror}") from error
    if done.returncode != 0:
        said = [line for line in done.stderr.splitlines() if line.strip()]
        reason = said[0] if said else f"exit code {done.returncode}"
        raise BackupError(f"{Path(command[0]).name} failed: {reason}")
    return done.stdout
