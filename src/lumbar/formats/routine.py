"""The daily routine as its page carries it (issue #17): each exercise for the hands-free
player (the steps and cues of `formats/timeline.py`, as a session's), and the outline a
person reads without the player: each set or hold with its time.

The routine asks no pain question (docs/rules.md, "The daily routine"), so the player says
nothing at an exercise's end; the next exercise begins with "Exercise done. Next: …".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from lumbar.domain.dose import Dose
from lumbar.domain.exercise import Exercise
from lumbar.domain.model import PlannedExercise
from lumbar.domain.timeline import (
    TIMING,
    Step,
    StepKind,
    estimated_minutes,
    estimated_seconds,
    exercise_timeline,
    routine_seconds,
)
from lumbar.formats import timeline
from lumbar.formats.views import taught

WORK = (StepKind.GET_READY, StepKind.HOLD, StepKind.RELEASE, StepKind.REPS)
"""The steps of one set (or one side of it); breaths are work too."""


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the outline: what to do, and for how long."""

    words: str
    seconds: int
    estimated: bool = False
    """Reps at one's own pace take as long as they take: the time is an estimate."""

    @property
    def time(self) -> str:
        said = seconds_text(self.seconds)
        return f"about {said}" if self.estimated else said


def outline(exercise: Exercise, dose: Dose) -> list[Line]:
    """The exercise's steps as the player runs them, a line per set (or side) with its
    get-ready, holds and the releases between them; the rests and switches between."""
    lines: list[Line] = []
    group: list[Step] = []
    for step in exercise_timeline(exercise, dose):
        if step.kind in (StepKind.REST, StepKind.SWITCH_SIDES):
            lines.extend(_work(group))
            group = []
            words = "Rest" if step.kind is StepKind.REST else "Switch sides"
            lines.append(Line(words, step.seconds or 0))
        else:
            if step.kind is StepKind.GET_READY:
                lines.extend(_work(group))
                group = []
            group.append(step)
    lines.extend(_work(group))
    return lines


def _work(group: list[Step]) -> list[Line]:
    if not group:
        return []
    first = group[0]
    where = []
    if first.sets > 1:
        where.append(f"Set {first.set} of {first.sets}")
    if first.side is not None:
        where.append(f"{first.side} side")
    lead = ", ".join(where)
    lead = f"{lead[:1].upper()}{lead[1:]}: " if lead else ""
    kinds = {step.kind for step in group}
    # The 3-2-1 before it is left out: "hold 45 seconds" takes 45 seconds.
    seconds = sum(step.seconds or 0 for step in group if step.kind is not StepKind.GET_READY)
    if StepKind.BREATHE_IN in kinds:
        breaths = sum(1 for step in group if step.kind is StepKind.BREATHE_IN)
        words = (
            f"{breaths} slow breaths, in for {TIMING.breathe_in} seconds "
            f"and out for {TIMING.breathe_out}"
        )
        return [Line(lead + words, seconds)]
    if StepKind.REPS in kinds:
        reps = next(step.reps or 1 for step in group if step.kind is StepKind.REPS)
        seconds += 5 * round(reps * TIMING.seconds_per_rep / 5)  # an estimate: to 5 s
        return [Line(f"{lead}{reps} reps at your own pace", seconds, estimated=True)]
    holds = [step for step in group if step.kind is StepKind.HOLD]
    held = holds[0].seconds
    if len(holds) == 1:
        return [Line(f"{lead}hold {held} seconds" if lead else f"Hold {held} seconds", seconds)]
    words = f"{len(holds)} holds of {held} seconds, {TIMING.release} seconds between"
    return [Line(lead + words, seconds)]


def seconds_text(seconds: int) -> str:
    """'45 s', '1 min 40 s', '2 min': a step's time as the outline shows it."""
    minutes, left = divmod(seconds, 60)
    if not minutes:
        return f"{left} s"
    return f"{minutes} min" + (f" {left} s" if left else "")


def minutes(routine: tuple[PlannedExercise, ...], catalogue: Mapping[str, Exercise]) -> int:
    """The routine's estimated minutes (every exercise's setup and steps; no pain question)."""
    return estimated_minutes(routine_seconds(routine, catalogue))


def views(
    routine: tuple[PlannedExercise, ...], catalogue: Mapping[str, Exercise]
) -> list[dict[str, Any]]:
    """Each exercise of the routine as its player shows it, in order: its steps with their
    words, what is said as it comes up, its length and its outline."""
    found: list[dict[str, Any]] = []
    for position, planned in enumerate(routine, start=1):
        exercise = catalogue[planned.exercise_id]
        name = taught(exercise, planned.version).name
        next_cue = timeline.next_cue(exercise, planned.dose, name)
        found.append(
            {
                "planned": planned,
                "exercise": exercise,
                "name": name,
                "position": position,
                "steps": timeline.steps_attribute(exercise, planned.dose, name),
                "own_pace": timeline.at_own_pace(exercise, planned.dose),
                # Said as it follows the one before, whose end says nothing (no pain
                # question); the first is named by its get-ready, after a tap on Start.
                "say_next": None if position == 1 else f"Exercise done. {next_cue}",
                "exercise_minutes": estimated_minutes(
                    estimated_seconds(exercise, planned.dose, asked=False)
                ),
                "outline": outline(exercise, planned.dose),
            }
        )
    return found
