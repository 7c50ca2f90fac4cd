"""Commands for what a home program hands out: the calendar, the handout, the clinician
summary, and the problem report (the adverse-event log)."""

from __future__ import annotations

from typing import Annotated

import typer

from lumbar.cli import output
from lumbar.cli.options import DateOption, DbOption, Invocation, JsonOption
from lumbar.cli.output import OutOption

SERVER_EXAMPLE = "http://127.0.0.1:8000"
"""`lumbar serve`'s address with its default port, shown only as an example: the command
line cannot know which server runs, or on which port, so the address is asked for."""


def calendar(
    weeks: Annotated[
        int, typer.Option("--weeks", metavar="N", help="How many weeks ahead, 1 to 12 (default 4).")
    ] = 4,
    at: Annotated[
        str | None,
        typer.Option("--at", metavar="HH:MM", help="Save the time of day for sessions."),
    ] = None,
    work: Annotated[
        str | None,
        typer.Option(
            "--work", metavar="HH:MM-HH:MM", help="Save the working hours for posture breaks."
        ),
    ] = None,
    work_days: Annotated[
        str | None,
        typer.Option(
            "--work-days", metavar="DAYS", help='Save the working days, e.g. "mon,tue,wed,thu,fri".'
        ),
    ] = None,
    breaks: Annotated[
        int | None,
        typer.Option(
            "--breaks", metavar="MINUTES", help="Save a posture break every MINUTES (0: none)."
        ),
    ] = None,
    link: Annotated[
        bool, typer.Option("--link", help="Print the address calendar apps can subscribe to.")
    ] = False,
    new_link: Annotated[
        bool, typer.Option("--new-link", help="Make a new address; the old one stops working.")
    ] = False,
    server: Annotated[
        str | None,
        typer.Option(
            "--server",
            metavar="URL",
            help="With --link: the address `lumbar serve` printed, e.g. http://127.0.0.1:8000.",
        ),
    ] = None,
    out: OutOption = None,
    db: DbOption = None,
    date: DateOption = None,
    json: JsonOption = False,
) -> None:
    """Print the coming weeks as an iCalendar file (sessions, check-ins, the review, posture
    breaks), or write it with --out plan.ics; or change the reminders, or print the address."""
    from lumbar.errors import UserError
    from lumbar.usecases import handouts, reminders

    if not 1 <= weeks <= 12:
        raise UserError(f"--weeks: give a number of weeks from 1 to 12 (got {weeks})")
    run = Invocation(db, date, json)
    to = output.target(out, (".ics",), stdout_by_default=True)
    base = _server(server) if link or new_link else None
    person = run.person
    if any(value is not None for value in (at, work, work_days, breaks)):
        start = end = None
        if work is not None:
            start, dash, end = work.partition("-")
            if not dash:
                raise UserError(f"{work!r}: give the hours as HH:MM-HH:MM", field="work")
        reminders.change(
            person,
            session_time=at,
            work_start=start,
            work_end=end,
            work_days=work_days,
            break_minutes=breaks,
        )
    if base is not None:
        token = reminders.calendar_token(person, rotate=new_link)
        if token is None:
            raise UserError(
                "the calendar address was made before, and is kept only in a form that "
                "cannot be shown again (to keep it private): --new-link makes a new one, "
                "and the old one stops working"
            )
        address = f"{base}/calendar/{token}.ics"
        if run.as_json:
            run.emit({"address": address})
        else:
            typer.echo(address)
        return
    text = handouts.calendar(person, run.day, weeks=weeks)
    output.write_document(run, to, text.encode("utf-8"), what="calendar")


def _server(given: str | None) -> str:
    """The web app's address the subscription goes to, checked before anything is written."""
    from lumbar.errors import UserError

    if given is None:
        raise UserError(
            f"give the address `lumbar serve` printed, e.g. --server {SERVER_EXAMPLE} "
            "(start it with `lumbar serve` if it is not running)",
            field="server",
        )
    base = given.strip().rstrip("/")
    scheme, _, rest = base.partition("://")
    if scheme not in ("http", "https") or not rest or any(c in rest for c in "?# "):
        raise UserError(
            f"{given!r} is not a server's address like {SERVER_EXAMPLE}", field="server"
        )
    return base


