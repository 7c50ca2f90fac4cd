"""The program as a FHIR CarePlan: the current phase's exercises, doses and training days.

Each activity is coded twice: SNOMED CT's exercise therapy, which a record system knows,
and lumbar's own exercise id, which says which exercise (formats/fhir_codes.py). A dose
with a weight also carries it as a Quantity in UCUM (`detail.quantity`, docs/handouts.md
says why there).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from lumbar.content.load import Content
from lumbar.content.wording import held_lb, weight_amount
from lumbar.domain.loads import Unit
from lumbar.domain.model import (
    WEEKDAY_NAMES,
    DayPlan,
    Dose,
    History,
    Kind,
    PlannedExercise,
    Range,
    SessionLog,
    Status,
    TrainingDays,
)
from lumbar.domain.plan import plan_day
from lumbar.domain.program import Program
from lumbar.formats.fhir_codes import (
    EXERCISE_SYSTEM,
    EXERCISE_THERAPY,
    UCUM,
    UCUM_CODES,
    coding,
    concept,
    reference,
    snomed,
)
from lumbar.formats.views import describe_dose, phase_goal

CAREPLAN_TITLE = "Home exercise program for lower back pain"


def careplan(
    status: Status, history: History, program: Program, content: Content, patient: str
) -> dict[str, Any]:
    """The program on the day of `status`: `on-hold` while it is paused."""
    paused = status.plan.kind is Kind.BLOCKED
    phase = program.phase(status.phase)
    planned = _planned(status, history, program)
    timing = _timing(program.training_days)
    activities = [
        _activity(
            p.exercise_id,
            planned.get(p.exercise_id),
            p.steps[0],
            content,
            timing,
            paused,
            history.profile.unit,
        )
        for p in phase.prescriptions
    ]
    return {
        "resourceType": "CarePlan",
        "status": "on-hold" if paused else "active",
        "intent": "plan",
        "title": CAREPLAN_TITLE,
        "description": f"Phase {phase.number} of {program.last_phase}: {phase.name}. "
        + phase_goal(phase, program, history.profile.unit),
        "subject": reference(patient),
        "period": {"start": history.profile.start.isoformat()},
        "activity": activities,
    }


def _planned(status: Status, history: History, program: Program) -> Mapping[str, PlannedExercise]:
    """Each exercise of the current phase at the dose the person does it at next.

    Today's plan when today's session is still to do; else the next session's, unless it
    opens another phase; else the latest session's (as it was prescribed), when the program
    is paused. Empty when none is in the current phase: the activities then give the phase's
    first dose step.
    """
    for plan in _plans(status, history, program):
        if plan.phase == status.phase and plan.exercises:
            return {e.exercise_id: e for e in plan.exercises}
    return {}


def _plans(status: Status, history: History, program: Program) -> Iterator[DayPlan]:
    """The plans that may hold the current doses, best first, each made only when needed."""
    if status.plan.kind is Kind.SESSION and not status.plan.completed:
        yield status.plan
    if status.next_session is not None:
        yield plan_day(status.next_session, history, program)
    sessions = [e.on for e in history.events if isinstance(e, SessionLog)]
    if sessions:
        yield plan_day(sessions[-1], history, program)


def _timing(days: TrainingDays) -> dict[str, Any]:
    """How often: three fixed weekdays a week, or one day in two (3 and 4 in alternate weeks)."""
    if days.every_other_day:
        return {"repeat": {"frequency": 1, "period": 2, "periodUnit": "d"}}
    weekdays = [WEEKDAY_NAMES[d] for d in sorted(days.weekdays)]
    # FHIR's days-of-week codes are lumbar's weekday names: mon, tue, ... sun.
    repeat = {"frequency": len(weekdays), "period": 1, "periodUnit": "wk", "dayOfWeek": weekdays}
    return {"repeat": repeat}


def _activity(
    exercise_id: str,
    planned: PlannedExercise | None,
    first_dose: Dose,
    content: Content,
    timing: dict[str, Any],
    paused: bool,
    unit: Unit,
) -> dict[str, Any]:
    exercise = content.catalogue[exercise_id]
    dose = first_dose if planned is None else planned.dose
    description = describe_dose(dose, per_side=exercise.per_side, unit=unit)
    if planned is not None and planned.range is Range.REDUCED:
        description += f"; at reduced range: {exercise.reduced_range}"
    detail = {
        "kind": "ServiceRequest",
        "code": concept(
            exercise.name,
            snomed(EXERCISE_THERAPY),
            coding(EXERCISE_SYSTEM, exercise_id, exercise.name),
        ),
        "status": "on-hold" if paused else "in-progress",
        "scheduledTiming": timing,
        "description": description,
    }
    quantity = _load_quantity(dose, unit)
    if quantity is not None:
        detail["quantity"] = quantity
    return {"detail": detail}


def _load_quantity(dose: Dose, unit: Unit) -> dict[str, Any] | None:
    """The weight the dose asks the person to hold, for a record system to read as a
    number (docs/handouts.md says why `detail.quantity`): in the person's unit, to the nearest
    half as the description says it, so that the two never disagree."""
    held = held_lb(dose)
    if held is None:
        return None
    return {
        "value": weight_amount(held, unit),
        "unit": unit.value,
        "system": UCUM,
        "code": UCUM_CODES[unit],
    }
