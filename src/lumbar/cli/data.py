"""Commands that move data out and in: export and import."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lumbar.cli.options import DateOption, DbOption, Invocation, JsonOption, shell_unit
from lumbar.cli.output import OutOption


def export(
    format: Annotated[
        str,
        typer.Option(
            "--format",
            metavar="native|fhir",
            help="native: lumbar's own document, to import elsewhere (default); "
            "fhir: a FHIR R4 Bundle for health records.",
        ),
    ] = "native",
    out: OutOption = None,
    db: DbOption = None,
    date: DateOption = None,
    json: JsonOption = False,
) -> None:
    """Print all your data as one JSON document, or write it with --out FILE.json."""
    from lumbar.cli import output
    from lumbar.errors import UserError
    from lumbar.formats.archive import dumps
    from lumbar.usecases import handouts, records

    run = Invocation(db, date, json)
    to = output.target(out, (".json",), stdout_by_default=True)
    if format == "fhir":
        document = handouts.fhir(run.person, run.day)
    elif format == "native":
        document = records.export(run.person)
    else:
        raise UserError(f"{format!r}: choose native or fhir", field="format")
    output.write_document(run, to, dumps(document).encode("utf-8"), what="export")


def import_(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A file made by `lumbar export`.")],
    replace: Annotated[
        bool,
        typer.Option(
            "--replace",
            help="Replace the program this database holds; what it held is first exported "
            "to a file (0600) in lumbar's data folder, and its path printed.",
        ),
    ] = False,
    db: DbOption = None,
    date: DateOption = None,
    json: JsonOption = False,
) -> None:
    """Load an export into an empty database (or, with --replace, in the place of the program
    it holds); refuses anything invalid and writes nothing."""
    from lumbar.domain.model import CheckIn, Clearance, SessionLog
    from lumbar.errors import UserError
    from lumbar.formats.archive import CHOOSE_EXPORT
    from lumbar.usecases import records
    from lumbar.usecases.accounts import now_utc

    run = Invocation(db, date, json)
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise UserError(f"{file} is not a lumbar export: {CHOOSE_EXPORT}") from error
    except OSError as error:
        raise UserError(f"{file}: cannot read it ({error.strerror or error})") from error
    replaced = None
    try:
        if replace:
            replaced = records.import_replacing(
                run.person,
                text,
                source=str(file),
                folder=records.data_folder(run.person),
                now=now_utc(),
                unit=shell_unit(),
            )
            history = replaced.history
        else:
            history = records.import_(run.person, text, source=str(file), unit=shell_unit())
    except records.HoldsProgram as holds:
        raise UserError(
            f"this database already holds a program ({holds.held.said()}): export it first "
            "(lumbar export --out FILE.json), then import with --replace"
        ) from holds
    counts = {
        "events": len(history.events),
        "sessions": sum(1 for event in history.events if isinstance(event, SessionLog)),
        "checkins": sum(1 for event in history.events if isinstance(event, CheckIn)),
        "clearances": sum(1 for event in history.events if isinstance(event, Clearance)),
    }
    summary: dict[str, object] = {"start": history.profile.start.isoformat(), **counts}
    backup = None if replaced is None or replaced.backup is None else str(replaced.backup)
    if run.as_json:
        run.emit(
            {"imported": summary, "replaced_backup": backup} if replace else {"imported": summary}
        )
        return
    if replaced is not None and replaced.held is not None and backup is not None:
        typer.echo(f"Replaced the program held ({replaced.held.said()}).")
        typer.echo(f"What it held is kept in {backup}")
    from lumbar.cli.render import count

    kinds = [("sessions", "session"), ("checkins", "check-in"), ("clearances", "clearance")]
    each = ", ".join(count(counts[key], noun) for key, noun in kinds)
    typer.echo(
        f"Imported {count(counts['events'], 'event')} ({each}), program started {summary['start']}."
    )
