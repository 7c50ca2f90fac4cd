"""`lumbar session`: today's session guided at the terminal, with timers, cues and a pain
question after each exercise; each answer kept at once, so a stopped session carries on."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from lumbar.cli.options import DateOption, DbOption, Invocation, JsonOption

if TYPE_CHECKING:
    from rich.console import Console

    from lumbar.domain.model import DayPlan
    from lumbar.domain.session import LoggedSession, SessionInProgress


LEG_WATCH = (
    "Over the next days, watch for numbness around your genitals or buttocks, a change "
    "in bladder or bowel control, or weakness or numbness in both legs or getting worse. "
    "If any of these appears, call your emergency number or go to an emergency department."
)
"""What to watch for after pain down the leg ended a session."""


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
    from lumbar.cli.render import show_logged
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
                show_logged(run, logged, responses=False, console=console)
                return
            progress = sessions.in_progress(person, on)
        due = progress.screening_due
        if due is not None:
            plan = _screen_first(run, console, due)
            refused = sessions.refusal(person, plan)
            if refused is not None:
                render.alerts(console, plan.alerts, person.content)
                on_day = "today" if run.day_said == "today" else f"on {run.day_said}"
                console.print(f"No session {on_day}: the program is paused.")
                return
        render.alerts(console, plan.alerts, person.content)
        keys = timer.terminal()
        countdown = timer.Countdown(console, time.sleep, enabled=not no_timers, keys=keys)
        # Cues only for a person at the terminal: piped input is a script, not someone on the mat.
        cues = timer.Cues.at(console, quiet=quiet or keys is None)
        done[:] = [(r.exercise_id, r.pain) for r in progress.answers]
        skips[:] = [s.exercise_id for s in progress.skipped]

        def answered(
            exercise_id: str, pain: Pain, version: str | None, comment: str | None
        ) -> None:
            nonlocal logged
            given = sessions.answer(person, on, exercise_id, pain, version=version, comment=comment)
            done.append((exercise_id, pain))  # once kept: a refused comment keeps nothing
            logged = given.finished

        def skipped(exercise_id: str, reason: SkipReason, note: str) -> None:
            nonlocal logged
            skips.append(exercise_id)
            logged = sessions.skip(person, on, exercise_id, reason.value, note).finished

        skip = frozenset([*(exercise_id for exercise_id, _ in done), *skips])
        guide.guide(
            console,
            plan,
            render.about(person.content, run.day_said),
            countdown,
            answered,
            skip=skip,
            cues=cues,
            skipped=skipped,
            unit=person.unit(),
            said=run.day_said,
        )
    except (KeyboardInterrupt, EOFError, typer.Abort):
        # What is kept is said here; the exit code (130 for Ctrl-C, 1 for the end of
        # input) and its line are the command line's, as for every command (main.run).
        if logged is not None:
            # Stopped at the comment question after the answer that recorded the session.
            console.print("\n[bold]Session saved[/bold], without a comment on the last exercise.")
            if done and done[-1][1] is Pain.RADIATING:
                console.print(LEG_WATCH)
        else:
            _paused(console, len(done) + len(skips), run.command("session"))
        raise
    if logged is None and (done or skips):
        logged = sessions.finish(person, on)  # exercises were left out: record the others
    if logged is None:
        console.print("Nothing was recorded.")
        return
    saved = render.count(len(done), "exercise") + (f", {len(skips)} skipped" if skips else "")
    console.print(f"\n[bold]Session saved[/bold]: {saved}.")
    if done and done[-1][1] is Pain.RADIATING:
        _after_leg_pain(run, console)
        from dataclasses import replace

        logged = replace(logged, plan=program.today(person, on))
    show_logged(run, logged, responses=False, console=console)


def _paused(console: Console, answered: int, command: str) -> None:
    if not answered:
        console.print("\nSession stopped. Nothing was recorded.")
        return
    said = "1 answer is" if answered == 1 else f"{answered} answers are"
    when = "again today" if "--date" not in command else "again"
    console.print(
        f"\nSession paused: your {said} kept. Run `{command}` {when} to carry on, "
        "to record what you did, or to start over (the web app's session page carries on "
        "from the same place)."
    )


def _resume_or_not(
    run: Invocation, console: Console, progress: SessionInProgress
) -> LoggedSession | None:
    """Today's session was started and stopped: carry on (None), record what was done
    (the session recorded), or start over (the answers forgotten, None)."""
    from rich.prompt import Prompt

    from lumbar.cli import render
    from lumbar.usecases import sessions

    names = run.person.content.wording.exercise_names
    done = ", ".join(names[r.exercise_id] for r in progress.answers)
    skipped = f", and skipped {len(progress.skipped)}" if progress.skipped else ""
    console.print(
        f"[bold]You started {render.session_of(run.day_said)}[/bold] and answered "
        f"{render.count(len(progress.answers), 'exercise')} ({done}){skipped}."
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
    console.print(LEG_WATCH)


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
