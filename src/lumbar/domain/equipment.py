"""Which load a dose uses: a weight the person has, or something from home (issue #17).

The program's loaded steps (phase 3) ask for 10 to 25 lb. A dose never asks for a weight
the person does not have: with weights of their own in that range, the step uses one of
theirs (`equipment.own_weight`); with none, a household load weighed out
(`equipment.household`), or, when theirs are all too light or too heavy, a household load
and a word that says so (`equipment.none_in_range`). Either way the load chosen is the
heaviest at or below the step's own (never more than the program asks), else the lightest
there is. Only steps that already carry a load get one: a load never lands on an exercise
that bends the spine (`content.no_load_in_flexion` holds for every program).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from lumbar.domain.decisions import Decision, Fact
from lumbar.domain.dose import Dose
from lumbar.domain.loads import Equipment
from lumbar.domain.model import PlannedExercise
from lumbar.domain.program import Program, load_range_lb, tenths_of_kg, within
from lumbar.domain.rules import RuleId


def fit_dose(
    exercise_id: str, dose: Dose, equipment: Equipment, program: Program
) -> tuple[Dose, Decision | None]:
    """The dose with a load the person has, and why it changed (None: it did not)."""
    if dose.load_lb is None:
        return dose, None
    low, high = load_range_lb(program)
    own = [w.lb for w in equipment.weights if within(w.lb, low, high)]
    if own:
        used = _pick(dose.load_lb, own)
        if used == dose.load_lb:
            return dose, None
        facts: dict[str, Fact] = {
            "exercise": exercise_id,
            "asked_lb": dose.load_lb,
            "used_lb": round(used, 2),
        }
        return replace(dose, load_lb=used), Decision(RuleId.EQUIPMENT_OWN_WEIGHT, facts)
    if not program.household_loads:
        return dose, None
    by_weight = {load.lb: load for load in program.household_loads}
    household = by_weight[_pick(dose.load_lb, by_weight)]
    rule = RuleId.EQUIPMENT_NONE_IN_RANGE if equipment.weights else RuleId.EQUIPMENT_HOUSEHOLD
    fitted = replace(dose, load_lb=household.lb, household=household)
    return fitted, Decision(rule, {"exercise": exercise_id, "household": household.id})


def fit_planned(
    exercises: Iterable[PlannedExercise], equipment: Equipment, program: Program
) -> tuple[PlannedExercise, ...]:
    """Each planned exercise with a load the person has (see `fit_dose`)."""
    fitted = []
    for planned in exercises:
        dose, why = fit_dose(planned.exercise_id, planned.dose, equipment, program)
        if why is None:
            fitted.append(planned)
        else:
            fitted.append(replace(planned, dose=dose, decisions=(*planned.decisions, why)))
    return tuple(fitted)


def _pick(asked: float, options: Iterable[float]) -> float:
    """The heaviest option at or below `asked` (to a tenth of a kilogram), else the
    lightest."""
    choices = sorted(options)
    below = [o for o in choices if tenths_of_kg(o) <= tenths_of_kg(asked)]
    return below[-1] if below else choices[0]
