"""The guided session in the terminal: one exercise at a time, timers, and a pain check-in.

The clock is passed in (`sleep`), so the countdowns can be tested with a fake clock and the
guide itself holds no rule: what each pain answer means comes from the domain's pain rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.console import Console
from rich.panel import Panel
from rich.prompt import Prompt
from rich.text import Text

from lumbar.content.load import Content
from lumbar.domain import pain as pain_rules
from lumbar.domain.model import DayPlan, Pain, PlannedExercise, Range
from lumbar.formats.views import describe_dose, taught, taught_cautions, taught_name

SWITCH_SECONDS = 3
"""A short pause between holds to lower, breathe and change side."""

PAIN_CHOICES = {
    "1": Pain.NONE,
    "2": Pain.ACHE,
    "3": Pain.SHARP,
    "4": Pain.RADIATING,
}
PAIN_LABELS = {
    Pain.NONE: "no pain",
    Pain.ACHE: "a dull ache or tired muscles",
    Pain.SHARP: "sharp or stabbing pain",
    Pain.RADIATING: "pain travelling down my leg",
}
STOP_KEYS = {"3": Pain.SHARP, "4": Pain.RADIATING}
"""At any prompt during an exercise, these stop it at once with that pain."""
STOP_HINT = (
    "If it hurts, stop at once: type 3 (sharp pain) or 4 (pain down your leg) at any prompt, "
    "or press Ctrl-C during a timer."
)


class StoppedForPain(Exception):
    """The person stopped an exercise half-way for sharp pain or pain down the leg."""

    def __init__(self, pain: Pain) -> None:
        super().__init__(pain.value)
        self.pain = pain


@dataclass
class Countdown:
    """Counts seconds down on the console; `sleep` is time.sleep in real use."""

    console: Console
    sleep: Callable[[float], None]
    enabled: bool = True

    def run(self, seconds: int, label: str) -> None:
        if not self.enabled or seconds <= 0:
            return
        with self.console.status(f"{label}: {seconds} s") as status:
            for remaining in range(seconds, 0, -1):
                status.update(f"{label}: {remaining} s")
                self.sleep(1)
        self.console.print(f"  {label}: done.")


def guide(
    console: Console,
    day: DayPlan,
    content: Content,
    countdown: Countdown,
    answered: Callable[[str, Pain], None],
    *,
    skip: frozenset[str] = frozenset(),
) -> None:
    """Run the day's exercises but those in `skip` (answered before a pause), handing each
    one finished, with the pain after it, to `answered` at once: the caller keeps it, so a
    session interrupted halfway keeps what was finished."""
    total = len(day.exercises)
    for index, planned in enumerate(day.exercises, start=1):
        if planned.exercise_id in skip:
            continue
        show(console, planned, content, index=index, total=total)
        answer = Prompt.ask(
            "Press Enter to start, or type s to skip this exercise",
            console=console,
            default="",
            show_default=False,
        )
        if answer.strip().lower() == "s":
            continue
        try:
            perform(console, planned, content, countdown)
            pain = ask_pain(console)
        except StoppedForPain as stop:
            pain = stop.pain
        except KeyboardInterrupt:
            pain = _stopped(console)
        decision = pain_rules.respond(planned.exercise_id, pain)
        console.print(Text(content.say(decision), style="bold" if pain.is_bad else ""))
        answered(planned.exercise_id, pain)
        if pain is Pain.RADIATING:
            break


def show(
    console: Console, planned: PlannedExercise, content: Content, *, index: int, total: int
) -> None:
    exercise = content.catalogue[planned.exercise_id]
    shown = taught(exercise, planned.version)
    lines = [Text(exercise.purpose, style="italic"), Text("")]
    lines += [Text(f"{n}. {step}") for n, step in enumerate(shown.steps, start=1)]
    lines.append(Text(f"Tip: {exercise.tips[0]}", style="cyan"))
    cautions = taught_cautions(exercise, planned.version)
    lines += [Text(f"Take care: {caution}", style="yellow") for caution in cautions]
    lines.append(
        Text(f"Dose: {describe_dose(planned.dose, per_side=exercise.per_side)}", style="bold")
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
    console: Console, planned: PlannedExercise, content: Content, countdown: Countdown
) -> None:
    exercise = content.catalogue[planned.exercise_id]
    dose = planned.dose
    sides = ("left", "right") if exercise.per_side else ("",)
    console.print(Text(STOP_HINT, style="bold red"))
    for set_number in range(1, dose.sets + 1):
        console.print(Text(f"Set {set_number} of {dose.sets}", style="bold"))
        if dose.hold_seconds is None:
            side = " on each side" if exercise.per_side else ""
            answer = Prompt.ask(
                f"  Do {dose.reps} reps{side}, then press Enter (3 or 4 to stop: it hurts)",
                console=console,
                default="",
                show_default=False,
            )
            if answer.strip() in STOP_KEYS:
                raise StoppedForPain(STOP_KEYS[answer.strip()])
        else:
            for rep in range(1, (dose.reps or 1) + 1):
                for side in sides:
                    where = f" ({side})" if side else ""
                    countdown.run(dose.hold_seconds, f"Hold {rep}{where}")
                    countdown.run(SWITCH_SECONDS, "Relax")
        if set_number < dose.sets:
            countdown.run(dose.rest_seconds, "Rest")


def _stopped(console: Console) -> Pain:
    """Ctrl-C during an exercise: was it pain? Sharp or down the leg is recorded for this
    exercise at once; anything else ends the session as Ctrl-C always did."""
    console.print()
    answer = Prompt.ask(
        "Stopped. Was it pain? 3 = sharp pain, 4 = pain down your leg, Enter = just stop",
        console=console,
        default="",
        show_default=False,
    ).strip()
    if answer in STOP_KEYS:
        return STOP_KEYS[answer]
    raise KeyboardInterrupt


def ask_pain(console: Console) -> Pain:
    console.print("How did that feel?")
    for key, pain in PAIN_CHOICES.items():
        console.print(f"  {key}. {PAIN_LABELS[pain]}")
    while True:
        answer = Prompt.ask("Your answer (1-4)", console=console).strip()
        if answer in PAIN_CHOICES:
            return PAIN_CHOICES[answer]
        console.print(Text("  please type 1, 2, 3 or 4", style="yellow"))
