"""The session player's steps as the page carries them (issue #16).

`domain/timeline.py` says how a dose runs; this module adds the words: what the player
shows at each step (`show`, and `where` for the counter line) and what it says aloud
(`say`). The page's script (`web/static/player.js`) runs these steps as they come, so the
dose rules and the wording stay here, in Python, where the tests read them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from lumbar.content.wording import load_text
from lumbar.domain.dose import Dose
from lumbar.domain.exercise import Exercise
from lumbar.domain.loads import Unit
from lumbar.domain.model import PlannedExercise
from lumbar.domain.timeline import (
    TIMING,
    Step,
    StepKind,
    estimated_minutes,
    estimated_seconds,
    exercise_timeline,
)

SHOWN = {
    StepKind.GET_READY: "Get ready",
    StepKind.HOLD: "Hold",
    StepKind.RELEASE: "Release",
    StepKind.SWITCH_SIDES: "Switch sides",
    StepKind.REST: "Rest",
    StepKind.BREATHE_IN: "Breathe in",
    StepKind.BREATHE_OUT: "Breathe out",
}
"""The big word of each timed step (reps at one's own pace say how many instead)."""


def player_steps(exercise: Exercise, dose: Dose, name: str) -> list[dict[str, Any]]:
    """Each step of the exercise at this dose, with its words: `name` is the name taught
    (a variant's or an alternative's), said as the first step begins."""
    steps = exercise_timeline(exercise, dose)
    shown = []
    previous: Step | None = None
    for index, step in enumerate(steps):
        shown.append(_step_json(step, previous, name if index == 0 else None))
        previous = step
    return shown


def _step_json(step: Step, previous: Step | None, name: str | None) -> dict[str, Any]:
    found: dict[str, Any] = {
        "kind": step.kind.value,
        "seconds": step.seconds,
        "set": step.set,
        "sets": step.sets,
        "side": step.side,
        "rep": step.rep,
        "reps": step.reps,
        "last": step.last_rep,
        "show": _show(step),
        "where": _where(step),
        "say": _say(step, previous, name),
    }
    if step.kind is StepKind.REPS:
        # Counted for the person when they choose it: one rep every few seconds, the count
        # said aloud ("1", "2", …, "Last one"); otherwise they tap Done.
        found["pace"] = TIMING.seconds_per_rep
        found["counted"] = f"Do {step.reps}{_on_side(step)}, with me."
        reps = step.reps or 1
        found["counts"] = [str(n) for n in range(1, reps)] + ["Last one." if reps > 1 else "1"]
    return {key: value for key, value in found.items() if value is not None}


def _show(step: Step) -> str:
    if step.kind is StepKind.REPS:
        return f"Do {step.reps}{_on_side(step)}"
    return SHOWN[step.kind]


def _on_side(step: Step) -> str:
    return "" if step.side is None else f" on the {step.side}"


def _where(step: Step) -> str:
    """The counter line: the side, the rep or breath, the set."""
    parts = []
    if step.kind is StepKind.REST:
        return f"Set {step.set} of {step.sets} done. Next: set {step.set + 1}"
    if step.kind is StepKind.SWITCH_SIDES:
        return "Left side done. Next: the right side"
    if step.side is not None:
        parts.append(f"{step.side} side")
    if step.kind in (StepKind.BREATHE_IN, StepKind.BREATHE_OUT):
        parts.append(f"breath {step.rep} of {step.reps}")
    elif step.kind is StepKind.HOLD and (step.reps or 1) > 1:
        parts.append(f"hold {step.rep} of {step.reps}")
    elif step.kind is StepKind.REPS:
        parts.append("at your own pace")
    if step.sets > 1:
        parts.append(f"set {step.set} of {step.sets}")
    text = " · ".join(parts)
    return text[:1].upper() + text[1:]


def _say(step: Step, previous: Step | None, name: str | None) -> str:
    """What the voice says as the step begins: short enough to finish within it."""
    released = "Release. " if previous is not None and previous.kind is StepKind.HOLD else ""
    match step.kind:
        case StepKind.GET_READY:
            return _say_get_ready(step, name)
        case StepKind.HOLD:
            reps = step.reps or 1
            if reps == 1:
                return f"Hold for {step.seconds} seconds."
            if step.rep == reps:
                return "Last one. Hold."
            return f"Hold. {step.rep} of {reps}." if step.rep == 1 else f"Hold. {step.rep}."
        case StepKind.RELEASE:
            return "Release."
        case StepKind.REPS:
            return f"Do {step.reps}{_on_side(step)}, at your own pace. Then tap Done."
        case StepKind.SWITCH_SIDES:
            return f"{released}Switch sides."
        case StepKind.REST:
            following = f"Then set {step.set + 1} of {step.sets}."
            return f"{released}Rest for {step.seconds} seconds. {following}"
        case StepKind.BREATHE_IN:
            return "Last breath. Breathe in." if step.rep == step.reps else "Breathe in."
        case StepKind.BREATHE_OUT:
            return "Breathe out."


def _say_get_ready(step: Step, name: str | None) -> str:
    lead = []
    if name is not None:
        lead.append(f"{name}.")
    where = []
    if step.sets > 1 and step.side in (None, "left"):
        where.append(f"Set {step.set} of {step.sets}")
    if step.side is not None:
        where.append(f"{step.side} side")
    if where:
        text = ", ".join(where)
        lead.append(f"{text[:1].upper()}{text[1:]}: get ready.")
    else:
        lead.append("Get ready.")
    return " ".join(lead)


def spoken_dose(
    dose: Dose, *, per_side: bool, paced: bool = False, unit: Unit | None = None
) -> str:
    """The dose as it is said: '2 sets of 6 a side, hold 3 seconds'; with the person's
    unit, its load too ('with 6 kilograms'); without one, the load is left unsaid."""
    side = " a side" if per_side else ""
    if paced:
        breaths = f"{dose.reps or 1} slow breaths"
        text = breaths if dose.sets == 1 else f"{dose.sets} sets of {breaths}"
    elif dose.reps is not None:
        text = f"{dose.sets} sets of {dose.reps}" if dose.sets > 1 else f"{dose.reps} reps"
        text += side
        if dose.hold_seconds is not None:
            text += f", hold {dose.hold_seconds} seconds"
    else:
        holds = "holds" if dose.sets > 1 else "hold"
        text = f"{dose.sets} {holds} of {dose.hold_seconds} seconds{side}"
    load = None if unit is None else load_text(dose, unit, spoken=True)
    if load is not None:
        text += f", with {load}"
    return text


def next_cue(exercise: Exercise, dose: Dose, name: str, unit: Unit | None = None) -> str:
    """Said when the player moves on to the exercise: 'Next: Dead bug, 2 sets of 6 a side.'"""
    paced = exercise.category == "breathing"
    return f"Next: {name}, {spoken_dose(dose, per_side=exercise.per_side, paced=paced, unit=unit)}."


def done_cue(name: str) -> str:
    """Said when the exercise's last step ends: the pain question, read aloud."""
    return f"Exercise done. How did {name} feel?"


def at_own_pace(exercise: Exercise, dose: Dose) -> bool:
    """Whether some of its reps are done at the person's own pace (untimed)."""
    return any(s.kind is StepKind.REPS for s in exercise_timeline(exercise, dose))


def steps_attribute(exercise: Exercise, dose: Dose, name: str) -> str:
    """The steps as compact JSON, for the page's `data-steps` (Jinja escapes it)."""
    return json.dumps(player_steps(exercise, dose, name), separators=(",", ":"))


def minutes_left(planned: Iterable[PlannedExercise], catalogue: Mapping[str, Exercise]) -> int:
    """The estimated minutes of these exercises (the rest of a session)."""
    seconds = sum(estimated_seconds(catalogue[p.exercise_id], p.dose) for p in planned)
    return estimated_minutes(seconds)
