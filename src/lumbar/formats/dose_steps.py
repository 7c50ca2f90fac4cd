"""The dose steps as a clinician types them in the prescription form, in the patient's unit.

One step per line or separated by ";", each "SETSxREPS" or "SETS sets", then any of "hold N",
"rest N", "load N" (seconds, seconds, a weight) and "variant ID" (an easier version of the
exercise): "2x8 hold 3 rest 45; 3x10 hold 3 rest 45"; "3x8 rest 60 load 4.5 kg".

A load is read and shown in the patient's own unit (issue #17), as every other page shows
them their weights: "load 6.8 kg" for a patient who reads kilograms, "load 15 lb" for one
who reads pounds. A bare "load 7" is in the patient's unit; "kg" or "lb" after it says the
unit outright. The prescription document keeps pounds in halves (`DoseFile.load`, as the
content files do), so a load in kilograms is kept as the nearest half pound; it is shown to
a tenth of a kilogram, which gives the same half pound back, so a form sent back unchanged
changes nothing. A load outside the program's light weights (10 to 25 lb, D1-5, read as
`domain.program.within` reads them: 4.5 to 11.3 kg) is refused beside its field, in the
patient's unit, and nothing is written.
"""

from __future__ import annotations

import re

from lumbar.domain.dose import Dose
from lumbar.domain.loads import KG_PER_LB, Unit
from lumbar.domain.program import tenths_of_kg, within
from lumbar.errors import UserError

_STEP = re.compile(
    r"^(?P<sets>\d{1,2})\s*(?:x\s*(?P<reps>\d{1,2})|sets?)"
    r"(?:\s+hold\s+(?P<hold>\d{1,3}))?(?:\s+rest\s+(?P<rest>\d{1,3}))?"
    r"(?:\s+load\s+(?P<load>\d{1,3}(?:\.\d{1,2})?)\s*(?P<unit>kgs?|lbs?)?)?"
    r"(?:\s+variant\s+(?P<variant>[a-z]+(?:-[a-z]+)*))?$"
)


def load_shown(lb: float, unit: Unit) -> str:
    """A load as the form shows it: '15 lb' (to the half pound the document keeps), or
    '6.8 kg' (to a tenth of a kilogram, which reads back as the same half pound)."""
    amount = round(lb * 2) / 2 if unit is Unit.LB else tenths_of_kg(lb)
    return f"{amount:g} {unit.value}"


def range_shown(low_lb: float, high_lb: float, unit: Unit) -> str:
    """'10 to 25 lb', '4.5 to 11.3 kg': the program's light weights in the patient's unit."""
    return f"{load_shown(low_lb, unit).split()[0]} to {load_shown(high_lb, unit)}"


def steps_text(steps: tuple[Dose, ...], unit: Unit) -> str:
    return "; ".join(_step_text(dose, unit) for dose in steps)


def _step_text(dose: Dose, unit: Unit) -> str:
    text = f"{dose.sets}x{dose.reps}" if dose.reps is not None else f"{dose.sets} sets"
    if dose.hold_seconds is not None:
        text += f" hold {dose.hold_seconds}"
    text += f" rest {dose.rest_seconds}"
    if dose.load_lb is not None:
        text += f" load {load_shown(dose.load_lb, unit)}"
    if dose.variant is not None:
        text += f" variant {dose.variant}"
    return text


def parse_steps(
    text: str, where: str, *, unit: Unit, loads_lb: tuple[float, float]
) -> list[dict[str, float | str]]:
    """The steps of one exercise as the document holds them (loads in pounds); a UserError
    names the step. `unit` is the patient's; `loads_lb` the lightest and heaviest load the
    program allows."""
    steps: list[dict[str, float | str]] = []
    for part in re.split(r"[;\n]", text):
        part = " ".join(part.lower().split())
        if not part:
            continue
        match = _STEP.match(part)
        if match is None:
            raise UserError(
                f"{where}: {part!r} is not a dose step; write it like "
                "'2x8 hold 3 rest 45' (sets x reps, then hold, rest and load if any)"
            )
        found = match.groupdict()
        step: dict[str, float | str] = {
            k: v if k == "variant" else int(v)
            for k, v in found.items()
            if v is not None and k not in {"load", "unit"}
        }
        if found["load"] is not None:
            step["load"] = _pounds(found["load"], found["unit"], where, unit, loads_lb)
        step.setdefault("rest", 0)
        steps.append(step)
    if not steps:
        raise UserError(f"{where}: give at least one dose step")
    return steps


def _pounds(
    amount: str, written: str | None, where: str, unit: Unit, loads_lb: tuple[float, float]
) -> float:
    """A typed load in pounds, to the half pound the document keeps; refused, in the
    patient's unit, outside the program's light weights."""
    given = Unit.LB if written and written.startswith("lb") else Unit.KG if written else unit
    value = float(amount)
    if given is Unit.LB and value * 2 != int(value * 2):
        raise UserError(f"{where}: write a load in pounds in halves, like 12.5 lb")
    lb = value if given is Unit.LB else value / KG_PER_LB
    low, high = loads_lb
    if not within(lb, low, high):
        typed = f"{value:g} {given.value}"
        if given is not unit:
            typed += f" ({load_shown(lb, unit)})"
        side = "heavier" if lb > high else "lighter"
        raise UserError(
            f"{where}: a load of {typed} is {side} than this program's light weights: "
            f"give a load from {range_shown(low, high, unit)}"
        )
    return round(lb * 2) / 2
