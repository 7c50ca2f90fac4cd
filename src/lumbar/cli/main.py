"""The `lumbar` command: its commands, and the error handling every one of them shares.

Bad input or a refused request prints one line on standard error and exits with code 2,
with no traceback; nothing has been written by then.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from lumbar.cli import (
    admin,
    admin_invitations,
    backup,
    checkins,
    data,
    devices,
    equipment,
    handouts,
    library,
    program,
    records,
    serve,
    session,
)
from lumbar.cli.help import dress, epilog
from lumbar.cli.options import DateOption, DbOption, Invocation

app = typer.Typer(
    name="lumbar",
    help="A home exercise program for lower back pain: screening, three phases, pain rules "
    "and progress. Run `lumbar` with no command to start or continue.",
    add_completion=False,
    invoke_without_command=True,
    no_args_is_help=False,
    pretty_exceptions_enable=False,
    # Plain help: Typer's Rich help formatting imports Markdown support and costs ~60 ms,
    # half of the start-up budget of `lumbar --help`.
    rich_markup_mode=None,
    epilog=epilog(""),
    # Help as wide as the terminal up to 100 columns (Click stops at 80 by default).
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)

app.command("start")(program.start)
app.command("today")(program.today)
app.command("session")(session.session)
app.command("log")(program.log)
app.command("checkin")(checkins.checkin)
app.command("clear")(checkins.clear)
app.command("status")(program.status)
app.command("days")(program.days)
app.command("alternative")(program.alternative)
app.command("equipment")(equipment.equipment)
app.command("exercises")(library.exercises)
app.command("learn")(library.learn)
app.command("export")(data.export)
app.command("import")(data.import_)
app.command("backup")(backup.backup)
app.command("restore")(backup.restore)
app.command("calendar")(handouts.calendar)
app.command("handout")(handouts.handout)
app.command("summary")(handouts.summary)
app.command("problem")(handouts.problem)
app.command("serve")(serve.serve)
app.add_typer(records.app, name="records")
app.add_typer(devices.app, name="devices")
app.add_typer(admin.app, name="admin")
admin_invitations.register()  # issue #20: the pending invitations' commands join `admin`
dress(app)


def _version(asked: bool) -> None:
    if asked:
        from lumbar import __version__

        typer.echo(f"lumbar {__version__}")
        raise typer.Exit()


VERSION = Annotated[
    bool,
    typer.Option("--version", is_eager=True, callback=_version, help="Print the version."),
]
JSON_FIRST = Annotated[bool, typer.Option("--json", hidden=True)]
"""`--json` before the command: refused with where it goes (hidden from the help)."""


@app.callback()
def main(
    ctx: typer.Context,
    db: DbOption = None,
    date: DateOption = None,
    json: JSON_FIRST = False,
    version: VERSION = False,
) -> None:
    """Start the program, or continue it: show today and offer to guide the session."""
    if json:
        from lumbar.errors import UserError

        name = ctx.invoked_subcommand or "today"
        lookup = getattr(ctx.command, "get_command", None)  # the group's commands
        found = lookup(ctx, name) if lookup is not None else None
        if found is not None and hasattr(found, "commands"):
            name += " COMMAND …"  # `records`, `devices`, `admin`: their own commands
        elif found is not None and not any(p.name == "json" for p in found.params):
            raise UserError(f"lumbar {name} has no --json")
        raise UserError(f"--json goes after the command: lumbar {name} --json")
    if ctx.invoked_subcommand is None:
        program.continue_program(Invocation(db, date, False))
        return
    # `lumbar --db FILE start` means that file for the command too: given before it, --db is
    # every command's default (an option ignored there would write to another database).
    # --date means different days to different commands, so before one it is refused.
    if date is not None:
        from lumbar.errors import UserError

        raise UserError(
            f"--date goes after the command: lumbar {ctx.invoked_subcommand} --date {date}"
        )
    if db is not None:
        ctx.default_map = _for_every_command(ctx.command, {"db": db})


def _for_every_command(command: object, values: dict[str, str]) -> dict[str, object]:
    """A Click default map giving `values` to every command under this group, nested."""
    found: dict[str, object] = {}
    for name, sub in getattr(command, "commands", {}).items():
        found[name] = {**values, **_for_every_command(sub, values)}
    return found


EXIT_BAD_INPUT = 2
EXIT_STOPPED = 1
"""The end of input at a question: the person's answers ran out."""
EXIT_INTERRUPTED = 130
"""Ctrl-C (SIGINT), for every command: 128 + the signal's number, as shells and git say."""
EXIT_EMERGENCY = 3
"""The intake stopped over an emergency sign: not a typo to fix, care to seek."""
NO_PROGRAM = "no program yet: run `lumbar start` first"
CLI_FIELDS = {
    "date": "--date",
    "psfs": "--psfs",
    "symptoms": "--symptom",
    "exercises": "--exercise",
    "days": "DAYS",
    "session_time": "--at",
    "work_start": "--work",
    "work_end": "--work",
    "work": "--work",
    "work_days": "--work-days",
    "break_minutes": "--breaks",
    "kind": "KIND",
    "format": "--format",
    "size": "--size",
    "note": "--note",
    "role": "--role",
    "by": "--by",
    "alerts": "--alert",
    "exercise": "EXERCISE",
    "alternative": "CHOICE",
    "unit": "--unit",
    "server": "--server",
    "equipment": "--nothing",
    "dumbbells": "--dumbbells",
    "kettlebells": "--kettlebell",
    "id": "ID",
    "pain": "--pain",
    "name": "--name",
    "birth_date": "--born",
    "comment": "--comment",
}
"""How the use cases' field names are spelled on the command line."""


