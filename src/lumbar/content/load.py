"""Load the content files, validate them, and build the catalogue and the default program.

Content is data: one TOML file per kind. Loading has two steps:

1. validate each file's shape with pydantic (`schema.py`), giving plain, checked data;
2. build the domain values from that data, checking what spans files (every phase names
   known exercises, every rule has a message) and every safety rule (the domain refuses a
   loaded spinal flexion exercise or an unsafe program).

Step 1 costs more than the whole start-up budget of `lumbar today` (pydantic alone takes
about 100 ms to import), so its result is cached, like Python's bytecode, in `__pycache__`
beside the files, keyed by a hash of their bytes: a changed byte validates again. Step 2,
with every safety check, runs on every load.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lumbar import __version__
from lumbar.content.wording import DAY_FACTS, DERIVED_FACTS, Wording, template_fields
from lumbar.domain.decisions import Decision
from lumbar.domain.dosage import steep_steps
from lumbar.domain.escalation import ENGINE_ALERTS
from lumbar.domain.exercise import Version
from lumbar.domain.loads import HouseholdLoad
from lumbar.domain.model import Dose, Exercise, Level, Moment, SpinalFlexion
from lumbar.domain.program import (
    Gate,
    N,
    Phase,
    Prescription,
    Program,
    Thresholds,
    UnsafeProgram,
    household_refusals,
    numbers_from,
)
from lumbar.domain.routine import RoutineExercise
from lumbar.domain.rules import RULES, RuleId
from lumbar.domain.schedule import training_days_from_names
from lumbar.domain.screening import RED_FLAGS

CONTENT_DIR = Path(__file__).parent
FILES = ("exercises", "phases", "program", "education", "screening", "messages", "household")
CACHE_FORMAT = 1
"""Bump when the shape of the validated data changes, so old caches are not read."""


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

    def about(self, day: str) -> Content:
        """The same content, its sentences about `day` ("Wed 9 Dec") instead of today."""
        return dataclasses.replace(self, wording=self.wording.about(day))


SCHEMA_FILE = Path(__file__).with_name("schema.py")


@functools.cache
def default_content() -> Content:
    """The content shipped with lumbar, loaded once per process (validation cached)."""
    return load_content(CONTENT_DIR, cache=CONTENT_DIR / "__pycache__")


def load_content(directory: Path, *, cache: Path | None = None) -> Content:
    """Validate and build the content in `directory`; `cache` reuses earlier validations."""
    raw = {name: _read(directory, name) for name in FILES}
    digest = hashlib.sha256(f"{__version__}/{CACHE_FORMAT}".encode())
    # The schema's own text too: a checked field added there must not be read from a cache
    # made before it (the cache holds data as the schema then left it).
    digest.update(SCHEMA_FILE.read_bytes())
    for name in FILES:
        digest.update(raw[name])
    cached = None if cache is None else cache / f"content-{digest.hexdigest()[:20]}.json"
    data = _read_cache(cached)
    if data is None:
        data = validate(raw)
        _write_cache(cached, data)
    return build(data)


def _read(directory: Path, name: str) -> bytes:
    path = directory / f"{name}.toml"
    try:
        return path.read_bytes()
    except OSError as error:
        raise ContentError(f"{path.name}: cannot read it ({error.strerror})") from error


def validate(raw: Mapping[str, bytes]) -> dict[str, Any]:
    """Check each file's shape with pydantic; return the checked data as plain values."""
    from pydantic import BaseModel, ValidationError

    from lumbar.content import schema

    models: dict[str, type[BaseModel]] = {
        "exercises": schema.CatalogueFile,
        "phases": schema.PhasesFile,
        "program": schema.ProgramFile,
        "education": schema.EducationFile,
        "screening": schema.ScreeningFile,
        "messages": schema.MessagesFile,
        "household": schema.HouseholdFile,
    }
    checked: dict[str, Any] = {}
    for name, model in models.items():
        try:
            data = tomllib.loads(raw[name].decode("utf-8"))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            raise ContentError(f"{name}.toml: not valid TOML ({error})") from error
        try:
            checked[name] = model.model_validate(data).model_dump(mode="json")
        except ValidationError as error:
            raise ContentError(f"{name}.toml: {_first_problem(error, data)}") from error
    return checked


