"""Health data kept private on a shared machine: lumbar's files readable by their owner only.

The database (SQLite makes its WAL and SHM files with the database file's permissions), the
exports, handouts, summaries, calendar files and backups are made 0600, and the folders
lumbar makes for them 0700, whatever the umask. A database found readable by others is
tightened when lumbar opens it. Where a file system has no such permissions (Windows), the
calls change nothing.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def private_folder(path: Path) -> None:
    """Make the folder and any missing parent, each one this call makes 0700."""
    missing = []
    for folder in (path, *path.parents):
        if folder.exists():
            break
        missing.append(folder)
    for folder in reversed(missing):
        folder.mkdir(mode=FOLDER_MODE, exist_ok=True)
        os.chmod(folder, FOLDER_MODE)  # mkdir's mode is filtered by the umask


def create_private(path: Path) -> None:
    """Make an empty file 0600 unless it exists (then leave its content alone)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE)
    os.close(descriptor)


def write_private(path: Path, data: bytes) -> None:
    """Write the whole file, 0600, even where it existed with looser permissions."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(descriptor, "wb") as file:
        if hasattr(os, "fchmod"):
            os.fchmod(file.fileno(), FILE_MODE)
        file.write(data)


def tighten(path: Path) -> bool:
    """Make an existing file 0600 if others (group or world) could read or write it; True
    when it had to be changed."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return False
    if mode & 0o077 == 0:
        return False
    os.chmod(path, FILE_MODE)
    return True
