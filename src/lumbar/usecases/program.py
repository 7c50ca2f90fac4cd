"""Following the program: start it, ask about a day (today, status, progress), and change
the training days."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from lumbar.domain.model import Alert, CheckIn, DayPlan, History, Profile, Status, TrainingDays
from lumbar.domain.plan import plan_day, program_status
from lumbar.domain.schedule import refuse_training_days, training_days_from_choice
from lumbar.domain.screening import intake_emergencies, refuse_minor
from lumbar.errors import UserError, refuse_control_characters
from lumbar.usecases.person import Person, check_date

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


def start(person: Person, answers: IntakeAnswers, on: date) -> DayPlan:
    """Start the program with the intake answers: the screening first, then the days."""
    content = person.content
    refusal = refuse_minor(answers.age)
    if refusal is not None:
        raise UserError(content.say(refusal))
    screen_intake(person, answers.red_flags, on)
    days = answers.training_days
    refusal = refuse_training_days(days)
    if refusal is not None:
        raise UserError(content.say(refusal))
    for number, item in enumerate(answers.psfs, start=1):
        refuse_control_characters(item.activity, field="psfs", where=f"activity {number}: ")
    profile = Profile(
        start=on,
        age=answers.age,
        pain_weeks=answers.pain_weeks,
        training_days=days,
        psfs_activities=tuple(item.activity for item in answers.psfs),
    )
    intake = CheckIn(
        on,
        pain=answers.pain,
        psfs=tuple(item.score for item in answers.psfs),
        symptoms=tuple(answers.red_flags),
        cleared_by_clinician=answers.cleared_by_clinician,
    )
    with person.store.transaction() as tx:
        existing = tx.history(person.id)
        if existing is not None:
            raise UserError(
                f"a program already started on {existing.profile.start.isoformat()}, "
                "and one database holds one person's program"
            )
        tx.add_person(person.id, profile)
        tx.add_checkin(person.id, intake)
    return plan_day(on, History(profile, (intake,)), person.program_for(profile))


def screen_intake(person: Person, codes: list[str] | tuple[str, ...], on: date) -> None:
    """Refuse to start a program over an emergency sign: the person needs care first.

    Urgent and see-a-clinician signs start the program (paused, or held in phase 1); an
    emergency starts nothing, so nothing suggests exercising before being seen.
    """
    alerts = intake_emergencies(tuple(codes), on)
    if alerts:
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
        raise UserError("choose three days, or every-other-day", field="days")
    try:
        days = training_days_from_choice(choice)
    except ValueError as error:
        raise UserError(str(error), field="days") from error
    refusal = refuse_training_days(days)
    if refusal is not None:
        raise UserError(person.content.say(refusal), field="days")
    with person.store.transaction() as tx:
        history = person.history_in(tx)
        check_date(history, on)
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
