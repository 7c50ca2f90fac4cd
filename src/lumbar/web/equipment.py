"""Settings: what the person has to lift, and the unit they read weights in (issue #17).

The form is the start page's Equipment fieldset (`_equipment.html`), filled with what is
kept; a refusal shows the Settings page again with its message, and writes nothing.
"""

from __future__ import annotations

from functools import partial

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from lumbar.errors import UserError
from lumbar.usecases import equipment
from lumbar.web import forms
from lumbar.web.context import PersonDep, write
from lumbar.web.settings import refused, settings_page

router = APIRouter(include_in_schema=False)


@router.post("/settings/equipment")
async def set_equipment(request: Request, p: PersonDep) -> Response:
    form = await request.form()
    try:
        answer = forms.equipment_answer(form)
        unit = equipment.unit_named(answer["unit"] or "")
        ticked = set(form.getlist("equipment"))
        typed = {
            kind: equipment.amounts(str(form.get(kind, "")), field=kind) if kind in ticked else ()
            for kind in ("dumbbells", "kettlebells")
        }
        owned = equipment.owned(
            typed["dumbbells"], typed["kettlebells"], band=answer["equipment"]["band"], unit=unit
        )
        await write(p, equipment.change, p, owned, unit)
    except UserError as error:
        return await refused(request, p, error.field or "equipment", error)
    notice = "Your equipment is saved."
    return await run_in_threadpool(partial(settings_page, request, p, notice=notice))
