"""The Jinja2 environment: templates, and the few filters that turn values into words."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from markdown_it import MarkdownIt
from markupsafe import Markup

from lumbar.content.wording import (
    SKIP_WORDS,
    days_away,
    format_date,
    pain_change_words,
    skip_said,
)
from lumbar.domain.loads import Unit, unit_for_accept_language
from lumbar.domain.model import Dose, Level, PlannedExercise
from lumbar.figures.drawings import Drawings, Picture
from lumbar.formats.camera_summaries import result_camera_said
from lumbar.formats.views import describe_dose, taught, taught_cautions, taught_name
from lumbar.web import csrf
from lumbar.web.assets import static_url
from lumbar.web.headers import STANDALONE_STYLE

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")

LEVEL_LABELS = {
    Level.EMERGENCY: "Emergency",
    Level.URGENT: "See a doctor today",
    Level.SEE_CLINICIAN: "See a clinician",
    Level.INFO: "Note",
}
PAIN_CHOICES = (
    ("none", "No pain", "Nothing, or just effort"),
    ("ache", "Dull ache", "A muscle working or tired: fine"),
    ("sharp", "Sharp pain", "Sharp or stabbing: stop this one"),
    ("radiating", "Down my leg", "Pain travelling down a leg"),
)


def page_unit(context: Mapping[str, Any]) -> Unit:
    """The unit a page writes weights in: the person's (the page's `unit`), else the
    browser's language's (a page about no one: the library)."""
    unit = context.get("unit")
    if isinstance(unit, Unit):
        return unit
    request = context.get("request")
    header = None if request is None else request.headers.get("accept-language")
    return unit_for_accept_language(header)


@pass_context
def _dose(context: Mapping[str, Any], planned: PlannedExercise, per_side: bool) -> str:
    return describe_dose(planned.dose, per_side=per_side, unit=page_unit(context))


@pass_context
def _describe_dose(context: Mapping[str, Any], dose: Dose, *, per_side: bool) -> str:
    return describe_dose(dose, per_side=per_side, unit=page_unit(context))


def _signed_in(request: Request) -> Any:
    return request.scope.get("state", {}).get("signed_in")


def csrf_field(request: Request) -> Markup:
    """The hidden field that carries the sign-in's CSRF token in a form (accounts mode; in
    local mode nobody signs in and the field is left out)."""
    found = _signed_in(request)
    if found is None:
        return Markup("")
    return Markup('<input type="hidden" name="csrf_token" value="{}">').format(
        csrf.mask(found.csrf_token)
    )


def csrf_token(request: Request) -> str:
    """The sign-in's CSRF token for htmx's header, masked afresh (web/csrf.py); "" when
    nobody is signed in."""
    found = _signed_in(request)
    return "" if found is None else csrf.mask(found.csrf_token)


PATIENT_NAV = (
    ("/today", "Today"),
    ("/progress", "Progress"),
    ("/library", "Library"),
    ("/learn", "Learn"),
    ("/settings", "Settings"),
)
ROLE_NAV = {
    "patient": (*PATIENT_NAV[:2], ("/messages", "Messages"), *PATIENT_NAV[2:]),
    "clinician": (("/clinic", "Patients"), ("/library", "Library"), ("/learn", "Learn")),
    "admin": (("/admin", "Accounts and audit"),),
    None: (("/library", "Library"), ("/learn", "Learn"), ("/sign-in", "Sign in")),
}


def navigation(request: Request) -> tuple[tuple[str, str], ...]:
    """The main menu: the person's own pages in local mode; by role in accounts mode."""
    if request.app.state.accounts is None:
        return PATIENT_NAV
    found = _signed_in(request)
    return ROLE_NAV[None if found is None else found.account.role.value]


def public_url(request: Request) -> str:
    """The server's address as people reach it, for links that leave the page (emails,
    invitations): the configured one, else the request's own. The request's Host header is
    the sender's to choose, so an emailed link is built from it only where the server
    checks its host names (see `create_app`)."""
    configured: str | None = request.app.state.public_url
    return (configured or str(request.base_url)).rstrip("/")


def for_a_patient(request: Request) -> bool:
    """Whether the page is seen by the person following the program (local mode, or a
    signed-in patient): they get the symptom, problem and sharing links."""
    if request.app.state.accounts is None:
        return True
    found = _signed_in(request)
    return found is not None and found.account.role.value == "patient"


MARKDOWN = MarkdownIt("commonmark", {"html": False}).disable("image")
"""The topics' Markdown: CommonMark with raw HTML off (it shows as text), so content can
add lists, emphasis and headings but never markup or scripts."""


def markdown(body: str) -> Markup:
    """A topic's Markdown as HTML: paragraphs, lists, headings, emphasis. Its headings
    move one level down (# is an h2), under the page's own h1, the topic's title."""
    tokens = MARKDOWN.parse(body)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"
    return Markup(MARKDOWN.renderer.render(tokens, MARKDOWN.options, {}))


TEMPLATES.env.globals["for_a_patient"] = for_a_patient
TEMPLATES.env.globals["static_url"] = static_url
TEMPLATES.env.globals["public_url"] = public_url
TEMPLATES.env.globals["csrf_field"] = csrf_field
TEMPLATES.env.globals["csrf_token"] = csrf_token
TEMPLATES.env.globals["STANDALONE_STYLE"] = STANDALONE_STYLE
TEMPLATES.env.globals["navigation"] = navigation
TEMPLATES.env.globals["signed_in"] = _signed_in
TEMPLATES.env.filters["long_date"] = format_date
TEMPLATES.env.globals["days_away"] = days_away
TEMPLATES.env.filters["markdown"] = markdown
TEMPLATES.env.globals["LEVEL_LABELS"] = LEVEL_LABELS
TEMPLATES.env.globals["PAIN_CHOICES"] = PAIN_CHOICES
TEMPLATES.env.globals["dose_text"] = _dose
TEMPLATES.env.globals["pain_change"] = pain_change_words
TEMPLATES.env.globals["describe_dose"] = _describe_dose
TEMPLATES.env.globals["taught"] = taught
TEMPLATES.env.globals["taught_name"] = taught_name
TEMPLATES.env.globals["taught_cautions"] = taught_cautions
TEMPLATES.env.globals["skip_said"] = skip_said
TEMPLATES.env.globals["camera_said"] = result_camera_said
TEMPLATES.env.globals["SKIP_WORDS"] = SKIP_WORDS


class FigureTag:
    """`figure(id, kind, hold, pose, version)` in a template: the exercise's figure (or its
    version's: a variant or an alternative), inline."""

    def __init__(self, drawings: Drawings) -> None:
        self._drawings = drawings

    def __call__(
        self,
        exercise_id: str,
        kind: str = "motion",
        hold: int | None = None,
        pose: int | None = None,
        version: str | None = None,
    ) -> Markup:
        drawn = self._drawings.svg(exercise_id, Picture(kind), hold, pose, version)
        return Markup(drawn)  # noqa: S704 (drawn by lumbar.figures, its text escaped there)

    def labels(self, exercise_id: str, version: str | None = None) -> list[str]:
        return self._drawings.labels(exercise_id, version)


def page(
    request: Request, name: str, context: dict[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    """Render a template with what every page shows (the content, its wording, figures)."""
    content = request.app.state.content
    figure = FigureTag(request.app.state.drawings)
    full = {"content": content, "say": content.say, "figure": figure, **context}
    return TEMPLATES.TemplateResponse(request, name, full, status_code=status_code)
