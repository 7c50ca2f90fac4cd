"""The guided session in the terminal: one exercise at a time, its dose run step by step,
and a pain check-in.

The steps are the domain's (`domain/timeline.py`: a get-ready before each set and side,
each hold counted, a release between holds, the other side after one side is done, the
rest between sets, a breathing exercise paced in and out), the same the web player runs;
this module only says them and counts them down. What each pain answer means comes from
the domain's pain rules.

At a terminal (standard input a TTY), a countdown reads keys without echo: Enter skips it,
`p` pauses it (`p` or Enter carries on), 3 or 4 stop for pain, and anything else typed is
discarded, so nothing typed during a countdown reaches a later prompt. With input piped
in, the countdowns run without reading keys. The clock is passed in (`sleep`), so they
can be tested with a fake one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial

from rich.console import Console
from rich.panel import Panel
from rich.prompt import Prompt
from rich.text import Text

from lumbar.cli.questions import ask_comment, ask_pain, ask_skip, stopped
from lumbar.cli.render import spoken_minutes
from lumbar.cli.timer import SILENT, STOP_KEYS, Countdown, Cues, StoppedForPain
from lumbar.content.load import Content
from lumbar.content.wording import SKIP_WORDS
from lumbar.domain import pain as pain_rules
from lumbar.domain.loads import Unit
from lumbar.domain.model import DayPlan, Pain, PlannedExercise, Range, SkipReason
from lumbar.domain.timeline import (
    Step,
    StepKind,
    estimated_seconds,
    exercise_timeline,
)
from lumbar.errors import UserError
from lumbar.formats.views import describe_dose, taught, taught_cautions, taught_name

STOP_HINT = (
    "If it hurts, stop at once: type 3 (sharp pain) or 4 (pain down your leg) at any prompt "
    "or during a timer, or press Ctrl-C."
)
Answered = Callable[[str, Pain, str | None, str | None], None]
"""Hands on an exercise done: its id, the pain after it, the alternative done (a swap), the
person's comment on it (or None). A comment the use case refuses raises UserError with the
field `comment`, having written nothing: the guide says why and asks for it again."""
Skipped = Callable[[str, SkipReason, str], None]
"""Hands on an exercise skipped: its id, the reason, the note (for "other")."""
TIMER_KEYS = "During a timer: Enter skips it, p pauses it (p or Enter to carry on)."
ENTER = " then press Enter (3 or 4 to stop: it hurts)"


def guide(
    console: Console,
    day: DayPlan,
    content: Content,
    countdown: Countdown,
    answered: Answered,
    *,
    skip: frozenset[str] = frozenset(),
    cues: Cues = SILENT,
    skipped: Skipped | None = None,
    unit: Unit = Unit.KG,
    said: str = "today",
) -> None:
    """Run the day's exercises but those in `skip` (answered before a pause), handing each
    one finished, with the pain after it, to `answered` at once: the caller keeps it, so a
    session interrupted halfway keeps what was finished.

    Before each exercise the person can skip it, with a reason handed to `skipped` (or
    none: Enter leaves it out, as before issue #17), or swap it for its alternative for
    today (on a chair, standing): it is taught and answered in that version."""
    total = len(day.exercises)
    console.print(Text(length(day, content, skip, said=said), style="bold"))
    for index, planned in enumerate(day.exercises, start=1):
        if planned.exercise_id in skip:
            continue
        show(console, planned, content, index=index, total=total, unit=unit)
        exercise = content.catalogue[planned.exercise_id]
        cues(f"Next: {taught_name(exercise, planned.version)}")
        # A swap is offered unless the exercise is taught as its alternative already
        # (chosen in Settings); an easier variant of a dose step can still be swapped.
        chosen = exercise.alternative(planned.version)
        alternative = None if chosen else next(iter(exercise.alternatives), None)
        offer = f", w to swap it for {alternative.name} today" if alternative else ""
        answer = (
            Prompt.ask(
                f"Press Enter to start, s to skip this exercise{offer}",
                console=console,
                default="",
                show_default=False,
            )
            .strip()
            .lower()
        )
        if answer == "s":
            reason = ask_skip(console)
            if reason is not None and skipped is not None:
                skipped(planned.exercise_id, *reason)
                console.print(f"  Skipped: {SKIP_WORDS[reason[0].value]}.")
            continue
        swap = None
        if answer == "w" and alternative is not None:
            swap = alternative.id
            planned = replace(planned, version=swap)
            show(console, planned, content, index=index, total=total)
        try:
            perform(console, planned, content, countdown, cues)
            cues("Done. How did that feel?")
            pain = ask_pain(console)
        except StoppedForPain as stop:
            pain = stop.pain
        except KeyboardInterrupt:
            pain = stopped(console)
        decision = pain_rules.respond(planned.exercise_id, pain)
        console.print(Text(content.say(decision), style="bold" if pain.is_bad else ""))
        _answer_with_comment(console, answered, planned.exercise_id, pain, swap)
        if pain is Pain.RADIATING:
            break


def _answer_with_comment(
    console: Console, answered: Answered, exercise_id: str, pain: Pain, swap: str | None
) -> None:
    """Ask for a comment and hand the answer on with it; a comment refused (too long, a
    hidden character) is said and asked again, nothing written. Stopped at the question
    (Ctrl-C, the end of input), the pain answer is kept without a comment before the
    session stops, as every answer is kept at once."""
    while True:
        try:
            comment = ask_comment(console)
        except (KeyboardInterrupt, EOFError):
            answered(exercise_id, pain, swap, None)
            raise
        try:
            answered(exercise_id, pain, swap, comment)
            return
        except UserError as refused:
            if refused.field != "comment":
                raise
            console.print(
                Text(f"  {refused.message}; shorten it, or press Enter to skip it", style="yellow")
            )


def length(
    day: DayPlan, content: Content, skip: frozenset[str] = frozenset(), *, said: str = "today"
) -> str:
    """'Today's session: 7 exercises, about 15 minutes.' (those left, when resumed); the
    day named when it is not today ("The session of Wed 9 Dec: ...")."""
    left = [e for e in day.exercises if e.exercise_id not in skip]
    seconds = sum(estimated_seconds(content.catalogue[e.exercise_id], e.dose) for e in left)
    count = f"{len(left)} exercise{'s' if len(left) != 1 else ''}"
    if skip:
        count += " left"
    heading = "Today's session" if said == "today" else f"The session of {said}"
    return f"{heading}: {count}, about {spoken_minutes(seconds)}."


def show(
    console: Console,
    planned: PlannedExercise,
    content: Content,
    *,
    index: int,
    total: int,
    unit: Unit = Unit.KG,
) -> None:
    exercise = content.catalogue[planned.exercise_id]
    shown = taught(exercise, planned.version)
    lines = [Text(exercise.purpose, style="italic"), Text("")]
    lines += [Text(f"{n}. {step}") for n, step in enumerate(shown.steps, start=1)]
    lines.append(Text(f"Tip: {exercise.tips[0]}", style="cyan"))
    cautions = taught_cautions(exercise, planned.version)
    lines += [Text(f"Take care: {caution}", style="yellow") for caution in cautions]
    lines.append(
        Text(
            f"Dose: {describe_dose(planned.dose, per_side=exercise.per_side, unit=unit)}",
            style="bold",
        )
    )
    if planned.range is Range.REDUCED:
        lines.append(Text(f"Reduced range: {exercise.reduced_range}", style="bold yellow"))
    for decision in planned.decisions:
        lines.append(Text(content.say(decision), style="dim"))
    if planned.version is None and exercise.alternatives:
        others = ", ".join(f"{a.id} ({a.name})" for a in exercise.alternatives)
        lines.append(
            Text(
                f"Can't get down to the floor? `lumbar alternative {exercise.id} ID` with one of "
                f"{others}.",
                style="dim",
            )
        )
    name = taught_name(exercise, planned.version)
    title = f"{index}/{total}  {'Warm-up: ' if planned.warm_up else ''}{name}"
    console.print(Panel(Text("\n").join(lines), title=title, title_align="left"))


def perform(
    console: Console,
    planned: PlannedExercise,
    content: Content,
    countdown: Countdown,
    cues: Cues = SILENT,
) -> None:
    """The exercise's steps, as the timeline has them: with the timers, each timed step
    counted down and each set of reps at one's own pace ended with Enter; without them
    (`--no-timers`), one prompt for each set, and side, of holds, breaths or reps."""
    steps = exercise_timeline(content.catalogue[planned.exercise_id], planned.dose)
    console.print(Text(STOP_HINT, style="bold red"))
    if not countdown.enabled:
        _paced(console, steps, cues)
        return
    if countdown.keys is not None:
        console.print(Text(TIMER_KEYS, style="dim"))
    for step in steps:
        if step.kind is StepKind.GET_READY:
            heading = _heading(step)
            if heading:
                console.print(Text(heading, style="bold"))
        if step.kind is StepKind.SWITCH_SIDES:
            console.print(Text("Switch sides.", style="bold"))
        cues(spoken(step))
        if step.seconds is None:  # reps at one's own pace
            _ask_done(console, f"{_capital(_doing([step]))},")
            continue
        ran = countdown.run(step.seconds, partial(label, step))
        if step.kind in (StepKind.HOLD, StepKind.REST):
            console.print(f"  {_name(step)}: {'done' if ran else 'skipped'}.")


def _paced(console: Console, steps: Sequence[Step], cues: Cues) -> None:
    """Without timers: each set and side one prompt (its holds, breaths or reps, counted by
    the person), the switch of sides and the rest said before the next one."""
    notes: list[str] = []
    block: list[Step] = []

    def ask() -> None:
        if not block:
            return
        for note in notes:
            console.print(Text(note, style="bold"))
        heading = f"Set {block[0].set} of {block[0].sets}: " if block[0].sets > 1 else ""
        what = _doing(block)
        cues(" ".join([*notes, _capital(what)]))
        notes.clear()
        block.clear()
        _ask_done(console, f"{heading}{what}," if heading else f"{_capital(what)},")

    for step in steps:
        if step.kind is StepKind.GET_READY:
            ask()
        elif step.kind is StepKind.SWITCH_SIDES:
            ask()
            notes.append("Switch sides.")
        elif step.kind is StepKind.REST:
            ask()
            notes.append(f"Rest about {step.seconds} s.")
        elif step.kind is not StepKind.RELEASE:
            block.append(step)
    ask()


def _ask_done(console: Console, what: str) -> None:
    answer = Prompt.ask(f"  {what}{ENTER}", console=console, default="", show_default=False)
    if answer.strip() in STOP_KEYS:
        raise StoppedForPain(STOP_KEYS[answer.strip()])


def _on(step: Step) -> str:
    return f" on the {step.side}" if step.side else ""


def _doing(steps: Sequence[Step]) -> str:
    """What one step, or a set and side of them without timers, asks: 'do 6 reps on the
    left', 'hold 6 times for 5 s on the right', 'breathe 8 times, in for 4 and out for 6'."""
    first = steps[0]
    if first.kind is StepKind.REPS:
        return f"do {first.reps} reps{_on(first)}"
    kinds = [s.kind for s in steps]
    if first.kind is StepKind.BREATHE_IN:
        breaths = kinds.count(StepKind.BREATHE_IN)
        out = next((s.seconds for s in steps if s.kind is StepKind.BREATHE_OUT), None)
        times = f"{breaths} times" if breaths > 1 else "once"
        return f"breathe {times}{_on(first)}, in for {first.seconds} and out for {out}"
    holds = kinds.count(StepKind.HOLD)
    if holds > 1:
        return f"hold {holds} times for {first.seconds} s{_on(first)}, relaxing between"
    return f"hold {first.seconds} s{_on(first)}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _heading(step: Step) -> str:
    """'Set 1 of 2, left side' at the start of a set or side ('' for a single set)."""
    parts = [f"Set {step.set} of {step.sets}"] if step.sets > 1 else []
    if step.side:
        parts.append(f"{step.side} side")
    return _capital(", ".join(parts))


def _name(step: Step) -> str:
    """'Hold 2 of 6 (left)', 'Hold (right)', 'Rest'."""
    if step.kind is StepKind.HOLD:
        count = f" {step.rep} of {step.reps}" if (step.reps or 1) > 1 else ""
        side = f" ({step.side})" if step.side else ""
        return f"Hold{count}{side}"
    return {
        StepKind.GET_READY: "Get ready",
        StepKind.RELEASE: "Release",
        StepKind.SWITCH_SIDES: "Switch sides",
        StepKind.REST: "Rest",
        StepKind.BREATHE_IN: "Breathe in",
        StepKind.BREATHE_OUT: "Breathe out",
        StepKind.REPS: "Reps",
    }[step.kind]


def label(step: Step, remaining: int) -> str:
    """What a countdown shows: 'Get ready: 3', 'Hold 2 of 6 (left): 5 s', 'Rest: 30 s',
    'Breathe in … 4 (breath 1 of 8)'."""
    if step.kind is StepKind.GET_READY:
        return f"Get ready: {remaining}"
    if step.kind in (StepKind.BREATHE_IN, StepKind.BREATHE_OUT):
        return f"{_name(step)} … {remaining}  (breath {step.rep} of {step.reps})"
    return f"{_name(step)}: {remaining} s"


def spoken(step: Step) -> str:
    """The words of a step's cue: 'Left side. Get ready', 'Hold 2', 'Last one. Hold'."""
    if step.kind is StepKind.GET_READY:
        return f"{step.side.capitalize()} side. Get ready" if step.side else "Get ready"
    if step.kind is StepKind.HOLD:
        if (step.reps or 1) == 1:
            return f"Hold {step.seconds} seconds"
        return "Last one. Hold" if step.last_rep else f"Hold {step.rep}"
    if step.kind is StepKind.REPS:
        return _capital(_doing([step]))
    if step.kind is StepKind.REST:
        return f"Rest {step.seconds} seconds"
    return _name(step)
