"""Commands that follow the program: start, today, session, log, status, the training days
and the alternatives chosen (the check-in and the clearance are in `cli/checkins.py`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from lumbar.cli.options import DateOption, DbOption, Invocation, JsonOption, shell_unit

if TYPE_CHECKING:
    from rich.console import Console

    from lumbar.domain.model import DayPlan
    from lumbar.domain.session import LoggedSession, SessionInProgress


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
        run.emit(plan_json(plan, person.content))
        return
    console = run.console
    console.print("\n[bold]Your program has started.[/bold]")
    render.plan(console, plan, person.content, unit=person.unit())


def today(db: DbOption = None, date: DateOption = None, json: JsonOption = False) -> None:
    """Show the day's plan: a session, a rest day, or why the program is paused."""
    from lumbar.formats.views import plan_json
    from lumbar.usecases import program

    run = Invocation(db, date, json)
    plan = program.today(run.person, run.day)
    if run.as_json:
        run.emit(plan_json(plan, run.person.content))
        return
    from lumbar.cli import render

    render.plan(run.console, plan, run.person.content, unit=run.person.unit())


def status(db: DbOption = None, date: DateOption = None, json: JsonOption = False) -> None:
    """Show where you stand: phase, sessions, next session, alerts, improvement."""
    from lumbar.formats.views import status_json
    from lumbar.usecases import program

    run = Invocation(db, date, json)
    current = program.status(run.person, run.day)
    if run.as_json:
        run.emit(status_json(current, run.person.content))
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
    db: DbOption = None,
    date: DateOption = None,
    json: JsonOption = False,
) -> None:
    """Record a session without the guide (for example one done earlier)."""
    from lumbar.cli.arguments import parse_exercise_entries, parse_skips, parse_swaps
    from lumbar.usecases import sessions

    run = Invocation(db, date, json)
    on = run.day
    person = run.person
    skipped = parse_skips(skip or [], person.content.catalogue)
    entries = parse_exercise_entries(
        exercise or [], person.content.catalogue, skipping=bool(skipped)
    )
    versions = parse_swaps(swap or [], person.content.catalogue)
    logged = sessions.log(person, on, entries, skipped=skipped, versions=versions)
    _show_logged(run, logged)


def session(
    no_timers: Annotated[
        bool,
        typer.Option(
            "--no-timers",
            help="Pace yourself: no countdowns; press Enter after each set (and side).",
        ),
    ] = False,
    quiet: Annotated[
        bool,
        typer.Option("--quiet", help="No cues: neither the terminal bell nor spoken words."),
    ] = False,
    db: DbOption = None,
    date: DateOption = None,
    json: JsonOption = False,
) -> None:
    """Be guided through today's session, with timers and a pain check-in after each exercise.

    With the timers, each hold, rest and switch of sides is counted down and moves on by
    itself (Enter skips a countdown, p pauses it); a cue (the bell, and spoken words when
    espeak-ng is installed) marks each step.

    Each answer is kept at once, as in the web app's player: stopped halfway (Ctrl-C, a
    closed terminal), the session waits, and the next `lumbar session` that day offers to
    carry on, to record what was done, or to start over.
    """
    import time

    from rich.console import Console

    from lumbar.cli import guide, render, timer
    from lumbar.domain.model import Pain, SkipReason
    from lumbar.errors import UserError
    from lumbar.usecases import program, sessions

    run = Invocation(db, date, json)
    person = run.person
    on = run.day
    plan = program.today(person, on)
    refused = sessions.refusal(person, plan)
    if refused is not None:
        raise UserError(refused)
    # With --json, standard output carries only the JSON; the guide talks on standard error.
    console = Console(stderr=True, highlight=False) if run.as_json else run.console
    progress = sessions.in_progress(person, on)
    logged = None
    done = [(r.exercise_id, r.pain) for r in progress.answers]
    skips = [s.exercise_id for s in progress.skipped]
    try:
        if progress.answers or progress.skipped:
            logged = _resume_or_not(run, console, progress)
            if logged is not None:
                _show_logged(run, logged, responses=False, console=console)
                return
            progress = sessions.in_progress(person, on)
        due = progress.screening_due
        if due is not None:
            plan = _screen_first(run, console, due)
            refused = sessions.refusal(person, plan)
            if refused is not None:
                render.alerts(console, plan.alerts, person.content)
                console.print("No session today: the program is paused.")
                return
        render.alerts(console, plan.alerts, person.content)
        keys = timer.terminal()
        countdown = timer.Countdown(console, time.sleep, enabled=not no_timers, keys=keys)
        # Cues only for a person at the terminal: piped input is a script, not someone on the mat.
        cues = timer.Cues.at(console, quiet=quiet or keys is None)
        done[:] = [(r.exercise_id, r.pain) for r in progress.answers]
        skips[:] = [s.exercise_id for s in progress.skipped]

        def answered(exercise_id: str, pain: Pain, version: str | None) -> None:
            nonlocal logged
            done.append((exercise_id, pain))
            logged = sessions.answer(person, on, exercise_id, pain, version=version).finished

        def skipped(exercise_id: str, reason: SkipReason, note: str) -> None:
            nonlocal logged
            skips.append(exercise_id)
            logged = sessions.skip(person, on, exercise_id, reason.value, note).finished

        skip = frozenset([*(exercise_id for exercise_id, _ in done), *skips])
        guide.guide(
            console,
            plan,
            person.content,
            countdown,
            answered,
            skip=skip,
            cues=cues,
            skipped=skipped,
            unit=person.unit(),
        )
    except (KeyboardInterrupt, EOFError, typer.Abort):
        _paused(console, len(done) + len(skips))
        raise typer.Exit(EXIT_STOPPED) from None
    if logged is None and (done or skips):
        logged = sessions.finish(person, on)  # exercises were left out: record the others
    if logged is None:
        console.print("Nothing was recorded.")
        return
    saved = f"{len(done)} exercises" + (f", {len(skips)} skipped" if skips else "")
    console.print(f"\n[bold]Session saved[/bold]: {saved}.")
    if done and done[-1][1] is Pain.RADIATING:
        _after_leg_pain(run, console)
        from dataclasses import replace

        logged = replace(logged, plan=program.today(person, on))
    _show_logged(run, logged, responses=False, console=console)