def problem(
    kind: Annotated[
        str | None,
        typer.Argument(
            metavar="[KIND]",
            help="What happened: pain_after_session, fall or other. Leave out to list reports.",
        ),
    ] = None,
    note: Annotated[
        str, typer.Option("--note", metavar="WORDS", help="What happened, in your words.")
    ] = "",
    hurt_back: Annotated[
        bool | None,
        typer.Option(
            "--hurt-back/--back-fine",
            help="A fall: it hurt your back or made the pain worse (or not). Leave out to be "
            "asked the fall's questions one by one.",
        ),
    ] = None,
    major_injury: Annotated[
        bool,
        typer.Option("--major-injury", help="A fall: a road accident or a fall from a height."),
    ] = False,
    fragile: Annotated[
        bool,
        typer.Option(
            "--fragile", help="A fall: you have osteoporosis or take steroid tablets long-term."
        ),
    ] = False,
    symptom: Annotated[
        list[str] | None,
        typer.Option(
            "--symptom",
            metavar="CODE",
            help="A fall or more pain after a session: a sign since: its code (listed below).",
        ),
    ] = None,
    db: DbOption = None,
    date: DateOption = None,
    json: JsonOption = False,
) -> None:
    """Report a problem (more pain after a session, a fall, anything else) for your
    clinician to read, or list the reports. A fall asks at once about the injury and the
    signs that need care; the answers are recorded as a check-in too."""
    from lumbar.errors import UserError
    from lumbar.usecases import problems

    run = Invocation(db, date, json)
    if kind is None:
        reports = problems.reports(run.person)
        if run.as_json:
            run.emit([_report_json(r) for r in reports], shape="settings.Problem", each=True)
            return
        for r in reports:
            typer.echo(f"{r.on.isoformat()}  {r.kind.value}  {r.note}".rstrip())
        if not reports:
            typer.echo("No problems reported.")
        return
    from lumbar.cli.arguments import symptom_codes

    symptom = list(symptom_codes(symptom, run.content.symptoms))
    fall = None
    if kind != "fall" and (hurt_back is not None or major_injury or fragile):
        raise UserError("--hurt-back, --back-fine, --major-injury and --fragile are about a fall")
    if kind == "fall":
        if hurt_back is False and (major_injury or fragile):
            raise UserError("--major-injury and --fragile go with --hurt-back")
        if hurt_back is None and (major_injury or fragile or symptom):
            raise UserError(
                "answer a fall's questions with --hurt-back or --back-fine, or leave the "
                "options out to be asked them one by one"
            )
        if hurt_back is None:
            from lumbar.usecases import program

            program.today(run.person, run.day)  # no program, or a day before it: refuse now
            from lumbar.cli import prompts

            fall = prompts.fall(run.console, run.person.content, problems.LEG_SIGNS)
        else:
            fall = problems.FallAnswers(hurt_back, major_injury, fragile, tuple(symptom or ()))
    signs = tuple(symptom or ())
    report = problems.report(run.person, run.day, kind, note, fall=fall, signs=signs)
    if run.as_json:
        run.emit(_report_json(report), shape="settings.Problem")
        return
    from lumbar.content.reporting import report_words

    words = report_words()
    typer.echo(
        f"Saved: {report.kind.value.replace('_', ' ')} on {report.on.isoformat()}. "
        + words.who_reads(run.person.clinic)
    )
    if kind in ("fall", "pain_after_session"):
        from lumbar.cli import render
        from lumbar.usecases import program

        render.status(run.console, program.status(run.person, run.day), run.person.content)
    advice = words.advice[report.kind.value]
    typer.echo(f"\n{advice.title}:")
    for point in advice.points:
        typer.echo(f"- {point}")


def handout(
    out: OutOption = None,
    size: Annotated[
        str, typer.Option("--size", metavar="a4|letter", help="Paper size (default a4).")
    ] = "a4",
    db: DbOption = None,
    date: DateOption = None,
    json: JsonOption = False,
) -> None:
    """Write the printable handout (PDF): this phase's exercises with their figures, steps
    and doses, the week's schedule, the pain rules and the warning signs."""
    from lumbar.formats.pdf import write_pdf
    from lumbar.usecases import handouts

    run = Invocation(db, date, json)
    to = output.target(out, (".pdf",), stdout_by_default=False)
    html = handouts.handout_html(run.person, run.day, size=size)
    pdf = write_pdf(html, out_name=str(to or "the handout"), one_page=True)
    output.write_document(run, to, pdf, what="handout")


def summary(
    out: OutOption = None,
    db: DbOption = None,
    date: DateOption = None,
    json: JsonOption = False,
) -> None:
    """Write the one-page summary for a clinician (.pdf, or .html by the suffix; --out -
    writes the PDF): pain and activities then and now, adherence, phases and why, every
    bad-pain report, alert, symptom and problem report."""
    from lumbar.usecases import handouts

    run = Invocation(db, date, json)
    to = output.target(out, (".pdf", ".html"), stdout_by_default=False)
    html = handouts.summary_html(run.person, run.day)
    if to is not None and to.suffix.lower() == ".html":
        output.write_document(run, to, html.encode("utf-8"), what="summary")
        return
    from lumbar.formats.pdf import write_pdf

    pdf = write_pdf(html, out_name=str(to or "the summary"), one_page=True)
    output.write_document(run, to, pdf, what="summary")


def _report_json(report: object) -> dict[str, str]:
    from lumbar.domain.model import ProblemReport

    assert isinstance(report, ProblemReport)
    return {"date": report.on.isoformat(), "kind": report.kind.value, "note": report.note}
