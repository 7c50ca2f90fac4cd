"""The check-in: the weekly pain and activity scores, a new symptom at any time, or the
screening questions answered (at a phase change). The same answers give the same record
from the command line, the web page and the API. A clearance is a record of its own
(`usecases/clearances.py`)."""

from __future__ import annotations

from datetime import date

from lumbar.domain.model import CheckIn, History, Status
from lumbar.domain.plan import program_status
from lumbar.domain.screening import known_symptoms
from lumbar.errors import UserError
from lumbar.usecases.person import Person, check_written_on, with_event


def record(
    person: Person,
    on: date,
    *,
    pain: int | None = None,
    psfs: tuple[int, ...] | None = None,
    symptoms: tuple[str, ...] = (),
    screened: bool = False,
) -> Status:
    """Record a check-in and say where the person stands after it.

    `screened` says the person answered every screening question (`symptoms` are the ones
    they said yes to, maybe none).
    """
    if pain is None and psfs is None and not symptoms and not screened:
        raise UserError(
            "nothing to record: give a pain score, the activity scores, a new symptom, "
            "or your answers to the safety questions"
        )
    codes = checked_answers(pain, psfs, symptoms)
    with person.store.transaction() as tx:
        history = person.history_in(tx)
        check_written_on(person, history, on)
        check_activities(history, psfs)
        checkin = CheckIn(on, pain, psfs, codes, screened)
        tx.add_checkin(person.id, checkin)
    updated = with_event(history, checkin)
    return program_status(on, updated, person.program_for(history.profile))


def checked_answers(
    pain: int | None, psfs: tuple[int, ...] | None, symptoms: tuple[str, ...]
) -> tuple[str, ...]:
    """The symptoms' codes, after checking the scores are from 0 to 10 and the symptoms
    known (UserError otherwise)."""
    if pain is not None and not 0 <= pain <= 10:
        raise UserError(f"give a score from 0 to 10 (got {pain})", field="pain")
    if psfs is not None and any(not 0 <= score <= 10 for score in psfs):
        raise UserError(f"give scores from 0 to 10 (got {list(psfs)})", field="psfs")
    try:
        return known_symptoms(symptoms)
    except ValueError as error:
        raise UserError(str(error), field="symptoms") from error


def check_activities(history: History, psfs: tuple[int, ...] | None) -> None:
    """Refuse activity scores that are not one for each of the person's activities."""
    activities = history.profile.psfs_activities
    if psfs is not None and len(psfs) != len(activities):
        raise UserError(
            f"expected {len(activities)} scores, one for each activity "
            f"({'; '.join(activities)}), got {len(psfs)}",
            field="psfs",
        )
