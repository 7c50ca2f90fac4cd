"""How a dose runs, step by step, so that a session can run itself (issue #16): a get-ready
before each set, each hold counted, a short release between holds, the other side after
one side is done, the rest between sets. The web player and the terminal guide both follow
it, and the session's estimated length is the sum of its steps.

Reps without a hold are done at the person's own pace: their step has no timer (None)
and ends when the person says so; its estimate is a few seconds a rep.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from lumbar.domain.dose import Dose
from lumbar.domain.exercise import Exercise
from lumbar.domain.model import DayPlan, PlannedExercise


class StepKind(enum.StrEnum):
    GET_READY = "get_ready"
    """3-2-1 before the first hold or rep of a set, or of a side."""
    HOLD = "hold"
    """One hold (of a rep), counted down."""
    RELEASE = "release"
    """The pause between two holds."""
    REPS = "reps"
    """A set's reps without a hold, at the person's own pace."""
    SWITCH_SIDES = "switch_sides"
    """One side done: change to the other."""
    REST = "rest"
    """Between two sets."""
    BREATHE_IN = "breathe_in"
    BREATHE_OUT = "breathe_out"
    """A paced breath (breathing exercises): in for 4, out for 6, each rep one breath."""


@dataclass(frozen=True, slots=True)
class Timing:
    """The seconds between the dose's own: the program's, the same for every exercise."""

    get_ready: int = 3
    release: int = 3
    switch_sides: int = 5
    seconds_per_rep: int = 4
    """For the estimate of reps at one's own pace (a slow rep up and down)."""
    setup: int = 20
    """For the estimate: getting into position and reading the exercise."""
    answer: int = 10
    """For the estimate: the pain question after the exercise."""
    breathe_in: int = 4
    breathe_out: int = 6
    """The breath pacer's count, as the breathing exercise's tip says."""


TIMING = Timing()


@dataclass(frozen=True, slots=True)
class Step:
    kind: StepKind
    seconds: int | None
    """How long it lasts; None for reps at one's own pace (the person ends it)."""
    set: int
    """From 1."""
    sets: int
    side: str | None = None
    """"left" or "right" for an exercise done on each side, else None."""
    rep: int | None = None
    """The hold's rep, from 1 (HOLD and RELEASE only)."""
    reps: int | None = None
    """How many reps: in the set (REPS), or held on this side (HOLD)."""

    @property
    def last_rep(self) -> bool:
        """The last hold of its side and set: the cue says so."""
        return self.kind is StepKind.HOLD and self.rep == self.reps


SIDES = ("left", "right")


def timeline(
    dose: Dose, *, per_side: bool, paced: bool = False, timing: Timing = TIMING
) -> tuple[Step, ...]:
    """The steps of a dose, in order: for each set, each side (left first) gets ready and
    does its reps or holds; sides switch in between; a rest follows every set but the last.
    A hold of several reps releases between them (not after the last). `paced`: each rep is
    a breath, in then out, at the pacer's count."""
    steps: list[Step] = []
    sides: tuple[str | None, ...] = SIDES if per_side else (None,)
    reps = dose.reps or 1
    for number in range(1, dose.sets + 1):
        for index, side in enumerate(sides):
            if index:
                steps.append(Step(StepKind.SWITCH_SIDES, timing.switch_sides, number, dose.sets))
            if paced:
                steps.append(Step(StepKind.GET_READY, timing.get_ready, number, dose.sets, side))
                for rep in range(1, reps + 1):
                    for kind, seconds in (
                        (StepKind.BREATHE_IN, timing.breathe_in),
                        (StepKind.BREATHE_OUT, timing.breathe_out),
                    ):
                        steps.append(Step(kind, seconds, number, dose.sets, side, rep, reps))
                continue
            if dose.hold_seconds is None:
                steps.append(Step(StepKind.GET_READY, timing.get_ready, number, dose.sets, side))
                steps.append(Step(StepKind.REPS, None, number, dose.sets, side, reps=reps))
                continue
            steps.append(Step(StepKind.GET_READY, timing.get_ready, number, dose.sets, side))
            for rep in range(1, reps + 1):
                if rep > 1:
                    release = Step(StepKind.RELEASE, timing.release, number, dose.sets, side, rep)
                    steps.append(release)
                hold = Step(StepKind.HOLD, dose.hold_seconds, number, dose.sets, side, rep, reps)
                steps.append(hold)
        if number < dose.sets and dose.rest_seconds:
            steps.append(Step(StepKind.REST, dose.rest_seconds, number, dose.sets))
    return tuple(steps)


def exercise_timeline(
    exercise: Exercise, dose: Dose, *, timing: Timing = TIMING
) -> tuple[Step, ...]:
    """The steps of the exercise at this dose (a breathing exercise is paced)."""
    paced = exercise.category == "breathing"
    return timeline(dose, per_side=exercise.per_side, paced=paced, timing=timing)


def estimated_seconds(
    exercise: Exercise, dose: Dose, *, timing: Timing = TIMING, asked: bool = True
) -> int:
    """How long the exercise takes, its setup included, and its pain question unless
    `asked` is False (the daily routine asks none)."""
    total = timing.setup + (timing.answer if asked else 0)
    for step in exercise_timeline(exercise, dose, timing=timing):
        if step.seconds is not None:
            total += step.seconds
        else:
            assert step.reps is not None  # pragma: no mutate (a REPS step counts its reps)
            total += step.reps * timing.seconds_per_rep
    return total


def estimated_minutes(seconds: int) -> int:
    """Minutes to say, rounded to the nearest 5 above 10 (an estimate, not a promise)."""
    minutes = max(1, round(seconds / 60))
    return minutes if minutes <= 10 else 5 * round(minutes / 5)  # pragma: no mutate (< same)


def session_seconds(
    plan: DayPlan, catalogue: Mapping[str, Exercise], *, timing: Timing = TIMING
) -> int:
    """How long the day's session takes, every exercise's setup and pain question included."""
    return sum(
        estimated_seconds(catalogue[e.exercise_id], e.dose, timing=timing) for e in plan.exercises
    )


def routine_seconds(
    routine: Iterable[PlannedExercise],
    catalogue: Mapping[str, Exercise],
    *,
    timing: Timing = TIMING,
) -> int:
    """How long the daily routine takes: each exercise's setup and steps, no pain question
    (domain/routine.py: the routine asks none)."""
    return sum(
        estimated_seconds(catalogue[e.exercise_id], e.dose, timing=timing, asked=False)
        for e in routine
    )
