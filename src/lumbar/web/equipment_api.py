"""The person's equipment and unit in the API (issue #17): read them, and change them, as
Settings and `lumbar equipment` do. Phase 3's loads follow (docs/rules.md, `equipment.*`)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from lumbar.domain.loads import Unit
from lumbar.errors import UserError
from lumbar.formats.shapes.settings import Equipment
from lumbar.formats.views import equipment_json
from lumbar.usecases import equipment
from lumbar.web.bodies import EquipmentIn
from lumbar.web.context import PersonDep, write
from lumbar.web.errors import REFUSALS

router = APIRouter(prefix="/api/v1", tags=["api"], responses=REFUSALS)


@router.get(
    "/settings/equipment",
    operation_id="getEquipment",
    response_model=Equipment,
    summary="What the person has to lift, and their unit",
)
def owned(p: PersonDep) -> JSONResponse:
    kept = equipment.current(p)
    return JSONResponse(equipment_json(kept.equipment, kept.unit))


@router.put(
    "/settings/equipment",
    operation_id="putEquipment",
    response_model=Equipment,
    summary="Change the equipment and/or the unit",
)
async def change(p: PersonDep, body: EquipmentIn) -> JSONResponse:
    """`unit` alone changes how weights are shown; `equipment` replaces what the person has
    (its weights in `unit`, or in the unit kept when `unit` is left out). A weight no one
    lifts here is refused with 422, nothing written."""
    unit = None if body.unit is None else Unit(body.unit)
    kept_unit = unit or equipment.current(p).unit
    try:
        owned = None if body.equipment is None else body.equipment.owned(kept_unit)
    except ValueError as error:  # a weight no one lifts here, in that unit
        raise UserError(str(error), field="equipment") from error
    result = await write(p, equipment.change, p, owned, unit)
    return JSONResponse(equipment_json(result.equipment, result.unit))
