"""The records as the pages show them (issue #15): the rows of the list (on Progress and
`/records`), and the notice with Undo after a save, an edit, a delete or an undo.

Right after a check-in, a clearance, a problem report or a session is saved, its page
offers Undo: a Delete of the record just written (`just_saved`). The check-in and the
clearance pages send the browser on to Today, so they leave a short-lived cookie
(`remember`) that Today reads once (`saved_notice`, then `forget`).

The routes that correct the records are in `web/records.py`; this module is what the other
pages need of them, so that it imports none of the pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fastapi import Request
from fastapi.responses import Response

from lumbar.content.wording import format_date
from lumbar.domain.corrections import Record
from lumbar.domain.model import SessionLog
from lumbar.formats.camera_summaries import session_camera_said
from lumbar.formats.records import KIND_NAMES, describe, status_words
from lumbar.usecases import recorded
from lumbar.usecases.person import Person
from lumbar.web.context import today

ON_PROGRESS = 6
"""How many records Progress lists (the newest); `/records` lists them all."""
SAVED_COOKIE = "lumbar_saved"
"""The kind of record just saved, for the page the browser is sent on to (Today)."""
SAVED_FOR = 600
"""Seconds the cookie lasts: long enough to follow the redirect, not to linger."""


@dataclass(frozen=True, slots=True)
class Row:
    """One record as the list shows it."""

    record: Record
    kind_name: str
    what: str
    """The record in words, for names of buttons: "the check-in of Wed 4 Nov 2026"."""
    said: str
    status: str
    """What became of it, in a sentence (or "")."""
    camera: tuple[str, ...] = ()
    """A session's: what the camera counted of each exercise it followed (issue #21)."""

    @property
    def deleted(self) -> bool:
        return self.record.deleted_on is not None

    @property
    def can_edit(self) -> bool:
        return not self.deleted and not self.record.by_clinician

    @property
    def can_delete(self) -> bool:
        return self.can_edit and not self.record.intake

    @property
    def can_restore(self) -> bool:
        return self.deleted and self.record.undo == "delete" and not self.record.by_clinician


@dataclass(frozen=True, slots=True)
class Done:
    """The notice after a save, an edit, a delete or an undo, and its Undo button."""

    said: str
    action: str | None = None
    """Where Undo posts; None when there is nothing to undo."""
    button: str = ""
    """The rest of the Undo button's name, for a screen reader: " the correction of …"."""
    hint: str = ""
    """What Undo does, where it is not plain: said after `said`, or alone on a page that
    says "saved" in its own words."""


# Words.


def what(record: Record) -> str:
    return f"the {KIND_NAMES[record.kind].lower()} of {format_date(record.on)}"


def row(record: Record, p: Person) -> Row:
    status = status_words(record)
    sentences = [status[:1].upper() + status[1:] + "."] if status else []
    if record.deleted_on is not None:
        sentences.append("The program reads past it.")
    elif record.by_clinician:
        sentences.append("Only your clinician can correct it.")
    elif record.intake:
        sentences.append("Your program began with it: it can be corrected, not deleted.")
    return Row(
        record=record,
        kind_name=KIND_NAMES[record.kind],
        what=what(record),
        said=sentence(describe(record, p.content)),
        status=" ".join(sentences),
        camera=_camera(record, p),
    )


def _camera(record: Record, p: Person) -> tuple[str, ...]:
    made = record.content
    if not isinstance(made, SessionLog):
        return ()
    return tuple(session_camera_said(made, p.content.wording.exercise_names))


def sentence(words: str) -> str:
    return words[:1].upper() + words[1:]


def listing(p: Person, limit: int | None = None) -> list[Row]:
    """The records, the newest first (`limit`: only that many)."""
    found = list(reversed(recorded.records(p)))
    return [row(r, p) for r in found[:limit]]


def on_progress(p: Person) -> dict[str, object]:
    """What Progress shows of the records: the newest few, and how many there are."""
    rows = listing(p)
    return {"rows": rows[:ON_PROGRESS], "records_count": len(rows)}


# The Undo right after a new record is saved.


def just_saved(p: Person, kind: str, on: date) -> Done | None:
    """Undo for the record of this kind written last, if it is of `on` (today) and stands."""
    found = recorded.newest(p, kind)
    if found is None or found.on != on:
        return None
    named = what(found)
    return Done(
        said=f"Saved: {named}.",
        action=f"/records/{found.id}/delete",
        button=f": delete {named}",
        hint="If you saved it by mistake, Undo deletes it.",
    )


def remember(request: Request, response: Response, kind: str) -> Response:
    """Leave word for the next page that a record of `kind` was just saved."""
    response.set_cookie(
        SAVED_COOKIE,
        kind,
        max_age=SAVED_FOR,
        path="/",
        httponly=True,
        samesite="lax",
        secure=_secure(request),
    )
    return response


def saved_notice(request: Request, p: Person) -> Done | None:
    """The Undo for the record the previous page saved (the cookie `remember` left)."""
    kind = request.cookies.get(SAVED_COOKIE)
    if kind not in recorded.LETTERS:
        return None
    return just_saved(p, kind, today(request))


def forget(request: Request, response: Response) -> Response:
    """The notice is shown once: the cookie goes with the page that shows it."""
    if SAVED_COOKIE in request.cookies:
        response.delete_cookie(
            SAVED_COOKIE, path="/", httponly=True, samesite="lax", secure=_secure(request)
        )
    return response


def _secure(request: Request) -> bool:
    """Local mode serves plain HTTP on this computer; a clinic's server, HTTPS."""
    secure: bool = request.app.state.accounts is not None and request.app.state.secure_cookies
    return secure
