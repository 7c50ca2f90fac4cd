"""A clinician's dashboard (issue #20): their patients 50 at a time, gravest concern first,
searched by name or address and filtered by concern, from the summaries every write keeps
(usecases/summaries.py). The page is a GET form, so a search, a filter and a page are an
address that can be bookmarked, and work without JavaScript; the API pages by offset.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Any
from urllib.parse import urlencode

from fastapi import Request

from lumbar.domain.monitoring import Concern
from lumbar.errors import UserError
from lumbar.usecases import caseload, summaries
from lumbar.usecases.accounts import now_utc
from lumbar.web.authorization import account
from lumbar.web.context import today
from lumbar.web.form_errors import FormErrors, Label, clip

LEVEL_NAMES = {
    Concern.EMERGENCY.value: "Emergency sign",
    Concern.URGENT.value: "Urgent sign",
    Concern.CLEARANCE_REQUESTED.value: "Asks to be cleared",
    Concern.BAD_PAIN.value: "Bad pain in sessions",
    Concern.PROBLEM.value: "Problem reports",
    Concern.NOT_IMPROVING.value: "Not improving at four weeks",
    Concern.ACKNOWLEDGED.value: "Paused until you clear it",
    Concern.ADHERENCE.value: "Sessions falling behind",
    Concern.INACTIVE.value: "Nothing recorded for a week",
    Concern.NOT_STARTED.value: "Has not started",
    "none": "Nothing to look at",
}
"""The filter's choices, by the gravest concern, in the clinician's words."""


class Level(StrEnum):
    """A concern to filter by (the gravest concern a patient has), or none at all."""

    EMERGENCY = Concern.EMERGENCY.value
    URGENT = Concern.URGENT.value
    CLEARANCE_REQUESTED = Concern.CLEARANCE_REQUESTED.value
    BAD_PAIN = Concern.BAD_PAIN.value
    PROBLEM = Concern.PROBLEM.value
    NOT_IMPROVING = Concern.NOT_IMPROVING.value
    ACKNOWLEDGED = Concern.ACKNOWLEDGED.value
    ADHERENCE = Concern.ADHERENCE.value
    INACTIVE = Concern.INACTIVE.value
    NOT_STARTED = Concern.NOT_STARTED.value
    NONE = "none"


MOST_LISTED = 200
"""The largest page the API gives (`limit`)."""
SEARCH_LIMIT = 100
"""The longest search kept: longer than any name or address."""
LAST_PAGE = 100_000

SEARCH_FIELDS = {
    "q": Label("the name or address to look for"),
    "level": Label("the concern to show"),
    "page": Label("the page"),
}


def search_of(search: str | None) -> str:
    text = search or ""
    if len(text) > SEARCH_LIMIT:
        raise UserError(
            f"search for at most {SEARCH_LIMIT} characters of a name or an address", field="q"
        )
    return text.strip()


def levels_of(levels: Sequence[str]) -> tuple[str, ...]:
    chosen = tuple(level for level in levels if level)
    for level in chosen:
        if level not in LEVEL_NAMES:
            raise UserError(
                f"{clip(level)!r} is not a concern: choose one from the list", field="level"
            )
    return chosen


def page_of(page: str | None) -> int:
    text = (page or "1").strip()
    if not text.isdigit() or not 1 <= int(text) <= LAST_PAGE:
        raise UserError("the page is a whole number from 1", field="page")
    return int(text)


def load(request: Request, query: summaries.Query, *, offset: int | None = None) -> summaries.Page:
    """The page asked for; the patients on it are written to the audit log."""
    state = request.app.state
    target = f"{request.method} {request.url.path} (dashboard)"
    return summaries.dashboard(
        state.store,
        state.content,
        account(request),
        query,
        on=today(request),
        now=now_utc(),
        target=target,
        offset=offset,
    )


def page_context(request: Request) -> tuple[dict[str, Any], int]:
    """The dashboard's part of the /clinic page, and its status: a search, filter or page
    that cannot be read is said beside its field, and nothing is listed or logged."""
    params = request.query_params
    errors = FormErrors(SEARCH_FIELDS)
    search, number = "", 1
    levels: tuple[str, ...] = ()
    with errors.reading("q"):
        search = search_of(params.get("q"))
    with errors.reading("level"):
        levels = levels_of(params.getlist("level"))
    with errors.reading("page"):
        number = page_of(params.get("page"))
    shown: dict[str, Any] = {
        "search": clip(params.get("q", ""), SEARCH_LIMIT),
        "levels": params.getlist("level"),
        "level_names": LEVEL_NAMES,
    }
    if errors:
        return {**shown, "errors": errors, "found": None}, 422
    query = summaries.Query(page=number, search=search, levels=levels)
    found = load(request, query)
    return {**shown, "found": found, "pages": _pages(found, search, levels)}, 200


def _pages(found: summaries.Page, search: str, levels: Sequence[str]) -> list[dict[str, Any]]:
    """The links to the pages near this one (first, last, and two either side), keeping
    the search and the filter in each address."""
    near = {1, found.pages, *range(found.page - 2, found.page + 3)}
    numbers = sorted(n for n in near if 1 <= n <= found.pages)
    links = []
    for n in numbers:
        params: list[tuple[str, str | int]] = [("q", search)] if search else []
        params += [("level", level) for level in levels]
        params.append(("page", n))
        links.append(
            {"number": n, "url": "/clinic?" + urlencode(params), "current": n == found.page}
        )
    return links


def line_json(line: summaries.Line, content: Any) -> dict[str, Any]:
    """One patient as the API lists them (`formats/shapes/clinic.py:Patient`)."""
    born = line.account.birth_date
    return {
        "id": line.account.id,
        "email": line.account.email,
        "name": line.account.name,
        "birth_date": None if born is None else born.isoformat(),
        "started": line.started,
        "concerns": [
            {"concern": f.concern.value, "text": caseload.describe(f, content)}
            for f in line.findings
        ],
        "pain": line.pain,
        "unread_messages": line.unread_messages,
        "unread_problems": line.unread_problems,
    }
