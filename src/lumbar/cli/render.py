"""Rich output for people: plans, status, exercises, topics.

Levels are always written out in words as well as coloured, so nothing depends on colour.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from lumbar.content.load import Content, Topic
from lumbar.content.wording import format_date, pain_change_words
from lumbar.domain.decisions import Decision
from lumbar.domain.loads import Unit
from lumbar.domain.model import Alert, DayPlan, Exercise, Kind, Level, Moment, Range, Status
from lumbar.domain.routine import routine_of_the_day
from lumbar.domain.timeline import estimated_minutes, routine_seconds, session_seconds
from lumbar.formats.views import describe_dose, taught, taught_name

if TYPE_CHECKING:
    from lumbar.cli.options import Invocation
    from lumbar.domain.session import LoggedSession

LEVEL_STYLE = {
    Level.EMERGENCY: ("EMERGENCY", "bold white on red"),
    Level.URGENT: ("URGENT", "bold red"),
    Level.SEE_CLINICIAN: ("SEE A CLINICIAN", "bold yellow"),
    Level.INFO: ("NOTE", "cyan"),
}


def alerts(console: Console, items: tuple[Alert, ...], content: Content) -> None:
    for alert in items:
        label, style = LEVEL_STYLE[alert.level]
        body = Text(content.say(alert.decision))
        console.print(
            Panel(
                body,
                title=Text(label, style=style),
                title_align="left",
                border_style=style.replace("bold ", "").split(" on ")[0],
            )
        )


def emergency(console: Console, messages: tuple[str, ...]) -> None:
    """An emergency at the intake: one red panel, and a line saying nothing was saved."""
    label, style = LEVEL_STYLE[Level.EMERGENCY]
    body = Text("\n\n".join(messages))
    console.print(
        Panel(body, title=Text(label, style=style), title_align="left", border_style="red")
    )
    console.print("Nothing has been saved: your program has not started.")


def session_of(said: str) -> str:
    """'today's session', or 'the session of Wed 9 Dec'."""
    return "today's session" if said == "today" else f"the session of {said}"


def plan(
    console: Console,
    day: DayPlan,
    content: Content,
    *,
    unit: Unit,
    said: str = "today",
    command: str = "lumbar session",
) -> None:
    """The day's plan; `said` names the day ("today", "Wed 9 Dec") and `command` is the
    hint to run its session (with `--date` when one was given)."""
    content = about(content, said)
    phase = content.program.phase(day.phase)
    console.print(
        Text.assemble(
            (format_date(day.on), "bold"), "  ·  ", (f"Phase {day.phase}: {phase.name}", "bold")
        )
    )
    alerts(console, day.alerts, content)
    if day.kind is Kind.BLOCKED:
        console.print(Text(f"No exercises {_on(said)}: the program is paused.", style="bold"))
    elif day.kind is Kind.SESSION:
        title = _capital(session_of(said)) + (" (done)" if day.completed else "")
        console.print(session_table(day, content, title=title, unit=unit))
        if not day.completed:
            seconds = session_seconds(day, content.catalogue)
            console.print(Text(f"About {spoken_minutes(seconds)}.", style="bold"))
    else:
        names = ", ".join(content.catalogue[i].name for i in day.daily)
        console.print(Text("Rest day.", style="bold"))
        if day.daily:
            daily = routine_of_the_day(day, content.program.daily_routine)
            length = spoken_minutes(routine_seconds(daily, content.catalogue))
            console.print(f"Optional daily routine (about {length}): {names}; plus posture breaks.")
    if day.kind is not Kind.BLOCKED:  # when blocked, the alerts above say why
        why(console, day.decisions, content)
    if day.kind is Kind.SESSION and not day.completed:
        console.print(f"Run [bold]{command}[/bold] to be guided through it.")


def about(content: Content, said: str) -> Content:
    """The content whose reasons speak of `said`, the day shown ("so it is done on Wed 9 Dec
    instead" under `--date`). Only what is about that day: a milestone or a phase change of
    another day is said by its own date, and `--json` keeps the API's words."""
    return content if said == "today" else content.about(said)


def _on(said: str) -> str:
    return said if said == "today" else f"on {said}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def spoken_minutes(seconds: int) -> str:
    """'15 minutes', '1 minute': a session's estimated length as a person says it."""
    count = estimated_minutes(seconds)
    return f"{count} minute{'s' if count != 1 else ''}"


def why(console: Console, decisions: tuple[Decision, ...], content: Content) -> None:
    """Each decision in words; rule ids are for `--json` and the docs, not for people
    (docs/rules.md names each rule's words)."""
    for decision in decisions:
        console.print(Text(f"Why: {content.say(decision)}", style="dim"))


def session_table(day: DayPlan, content: Content, *, title: str, unit: Unit) -> Table:
    table = Table(title=title, title_justify="left", show_lines=False, expand=False)
    table.add_column("Exercise", style="bold")
    table.add_column("Dose")
    table.add_column("Range")
    for planned in day.exercises:
        exercise = content.catalogue[planned.exercise_id]
        dose = describe_dose(planned.dose, per_side=exercise.per_side, unit=unit)
        notes = [content.say(d) for d in planned.decisions]
        range_text = "reduced" if planned.range is Range.REDUCED else "full"
        cell: RenderableType = Group(dose, *(Text(n, style="dim") for n in notes))
        name = taught_name(exercise, planned.version)
        table.add_row(f"Warm-up: {name}" if planned.warm_up else name, cell, range_text)
    return table


