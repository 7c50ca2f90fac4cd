"""A clinician's prescription: one patient's variant of the program, as a JSON document.

What may change: which catalogue exercises each phase holds and their dose steps, the
training days, the progression gate, the improvement thresholds, and notes for the patient.
Anything left out keeps the default from the content files. The document is checked twice:
its shape by pydantic (the same models as the content files), then the safety rules by
building the domain `Program`, which refuses loaded spinal flexion, a load on a bending
spine, loads over the limit, hamstring stretching and consecutive training days. A refusal
names every rule broken, in words, and nothing is written.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Annotated, Any

from pydantic import Field, ValidationError

from lumbar.content.load import Content
from lumbar.content.schema import DoseFile, _Strict
from lumbar.domain.dosage import steep_steps
from lumbar.domain.model import Dose, TrainingDays
from lumbar.domain.program import (
    Gate,
    OutOfOrder,
    Phase,
    Prescription,
    Program,
    Thresholds,
    UnsafeProgram,
    numbers_from,
)
from lumbar.domain.schedule import training_days_from_names
from lumbar.errors import UserError, refuse_hidden_characters
from lumbar.formats.validation import describe

NOTES_LIMIT = 2000
EXERCISE_NOTE_LIMIT = 300
"""A note on one exercise is a line or two ("keep the range small on the left"): it is
shown in the player above the exercise, where a longer text would push the movement off
the screen."""


class PrescribedExercise(_Strict):
    exercise: str = Field(min_length=1, max_length=60)
    steps: list[DoseFile] | None = Field(default=None, min_length=1, max_length=20)
    """The dose steps, from the first to the last; left out: the catalogue's for the phase."""


class PrescriptionDocument(_Strict):
    phases: dict[str, list[PrescribedExercise]] | None = None
    """By phase number ("1", "2", "3"); a phase left out keeps the default exercises."""
    training_days: list[str] | None = Field(default=None, min_length=1, max_length=7)
    gate: dict[str, int] | None = None
    """Only the gate's numbers that change (min_days, min_sessions, pain_free_days, ...);
    the rest keep their defaults."""
    thresholds: dict[str, float] | None = None
    """Only the thresholds that change; the rest keep their defaults."""
    notes: str = Field(default="", max_length=NOTES_LIMIT)
    exercise_notes: dict[str, Annotated[str, Field(max_length=EXERCISE_NOTE_LIMIT)]] | None = Field(
        default=None, max_length=100
    )
    """A note for the patient on single exercises, by exercise id: shown with that exercise
    in the player, the handout and the library. Only exercises the program holds."""


class PrescriptionRefused(UserError):
    """The prescription breaks a rule; `reasons` has one sentence for each."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("the prescription was refused: " + " ".join(reasons))
        self.reasons = reasons


@dataclass(frozen=True, slots=True)
class Prescribed:
    program: Program
    """The whole program with the prescription applied (safe: it was built)."""
    training_days: TrainingDays | None
    """The days the clinician set, or None to keep the patient's own choice."""
    notes: str
    document: PrescriptionDocument
    exercise_notes: Mapping[str, str] = field(default_factory=dict)
    """The clinician's note on each exercise that has one, as plain text."""


def parse(data: Any, content: Content, *, new: bool = True) -> Prescribed:
    """Check a prescription document (already parsed from JSON) and build its program.

    A `new` one's dose steps must also rise gently (`content.gentle_steps`); one stored
    before that rule keeps the steps its clinician chose then (docs/rules.md, Dosage)."""
    if not isinstance(data, dict):
        raise UserError("a prescription is a JSON object")
    try:
        document = PrescriptionDocument.model_validate(data, strict=False)
    except ValidationError as error:
        raise UserError(f"prescription: {describe(error)}") from error
    return _build(document, content, new=new)


