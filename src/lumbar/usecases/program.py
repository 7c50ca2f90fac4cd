"""Following the program: start it, ask about a day (today, status, progress), and change
the training days."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from lumbar.domain.loads import Unit
from lumbar.domain.model import (
    Alert,
    CheckIn,
    Clearance,
    DayPlan,
    Event,
    History,
    Profile,
    Status,
    TrainingDays,
)
from lumbar.domain.plan import plan_day, program_status
from lumbar.domain.schedule import refuse_training_days, training_days_from_choice
from lumbar.domain.screening import intake_emergencies, refuse_minor, with_fragility
from lumbar.errors import UserError, refuse_hidden_characters
from lumbar.usecases.person import Person, check_date, check_not_ahead, check_written_on

if TYPE_CHECKING:
    from lumbar.domain.progress import Progress
    from lumbar.formats.intake import IntakeAnswers

# The use cases that read (today, status) import nothing heavy: pydantic and SQLAlchemy
# load only inside the use cases that need them.


class EmergencyAtIntake(UserError):
    """An emergency sign at the intake: no program starts; the person needs care first."""

    def __init__(self, alerts: tuple[Alert, ...], messages: tuple[str, ...]) -> None:
        super().__init__(" ".join(messages))
        self.alerts = alerts
        self.messages = messages


def start(
    person: Person,
    answers: IntakeAnswers,
    on: date,
    *,
    now: datetime | None = None,
    unit: Unit = Unit.KG,
) -> DayPlan:
    """Start the program with the intake answers: the screening first, then the days.

    An emergency sign starts nothing, unless a clinician has already seen the person about
    it: self-guided, the person names who saw them (`seen_by`), and a clearance in that
    name follows the intake; on a clinic's server, only a sign the patient's clinician has
    cleared lets the intake start, and a refused one is kept for that clinician (`now`, the
    time it is kept at, is needed there). Self-guided, `seen_by` clears every sign the
    intake reports; on a clinic's server it becomes a request for the clinician.

    `unit` is the locale's, for answers that do not say which unit they read weights in.
    """
    content = person.content
    refusal = refuse_minor(answers.age)
    if refusal is not None:
        raise UserError(content.say(refusal), field="age")
    if not answers.understood:
        raise UserError(
            "read what this program is and is not, and say that you understand it",
            field="understood",
        )
    seen_by = answers.seen_by.strip() if answers.seen_by else ""
    codes, cleared, by = screen_signs(
        person, answers.red_flags, seen_by=seen_by, age=answers.age, on=on, now=now
    )
    days = answers.training_days
    refusal = refuse_training_days(days)
    if refusal is not None:
        raise UserError(content.say(refusal), field="days")
    for number, item in enumerate(answers.psfs, start=1):
        refuse_hidden_characters(item.activity, field="psfs", where=f"activity {number}: ")
    refuse_hidden_characters(seen_by, field="seen_by")
    check_not_ahead(person, on)  # after the screening: a sign that needs care is said first
    profile = Profile(
        start=on,
        age=answers.age,
        pain_weeks=answers.pain_weeks,
        training_days=days,
        psfs_activities=tuple(item.activity for item in answers.psfs),
        equipment=answers.equipment.owned(answers.weights_unit(unit)),
        unit=answers.weights_unit(unit),
    )
    intake = CheckIn(
        on,
        pain=answers.pain,
        psfs=tuple(item.score for item in answers.psfs),
        symptoms=codes,
        screened=True,
    )
    events: list[Event] = [intake]
    if cleared:
        events.append(Clearance(on, cleared, by, confirmed=person.clinic))
    clearance = events[-1] if cleared else None
    from lumbar.store import intake_drafts

    with person.store.transaction() as tx:
        existing = tx.history(person.id)
        if existing is not None:
            raise UserError(
                f"a program already started on {existing.profile.start.isoformat()}, "
                "and one database holds one person's program"
            )
        tx.add_person(person.id, profile)
        tx.add_checkin(person.id, intake)
        intake_drafts.discard(tx.connection, person.id)  # its answers are the program now
        if isinstance(clearance, Clearance):
            tx.add_clearance(person.id, clearance)
    history = History(profile, tuple(events))
    if person.clinic and seen_by:
        asked = tuple(c for c in codes if c not in cleared)
        if asked and now is not None:
            from lumbar.usecases.clearances import request

            request(person, on, seen_by=seen_by, now=now, codes=asked)
    return plan_day(on, history, person.program_for(profile))


def screen_signs(
    person: Person,
    red_flags: Sequence[str],
    *,
    seen_by: str,
    age: int,
    on: date,
    now: datetime | None = None,
) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    """The intake's warning signs, screened: `EmergencyAtIntake` when one needs care before
    any exercise, else the signs (with the age's own), those cleared, and by whom.

    The stepped intake asks this as soon as the warning signs are answered, so an
    emergency is said at once, not after three more pages; `start` asks it again.
    """
    codes = with_fragility(tuple(red_flags), age=age)
    seen_by = seen_by.strip()
    if person.clinic:
        by, cleared = _cleared_at_clinic(person, codes)
        _screen(person, tuple(c for c in codes if c not in cleared), on, now=now)
        return codes, cleared, by
    if seen_by:
        return codes, codes, seen_by
    _screen(person, codes, on, now=now)
    return codes, (), seen_by


def _cleared_at_clinic(person: Person, codes: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """The intake's emergency signs the patient's clinician has already cleared, and the
    clinician's name for the clearance that records it."""
    from lumbar.store import accounts, notices

    with person.store.transaction() as tx:
        found = {
            e.code: e.cleared_by
            for e in notices.intake_emergencies_of(tx.connection, person.id)
            if e.cleared_by is not None and e.code in codes
        }
        if not found:
            return "", ()
        clinician = accounts.account(tx.connection, next(iter(found.values())))
    return ("your clinician" if clinician is None else clinician.email), tuple(found)


def screen_intake(person: Person, codes: list[str] | tuple[str, ...], on: date) -> None:
    """Refuse to start a program over an emergency sign: the person needs care first.

    Urgent and see-a-clinician signs start the program (paused, or held in phase 1); an
    emergency starts nothing, so nothing suggests exercising before being seen.
    """
    _screen(person, tuple(codes), on, now=None)


def _screen(person: Person, codes: tuple[str, ...], on: date, *, now: datetime | None) -> None:
    alerts = intake_emergencies(codes, on)
    if not alerts:
        return
    if person.clinic and now is not None:
        from lumbar.store import notices

        with person.store.transaction() as tx:
            notices.add_intake_emergencies(
                tx.connection, person.id, on, tuple(a.code for a in alerts), now
            )
    messages = tuple(person.content.say(a.decision) for a in alerts)
    raise EmergencyAtIntake(alerts, messages)


def today(person: Person, on: date) -> DayPlan:
    """The day's plan: a session, a rest day, or why the program is paused."""
    history = person.history()
    check_date(history, on)
    return plan_day(on, history, person.program_for(history.profile))


def status(person: Person, on: date) -> Status:
    """Where the person stands: phase, sessions, next session, alerts, improvement."""
    history = person.history()
    check_date(history, on)
    return program_status(on, history, person.program_for(history.profile))


def progress(person: Person, on: date) -> Progress:
    """Pain and activity scores over time, the calendar of sessions, the phases."""
    from lumbar.domain.progress import progress_report

    history = person.history()
    check_date(history, on)
    return progress_report(on, history, person.program_for(history.profile))


def training_days(person: Person) -> TrainingDays:
    return person.history().profile.training_days


def set_training_days(person: Person, choice: list[str] | str, on: date) -> TrainingDays:
    """Change the training days from `on`: weekday names, "mon,wed,fri" or
    "every-other-day", with the checks of the intake. The days before `on` keep the days
    chosen then (adherence counts each day against the days in force on it)."""
    if not choice or (isinstance(choice, str) and not choice.strip()):
        raise UserError("choose three days, or every other day", field="days")
    try:
        days = training_days_from_choice(choice)
    except ValueError as error:
        raise UserError(str(error), field="days") from error
    refusal = refuse_training_days(days)
    if refusal is not None:
        raise UserError(person.content.say(refusal), field="days")
    with person.store.transaction() as tx:
        history = person.history_in(tx)
        check_written_on(person, history, on)
        prescribed = person.prescription()
        if prescribed is not None and prescribed.training_days is not None:
            raise UserError(
                "your clinician set your training days: ask them to change them", field="days"
            )
        tx.set_training_days(person.id, days, on=on)
    return days


class DayAnswers:
    """Answers about one person's day (the API's JSON of today's plan), kept in memory
    while the person's revision says nothing was written since, by this process or another.
    Nothing is ever answered from a history older than the database's."""

    def __init__(self) -> None:
        from lumbar.store.cache import RevisionCache

        self._kept: RevisionCache[tuple[int, date], bytes] = RevisionCache()

    def revision(self, person: Person) -> int | None:
        """The person's revision now (one indexed query)."""
        return person.revision()

    def kept(self, person: Person, on: date, revision: int | None) -> bytes | None:
        """The answer kept for the day, if it was made at this very revision."""
        if revision is None:
            return None
        return self._kept.get((person.id, on), revision)

    def keep(self, person: Person, on: date, revision: int | None, answer: bytes) -> None:
        if revision is not None:
            self._kept.put((person.id, on), revision, answer)
