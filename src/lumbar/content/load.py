"""Load the content files, validate them, and build the catalogue and the default program.

Content is data: one TOML file per kind, validated here at load. Anything wrong (a missing
field, an unknown exercise in a phase, a loaded spinal flexion exercise) stops the load with
a message that names the file and the entry.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from lumbar.content.schema import (
    CatalogueFile,
    EducationFile,
    ExerciseFile,
    MessagesFile,
    PhasesFile,
    ProgramFile,
    ScreeningFile,
)
from lumbar.content.wording import Wording, placeholders
from lumbar.domain.decisions import Decision
from lumbar.domain.model import Dose, Exercise, Level, SpinalFlexion
from lumbar.domain.program import Gate, Phase, Prescription, Program, Thresholds, UnsafeProgram
from lumbar.domain.rules import RULES
from lumbar.domain.schedule import training_days_from_names
from lumbar.domain.screening import RED_FLAGS

CONTENT_DIR = Path(__file__).parent
FILES = ("exercises", "phases", "program", "education", "screening", "messages")

_Model = TypeVar("_Model", bound=BaseModel)


class ContentError(ValueError):
    """The content files are not valid; the message names the file and the problem."""


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    title: str
    summary: str
    body: str


@dataclass(frozen=True, slots=True)
class Symptom:
    code: str
    level: Level
    label: str
    question: str


@dataclass(frozen=True, slots=True)
class Content:
    catalogue: Mapping[str, Exercise]
    program: Program
    """The default program; a person's program replaces only what they chose (their days)."""
    topics: Mapping[str, Topic]
    symptoms: Mapping[str, Symptom]
    wording: Wording

    def say(self, decision: Decision) -> str:
        return self.wording.say(decision)


@functools.cache
def default_content() -> Content:
    """The content shipped with lumbar, loaded once per process."""
    return load_content(CONTENT_DIR)


def load_content(directory: Path) -> Content:
    messages = _parse(directory, "messages", MessagesFile).rules
    _check_messages(messages)
    screening = _parse(directory, "screening", ScreeningFile).symptom
    _check_symptoms(screening.keys())
    symptoms = {
        code: Symptom(code, RED_FLAGS[code], text.label, text.question)
        for code, text in screening.items()
    }
    catalogue_file = _parse(directory, "exercises", CatalogueFile)
    names = {entry.id: entry.name for entry in catalogue_file.exercise}
    wording = Wording(
        messages=messages,
        exercise_names=names,
        symptom_labels={code: s.label for code, s in symptoms.items()},
    )
    catalogue = {entry.id: _exercise(entry, wording) for entry in catalogue_file.exercise}
    program = _program(directory, catalogue, wording)
    education = _parse(directory, "education", EducationFile)
    topics = {t.id: Topic(t.id, t.title, t.summary, t.body.strip()) for t in education.topic}
    return Content(catalogue, program, topics, symptoms, wording)


def _parse(directory: Path, name: str, model: type[_Model]) -> _Model:
    path = directory / f"{name}.toml"
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ContentError(f"{path.name}: cannot read it ({error.strerror})") from error
    except tomllib.TOMLDecodeError as error:
        raise ContentError(f"{path.name}: not valid TOML ({error})") from error
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise ContentError(f"{path.name}: {_first_problem(error, data)}") from error


def _first_problem(error: ValidationError, data: dict[str, Any]) -> str:
    problem = error.errors()[0]
    location = list(problem["loc"])
    where = ".".join(str(part) for part in location)
    if len(location) >= 2 and isinstance(location[1], int):
        entries = data.get(str(location[0]), [])
        if isinstance(entries, list) and location[1] < len(entries):
            entry = entries[location[1]]
            if isinstance(entry, dict) and "id" in entry:
                where = f"{entry['id']!r}: " + ".".join(str(part) for part in location[2:])
    return f"{where}: {problem['msg']}"


def _exercise(entry: ExerciseFile, wording: Wording) -> Exercise:
    if entry.spinal_flexion == "loaded":
        refusal = Decision("content.no_loaded_flexion", {"exercise": entry.id})
        raise ContentError(f"exercises.toml: {entry.id!r}: {wording.say(refusal)}")
    doses = {
        phase: tuple(Dose(d.sets, d.reps, d.hold, d.rest, d.load) for d in steps)
        for phase, steps in entry.doses.items()
    }
    return Exercise(
        id=entry.id,
        name=entry.name,
        category=entry.category,
        purpose=entry.purpose,
        steps=tuple(entry.steps),
        tips=tuple(entry.tips),
        muscles=tuple(entry.muscles),
        equipment=tuple(entry.equipment),
        spinal_flexion=SpinalFlexion(entry.spinal_flexion),
        per_side=entry.per_side,
        reduced_range=entry.reduced_range,
        doses=doses,
        stretches=tuple(entry.stretches),
    )


def _program(directory: Path, catalogue: dict[str, Exercise], wording: Wording) -> Program:
    phases_file = _parse(directory, "phases", PhasesFile)
    program_file = _parse(directory, "program", ProgramFile)
    phases = []
    for phase in phases_file.phase:
        prescriptions = []
        for exercise_id in phase.exercises:
            exercise = catalogue.get(exercise_id)
            if exercise is None:
                raise ContentError(
                    f"phases.toml: phase {phase.number}: unknown exercise {exercise_id!r}"
                )
            steps = exercise.doses.get(phase.number)
            if steps is None:
                raise ContentError(
                    f"exercises.toml: {exercise_id!r} has no doses for phase {phase.number}"
                )
            prescriptions.append(Prescription(exercise_id, steps))
        phases.append(Phase(phase.number, phase.name, phase.goal, tuple(prescriptions)))
    try:
        days = training_days_from_names(program_file.training_days)
        return Program(
            exercises=catalogue,
            phases=tuple(phases),
            gate=Gate(**program_file.gate.model_dump()),
            thresholds=Thresholds(**program_file.thresholds.model_dump()),
            training_days=days,
            daily_routine=tuple(program_file.daily_routine),
            max_load_lb=program_file.max_load_lb,
        )
    except UnsafeProgram as error:
        reasons = "; ".join(wording.say(refusal) for refusal in error.refusals)
        raise ContentError(f"program refused: {reasons}") from error
    except ValueError as error:
        raise ContentError(f"program.toml / phases.toml: {error}") from error


def _check_messages(messages: Mapping[str, str]) -> None:
    missing = sorted(set(RULES) - set(messages))
    if missing:
        raise ContentError(f"messages.toml: no message for rule {missing[0]!r}")
    unknown = sorted(set(messages) - set(RULES))
    if unknown:
        raise ContentError(f"messages.toml: {unknown[0]!r} is not a rule")
    for rule_id, template in messages.items():
        extra = placeholders(template) - set(RULES[rule_id].facts)
        if extra:
            raise ContentError(
                f"messages.toml: {rule_id!r} uses {sorted(extra)[0]!r}, which the rule does "
                f"not report (it reports {', '.join(RULES[rule_id].facts)})"
            )


def _check_symptoms(codes: Any) -> None:
    listed = set(codes)
    missing = sorted(set(RED_FLAGS) - listed)
    if missing:
        raise ContentError(f"screening.toml: no question for symptom {missing[0]!r}")
    unknown = sorted(listed - set(RED_FLAGS))
    if unknown:
        raise ContentError(f"screening.toml: {unknown[0]!r} is not a known symptom code")
