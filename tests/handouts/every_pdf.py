"""Every PDF lumbar makes, made from real domain values for the tests that read them back:
the handout of each phase with every exercise of that phase (A4 and Letter), as they
are and as their alternatives, the handout a clinician's prescription prints (with its
notes, and the versions of later steps), the paused handout, and the clinician summary
after a week and after a year."""

from __future__ import annotations

import dataclasses
import functools
from datetime import timedelta

from lumbar.content.load import default_content
from lumbar.domain.equipment import fit_planned
from lumbar.domain.model import CheckIn, History, PlannedExercise, Range
from lumbar.domain.plan import program_status
from lumbar.domain.program import Prescription, Program
from lumbar.domain.progress import progress_report
from lumbar.domain.reminders import Reminders
from lumbar.figures.load import drawings_for
from lumbar.formats.documents import SIZES, handout_html, summary_html
from lumbar.formats.pdf import write_pdf
from tests import builders

NOTES = "Keep the squat shallow for two weeks; call me if the leg tingles."
ON = builders.day(9)


def _history() -> tuple[History, Program]:
    program = builders.program()
    history = builders.Follower(program, builders.history(), weekly=4).follow(ON)
    return history, program


def _planned(prescription: Prescription, versions: str) -> PlannedExercise:
    """The exercise at its first dose step (as a paused program prints it); with `versions`
    "last", at the last step that names a version (the lunge's turn); with "alternative",
    as its first alternative (the squat's sit to stand)."""
    step = prescription.steps[0]
    version = step.variant
    if versions == "last":
        step = next((s for s in reversed(prescription.steps) if s.variant), step)
        version = step.variant
    elif versions == "alternative":
        others = default_content().catalogue[prescription.exercise_id].alternatives
        version = others[0].id if others else version
    return PlannedExercise(
        prescription.exercise_id,
        step,
        Range.FULL,
        0,
        version=version,
        warm_up=prescription.warm_up,
    )


def _handout(
    phase: int, size: str, *, notes: str = "", paused: bool = False, versions: str = "first"
) -> str:
    """The handout of `phase` with every exercise the phase prescribes, so nothing a phase
    holds goes untested."""
    content = default_content()
    history, program = _history()
    if paused:
        fever = CheckIn(ON, None, None, ("fever",))
        history = History.of(history.profile, [*history.events, fever])
    status = dataclasses.replace(program_status(ON, history, program), phase=phase)
    exercises = fit_planned(
        (_planned(p, versions) for p in program.phase(phase).prescriptions),
        history.profile.equipment,
        program,
    )
    return handout_html(
        on=ON,
        content=content,
        drawings=drawings_for(content),
        program=program,
        status=status,
        exercises=exercises,
        reminders=Reminders(),
        size=size,
        unit=history.profile.unit,
        notes=notes,
    )


def _summary(*, year: bool = False) -> str:
    """The summary after the first week, or after a year of sessions with the odd ache
    (so many rows that it is laid out compact)."""
    content = default_content()
    history, program = builders.a_year_of_history() if year else _history()
    later = history.events[-1].on + timedelta(days=1)
    return summary_html(
        on=later,
        content=content,
        history=history,
        program=program,
        progress=progress_report(later, history, program),
        problems=[],
    )


NAMES = (
    *(f"handout-phase-{p}-{s}" for p in (1, 2, 3) for s in SIZES),
    *(f"handout-alternatives-{p}" for p in (1, 2, 3)),
    "handout-prescribed",
    "handout-paused",
    "summary",
    "summary-year",
)
"""Every PDF the tests make, by name."""


def html(name: str) -> str:
    if name.startswith("summary"):
        return _summary(year=name == "summary-year")
    if name == "handout-prescribed":
        return _handout(3, "a4", notes=NOTES, versions="last")
    if name.startswith("handout-alternatives-"):
        number = int(name[-1])
        return _handout(number, "letter" if number == 2 else "a4", versions="alternative")
    if name == "handout-paused":
        return _handout(1, "letter", paused=True)
    _, _, phase, size = name.split("-")
    return _handout(int(phase), size)


@functools.cache
def pdf(name: str) -> bytes:
    """The PDF, made once per test run (WeasyPrint takes about a second a page)."""
    return write_pdf(html(name), out_name=name, one_page=True)
