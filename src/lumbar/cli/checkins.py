"""Commands that record what the person tells: the check-in (weekly scores, a new symptom,
the safety questions answered) and a clinician's clearance."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from lumbar.cli.options import DateOption, DbOption, Invocation, JsonOption

if TYPE_CHECKING:
    from lumbar.domain.model import Status


def checkin(
    pain: Annotated[
        int | None,
        typer.Option("--pain", metavar="N", help="Average back pain over the past week, 0-10."),
    ] = None,
    psfs: Annotated[
        str | None,
        typer.Option(
            "--psfs", metavar="N,N,...", help="Your activity scores (0-10), in the intake order."
        ),
    ] = None,
    symptom: Annotated[
        list[str] | None,
        typer.Option(
            "--symptom",
            metavar="CODE",
            help="A new symptom: its code (the codes are listed below).",
        ),
    ] = None,
    screened: Annotated[
        bool,
        typer.Option(
            "--screened",
            help="You went through every safety question (lumbar learn disclaimer lists "
            "them): alone it records that none applies; with --symptom, the ones that do.",
        ),
    ] = False,
    db: DbOption = None,
    date: DateOption = None,
    json: JsonOption = False,
) -> None:
    """The weekly check-in, a new symptom at any time, or the safety questions answered.

    With no options, asks the questions one by one. A clinician's clearance is recorded
    with `lumbar clear`.
    """
    from lumbar.cli.arguments import parse_pain_score, parse_scores, symptom_codes
    from lumbar.formats.views import status_json
    from lumbar.usecases import checkins

    run = Invocation(db, date, json)
    person = run.person
    on = run.day
    codes = symptom_codes(symptom, person.content.symptoms)
    if pain is None and psfs is None and not codes and not screened:
        current = _interactive_checkin(run)
    else:
        current = checkins.record(
            person,
            on,
            pain=parse_pain_score(pain),
            psfs=parse_scores(psfs),
            symptoms=codes,
            screened=screened,
        )
    if run.as_json:
        run.emit(status_json(current, person.content), shape="status.Status")
        return
    from lumbar.cli import render

    run.console.print("[bold]Check-in recorded.[/bold]")
    render.status(run.console, current, person.content)


def _interactive_checkin(run: Invocation) -> Status:
    from lumbar.cli import prompts
    from lumbar.usecases import checkins

    person = run.person
    history = person.history()
    activities = history.profile.psfs_activities
    pain, scores, flags = prompts.checkin(run.console, person.content, activities)
    return checkins.record(
        person, run.day, pain=pain, psfs=scores, symptoms=tuple(flags), screened=True
    )


def clear(
    by: Annotated[
        str | None,
        typer.Option(
            "--by", metavar="WHO", help="Who saw you: a name or a role, such as 'Dr Rao'."
        ),
    ] = None,
    alert: Annotated[
        list[str] | None,
        typer.Option(
            "--alert",
            metavar="CODE",
            help="An alert the clinician cleared (as `lumbar status --json` names it); "
            "leave out for every alert standing.",
        ),
    ] = None,
    db: DbOption = None,
    date: DateOption = None,
    json: JsonOption = False,
) -> None:
    """Record that a clinician has seen you and cleared you to exercise.

    With no options, lists the alerts standing and asks which, and who saw you. The record
    says it is your statement; it clears only the alerts named, reported before it.
    """
    from lumbar.formats.views import status_json
    from lumbar.usecases import clearances

    run = Invocation(db, date, json)
    person = run.person
    codes = tuple(alert or ())
    if by is None:
        from lumbar.cli import prompts

        standing = clearances.standing(person, run.day)
        by, codes = prompts.clearance(run.console, person.content, standing)
    current = clearances.record(person, run.day, by=by, codes=codes)
    if run.as_json:
        run.emit(status_json(current, person.content), shape="status.Status")
        return
    from lumbar.cli import render

    run.console.print("[bold]Clearance recorded.[/bold]")
    render.status(run.console, current, person.content)