EXIT_STOPPED = 1
"""Stopped by the person (Ctrl-C, or the end of input): docs/cli.md's exit codes."""


def _paused(console: Console, answered: int) -> None:
    if not answered:
        console.print("\nSession stopped. Nothing was recorded.")
        return
    said = "1 answer is" if answered == 1 else f"{answered} answers are"
    console.print(
        f"\nSession paused: your {said} kept. Run `lumbar session` again today to carry on, "
        "to record what you did, or to start over (the web app's session page carries on "
        "from the same place)."
    )


def _resume_or_not(
    run: Invocation, console: Console, progress: SessionInProgress
) -> LoggedSession | None:
    """Today's session was started and stopped: carry on (None), record what was done
    (the session recorded), or start over (the answers forgotten, None)."""
    from rich.prompt import Prompt

    from lumbar.usecases import sessions

    names = run.person.content.wording.exercise_names
    done = ", ".join(names[r.exercise_id] for r in progress.answers)
    skipped = f", and skipped {len(progress.skipped)}" if progress.skipped else ""
    console.print(
        f"[bold]You started today's session[/bold] and answered {len(progress.answers)} "
        f"exercise{'s' if len(progress.answers) != 1 else ''} ({done}){skipped}."
    )
    console.print("  c. carry on from the next exercise")
    console.print("  r. record what you did, as a partial session")
    console.print("  s. start over (forget those answers)")
    choice = Prompt.ask(
        "Your choice", console=console, choices=["c", "r", "s"], default="c", show_choices=False
    )
    if choice == "r":
        return sessions.finish(run.person, run.day)
    if choice == "s":
        sessions.discard(run.person, run.day)
        console.print("Starting over.")
    return None


def _after_leg_pain(run: Invocation, console: Console) -> None:
    """Pain down the leg ended the session: is it still there, and the signs that need
    care, recorded when any applies; then what to watch for."""
    from lumbar.cli import prompts
    from lumbar.usecases import checkins
    from lumbar.usecases.problems import LEG_SIGNS

    person = run.person
    console.print(
        "[bold]You stopped because pain travelled down your leg.[/bold] Is it still there "
        "now, or have you noticed any of these?"
    )
    flags = prompts.pick_symptoms(console, person.content, LEG_SIGNS)
    if flags:
        checkins.record(person, run.day, symptoms=tuple(flags))
    console.print(
        "Over the next days, watch for numbness around your genitals or buttocks, a change "
        "in bladder or bowel control, or weakness or numbness in both legs or getting worse. "
        "If any of these appears, call your emergency number or go to an emergency department."
    )


def _screen_first(run: Invocation, console: Console, due: str) -> DayPlan:
    """The safety questions again before the first exercise (a new phase, pain down the leg
    last time, a problem report), recorded as a check-in with or without a symptom; the
    day's plan after the answers."""
    from lumbar.cli import prompts
    from lumbar.domain.screening import PHASE_CHANGE_CHECK
    from lumbar.usecases import checkins, program

    person = run.person
    if due == PHASE_CHANGE_CHECK:
        console.print("[bold]You are starting a new phase.[/bold]")
    else:
        console.print("[bold]Last time something went wrong.[/bold]")
    console.print(
        "Before the first exercise, the safety questions once more: have you noticed any of "
        "these since you began?"
    )
    flags = prompts.symptoms(console, person.content)
    checkins.record(person, run.day, symptoms=tuple(flags), screened=True)
    return program.today(person, run.day)


def _show_logged(
    run: Invocation,
    logged: LoggedSession,
    *,
    responses: bool = True,
    console: Console | None = None,
) -> None:
    from lumbar.cli import render
    from lumbar.formats.views import logged_json

    content = run.person.content
    if run.as_json:
        run.emit(logged_json(logged, content))
        return
    console = console or run.console
    if responses:
        for decision in logged.responses:
            console.print(content.say(decision))
    render.alerts(console, logged.plan.alerts, content)
    render.why(console, logged.plan.decisions, content)


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
    render.plan(console, plan, person.content, unit=person.unit())
    if plan.kind is Kind.SESSION and not plan.completed:
        if Confirm.ask("Start today's session now?", console=console, default=True):
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
        run.emit({"days": chosen.label})
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
        chosen = versions.choose(person, exercise_id, choice)
        if run.as_json:
            run.emit(choice_json(chosen.exercise, chosen.chosen))
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
        run.emit([choice_json(c.exercise, c.chosen) for c in listed])
        return
    from rich.table import Table

    table = Table(title="Alternatives", title_justify="left")
    for column in ("Exercise", "Alternatives (id: name)", "You do"):
        table.add_column(column)
    for item in listed:
        table.add_row(
            item.exercise.id,
            "\n".join(f"{a.id}: {a.name}" for a in item.exercise.alternatives),
            item.exercise.name if item.chosen is None else item.chosen.name,
        )
    run.console.print(table)
