"""`lumbar records ...`: every record listed with its id, and a mistake corrected: edit a
record, delete it, or undo the last edit or delete of it (issue #15)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from lumbar.cli.options import DbOption, Invocation, JsonOption

if TYPE_CHECKING:
    from lumbar.domain.corrections import Record

app = typer.Typer(
    help="Your records, each with its id (`lumbar records`), and corrections: edit, delete, undo.",
    invoke_without_command=True,
    no_args_is_help=False,
    rich_markup_mode=None,
)

IdArgument = Annotated[
    str, typer.Argument(metavar="ID", help="The record's id, as `lumbar records` lists it.")
]


@app.callback()
def records(
    ctx: typer.Context,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """List every record (sessions, check-ins, clearances, problem reports) with its id,
    deleted ones included."""
    if ctx.invoked_subcommand is not None:
        return
    from lumbar.formats.records import record_json
    from lumbar.usecases import recorded

    run = Invocation(db, None, json)
    found = recorded.records(run.person)
    if run.as_json:
        run.emit({"records": [record_json(r) for r in found]}, shape="records.Records")
        return
    _table(run, found)


def edit(
    record_id: IdArgument,
    date: Annotated[
        str | None,
        typer.Option(
            "--date", metavar="YYYY-MM-DD", help="The day it happened, if it was another."
        ),
    ] = None,
    exercise: Annotated[
        list[str] | None,
        typer.Option(
            "--exercise",
            "-e",
            metavar="ID=PAIN",
            help="An exercise of a session and the pain after it (repeat); the others stay.",
        ),
    ] = None,
    pain: Annotated[
        int | None, typer.Option("--pain", metavar="N", help="A check-in's pain score, 0-10.")
    ] = None,
    psfs: Annotated[
        str | None,
        typer.Option("--psfs", metavar="N,N,...", help="A check-in's activity scores (0-10)."),
    ] = None,
    symptom: Annotated[
        list[str] | None,
        typer.Option(
            "--symptom",
            metavar="CODE",
            help="A check-in's symptoms, all of them (repeat; the codes are listed below).",
        ),
    ] = None,
    no_symptoms: Annotated[
        bool, typer.Option("--no-symptoms", help="A check-in reported no symptom after all.")
    ] = False,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            metavar="KIND",
            help="A problem report's kind: pain_after_session, fall, other.",
        ),
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", metavar="WORDS", help="A problem report's note.")
    ] = None,
    by: Annotated[
        str | None,
        typer.Option("--by", metavar="WHO", help="Who cleared you, for a clearance."),
    ] = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Correct what a record says; what you leave out stays as it is."""
    from lumbar.cli.arguments import (
        parse_date,
        parse_exercise_entries,
        parse_pain_score,
        parse_scores,
        symptom_codes,
    )
    from lumbar.errors import UserError
    from lumbar.usecases import corrections

    run = Invocation(db, None, json)
    person = run.person
    if no_symptoms and symptom:
        raise UserError("give --symptom or --no-symptoms, not both")
    change = corrections.Change(
        on=None if date is None else parse_date(date, run.today),
        exercises=None
        if exercise is None
        else parse_exercise_entries(exercise, person.content.catalogue),
        pain=parse_pain_score(pain),
        psfs=parse_scores(psfs),
        symptoms=()
        if no_symptoms
        else (None if symptom is None else symptom_codes(symptom, person.content.symptoms)),
        kind=kind,
        note=note,
        by=by,
    )
    _done(run, corrections.edit(person, record_id, change), "Corrected")


def delete(record_id: IdArgument, db: DbOption = None, json: JsonOption = False) -> None:
    """Delete a record: the program reads past it. It stays in the list, marked, and
    `lumbar records undo ID` brings it back."""
    from lumbar.usecases import corrections

    run = Invocation(db, None, json)
    _done(run, corrections.delete(run.person, record_id), "Deleted")


def undo(record_id: IdArgument, db: DbOption = None, json: JsonOption = False) -> None:
    """Undo the last edit or delete of a record (again for the one before it)."""
    from lumbar.usecases import corrections

    run = Invocation(db, None, json)
    _done(run, corrections.undo(run.person, record_id), "Undone")


app.command("edit")(edit)
app.command("delete")(delete)
app.command("undo")(undo)


def _done(run: Invocation, record: Record, said: str) -> None:
    from lumbar.formats.records import describe, record_json

    if run.as_json:
        run.emit(record_json(record), shape="records.Record")
        return
    from lumbar.content.wording import format_date

    run.console.print(
        f"[bold]{said}:[/bold] {record.id}, {format_date(record.on)}: "
        f"{describe(record, run.content)}",
        soft_wrap=True,
    )
    if record.undo is not None:
        run.console.print(f"To take it back: lumbar records undo {record.id}", soft_wrap=True)


def _table(run: Invocation, found: list[Record]) -> None:
    from rich.table import Table

    from lumbar.content.wording import format_date
    from lumbar.formats.records import KIND_NAMES, describe, status_words

    table = Table(box=None, pad_edge=False, show_edge=False)
    for column in ("ID", "Day", "Record", "What it says", "Note"):
        table.add_column(column)
    for record in found:
        deleted = record.deleted_on is not None
        style = "dim" if deleted else ""
        table.add_row(
            record.id,
            format_date(record.on),
            KIND_NAMES[record.kind],
            describe(record, run.content),
            status_words(record),
            style=style,
        )
    run.console.print(table)
    run.console.print(
        "Correct one with `lumbar records edit ID`, `lumbar records delete ID`, "
        "`lumbar records undo ID`.",
        soft_wrap=True,
    )
