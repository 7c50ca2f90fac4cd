"""The adverse-event log: something that went wrong (more pain after a session, a fall).

A fall is asked about at once (issue #14): did it hurt the back, was it a major injury, is
the person fragile (osteoporosis, long-term steroids, 65 or over), and the emergency and leg
questions. What they answer is recorded with the report as a check-in, so the screening's
tiers decide what happens next, as for any reported symptom.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lumbar.domain.model import CheckIn, ProblemKind, ProblemReport
from lumbar.domain.screening import after_fall, known_symptoms
from lumbar.errors import UserError, refuse_control_characters
from lumbar.usecases.person import Person, check_date


@dataclass(frozen=True, slots=True)
class FallAnswers:
    """The questions a reported fall asks at once."""

    back_hurt: bool
    """The fall hurt the back, or made its pain worse."""
    major: bool = False
    """A major injury: a road accident, a fall from a height."""
    fragile: bool = False
    """Osteoporosis, or steroid tablets taken for a long time."""
    symptoms: tuple[str, ...] = ()
    """Any screening sign since the fall (numbness, weakness, bladder or bowel...)."""


FALL_SIGNS = (
    "saddle_numbness",
    "bladder_bowel",
    "both_legs",
    "leg_weakness_worsening",
    "leg_numbness",
    "leg_weakness",
)
"""The signs a fall asks about at once, beyond the injury itself (nerves pressed by an
injury show first in the legs and the saddle area)."""

NOTE_LIMIT = 1000
"""The longest note a problem report keeps (the column's size)."""


def report(
    person: Person, on: date, kind: str, note: str = "", *, fall: FallAnswers | None = None
) -> ProblemReport:
    """Record something that went wrong; `other` needs a note saying what, and a fall the
    answers to its questions (recorded with it as a check-in)."""
    try:
        chosen = ProblemKind(kind)
    except ValueError:
        kinds = ", ".join(k.value for k in ProblemKind)
        raise UserError(f"choose what happened: {kinds}", field="kind") from None
    note = note.strip()
    if len(note) > NOTE_LIMIT:
        raise UserError(f"keep the note to {NOTE_LIMIT} characters at most", field="note")
    refuse_control_characters(note, field="note")
    if chosen is ProblemKind.OTHER and not note:
        raise UserError("say in a few words what happened", field="note")
    if chosen is ProblemKind.FALL and fall is None:
        raise UserError(
            "a fall asks a few questions at once: whether it hurt your back, whether it was a "
            "major injury, and about numbness or weakness",
            field="fall",
        )
    signs: tuple[str, ...] = ()
    if fall is not None:
        try:
            signs = known_symptoms(fall.symptoms)
        except ValueError as error:
            raise UserError(str(error), field="symptoms") from error
    reported = ProblemReport(on, chosen, note)
    with person.store.transaction() as tx:
        history = person.history_in(tx)
        check_date(history, on)
        tx.add_problem(person.id, reported)
        if chosen is ProblemKind.FALL and fall is not None:
            if fall.back_hurt:
                earlier = {
                    code for e in history.events if isinstance(e, CheckIn) for code in e.symptoms
                }
                injury = after_fall(
                    major=fall.major,
                    fragile=fall.fragile,
                    age=history.profile.age,
                    reported=frozenset(earlier),
                )
                signs = (injury, *signs)
            tx.add_checkin(person.id, CheckIn(on, symptoms=signs, screened=True))
    return reported


def reports(person: Person) -> list[ProblemReport]:
    with person.store.transaction() as tx:
        person.history_in(tx)
        return tx.problems(person.id)