def run(argv: list[str] | None = None) -> None:
    """The console script: run a command, turning every user error into one line and exit 2."""
    from lumbar.errors import NoProgram, UserError

    try:
        result = app(args=argv, prog_name="lumbar", standalone_mode=False)
    except NoProgram:
        _fail(NO_PROGRAM)
    except UserError as error:
        _emergency(error)
        _fail(error.said_as(CLI_FIELDS))
    except typer.Abort:  # Typer's answer to the end of input (EOFError)
        _fail("stopped", code=EXIT_STOPPED)
    except KeyboardInterrupt:  # before or after the command ran
        _interrupted()
    except Exception as error:
        known = _known_error(error)
        if known is None:
            raise
        _fail(*known)
    if result == EXIT_INTERRUPTED:
        # Typer's answer to Ctrl-C in a command: it returns 130, silently.
        _interrupted()
    sys.exit(result if isinstance(result, int) else 0)


def _known_error(error: Exception) -> tuple[str, int] | None:
    """Errors that are the user's to fix: command-line usage, the database, the content."""
    from lumbar.content.load import ContentError
    from lumbar.errors import DatabaseError

    if isinstance(error, DatabaseError | ContentError):
        return str(error), EXIT_BAD_INPUT
    format_message = getattr(error, "format_message", None)
    exit_code = getattr(error, "exit_code", None)
    if callable(format_message) and isinstance(exit_code, int):
        # Typer's usage errors (unknown option, missing argument, bad value).
        return str(format_message()), exit_code
    return None


def _emergency(error: Exception) -> None:
    """An emergency sign at the intake: the same red panel as at a check-in, on standard
    error, and its own exit code (imported only when a refusal happens, to keep start-up
    light)."""
    from lumbar.usecases.program import EmergencyAtIntake

    if not isinstance(error, EmergencyAtIntake):
        return
    from rich.console import Console

    from lumbar.cli.render import emergency

    emergency(Console(stderr=True), error.messages)
    sys.exit(EXIT_EMERGENCY)


def _interrupted() -> None:
    """Ctrl-C, whatever the command was doing: one short line, and the shell's code for
    a program stopped by SIGINT (128 + 2), as git and gh exit."""
    sys.stderr.write("\n")
    _fail("stopped (Ctrl-C)", code=EXIT_INTERRUPTED)


def _fail(message: str, code: int = EXIT_BAD_INPUT) -> None:
    first_line = message.strip().splitlines()[0] if message.strip() else "error"
    sys.stderr.write(wrapped(f"lumbar: {first_line}") + "\n")
    sys.exit(code)


def wrapped(line: str) -> str:
    """An error line folded at word boundaries to the terminal's width when standard error
    is a terminal (a command or a path is never cut); one line when it goes to a file."""
    if not sys.stderr.isatty():
        return line
    import shutil
    import textwrap

    width = shutil.get_terminal_size().columns
    return textwrap.fill(line, width=max(width, 40), break_long_words=False, break_on_hyphens=False)
