"""What a home program hands out: the calendar, the printable handout, the clinician
summary, and the FHIR Bundle. The formats are made in `lumbar.formats`; these gather what
each one needs, as the screens see it."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from lumbar.content.load import Content
from lumbar.domain.equipment import fit_planned
from lumbar.domain.model import PlannedExercise, Range
from lumbar.domain.plan import plan_day, program_status
from lumbar.errors import UserError
from lumbar.store.database import Store
from lumbar.usecases import reminders, scores
from lumbar.usecases.person import Person, check_date

if TYPE_CHECKING:
    from lumbar.domain.access import Account
    from lumbar.store.writes import Transaction


def calendar(person: Person, on: date, *, weeks: int = 4) -> str:
    """The coming weeks as an iCalendar document (RFC 5545)."""
    from lumbar.domain.reminders import calendar_entries
    from lumbar.formats.calendar import to_ical

    history = person.history()
    check_date(history, on)
    settings, _ = reminders.settings(person)
    program = person.program_for(history.profile)
    entries = calendar_entries(on, history, program, settings, weeks=weeks)
    return to_ical(entries, person.content, made_on=on, unit=history.profile.unit)


def subscribed_calendar(
    store: Store, content: Content, token: str, on: date, *, clinic: bool = False
) -> str | None:
    """The calendar behind a subscription address's secret, or None for an unknown one
    (calendar apps cannot sign in: the secret is the access)."""
    with store.transaction() as tx:
        # On a clinic's server a disabled account's address answers as an unknown one.
        owner = tx.person_with_token(token, account=clinic)
    if owner is None:
        return None
    return calendar(Person(store, content, owner, clinic=clinic), on)


def handout_html(person: Person, on: date, *, size: str = "a4") -> str:
    """The printable handout of the phase the person is in, as HTML."""
    from lumbar.figures.load import drawings_for
    from lumbar.formats.documents import SIZES, handout_html

    if size not in SIZES:
        raise UserError(f"{size!r}: choose a4 or letter", field="size")
    history = person.history()
    check_date(history, on)
    program = person.program_for(history.profile)
    status = program_status(on, history, program)
    next_day = status.next_session
    plan = status.plan if next_day is None else plan_day(next_day, history, program)
    chosen = dict(history.profile.alternatives)
    exercises = plan.exercises or fit_planned(
        # Paused: the phase's exercises at their first dose, for when it resumes, with the
        # loads the person has.
        (
            PlannedExercise(
                p.exercise_id,
                p.steps[0],
                Range.FULL,
                0,
                version=chosen.get(p.exercise_id, p.steps[0].variant),
                warm_up=p.warm_up,
            )
            for p in program.phase(status.phase).prescriptions
        ),
        history.profile.equipment,
        program,
    )
    settings, _ = reminders.settings(person)
    prescribed = person.prescription()
    return handout_html(
        on=on,
        content=person.content,
        drawings=drawings_for(person.content),
        program=program,
        status=status,
        exercises=exercises,
        reminders=settings,
        size=size,
        unit=history.profile.unit,
        notes=prescribed.notes if prescribed is not None else "",
        exercise_notes=prescribed.exercise_notes if prescribed is not None else None,
    )


def summary_html(person: Person, on: date, *, back: tuple[str, str] | None = None) -> str:
    """The one-page summary for a clinician, as HTML; `back` (an address and its words) is
    the link back for the page read on a screen (the PDF has none)."""
    from lumbar.content.scores import measures
    from lumbar.domain.progress import progress_report
    from lumbar.domain.scores import summarise
    from lumbar.formats.documents import summary_html
    from lumbar.formats.scores import summary_rows

    with person.store.transaction() as tx:
        history = person.history_in(tx)
        problems = tx.problems(person.id)
        patient = _patient(tx, person)
        kept = [s for s, _, _ in scores.documented(tx.connection, person) if s.on <= on]
    check_date(history, on)
    program = person.program_for(history.profile)
    return summary_html(
        on=on,
        content=person.content,
        history=history,
        program=program,
        progress=progress_report(on, history, program),
        problems=[p for p in problems if p.on <= on],
        back=back,
        patient=patient,
        outcome_rows=summary_rows(summarise(kept, measures()), person.content),
    )


def fhir(person: Person, on: date) -> dict[str, Any]:
    """The person's program and records as a FHIR R4 Bundle (validated as R4B), the
    corrected and deleted records marked as such."""
    from lumbar.formats.fhir import fhir_bundle
    from lumbar.usecases import recorded

    with person.store.transaction() as tx:
        history = person.history_in(tx)
        records = recorded.records_in(tx, person)
        patient = _patient(tx, person)
        kept = scores.documented(tx.connection, person)
    check_date(history, on)
    program = person.program_for(history.profile)
    return fhir_bundle(
        history, program, person.content, on, records=records, account=patient, scores=kept
    )


def _patient(tx: Transaction, person: Person) -> Account | None:
    """The patient's account on a clinic's server: who the summary and the FHIR Patient
    are about (their name and date of birth, as their clinician entered them). Local mode
    has no accounts: its documents name nobody."""
    from lumbar.store.accounts import account

    return account(tx.connection, person.id) if person.clinic else None
