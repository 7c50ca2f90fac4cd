"""The use cases: start, today, log a session, check in, status, export, import.

The command line (and later the web app) are thin shells over these. Each use case takes the
day it is about, reads the history, asks the domain, and writes at most one transaction;
input that the rules refuse raises UserError before anything is written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, overload

from lumbar.content.load import Content
from lumbar.domain import pain as pain_rules
from lumbar.domain.decisions import Decision
from lumbar.domain.model import (
    Alert,
    CheckIn,
    DayPlan,
    Event,
    ExerciseResult,
    History,
    Kind,
    Pain,
    PlannedExercise,
    ProblemKind,
    ProblemReport,
    Profile,
    Range,
    SessionLog,
    Status,
    TrainingDays,
)
from lumbar.domain.plan import plan_day, program_status, session_refusal
from lumbar.domain.program import Program
from lumbar.domain.reminders import Reminders
from lumbar.domain.schedule import refuse_training_days
from lumbar.domain.screening import intake_emergencies, known_symptoms, refuse_minor
from lumbar.errors import NoProgram, UserError, refuse_control_characters
from lumbar.store.database import LOCAL_PERSON, Store

if TYPE_CHECKING:
    from lumbar.domain.progress import Progress
    from lumbar.inputs import IntakeAnswers
    from lumbar.prescription import Prescribed
    from lumbar.store.writes import Transaction

NOTE_LIMIT = 1000
"""The longest note a problem report keeps (the column's size)."""
KEY_LIMIT = 128
"""The longest Idempotency-Key kept (the column's size)."""

# The use cases that read (today, status) import nothing heavy: pydantic (archive, inputs)
# and SQLAlchemy load only inside the use cases that need them.


@dataclass(frozen=True, slots=True)
class LoggedSession:
    """A recorded session: what each pain answer meant, and the day as it stands now."""

    responses: tuple[Decision, ...]
    plan: DayPlan


@dataclass(frozen=True, slots=True)
class SessionInProgress:
    """Today's plan and the exercises answered so far; `next` is the one to do now."""

    plan: DayPlan
    answers: tuple[ExerciseResult, ...]

    @property
    def next(self) -> PlannedExercise | None:
        if self.plan.completed or (self.answers and self.answers[-1].pain is Pain.RADIATING):
            return None
        done = {r.exercise_id for r in self.answers}
        return next((e for e in self.plan.exercises if e.exercise_id not in done), None)


@dataclass(frozen=True, slots=True)
class Answered:
    """What one pain answer means, where the session stands, and the session once finished."""

    response: Decision
    progress: SessionInProgress
    finished: LoggedSession | None


@dataclass(frozen=True, slots=True)
class Idempotency:
    """A client's Idempotency-Key for one write, so that sending it again writes nothing.

    `request` is the request as the client sent it, as one canonical text: the same key sent
    with another request is refused rather than answered with the first one's response.
    `at` is when it came, in UTC without a zone (the shells read the clock, not the use
    cases).
    """

    key: str
    request: str
    at: datetime

    def check(self) -> None:
        """Refuse a key that is empty, longer than the column, or not printable ASCII."""
        wanted = f"a key of 1 to {KEY_LIMIT} printable ASCII characters"
        odd = next((c for c in self.key if not " " <= c <= "~"), None)
        if not self.key:
            raise UserError(f"give {wanted} (this one is empty)", field="Idempotency-Key")
        if len(self.key) > KEY_LIMIT:
            raise UserError(
                f"give {wanted} (this one has {len(self.key)})", field="Idempotency-Key"
            )
        if odd is not None:
            raise UserError(f"give {wanted} (this one holds {odd!r})", field="Idempotency-Key")

    @property
    def digest(self) -> str:
        import hashlib

        return hashlib.sha256(self.request.encode("utf-8")).hexdigest()

    def stored(self, body: dict[str, Any]) -> str:
        """What is kept under the key: the response, and the digest of the request it
        answered (the table has one text column, so both go in one JSON document)."""
        return json.dumps({"request": self.digest, "body": body}, ensure_ascii=False)

    def replay(self, stored: str) -> Recorded:
        """The response kept under the key, if it answered this same request."""
        kept = json.loads(stored)
        if kept["request"] != self.digest:
            raise UserError("this Idempotency-Key was already used for a different request")
        return Recorded(kept["body"], replayed=True)


@dataclass(frozen=True, slots=True)
class Recorded:
    """The answer to a write sent with an Idempotency-Key: its JSON, and whether it is the
    answer kept from an earlier request with the same key (then nothing was written)."""

    body: dict[str, Any]
    replayed: bool


class EmergencyAtIntake(UserError):
    """An emergency sign at the intake: no program starts; the person needs care first."""

    def __init__(self, alerts: tuple[Alert, ...], messages: tuple[str, ...]) -> None:
        super().__init__(" ".join(messages))
        self.alerts = alerts


class Services:
    def __init__(
        self, store: Store, content: Content, person: int = LOCAL_PERSON, *, clinic: bool = False
    ) -> None:
        """`clinic`: accounts mode, where a clinician may have prescribed this person's
        program (local mode has no prescriptions, and never reads the table)."""
        self.store = store
        self.content = content
        self.person = person
        self.clinic = clinic
        self._prescribed: Prescribed | None = None
        self._prescription_read = False

    def program_for(self, profile: Profile) -> Program:
        """The person's program: the defaults, or their clinician's prescription, on the
        days they chose (unless the prescription sets the days)."""
        prescribed = self.prescription()
        if prescribed is None:
            return self.content.program.with_training_days(profile.training_days)
        return prescribed.program.with_training_days(
            prescribed.training_days or profile.training_days
        )

    def prescription(self) -> Prescribed | None:
        """The clinician's prescription for this person, if any (read once per use case)."""
        if not self.clinic:
            return None
        if not self._prescription_read:
            with self.store.transaction() as tx:
                self._read_prescription(tx)
        return self._prescribed

    def _read_prescription(self, tx: Transaction) -> None:
        from lumbar.prescription import from_stored
        from lumbar.store.accounts import prescription

        stored = prescription(tx.connection, self.person)
        self._prescribed = None if stored is None else from_stored(stored.text, self.content)
        self._prescription_read = True

    def prescribe(self, data: Any, clinician: int, now: datetime) -> Prescribed:
        """Replace this patient's prescription with a checked document (see prescription.py);
        a refused one writes nothing."""
        from lumbar.prescription import parse, to_json
        from lumbar.store.accounts import set_prescription

        prescribed = parse(data, self.content)
        with self.store.transaction() as tx:
            set_prescription(
                tx.connection,
                self.person,
                text=to_json(prescribed.document),
                clinician_id=clinician,
                now=now,
            )
        self._prescribed, self._prescription_read = prescribed, True
        return prescribed

    # Reading.

    def history(self) -> History:
        history = self.store.read(self.person)
        if history is None:
            raise NoProgram()
        return history

    def today(self, on: date) -> DayPlan:
        history = self.history()
        self._check_date(history, on)
        return plan_day(on, history, self.program_for(history.profile))

    def status(self, on: date) -> Status:
        history = self.history()
        self._check_date(history, on)
        return program_status(on, history, self.program_for(history.profile))

    def progress(self, on: date) -> Progress:
        from lumbar.domain.progress import progress_report

        history = self.history()
        self._check_date(history, on)
        return progress_report(on, history, self.program_for(history.profile))

    def has_program(self) -> bool:
        return self.store.read(self.person) is not None

    def refusal(self, plan: DayPlan) -> str | None:
        """Why no session can be recorded on the plan's day, or None when one can."""
        refusal = session_refusal(plan)
        if refusal is None:
            return None
        reason = self.content.say(refusal)
        if plan.kind is Kind.BLOCKED:
            return f"no session can be recorded while the program is paused. {reason}"
        if plan.completed:
            return f"today's session is already recorded. {reason}"
        return f"no session is planned on {plan.on.isoformat()}. {reason}"

    # Writing.

    def start(self, answers: IntakeAnswers, on: date) -> DayPlan:
        refusal = refuse_minor(answers.age)
        if refusal is not None:
            raise UserError(self.content.say(refusal))
        self.screen_intake(answers.red_flags, on)
        days = answers.training_days
        refusal = refuse_training_days(days)
        if refusal is not None:
            raise UserError(self.content.say(refusal))
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
        with self.store.transaction() as tx:
            existing = tx.history(self.person)
            if existing is not None:
                raise UserError(
                    f"a program already started on {existing.profile.start.isoformat()}, "
                    "and one database holds one person's program"
                )
            tx.add_person(self.person, profile)
            tx.add_checkin(self.person, intake)
        return plan_day(on, History(profile, (intake,)), self.program_for(profile))

    def screen_intake(self, codes: list[str] | tuple[str, ...], on: date) -> None:
        """Refuse to start a program over an emergency sign: the person needs care first.

        Urgent and see-a-clinician signs start the program (paused, or held in phase 1);
        an emergency starts nothing, so nothing suggests exercising before being seen.
        """
        alerts = intake_emergencies(tuple(codes), on)
        if alerts:
            raise EmergencyAtIntake(alerts, tuple(self.content.say(a.decision) for a in alerts))

    @overload
    def log_session(self, on: date, entries: list[tuple[str, Pain]]) -> LoggedSession: ...

    @overload
    def log_session(
        self, on: date, entries: list[tuple[str, Pain]], *, idempotency: Idempotency
    ) -> Recorded: ...

    def log_session(
        self,
        on: date,
        entries: list[tuple[str, Pain]],
        *,
        idempotency: Idempotency | None = None,
    ) -> LoggedSession | Recorded:
        """Record a session with the pain after each exercise.

        With an Idempotency-Key, the answer (as the API gives it) is kept under the key in
        the same transaction, and a request sent again with the key gets it back with
        nothing written.
        """
        if idempotency is not None:
            return self._log_session_once(on, entries, idempotency)
        with self.store.transaction() as tx:
            history = self._history_in(tx)
            program = self.program_for(history.profile)
            plan = self._session_day(history, program, on)
            session = SessionLog(on, self._check_entries(plan, entries))
            tx.add_session(self.person, session)
            tx.discard_draft(self.person)
        return self._logged(history, program, session)

    def _log_session_once(
        self, on: date, entries: list[tuple[str, Pain]], once: Idempotency
    ) -> Recorded:
        from lumbar.store.writes import KeyTaken
        from lumbar.views import logged_json

        once.check()
        try:
            with self.store.transaction() as tx:
                # Reading the history locks the person's row (PostgreSQL; SQLite has one
                # writer), so a request with the same key waits here and then finds it.
                history = self._history_in(tx)
                stored = tx.idempotent_response(self.person, once.key)
                if stored is not None:
                    return once.replay(stored)
                program = self.program_for(history.profile)
                plan = self._session_day(history, program, on)
                session = SessionLog(on, self._check_entries(plan, entries))
                tx.add_session(self.person, session)
                tx.discard_draft(self.person)
                body = logged_json(self._logged(history, program, session), self.content)
                tx.add_idempotent_response(self.person, once.key, once.stored(body), once.at)
        except KeyTaken:
            # A writer that stored the key without the row lock won the race: this
            # transaction is rolled back, so answer what it stored.
            with self.store.transaction() as tx:
                self._history_in(tx)
                stored = tx.idempotent_response(self.person, once.key)
            if stored is None:
                raise
            return once.replay(stored)
        return Recorded(body, replayed=False)

    # The guided session, one answer at a time (the web app's player).

    def in_progress(self, on: date) -> SessionInProgress:
        """Today's session and the pain answers given so far, to resume where it stopped."""
        with self.store.transaction() as tx:
            history = self._history_in(tx)
            self._check_date(history, on)
            plan = plan_day(on, history, self.program_for(history.profile))
            draft = tx.draft(self.person)
        answers = draft[1] if draft is not None and draft[0] == on and not plan.completed else ()
        return SessionInProgress(plan, answers)

    def answer(self, on: date, exercise_id: str, pain: Pain) -> Answered:
        """Record the pain after one exercise of the session in progress.

        The answer is kept at once, so a reload resumes the session. Pain down the leg, or
        the last exercise of the day, finishes the session: it is recorded as a whole.
        """
        with self.store.transaction() as tx:
            history = self._history_in(tx)
            program = self.program_for(history.profile)
            plan = self._session_day(history, program, on)
            draft = tx.draft(self.person)
            answers = draft[1] if draft is not None and draft[0] == on else ()
            if draft is not None and not answers:
                tx.discard_draft(self.person)  # left from an earlier day
            entries = [(r.exercise_id, r.pain) for r in answers]
            results = self._check_entries(plan, [*entries, (exercise_id, pain)], where="exercise")
            tx.add_draft_answer(self.person, on, len(answers), results[-1])
            progress = SessionInProgress(plan, results)
            ends = progress.next is None
            if ends:
                session = SessionLog(on, results)
                tx.add_session(self.person, session)
                tx.discard_draft(self.person)
        finished = self._logged(history, program, session) if ends else None
        return Answered(pain_rules.respond(exercise_id, pain), progress, finished)

    def finish(self, on: date) -> LoggedSession:
        """End the session in progress early: record the exercises answered so far."""
        with self.store.transaction() as tx:
            history = self._history_in(tx)
            program = self.program_for(history.profile)
            plan = self._session_day(history, program, on)
            draft = tx.draft(self.person)
            if draft is None or draft[0] != on:
                raise UserError("no exercise of today's session is answered yet")
            entries = [(r.exercise_id, r.pain) for r in draft[1]]
            session = SessionLog(on, self._check_entries(plan, entries, where="exercise"))
            tx.add_session(self.person, session)
            tx.discard_draft(self.person)
        return self._logged(history, program, session)

    def _session_day(self, history: History, program: Program, on: date) -> DayPlan:
        """The plan of a day a session can be recorded on, or UserError with the reason."""
        self._check_date(history, on)
        later = [e.on for e in history.events if isinstance(e, SessionLog) and e.on > on]
        if later:
            raise UserError(
                f"sessions are recorded in order, and one is already recorded "
                f"on {later[-1].isoformat()}",
                field="date",
            )
        plan = plan_day(on, history, program)
        refused = self.refusal(plan)
        if refused is not None:
            raise UserError(refused)
        return plan

    def _logged(self, history: History, program: Program, session: SessionLog) -> LoggedSession:
        after = plan_day(session.on, _with(history, session), program)
        responses = tuple(pain_rules.respond(r.exercise_id, r.pain) for r in session.results)
        return LoggedSession(responses, after)

    def set_training_days(self, choice: list[str] | str) -> TrainingDays:
        """Change the training days: weekday names, "mon,wed,fri" or "every-other-day",
        with the checks of the intake."""
        from lumbar.inputs import training_days

        if not choice or (isinstance(choice, str) and not choice.strip()):
            raise UserError("choose three days, or every-other-day", field="days")
        try:
            days = training_days(choice)
        except ValueError as error:
            raise UserError(str(error), field="days") from error
        refusal = refuse_training_days(days)
        if refusal is not None:
            raise UserError(self.content.say(refusal), field="days")
        with self.store.transaction() as tx:
            self._history_in(tx)
            if self.clinic and self._prescribed and self._prescribed.training_days is not None:
                raise UserError(
                    "your clinician set your training days: ask them to change them",
                    field="days",
                )
            tx.set_training_days(self.person, days)
        return days

    def checkin(
        self,
        on: date,
        *,
        pain: int | None = None,
        psfs: tuple[int, ...] | None = None,
        symptoms: tuple[str, ...] = (),
        cleared_by_clinician: bool = False,
        after_clearance: bool = False,
    ) -> Status:
        """Record a check-in. `after_clearance` first records, in the same transaction, that
        a clinician cleared the alerts already standing (the interactive check-in asks this
        before the new questions, so its new symptoms are not cleared with them)."""
        nothing = pain is None and psfs is None and not symptoms
        if nothing and not cleared_by_clinician and not after_clearance:
            raise UserError(
                "nothing to record: give --pain, --psfs, --symptom or --cleared-by-clinician"
            )
        try:
            codes = known_symptoms(symptoms)
        except ValueError as error:
            raise UserError(str(error), field="symptoms") from error
        with self.store.transaction() as tx:
            history = self._history_in(tx)
            self._check_date(history, on)
            activities = history.profile.psfs_activities
            if psfs is not None and len(psfs) != len(activities):
                raise UserError(
                    f"expected {len(activities)} scores, one for each activity "
                    f"({'; '.join(activities)}), got {len(psfs)}",
                    field="psfs",
                )
            records = [CheckIn(on, cleared_by_clinician=True)] if after_clearance else []
            if not nothing or cleared_by_clinician:
                records.append(CheckIn(on, pain, psfs, codes, cleared_by_clinician))
            for record in records:
                tx.add_checkin(self.person, record)
        updated = History.of(history.profile, [*history.events, *records])
        return program_status(on, updated, self.program_for(history.profile))

    # The adverse-event log.

    def report_problem(self, on: date, kind: str, note: str = "") -> ProblemReport:
        """Record something that went wrong (more pain after a session, a fall, other)."""
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
        report = ProblemReport(on, chosen, note)
        with self.store.transaction() as tx:
            history = self._history_in(tx)
            self._check_date(history, on)
            tx.add_problem(self.person, report)
        return report

    def problems(self) -> list[ProblemReport]:
        with self.store.transaction() as tx:
            self._history_in(tx)
            return tx.problems(self.person)

    # Reminders and the calendar.

    def reminders(self) -> tuple[Reminders, str | None]:
        """The reminder settings (the defaults until changed) and the calendar token."""
        with self.store.transaction() as tx:
            self._history_in(tx)
            found = tx.reminders(self.person)
        return found if found is not None else (Reminders(), None)

    def change_reminders(
        self,
        *,
        session_time: str | None = None,
        work_start: str | None = None,
        work_end: str | None = None,
        work_days: list[str] | str | None = None,
        break_minutes: int | str | None = None,
    ) -> Reminders:
        """Change the reminder settings from what a person typed; what is left out stays.
        Refuses (naming the field) a time that is not one, or hours that do not fit."""
        from dataclasses import replace

        from lumbar.domain.model import WEEKDAY_NAMES
        from lumbar.domain.reminders import parse_clock

        current, _ = self.reminders()
        changes: dict[str, Any] = {}
        for field, text in (
            ("session_time", session_time),
            ("work_start", work_start),
            ("work_end", work_end),
        ):
            if text is not None:
                try:
                    changes[field] = parse_clock(text)
                except ValueError as error:
                    raise UserError(str(error), field=field) from error
        if work_days is not None:
            names = work_days.split(",") if isinstance(work_days, str) else work_days
            full = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
            names = [n.strip().lower() for n in names if n.strip()]
            unknown = [n for n in names if n not in WEEKDAY_NAMES and n not in full]
            if unknown:
                raise UserError(f"{unknown[0]!r} is not a day (mon to sun)", field="work_days")
            changes["work_days"] = frozenset(WEEKDAY_NAMES.index(n[:3]) for n in names)
        if break_minutes is not None:
            text = str(break_minutes).strip()
            if not (text.isascii() and text.isdigit()):
                raise UserError(f"{text!r} is not a number of minutes", field="break_minutes")
            changes["break_minutes"] = int(text)
        return self.set_reminders(replace(current, **changes))

    def set_reminders(self, settings: Reminders) -> Reminders:
        problems = settings.problems()
        if problems:
            field, _, message = problems[0].partition(": ")
            raise UserError(message, field=field)
        with self.store.transaction() as tx:
            self._history_in(tx)
            found = tx.reminders(self.person)
            tx.set_reminders(self.person, settings, None if found is None else found[1])
        return settings

    def calendar_token(self, *, rotate: bool = False) -> str:
        """The secret in the calendar subscription's address; a new one when rotated (the
        old address stops working at once)."""
        import secrets

        with self.store.transaction() as tx:
            self._history_in(tx)
            found = tx.reminders(self.person)
            settings, token = found if found is not None else (Reminders(), None)
            if token is None or rotate:
                token = secrets.token_urlsafe(24)
                tx.set_reminders(self.person, settings, token)
        return token

    def calendar(self, on: date, *, weeks: int = 4) -> str:
        """The coming weeks as an iCalendar document (RFC 5545)."""
        from lumbar.domain.reminders import calendar_entries
        from lumbar.handouts.calendar import to_ical

        history = self.history()
        self._check_date(history, on)
        settings, _ = self.reminders()
        program = self.program_for(history.profile)
        entries = calendar_entries(on, history, program, settings, weeks=weeks)
        return to_ical(entries, self.content, made_on=on)

    # The handout and the clinician summary.

    def handout_html(self, on: date, *, size: str = "a4") -> str:
        """The printable handout of the phase the person is in, as HTML."""
        from lumbar.figures.load import drawings_for
        from lumbar.handouts.documents import SIZES, handout_html

        if size not in SIZES:
            raise UserError(f"{size!r}: choose a4 or letter", field="size")
        history = self.history()
        self._check_date(history, on)
        program = self.program_for(history.profile)
        status = program_status(on, history, program)
        next_day = status.next_session
        plan = status.plan if next_day is None else plan_day(next_day, history, program)
        exercises = plan.exercises or tuple(
            # Paused: the phase's exercises at their first dose, for when it resumes.
            PlannedExercise(p.exercise_id, p.steps[0], Range.FULL, 0)
            for p in program.phase(status.phase).prescriptions
        )
        settings, _ = self.reminders()
        return handout_html(
            on=on,
            content=self.content,
            drawings=drawings_for(self.content),
            program=program,
            status=status,
            exercises=exercises,
            reminders=settings,
            size=size,
            notes=prescribed.notes if (prescribed := self.prescription()) else "",
        )

    def summary_html(self, on: date) -> str:
        """The one-page summary for a clinician, as HTML."""
        from lumbar.domain.progress import progress_report
        from lumbar.handouts.documents import summary_html

        with self.store.transaction() as tx:
            history = self._history_in(tx)
            problems = tx.problems(self.person)
        self._check_date(history, on)
        program = self.program_for(history.profile)
        return summary_html(
            on=on,
            content=self.content,
            history=history,
            program=program,
            progress=progress_report(on, history, program),
            problems=[p for p in problems if p.on <= on],
        )

    def fhir(self, on: date) -> dict[str, Any]:
        """The person's program and records as a FHIR R4 Bundle (validated as R4B)."""
        from lumbar.fhir import fhir_bundle

        history = self.history()
        self._check_date(history, on)
        return fhir_bundle(history, self.program_for(history.profile), self.content, on)

    # Moving data out and in.

    def export(self) -> dict[str, Any]:
        from lumbar import archive

        with self.store.transaction() as tx:
            history = self._history_in(tx)
            problems = tx.problems(self.person)
            found = tx.reminders(self.person)
        return archive.to_document(
            history, problems=problems, reminders=None if found is None else found[0]
        )

    def import_(self, text: str, *, source: str) -> History:
        """Load an export into an empty database, after replaying it through every rule."""
        from lumbar import archive

        imported = archive.from_document(
            text, source=source, exercise_ids=set(self.content.catalogue)
        )
        history = imported.history
        refusal = refuse_training_days(history.profile.training_days)
        if refusal is not None:
            raise UserError(f"{source}: profile.days: {self.content.say(refusal)}")
        for index, activity in enumerate(history.profile.psfs_activities):
            where = f"{source}: profile.psfs_activities.{index}: "
            refuse_control_characters(activity, where=where)
        for index, report in enumerate(imported.problems):
            refuse_control_characters(report.note, where=f"{source}: problems.{index}.note: ")
        self._replay(history, source=source)
        with self.store.transaction() as tx:
            if self.clinic:
                # A clinic's database holds many people: only this one's record must be new.
                if tx.history(self.person) is not None:
                    raise UserError("import goes into a new record, and yours holds a program")
            elif not tx.is_empty():
                raise UserError("import goes into an empty database, and this one holds a program")
            tx.add_person(self.person, imported.history.profile)
            for event in imported.history.events:
                if isinstance(event, SessionLog):
                    tx.add_session(self.person, event)
                else:
                    tx.add_checkin(self.person, event)
            for report in imported.problems:
                tx.add_problem(self.person, report)
            if imported.reminders is not None:
                tx.set_reminders(self.person, imported.reminders, None)
        return history

    def _replay(self, history: History, *, source: str) -> None:
        """Refuse an import whose sessions `lumbar log` would have refused, on their day."""
        program = self.program_for(history.profile)
        replayed: list[Event] = []
        for index, event in enumerate(history.events):
            if isinstance(event, SessionLog):
                plan = plan_day(event.on, History(history.profile, tuple(replayed)), program)
                where = f"{source}: events.{index}"
                refused = self.refusal(plan)
                if refused is not None:
                    raise UserError(f"{where}: {refused}")
                entries = [(r.exercise_id, r.pain) for r in event.results]
                self._check_entries(plan, entries, where=where)
            replayed.append(event)

    # Helpers of the use cases above.

    def _history_in(self, tx: Transaction) -> History:
        history = tx.history(self.person)
        if history is None:
            raise NoProgram()
        if self.clinic and not self._prescription_read:
            # Read in this transaction: `program_for` must not open a second one inside it.
            self._read_prescription(tx)
        return history

    def _check_date(self, history: History, on: date) -> None:
        if on < history.profile.start:
            raise UserError(
                f"{on.isoformat()} is before the program started "
                f"({history.profile.start.isoformat()})",
                field="date",
            )

    def _check_entries(
        self, plan: DayPlan, entries: list[tuple[str, Pain]], *, where: str = "exercises"
    ) -> tuple[ExerciseResult, ...]:
        planned = [e.exercise_id for e in plan.exercises]
        name = self.content.wording.exercise_names
        seen: set[str] = set()
        results: list[ExerciseResult] = []
        for exercise_id, pain in entries:
            if exercise_id not in planned:
                raise UserError(
                    f"{exercise_id} is not in the plan for {plan.on.isoformat()} "
                    f"(phase {plan.phase}: {', '.join(planned)})",
                    field=where,
                )
            if exercise_id in seen:
                raise UserError(f"{exercise_id} is given twice", field=where)
            if results and results[-1].pain is Pain.RADIATING:
                stopped = results[-1].exercise_id
                raise UserError(
                    f"pain down the leg during {name[stopped]} ends the session, "
                    f"so nothing can come after it ({exercise_id})",
                    field=where,
                )
            seen.add(exercise_id)
            results.append(ExerciseResult(exercise_id, pain))
        if not results:
            raise UserError("give at least one exercise with the pain after it", field=where)
        return tuple(results)


def _with(history: History, event: Event) -> History:
    return History.of(history.profile, [*history.events, event])
