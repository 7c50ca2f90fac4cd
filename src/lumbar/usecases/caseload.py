"""The clinician's use cases: each patient's overview, and the dashboard sorted by concern.

Everything here reads through the same use cases as the patient's own screens, so what
the clinician sees is what the patient was told. Access (which patients) is checked by
`usecases/audit.py:patient_for` before any of this runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from lumbar.content.load import Content
from lumbar.content.wording import format_date
from lumbar.domain.access import Account
from lumbar.domain.model import History, ProblemReport, SessionLog
from lumbar.domain.monitoring import Attention, Concern, Finding, Signals, attention
from lumbar.domain.progress import PROGRESS_WEEKS, Progress, progress_report
from lumbar.errors import UserError
from lumbar.store import notices
from lumbar.store.database import Store
from lumbar.usecases.person import Person

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from lumbar.store.patient_facts import PatientFacts
    from lumbar.store.writes import Transaction

CONCERN_TEXT = {
    Concern.EMERGENCY: "Emergency sign reported ({code}) on {since}",
    Concern.URGENT: "Urgent sign reported ({code}) on {since}",
    Concern.CLEARANCE_REQUESTED: "Asks to be cleared: says {seen_by} saw them ({last_on})",
    Concern.ACKNOWLEDGED: "Paused until you clear it: {code}, since {since} (acknowledged)",
    Concern.BAD_PAIN: "Bad pain in sessions: {count} in two weeks, last on {last_on} ({exercise})",
    Concern.PROBLEM: "Problem reports: {count} in two weeks, last on {last_on}",
    Concern.NOT_IMPROVING: "Not improving at the 4-week review",
    Concern.ADHERENCE: "Sessions falling behind: {done} done, {missed} missed in two weeks",
    Concern.INACTIVE: "Nothing recorded since {last_on}",
    Concern.NOT_STARTED: "Has not started the program yet",
}
"""One line per concern for the dashboard, in the clinician's words."""


ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def describe(finding: Finding, content: Content | None = None) -> str:
    """The concern in one line; with the content, exercises and symptoms are named as the
    patient's own screens name them, not by their ids, and days in words ("Mon 9 Nov
    2026"), whether the finding was just made or read back from a kept summary."""
    facts: dict[str, object] = {}
    for name, value in finding.facts.items():
        if isinstance(value, str) and ISO_DAY.fullmatch(value):
            value = date.fromisoformat(value)  # as a kept summary stores it
        if isinstance(value, date):
            facts[name] = format_date(value)
        elif content is not None and name == "exercise" and isinstance(value, str):
            facts[name] = content.wording.exercise_names.get(value, value)
        elif content is not None and name == "code" and isinstance(value, str):
            facts[name] = content.wording.symptom_labels.get(value, value)
        else:
            facts[name] = value
    return CONCERN_TEXT[finding.concern].format(**facts)


@dataclass(frozen=True, slots=True)
class Overview:
    account: Account
    history: History | None
    progress: Progress | None
    problems: tuple[ProblemReport, ...]
    attention: Attention
    person: Person
    """The patient's record, for the use cases that show more of it."""

    @property
    def concerns(self) -> list[str]:
        return [describe(f, self.person.content) for f in self.attention.findings]

    @property
    def sessions(self) -> list[SessionLog]:
        if self.history is None:
            return []
        return [e for e in self.history.events if isinstance(e, SessionLog)]

    @property
    def trend(self) -> str:
        """The pain scores as the points of a 80 x 24 sparkline (0 at the bottom, 10 at the
        top), for the dashboard's trend at a glance."""
        scores = [] if self.progress is None else [s.value for s in self.progress.pain]
        return sparkline(scores)


def sparkline(values: Iterable[float], width: int = 80, height: int = 24) -> str:
    points = list(values)[-12:]
    if not points:
        return ""
    step = width / max(1, len(points) - 1)
    return " ".join(
        f"{i * step:.1f},{height - (v / 10) * height:.1f}" for i, v in enumerate(points)
    )


def patient_record(
    store: Store, content: Content, patient: Account, *, today: date | None = None
) -> Person:
    """A patient's record on a clinic's server (their prescription applies); `today` is
    the server's clock."""
    return Person(store, content, patient.id, clinic=True, today=today)


def signals(store: Store, patient: Account) -> Signals:
    """What the clinic keeps for the clinician beside the patient's history."""
    with store.transaction() as tx:
        return signals_in(tx.connection, patient.id)


def signals_in(connection: Connection, patient: int, has: notices.Kept | None = None) -> Signals:
    """The clinic's signals for the patient: one query for which kinds they have (none, for
    most patients; `has` when it is known), and one more for each kind there is."""
    if has is None:
        has = notices.kept(connection, patient)
    acknowledged = notices.acknowledged(connection, patient) if has.acknowledgements else set()
    requests = notices.requests(connection, patient, open_only=True) if has.requests else []
    intake = notices.intake_emergencies_of(connection, patient) if has.intake else []
    return Signals(
        acknowledged=frozenset(acknowledged),
        requests=tuple((r.on, r.seen_by) for r in requests),
        intake=tuple((e.on, e.code) for e in intake if e.cleared_by is None),
    )


@dataclass(frozen=True, slots=True)
class Concerns:
    """What `attention` was given and what it found, for one patient on one day."""

    history: History | None
    progress: Progress | None
    problems: tuple[ProblemReport, ...]
    attention: Attention


def concerns_in(
    tx: Transaction,
    person: Person,
    on: date,
    *,
    weeks: int = PROGRESS_WEEKS,
    facts: PatientFacts | None = None,
) -> Concerns:
    """The patient's concerns on `on`, read inside `tx` (a write's own transaction, so the
    summary kept with it sees what it wrote: usecases/summaries.py). The one place the
    rules' inputs are gathered, for the patient page and the dashboard alike. `weeks` are
    the weeks of the progress calendar: the patient page draws six, the concerns need only
    `CALENDAR_WEEKS`. With the patient's `facts` read already (store/patient_facts.py),
    what they have none of is not asked for."""
    history = tx.history(person.id)
    kept = signals_in(tx.connection, person.id, None if facts is None else facts.kept)
    if history is None:
        nothing = attention(on, None, None, [], min_adherence_pct=0, signals=kept)
        return Concerns(None, None, (), nothing)
    person.history_in(tx)  # reads the prescription in this transaction
    day = max(on, history.profile.start)
    program_ = person.program_for(history.profile)
    try:
        progress: Progress | None = progress_report(day, history, program_, weeks=weeks)
    except UserError:
        progress = None
    reports = tuple(tx.problems(person.id)) if facts is None or facts.has_problems else ()
    threshold = program_.thresholds.min_adherence_pct
    found = attention(
        day, history, progress, list(reports), min_adherence_pct=threshold, signals=kept
    )
    return Concerns(history, progress, reports, found)


def overview(store: Store, content: Content, patient: Account, on: date) -> Overview:
    person = patient_record(store, content, patient, today=on)
    with store.transaction() as tx:
        found = concerns_in(tx, person, on)
    return Overview(patient, found.history, found.progress, found.problems, found.attention, person)


def dashboard(store: Store, content: Content, patients: list[Account], on: date) -> list[Overview]:
    """The clinician's patients, those who need attention first, each computed in full: what
    the dashboard did before it read the kept summaries (usecases/summaries.py); the
    benchmarks compare the two."""
    overviews = [overview(store, content, p, on) for p in patients]
    return sorted(overviews, key=lambda o: (o.attention.rank, o.account.email))
