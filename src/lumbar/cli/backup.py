"""Commands that copy the whole database out and back: backup and restore.

The work is the use cases' (`usecases/records.py`); these print what was done and turn a
target that already holds data into the one line that names `--force`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from lumbar.cli.options import DateOption, DbOption, Invocation, JsonOption

if TYPE_CHECKING:
    from lumbar.usecases.records import Backup


def backup(
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help="Where to write the backup (replaced).")
    ],
    db: DbOption = None,
    date: DateOption = None,
    json: JsonOption = False,
) -> None:
    """Copy the whole database into FILE, consistent even while the server is writing."""
    from lumbar.usecases import records

    run = Invocation(db, date, json)
    made = records.back_up(run.database_url, file)
    _report(run, "backup", made, f"Backed up the {_NAMES[made.database]} database to")


def restore(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A file made by `lumbar backup`.")],
    force: Annotated[
        bool,
        typer.Option("--force", help="Replace a database that already holds data."),
    ] = False,
    db: DbOption = None,
    date: DateOption = None,
    json: JsonOption = False,
) -> None:
    """Put a backup back into the database; refuses to replace data without --force."""
    from lumbar.errors import UserError
    from lumbar.usecases import records

    run = Invocation(db, date, json)
    try:
        done = records.restore(file, run.database_url, force=force)
    except records.WouldReplaceData as error:
        raise UserError(f"{error}; give --force to replace it with the backup") from error
    _report(run, "restored", done, f"Restored the {_NAMES[done.database]} database from")


_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def _report(run: Invocation, key: str, done: Backup, said: str) -> None:
    summary = {
        "file": str(done.file),
        "bytes": done.bytes,
        "database": done.database,
        "schema": done.schema,
    }
    if run.as_json:
        run.emit({key: summary})
        return
    typer.echo(f"{said} {done.file} ({done.bytes} bytes, schema {done.schema}).")