def _first_problem(error: Any, data: dict[str, Any]) -> str:
    problem = error.errors()[0]
    location = list(problem["loc"])
    where = ".".join(str(part) for part in location)
    if len(location) >= 2 and isinstance(location[1], int):
        entries = data.get(str(location[0]), [])
        if isinstance(entries, list) and location[1] < len(entries):
            entry = entries[location[1]]
            if isinstance(entry, dict) and "id" in entry:
                inside = ".".join(str(part) for part in location[2:])
                where = f"{entry['id']!r}" + (f": {inside}" if inside else "")
    message = str(problem["msg"]).removeprefix("Value error, ")
    return f"{where}: {message}"


def _read_cache(path: Path | None) -> dict[str, Any] | None:
    if path is None:
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and set(data) == set(FILES) else None


def _write_cache(path: Path | None, data: dict[str, Any]) -> None:
    """Best effort: a read-only install simply validates on every load."""
    if path is None:
        return
    try:
        path.parent.mkdir(exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(json.dumps(data), encoding="utf-8")
        partial.replace(path)
    except OSError:
        return


def build(data: Mapping[str, Any]) -> Content:
    """Build the domain values from validated data, with every cross-file and safety check."""
    messages: dict[str, str] = data["messages"]["rules"]
    _check_messages(messages)
    titles: dict[str, str] = data["messages"]["milestones"]
    if set(titles) != {moment.value for moment in Moment}:
        raise ContentError(
            f"messages.toml: [milestones] needs a title for each of {[m.value for m in Moment]}"
        )
    screening: dict[str, dict[str, str]] = data["screening"]["symptom"]
    _check_symptoms(screening.keys())
    symptoms = {
        code: Symptom(code, RED_FLAGS[code], text["label"], text["question"])
        for code, text in screening.items()
    }
    entries: list[dict[str, Any]] = data["exercises"]["exercise"]
    wording = Wording(
        messages=messages,
        exercise_names={entry["id"]: entry["name"] for entry in entries},
        symptom_labels={
            **{code: s.label for code, s in symptoms.items()},
            **_alert_labels(data["messages"]["alerts"]),
        },
        milestone_titles=titles,
    )
    catalogue = {entry["id"]: _exercise(entry, wording) for entry in entries}
    household = tuple(
        HouseholdLoad(item["id"], item["words"], item["kg"]) for item in data["household"]["load"]
    )
    program = _program(data["phases"], data["program"], catalogue, wording, household)
    signs = _sign_lists(symptoms)
    topics = {
        t["id"]: Topic(t["id"], t["title"], t["summary"], _with_signs(t["body"], signs).strip())
        for t in data["education"]["topic"]
    }
    return Content(catalogue, program, topics, symptoms, wording)


SIGN_LISTS = {
    "{emergency_signs}": Level.EMERGENCY,
    "{urgent_signs}": Level.URGENT,
    "{soon_signs}": Level.SEE_CLINICIAN,
}
"""Placeholders in education.toml that become the screening's own list of each tier, so
that what a topic (the safety information) lists is what the screening asks."""


def _sign_lists(symptoms: Mapping[str, Symptom]) -> dict[str, str]:
    return {
        placeholder: "\n".join(f"- {s.label};" for s in symptoms.values() if s.level is level)
        for placeholder, level in SIGN_LISTS.items()
    }


def _with_signs(body: str, signs: Mapping[str, str]) -> str:
    for placeholder, listed in signs.items():
        body = body.replace(placeholder, listed)
    return body


def _exercise(entry: Mapping[str, Any], wording: Wording) -> Exercise:
    if entry["spinal_flexion"] == "loaded":
        refusal = Decision(RuleId.CONTENT_NO_LOADED_FLEXION, {"exercise": entry["id"]})
        raise ContentError(f"exercises.toml: {entry['id']!r}: {wording.say(refusal)}")
    doses = {
        int(phase): tuple(
            Dose(d["sets"], d["reps"], d["hold"], d["rest"], d["load"], d["variant"]) for d in steps
        )
        for phase, steps in entry["doses"].items()
    }
    return Exercise(
        id=entry["id"],
        name=entry["name"],
        category=entry["category"],
        purpose=entry["purpose"],
        steps=tuple(entry["steps"]),
        tips=tuple(entry["tips"]),
        muscles=tuple(entry["muscles"]),
        equipment=tuple(entry["equipment"]),
        spinal_flexion=SpinalFlexion(entry["spinal_flexion"]),
        per_side=entry["per_side"],
        reduced_range=entry["reduced_range"],
        doses=doses,
        stretches=tuple(entry["stretches"]),
        cautions=tuple(entry["cautions"]),
        variants=tuple(_version(v) for v in entry["variant"]),
        alternatives=tuple(_version(a) for a in entry["alternative"]),
    )


def _version(entry: Mapping[str, Any]) -> Version:
    return Version(
        id=entry["id"],
        name=entry["name"],
        steps=tuple(entry["steps"]),
        equipment=tuple(entry["equipment"]),
        place=entry.get("place"),
        cautions=tuple(entry.get("cautions", ())),
    )


def _program(
    phases_file: Mapping[str, Any],
    program_file: Mapping[str, Any],
    catalogue: dict[str, Exercise],
    wording: Wording,
    household: tuple[HouseholdLoad, ...] = (),
) -> Program:
    phases = []
    for phase in phases_file["phase"]:
        number = phase["number"]
        prescriptions = []
        warm_up = set(phase["warm_up"])
        for exercise_id in phase["warm_up"] + phase["exercises"]:
            exercise = catalogue.get(exercise_id)
            if exercise is None:
                raise ContentError(f"phases.toml: phase {number}: unknown exercise {exercise_id!r}")
            steps = exercise.doses.get(number)
            if steps is None:
                raise ContentError(
                    f"exercises.toml: {exercise_id!r} has no doses for phase {number}"
                )
            prescriptions.append(Prescription(exercise_id, steps, exercise_id in warm_up))
        phases.append(Phase(number, phase["name"], phase["goal"], tuple(prescriptions)))
    try:
        program = Program(
            exercises=catalogue,
            phases=tuple(phases),
            gate=_numbers(Gate, program_file["gate"], "gate"),
            thresholds=_numbers(Thresholds, program_file["thresholds"], "thresholds"),
            training_days=training_days_from_names(program_file["training_days"]),
            daily_routine=tuple(
                RoutineExercise(e["exercise"], _plain_dose(e["dose"]))
                for e in program_file["daily_routine"]
            ),
            max_load_lb=program_file["max_load_lb"],
            maintenance_per_week=program_file["maintenance_per_week"],
            household_loads=household,
        )
    except UnsafeProgram as error:
        reasons = "; ".join(wording.say(refusal) for refusal in error.refusals)
        raise ContentError(f"program refused: {reasons}") from error
    except ValueError as error:
        raise ContentError(f"program.toml / phases.toml: {error}") from error
    for name, refusals in (
        ("exercises", steep_steps(program)),
        ("household", household_refusals(program)),
    ):
        if refusals:
            reasons = "; ".join(wording.say(refusal) for refusal in refusals)
            raise ContentError(f"{name}.toml: {reasons}")
    return program


def _plain_dose(dose: Mapping[str, Any]) -> Dose:
    return Dose(dose["sets"], dose["reps"], dose["hold"], dose["rest"])


def _numbers(kind: type[N], table: Mapping[str, Any], where: str) -> N:
    try:
        return numbers_from(kind, table)
    except ValueError as error:
        raise ContentError(f"program.toml: [{where}]: {error}") from error


def _alert_labels(labels: Mapping[str, str]) -> Mapping[str, str]:
    """The labels of the alerts the engine raises itself, one for each (domain/escalation.py)."""
    missing = sorted(set(ENGINE_ALERTS) - set(labels))
    if missing:
        raise ContentError(f"messages.toml: [alerts] has no label for {missing[0]!r}")
    unknown = sorted(set(labels) - set(ENGINE_ALERTS))
    if unknown:
        raise ContentError(f"messages.toml: [alerts]: {unknown[0]!r} is not an alert")
    return labels


def _check_messages(messages: Mapping[str, str]) -> None:
    missing = sorted(set(RULES) - set(messages))
    if missing:
        raise ContentError(f"messages.toml: no message for rule {missing[0]!r}")
    unknown = sorted(set(messages) - set(RULES))
    if unknown:
        raise ContentError(f"messages.toml: {unknown[0]!r} is not a rule")
    for key, template in messages.items():
        rule_id = RuleId(key)
        extra = template_fields(template) - set(RULES[rule_id].facts)
        extra -= DERIVED_FACTS.get(key, frozenset()) | DAY_FACTS
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
