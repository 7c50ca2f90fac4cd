"""Commands that follow the program: start, today, log, status, the training days and the
alternatives chosen (the guided session is `cli/session.py`; the check-in and the
clearance are in `cli/checkins.py`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from lumbar.cli.options import DateOption, DbOption, Invocation, JsonOption, shell_unit

if TYPE_CHECKING:
    pass


def start(
    answers: Annotated[
        Path | None,
        typer.Option("--answers", metavar="FILE", help="Read the intake answers from a JSON file."),
    ] = None,
    db: DbOption = None,
    date: DateOption = None,
    json: JsonOption = False,
) -> None:
    """Start the program: screening, training days, baseline pain and activities."""
    from lumbar.cli import prompts, render
    from lumbar.errors import UserError
    from lumbar.formats.intake import parse_answers
    from lumbar.formats.views import plan_json
    from lumbar.usecases import program

    run = Invocation(db, date, json)
    on = run.day
    person = run.person
    if answers is not None:
        try:
            text = answers.read_text(encoding="utf-8")
        except OSError as error:
            raise UserError(f"--answers: cannot read {answers} ({error.strerror})") from error
        intake = parse_answers(text, f"answers file {answers}")
    else:
        if person.has_program():
            raise UserError("a program has already started; `lumbar today` shows today's plan")
        intake = prompts.intake(
            run.console,
            person.content,
            lambda flags: program.screen_intake(person, flags, on),
            unit=shell_unit(),
        )
    plan = program.start(person, intake, on, unit=shell_unit())
    if run.as_json:
        run.emit(plan_json(plan, person.content), shape="plan.Plan")
        return
    console = run.console
    console.print("\n[bold]Your program has started.[/bold]")
    render.plan(
        console,
        plan,
        person.content,
        unit=person.unit(),
        said=run.day_said,
        command=run.command("session"),
    )


def today(db: DbOption = None, date: DateOption = None, json: JsonOption = False) -> None:
    """Show the day's plan: a session, a rest day, or why the program is paused."""
    from lumbar.formats.views import plan_json
    from lumbar.usecases import program

    run = Invocation(db, date, json)
    plan = program.today(run.person, run.day)
    if run.as_json:
        run.emit(plan_json(plan, run.person.content), shape="plan.Plan")
        return
    from lumbar.cli import render

    render.plan(
        run.console,
        plan,
        run.person.content,
        unit=run.person.unit(),
        said=run.day_said,
        command=run.command("session"),
    )


def status(db: DbOption = None, date: DateOption = None, json: JsonOption = False) -> None:
    """Show where you stand: phase, sessions, next session, alerts, improvement."""
    from lumbar.formats.views import status_json
    from lumbar.usecases import program

    run = Invocation(db, date, json)
    current = program.status(run.person, run.day)
    if run.as_json:
        run.emit(status_json(current, run.person.content), shape="status.Status")
        return
    from lumbar.cli import render

    render.status(run.console, current, run.person.content)


def log(
    exercise: Annotated[
        list[str] | None,
        typer.Option(
            "--exercise",
            "-e",
            metavar="ID=PAIN",
            help="An exercise done and the pain after it: none, ache, sharp or radiating. "
            "Repeat for each exercise, in the order done.",
        ),
    ] = None,
    skip: Annotated[
        list[str] | None,
        typer.Option(
            "--skip",
            metavar="ID=REASON",
            help="An exercise skipped, and why: no_equipment, no_time, floor (can't get down "
            "to the floor), or other:A FEW WORDS. Repeat for each.",
        ),
    ] = None,
    swap: Annotated[
        list[str] | None,
        typer.Option(
            "--swap",
            metavar="ID=ALTERNATIVE",
            help="An exercise done in one of its alternatives today only (for example "
            "squat=chair); give its pain with --exercise as usual.",
        ),
    ] = None,
    comment: Annotated[
        list[str] | None,
        typer.Option(
            "--comment",
            metavar="ID=WORDS",
            help="A few words for your physical therapist on an exercise given with "
            "--exercise (up to 280 characters; quote them). Repeat for each.",
        ),
    ] = None,
    db: DbOption = None,
    date: DateOption = None,
    json: JsonOption = False,
) -> None:
    """Record a session without the guide (for example one done earlier)."""
    from lumbar.cli.arguments import (
        parse_comments,
        parse_exercise_entries,
        parse_skips,
        parse_swaps,
    )
    from lumbar.usecases import sessions

    run = Invocation(db, date, json)
    on = run.day
    person = run.person
    skipped = parse_skips(skip or [], person.content.catalogue)
    entries = parse_exercise_entries(
        exercise or [], person.content.catalogue, skipping=bool(skipped)
    )
    versions = parse_swaps(swap or [], person.content.catalogue)
    comments = parse_comments(comment or [], person.content.catalogue)
    logged = sessions.log(
        person, on, entries, skipped=skipped, versions=versions, comments=comments
    )
    from lumbar.cli.render import show_logged

    show_logged(run, logged)


