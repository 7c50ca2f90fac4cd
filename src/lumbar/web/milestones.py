"""The first day's welcome and the milestone cards on Today (issue #17).

After the intake a person reads how the coming weeks go (the Learn topic "Your first
weeks", which they can skip and find again in Learn); on Today, each milestone of the last
two weeks has a card until it is put away.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from lumbar.errors import NoProgram, UserError
from lumbar.usecases import milestones
from lumbar.web.context import PersonDep, today, write
from lumbar.web.templating import page

router = APIRouter(include_in_schema=False)

WELCOME = "first-weeks"
"""The Learn topic the welcome shows (content/education.toml)."""


@router.get("/welcome")
def welcome(request: Request, p: PersonDep) -> Response:
    """What the coming weeks hold, right after the intake; Today is one tap away."""
    if not p.has_program():
        return RedirectResponse("/start", status_code=303)
    topic = p.content.topics[WELCOME]
    return page(request, "welcome.html", {"title": "Welcome", "topic": topic})


@router.post("/today/cards/{card}")
async def put_away(request: Request, p: PersonDep, card: str) -> Response:
    """Put a milestone's card away; Today no longer shows it."""
    try:
        await write(p, milestones.put_away, p, card, today(request))
    except NoProgram:
        return RedirectResponse("/start", status_code=303)
    except UserError as error:
        return page(
            request,
            "message.html",
            {"title": "Nothing to put away", "message": str(error)},
            status_code=422,
        )
    return RedirectResponse("/today", status_code=303)