def _build(document: PrescriptionDocument, content: Content, *, new: bool) -> Prescribed:
    default = content.program
    reasons: list[str] = []
    refuse_hidden_characters(document.notes, where="notes: ")
    phases = list(default.phases)
    for key, entries in (document.phases or {}).items():
        if key not in {str(p.number) for p in default.phases}:
            # Quoted as typed: a key can be any JSON string (a lone surrogate cannot even be
            # written back as UTF-8 unquoted).
            reasons.append(f"There is no phase {key!r}: the program has phases 1 to 3.")
            continue
        number = int(key)
        chosen: list[Prescription] = []
        seen: set[str] = set()
        for entry in entries:
            exercise = content.catalogue.get(entry.exercise)
            if exercise is None:
                reasons.append(f"Phase {number}: {entry.exercise!r} is not in the catalogue.")
                continue
            if entry.exercise in seen:
                reasons.append(f"Phase {number}: {exercise.name} is listed twice.")
                continue
            seen.add(entry.exercise)
            steps = (
                tuple(_dose(step) for step in entry.steps)
                if entry.steps is not None
                else exercise.doses.get(number)
            )
            if steps is None:
                reasons.append(
                    f"Phase {number}: {exercise.name} has no dose for this phase in the "
                    "catalogue: give its steps."
                )
                continue
            unknown = [d.variant for d in steps if d.variant and not exercise.variant(d.variant)]
            if unknown:
                names = ", ".join(v.id for v in exercise.variants) or "none"
                reasons.append(
                    f"Phase {number}: {exercise.name} has no variant {unknown[0]!r} "
                    f"(its variants: {names})."
                )
                continue
            default_entry = default.phase(number).prescription(entry.exercise)
            warm_up = default_entry is not None and default_entry.warm_up
            chosen.append(Prescription(entry.exercise, steps, warm_up))
        if not entries:
            reasons.append(f"Phase {number} needs at least one exercise.")
        old = default.phase(number)
        phases[number - 1] = Phase(number, old.name, old.goal, tuple(chosen))
    days: TrainingDays | None = None
    if document.training_days is not None:
        try:
            days = training_days_from_names(document.training_days)
        except ValueError as error:
            reasons.append(f"Training days: {error}.")
    thresholds = default.thresholds
    if document.thresholds:
        unknown = sorted(set(document.thresholds) - set(asdict(thresholds)))
        if unknown:
            reasons.append(f"There is no threshold {unknown[0]!r}.")
        else:
            merged = {**asdict(thresholds), **document.thresholds}
            try:
                thresholds = numbers_from(Thresholds, merged)
            except ValueError as error:
                reasons.append(f"Thresholds: {_threshold_problem(error, merged)}.")
    gate = default.gate
    if document.gate is not None:
        try:
            gate = numbers_from(Gate, {**asdict(gate), **document.gate})
        except ValueError as error:
            reasons.append(f"Gate: {error}.")
    if reasons:
        raise PrescriptionRefused(reasons)
    try:
        program = replace(
            default,
            phases=tuple(phases),
            gate=gate,
            thresholds=thresholds,
            training_days=days or default.training_days,
        )
    except UnsafeProgram as unsafe:
        raise PrescriptionRefused([_sentence(content.say(d)) for d in unsafe.refusals]) from None
    steep = steep_steps(program) if new else ()
    if steep:
        raise PrescriptionRefused([_sentence(content.say(d)) for d in steep])
    notes = _exercise_notes(document, content, program)
    return Prescribed(program, days, document.notes.strip(), document, notes)


def _exercise_notes(
    document: PrescriptionDocument, content: Content, program: Program
) -> dict[str, str]:
    """The notes on single exercises, blank ones left out. A note on an exercise that is
    not in the program would never be read: it is refused, with the exercise named."""
    held = {p.exercise_id for phase in program.phases for p in phase.prescriptions}
    notes: dict[str, str] = {}
    reasons: list[str] = []
    for exercise_id, text in (document.exercise_notes or {}).items():
        exercise = content.catalogue.get(exercise_id)
        if exercise is None:
            reasons.append(f"A note is on {exercise_id!r}, which is not in the catalogue.")
            continue
        refuse_hidden_characters(text, where=f"the note on {exercise.name}: ")
        if not text.strip():
            continue
        if exercise_id not in held:
            reasons.append(
                f"The note on {exercise.name} would not be read: the program does not "
                "hold that exercise."
            )
            continue
        notes[exercise_id] = text.strip()
    if reasons:
        raise PrescriptionRefused(reasons)
    return notes


def _threshold_problem(error: ValueError, merged: dict[str, Any]) -> str:
    """What is wrong with the thresholds. A rule between two of them (the pain bands in
    order) is said with the two values it compared, not with the whole set of thresholds,
    most of them defaults the clinician did not send."""
    if isinstance(error, OutOfOrder):
        compared = ", ".join(f"{name} is {merged[name]:g}" for name in error.names)
        return f"{error} ({compared})"
    return str(error)


def _dose(step: DoseFile) -> Dose:
    return Dose(step.sets, step.reps, step.hold, step.rest, step.load, step.variant)


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def to_json(document: PrescriptionDocument) -> str:
    """The stored form: stable key order, defaults left out."""
    return json.dumps(document.model_dump(exclude_none=True, exclude_defaults=True), sort_keys=True)


_BUILT: dict[tuple[int, str], Prescribed] = {}
KEPT = 256


def from_stored(text: str, content: Content) -> Prescribed:
    """A stored prescription, built once per text and content (it was checked when it was
    written; it is checked again here, so it can never bypass a safety rule added since,
    but its dose steps keep their clinician's choice: `parse`)."""
    key = (id(content), text)
    found = _BUILT.get(key)
    if found is None:
        if len(_BUILT) >= KEPT:
            _BUILT.clear()
        found = _BUILT[key] = parse(json.loads(text), content, new=False)
    return found
