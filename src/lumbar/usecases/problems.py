"""The adverse-event log: something that went wrong (more pain after a session, a fall).

A fall or more pain after a session is asked about at once (issue #14): for a fall, did it
hurt the back, was it a major injury, is the person fragile (osteoporosis, long-term
steroids); for both, the signs that need care (`LEG_SIGNS`). What they answer is recorded
with the report as a check-in, so the screening's tiers decide what happens next, as for any
reported symptom, and the next session opens with the safety questions again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lumbar.domain.model import CheckIn, ProblemKind, ProblemReport
from lumbar.domain.screening import after_fall, known_symptoms
from lumbar.errors import UserError, refuse_hidden_characters
from lumbar.usecases.person import Person, check_written_on


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


LEG_SIGNS = (
    "saddle_numbness",
    "bladder_bowel",
    "both_legs",
    "leg_weakness_worsening",
    "leg_numbness",
    "leg_weakness",
    "below_knee_pain",
)
"""The signs asked about at once after a fall, more pain after a session or pain down the
leg: the emergency signs of a pressed nerve, then the one-leg ones (brief §2e, C13)."""
FOLLOWED_UP = (ProblemKind.FALL, ProblemKind.PAIN_AFTER_SESSION)

NOTE_LIMIT = 1000
"""The longest note a problem report keeps (the column's size)."""


def report(
    person: Person,
    on: date,
    kind: str,
    note: str = "",
    *,
    fall: FallAnswers | None = None,
    signs: tuple[str, ...] = (),
) -> ProblemReport:
    """Record something that went wrong; `other` needs a note saying what, and a fall the
    answers to its questions. A fall or more pain after a session is recorded with a
    check-in of the signs answered (`signs`, or the fall's): the screening decides, and
    the next session opens with the safety questions again."""
    chosen, note = checked_report(kind, note)
    if chosen is ProblemKind.FALL and fall is None:
        raise UserError(
            "a fall asks a few questions at once: whether it hurt your back, whether it was a "
            "major injury, and about numbness or weakness",
            field="fall",
        )
    if fall is not None:
        signs = fall.symptoms
    if signs and chosen not in FOLLOWED_UP:
        raise UserError(
            "signs go with a fall or more pain after a session; for anything else, "
            "report them in a check-in",
            field="symptoms",
        )
    try:
        signs = known_symptoms(signs)
    except ValueError as error:
        raise UserError(str(error), field="symptoms") from error
    reported = ProblemReport(on, chosen, note)
    with person.store.transaction() as tx:
        history = person.history_in(tx)
        check_written_on(person, history, on)
        tx.add_problem(person.id, reported)
        if chosen in FOLLOWED_UP:
            if fall is not None and fall.back_hurt:
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
                if fall.fragile and "steroids_osteoporosis" not in earlier:
                    # Told now, it matters later too (a later injury is an emergency).
                    signs = (*signs, "steroids_osteoporosis")
            tx.add_checkin(person.id, CheckIn(on, symptoms=signs, follow_up=True))
    return reported


def checked_report(kind: str, note: str) -> tuple[ProblemKind, str]:
    """The kind and the note of a report, or UserError: a known kind, a note of text that
    fits, and for `other` a note saying what happened."""
    try:
        chosen = ProblemKind(kind)
    except ValueError:
        kinds = ", ".join(k.value for k in ProblemKind)
        raise UserError(f"choose what happened: {kinds}", field="kind") from None
    note = note.strip()
    if len(note) > NOTE_LIMIT:
        raise UserError(f"keep the note to {NOTE_LIMIT} characters at most", field="note")
    refuse_hidden_characters(note, field="note")
    if chosen is ProblemKind.OTHER and not note:
        raise UserError("say in a few words what happened", field="note")
    return chosen, note


def reports(person: Person) -> list[ProblemReport]:
    with person.store.transaction() as tx:
        person.history_in(tx)
        return tx.problems(person.id)