def continue_program(run: Invocation) -> None:
    """`lumbar` with no command: start if needed, show today, offer to guide the session."""
    from rich.prompt import Confirm

    from lumbar.cli import prompts, render
    from lumbar.domain.model import Kind
    from lumbar.usecases import program

    person = run.person
    on = run.day
    console = run.console
    if person.has_program():
        plan = program.today(person, on)
    else:
        answers = prompts.intake(
            console,
            person.content,
            lambda flags: program.screen_intake(person, flags, on),
            unit=shell_unit(),
        )
        plan = program.start(person, answers, on, unit=shell_unit())
        console.print("\n[bold]Your program has started.[/bold]")
    said = run.day_said
    render.plan(
        console, plan, person.content, unit=person.unit(), said=said, command=run.command("session")
    )
    if plan.kind is Kind.SESSION and not plan.completed:
        if Confirm.ask(f"Start {render.session_of(said)} now?", console=console, default=True):
            from lumbar.cli.session import session

            session(db=run.db, date=run.date_text)


def days(
    choice: Annotated[
        str | None,
        typer.Argument(
            metavar="[DAYS]",
            help="New training days, such as mon,wed,fri or every-other-day. Leave out to show.",
        ),
    ] = None,
    db: DbOption = None,
    date: DateOption = None,
    json: JsonOption = False,
) -> None:
    """Show your training days, or change them (the same checks as at the start)."""
    from lumbar.content.wording import days_words
    from lumbar.usecases import program

    run = Invocation(db, date, json)
    person = run.person
    if choice is None:
        chosen = program.training_days(person)
    else:
        chosen = program.set_training_days(person, choice, run.day)
    if run.as_json:
        run.emit({"days": chosen.label}, shape="settings.Days")
        return
    verb = "are now" if choice is not None else "are"
    run.console.print(f"Your training days {verb}: {days_words(chosen.label)}.")


def alternative(
    exercise_id: Annotated[
        str | None,
        typer.Argument(metavar="[EXERCISE]", help="The exercise id, such as squat."),
    ] = None,
    choice: Annotated[
        str | None,
        typer.Argument(
            metavar="[CHOICE]",
            help="The alternative's id (such as chair), or none for the exercise as it is.",
        ),
    ] = None,
    db: DbOption = None,
    date: DateOption = None,
    json: JsonOption = False,
) -> None:
    """Do an exercise on a chair or standing instead, for good; or show the choices.

    The rules count the alternative as the exercise itself: the same doses, the same pain
    rules. Without arguments, every exercise with its alternatives and your choice."""
    from lumbar.errors import UserError
    from lumbar.formats.views import choice_json
    from lumbar.usecases import versions

    run = Invocation(db, date, json)
    person = run.person
    if exercise_id is not None and choice is None:
        raise UserError(
            "give the alternative too (or none), such as: lumbar alternative squat chair"
        )
    if exercise_id is not None and choice is not None:
        from lumbar.cli.arguments import exercise_id as known_exercise

        exercise_id = known_exercise(exercise_id, person.content.catalogue)
        chosen = versions.choose(person, exercise_id, choice)
        if run.as_json:
            run.emit(choice_json(chosen.exercise, chosen.chosen), shape="library.Choice")
        elif chosen.chosen is None:
            run.console.print(
                f"{chosen.exercise.name}: as described in the catalogue, from now on."
            )
        else:
            run.console.print(
                f"{chosen.exercise.name}: you will do {chosen.chosen.name} instead, from now on."
            )
        return
    listed = versions.choices(person)
    if run.as_json:
        run.emit(
            [choice_json(c.exercise, c.chosen) for c in listed], shape="library.Choice", each=True
        )
        return
    from rich.table import Table

    table = Table(title="Alternatives", title_justify="left")
    # The exercise's id is what a person types: never cut; the other columns give way.
    widest = max(len(item.exercise.id) for item in listed)
    table.add_column("Exercise", no_wrap=True, min_width=widest)
    for column in ("Alternatives (id: name)", "You do"):
        table.add_column(column, overflow="fold")
    for item in listed:
        table.add_row(
            item.exercise.id,
            "\n".join(f"{a.id}: {a.name}" for a in item.exercise.alternatives),
            item.exercise.name if item.chosen is None else item.chosen.name,
        )
    run.console.print(table)
