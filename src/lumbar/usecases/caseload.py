"""The clinician's use cases: each patient's overview, and the dashboard sorted by concern.

Everything here reads through the same use cases as the patient's own screens, so what
the clinician sees is what the patient was told. Access (which patients) is checked by
`usecases/audit.py:patient_for` before any of this runs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from lumbar.content.load import Content
from lumbar.domain.access import Account
from lumbar.domain.model import History, ProblemReport, SessionLog
from lumbar.domain.monitoring import Attention, Concern, Finding, Signals, attention
from lumbar.domain.progress import Progress
from lumbar.errors import UserError
from lumbar.store import notices
from lumbar.store.database import Store
from lumbar.usecases import problems, program
from lumbar.usecases.person import Person

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


def describe(finding: Finding, content: Content | None = None) -> str:
    """The concern in one line; with the content, exercises and symptoms are named as the
    patient's own screens name them, not by their ids."""
    facts: dict[str, object] = {}
    for name, value in finding.facts.items():
        if isinstance(value, date):
            facts[name] = value.isoformat()
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
        connection = tx.connection
        return Signals(
            acknowledged=frozenset(notices.acknowledged(connection, patient.id)),
            requests=tuple(
                (r.on, r.seen_by) for r in notices.requests(connection, patient.id, open_only=True)
            ),
            intake=tuple(
                (e.on, e.code)
                for e in notices.intake_emergencies_of(connection, patient.id)
                if e.cleared_by is None
            ),
        )


def overview(store: Store, content: Content, patient: Account, on: date) -> Overview:
    person = patient_record(store, content, patient, today=on)
    history = store.read(patient.id)
    kept = signals(store, patient)
    if history is None:
        nothing = attention(on, None, None, [], min_adherence_pct=0, signals=kept)
        return Overview(patient, None, None, (), nothing, person)
    day = max(on, history.profile.start)
    try:
        progress = program.progress(person, day)
    except UserError:
        progress = None
    reports = tuple(problems.reports(person))
    threshold = person.program_for(history.profile).thresholds.min_adherence_pct
    found = attention(
        day, history, progress, list(reports), min_adherence_pct=threshold, signals=kept
    )
    return Overview(patient, history, progress, reports, found, person)


def dashboard(store: Store, content: Content, patients: list[Account], on: date) -> list[Overview]:
    """The clinician's patients, those who need attention first."""
    overviews = [overview(store, content, p, on) for p in patients]
    return sorted(overviews, key=lambda o: (o.attention.rank, o.account.email))