def status(console: Console, current: Status, content: Content) -> None:
    phase = content.program.phase(current.phase)
    next_session = (
        format_date(current.next_session) if current.next_session else "none while paused"
    )
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    grid.add_row(
        "Phase",
        f"{current.phase}: {phase.name} (day {current.day_in_phase}, "
        f"since {format_date(current.phase_started)})",
    )
    grid.add_row("Sessions in phase", str(current.sessions_in_phase))
    grid.add_row("Sessions this week", str(current.sessions_this_week))
    grid.add_row("Next session", next_session)
    if current.completed_on is not None:
        grid.add_row("Completed", format_date(current.completed_on))
    improvement = current.improvement
    latest = "-" if improvement.latest_pain is None else str(improvement.latest_pain)
    moved = pain_change_words(improvement.pain_change_pct)
    grid.add_row(
        "Pain (0-10)",
        f"baseline {improvement.baseline_pain}, latest {latest}" + (f" ({moved})" if moved else ""),
    )
    psfs = "-" if improvement.latest_psfs is None else f"{improvement.latest_psfs:.1f}"
    grid.add_row("PSFS (0-10)", f"baseline {improvement.baseline_psfs:.1f}, latest {psfs}")
    adherence = (
        "-"
        if improvement.adherence_pct is None
        else f"{improvement.adherence_pct:.0f}% ({improvement.completed_sessions} of "
        f"{count(improvement.planned_sessions, 'planned session')})"
    )
    grid.add_row("Adherence", adherence)
    if improvement.review is not None and improvement.review_on is not None:
        grid.add_row(
            f"Review ({format_date(improvement.review_on)})", content.say(improvement.review)
        )
    console.print(grid)
    alerts(console, current.alerts, content)
    if current.week is not None:
        for decision in current.week.decisions:
            console.print(content.say(decision))
    console.print(Text("Phase history", style="bold"))
    for change in current.phase_history:
        console.print(
            f"  {format_date(change.on)}: phase {change.to_phase}. {content.say(change.decision)}"
        )
    others = [m for m in current.milestones if m.moment not in _PHASE_MOMENTS]
    if others:
        console.print(Text("Milestones", style="bold"))
        for milestone in others:
            console.print(
                f"  {format_date(milestone.on)}: {content.wording.title(milestone)}. "
                f"{content.say(milestone.decision)}"
            )


_PHASE_MOMENTS = frozenset({Moment.PHASE_UP, Moment.PHASE_BACK})
"""Shown in the phase history already."""


def exercise(console: Console, item: Exercise, content: Content, *, unit: Unit) -> None:
    console.print(Text(item.name, style="bold"))
    console.print(Text(item.purpose, style="italic"))
    console.print(Text("How to do it", style="bold"))
    for number, step in enumerate(item.steps, start=1):
        console.print(f"  {number}. {step}")
    for tip in item.tips:
        console.print(f"  Tip: {tip}")
    for caution in item.cautions:
        console.print(Text(f"  Take care: {caution}", style="yellow"))
    console.print(f"Reduced range: {item.reduced_range}")
    console.print(f"Muscles: {', '.join(item.muscles)}")
    console.print(f"Equipment: {', '.join(item.equipment) or 'none'}")
    console.print(f"Spinal flexion: {item.spinal_flexion.value}")
    for heading, versions in (
        ("Easier versions some dose steps use", item.variants),
        ("Alternatives on a chair or standing (lumbar alternative)", item.alternatives),
    ):
        if versions:
            console.print(Text(heading, style="bold"))
        for version in versions:
            console.print(f"  {version.id}: {version.name}")
            for number, step in enumerate(version.steps, start=1):
                console.print(f"    {number}. {step}")
            for caution in version.cautions:
                console.print(Text(f"    Take care: {caution}", style="yellow"))
    for number, steps in sorted(item.doses.items()):
        phase = content.program.phase(number)
        in_phase = phase.prescription(item.id) is not None
        label = f"Phase {number} ({phase.name})" + ("" if in_phase else ", optional")
        console.print(Text(label, style="bold"))
        for index, dose in enumerate(steps, start=1):
            called = "" if dose.variant is None else f" ({taught(item, dose.variant).name})"
            console.print(
                f"  step {index}: {describe_dose(dose, per_side=item.per_side, unit=unit)}{called}"
            )


def topic(console: Console, item: Topic) -> None:
    console.print(Text(item.title, style="bold"))
    console.print(Text(item.summary, style="italic"))
    console.print()
    from rich.markdown import Markdown  # a topic's Markdown: lists as bullets, emphasis

    console.print(Markdown(item.body))


def show_logged(
    run: Invocation,
    logged: LoggedSession,
    *,
    responses: bool = True,
    console: Console | None = None,
) -> None:
    """A session just recorded: the responses to its answers (unless said already), the
    alerts and why the plan is what it is; its JSON with --json."""
    from lumbar.formats.views import logged_json

    content = run.person.content
    if run.as_json:
        run.emit(logged_json(logged, content), shape="plan.Logged")
        return
    console = console or run.console
    content = about(content, run.day_said)
    if responses:
        for decision in logged.responses:
            console.print(content.say(decision))
    alerts(console, logged.plan.alerts, content)
    why(console, logged.plan.decisions, content)


def count(number: int, noun: str) -> str:
    """'1 exercise', '2 exercises', '0 check-ins': a number with its noun, in the plural
    unless it is one."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
