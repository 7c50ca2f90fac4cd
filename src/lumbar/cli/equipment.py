"""`lumbar equipment`: what you have to lift, and the unit you read weights in (issue #17).

The intake asks both; this changes them later, as Settings does on the web. Phase 3's
loads follow: a weight you have, or something from home weighed out.
"""

from __future__ import annotations

from typing import Annotated

import typer

from lumbar.cli.options import DateOption, DbOption, Invocation, JsonOption


def equipment(
    dumbbells: Annotated[
        str | None,
        typer.Option(
            "--dumbbells",
            metavar="WEIGHTS",
            help="Your dumbbells' weights, such as '2, 4' or '5 kg, 11 lb' (none: no dumbbells).",
        ),
    ] = None,
    kettlebells: Annotated[
        str | None,
        typer.Option(
            "--kettlebell",
            metavar="WEIGHTS",
            help="Your kettlebell's weight (or each one's); none: no kettlebell.",
        ),
    ] = None,
    band: Annotated[
        bool | None,
        typer.Option("--band/--no-band", help="Whether you have a resistance band."),
    ] = None,
    nothing: Annotated[
        bool,
        typer.Option("--nothing", help="You have none of these (phase 3 uses things from home)."),
    ] = False,
    unit: Annotated[
        str | None,
        typer.Option("--unit", metavar="UNIT", help="kg or lb: the unit every weight is shown in."),
    ] = None,
    db: DbOption = None,
    date: DateOption = None,
    json: JsonOption = False,
) -> None:
    """Show or change your equipment (dumbbells, a kettlebell, a band, or nothing) and the
    unit weights are shown in (kg or lb).

    A weight typed without a unit is in --unit, else in yours. Without options, what is kept."""
    from lumbar.domain.loads import Equipment, WeightKind
    from lumbar.errors import UserError
    from lumbar.formats.views import equipment_json
    from lumbar.usecases import equipment as owned

    run = Invocation(db, date, json)
    person = run.person
    kept = owned.current(person)
    chosen = None if unit is None else owned.unit_named(unit)
    changes = dumbbells is not None or kettlebells is not None or band is not None
    if nothing and changes:
        raise UserError("give --nothing alone, or what you have", field="equipment")
    new: Equipment | None = Equipment() if nothing else None
    if changes:
        weights_unit = chosen or kept.unit
        current = kept.equipment

        def typed(text: str | None, kind: WeightKind, field: str) -> tuple[owned.Amount, ...]:
            if text is None:
                return tuple((w.amount, w.unit) for w in current.weights if w.kind is kind)
            if text.strip().lower() == "none":
                return ()
            return owned.amounts(text, field=field)

        new = owned.owned(
            typed(dumbbells, WeightKind.DUMBBELLS, "dumbbells"),
            typed(kettlebells, WeightKind.KETTLEBELL, "kettlebells"),
            band=current.band if band is None else band,
            unit=weights_unit,
        )
    asked = new is not None or chosen is not None
    result = owned.change(person, new, chosen) if asked else kept
    if run.as_json:
        run.emit(equipment_json(result.equipment, result.unit), shape="settings.Equipment")
        return
    console = run.console
    console.print(f"Weights in: {result.unit.value}")
    console.print(f"You have: {owned.described(result.equipment)}")
    if asked:
        console.print("Saved: phase 3 uses what you have from now on.")
