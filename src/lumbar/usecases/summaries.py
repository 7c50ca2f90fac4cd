"""The dashboard at practice scale (issue #20): each patient's concern summary, kept with
every write, and a clinician's patients listed a page at a time from it.

A write of anything a patient's concerns are made of says so on its connection
(store/touched.py); before the transaction commits, `keep`'s hook computes those patients'
concerns again, in the same transaction, by the same rules as the patient page
(`caseload.concerns_in`, the domain's `attention`), and stores them. What changes with the
date alone is caught by `steady_until` (domain/monitoring.py): a listing first computes
again, in bulk, the rows that are not right for today (`store/summaries.py:stale`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from lumbar.content.load import Content
from lumbar.domain.access import Account, Role
from lumbar.domain.model import Clearance, History
from lumbar.domain.monitoring import CALENDAR_WEEKS, Concern, Finding, steady_until
from lumbar.errors import NotAllowed
from lumbar.store import summaries as rows
from lumbar.store import unread as counts
from lumbar.store.accounts import accounts as accounts_of
from lumbar.store.database import Store
from lumbar.store.patient_facts import PatientFacts, patient_facts
from lumbar.store.writes import Transaction
from lumbar.usecases import caseload
from lumbar.usecases.audit import Action
from lumbar.usecases.person import Person

PAGE_SIZE = 50
"""Patients on one page of the dashboard."""
PAIN_POINTS = 12
"""The pain scores kept for the sparkline: the last twelve."""
LEVELS = (*(c.value for c in Concern), "none")
"""The levels a dashboard can be filtered by: a concern, or nothing to look at."""


def keep(store: Store, content: Content, clock: Callable[[], date]) -> None:
    """Keep the summaries of a clinic's server with every write to `store` (the server's
    clock gives the day they are computed for)."""

    def after_write(tx: Transaction, people: set[int]) -> None:
        refresh(store, tx, content, people, clock())

    store.after_write = after_write


def refresh(
    store: Store, tx: Transaction, content: Content, people: Iterable[int], on: date
) -> None:
    """Compute again the summaries of these people who are patients, in `tx`."""
    ordered = sorted(people)
    for person_id in ordered:
        # Each history first: reading it locks the person's row (PostgreSQL), so the facts
        # read next come after any write of theirs that held it, as the history does.
        tx.history(person_id)
    facts = patient_facts(tx.connection, ordered)
    made = [
        summary_in(store, tx, content, found, on)
        for _, found in sorted(facts.items())
        if found.account.role is Role.PATIENT
    ]
    rows.write(tx.connection, made)
    # Their unread counts, kept in the same rows (a new row's, a report's): one statement,
    # on rows the upsert has locked.
    counts.recount(tx.connection, [r.patient_id for r in made], locked=True)


BATCH = 200
"""Patients computed again in one transaction by `refresh_all` (writers wait for it)."""


def refresh_all(
    store: Store, content: Content, on: date, keep_going: Callable[[], bool] = lambda: True
) -> int:
    """Compute again every row of every clinician's patients that is not right for `on`,
    a few hundred patients a transaction: what `lumbar admin refresh-summaries` runs after
    midnight, so that no clinician's first view of the day pays for it; then the unread
    counts of any row that does not say what its messages and reports do. The number of
    rows computed. `keep_going` is asked before each batch (the server's job stops between
    two)."""
    with store.reading() as connection:
        clinicians = [a.id for a in accounts_of(connection) if a.role is Role.CLINICIAN]
        stale = [p for c in clinicians for p in rows.stale(connection, c, on)]
    done = 0
    for start in range(0, len(stale), BATCH):
        if not keep_going():
            break
        with store.transaction() as tx:
            refresh(store, tx, content, stale[start : start + BATCH], on)
        done += len(stale[start : start + BATCH])
    if keep_going():
        with store.transaction() as tx:  # counts a database written before they were kept
            counts.recount(tx.connection, counts.miscounted(tx.connection))
    return done


def summary_in(
    store: Store, tx: Transaction, content: Content, facts: PatientFacts, on: date
) -> rows.SummaryRow:
    """One patient's row on `on`, read inside `tx`."""
    patient = facts.account
    person = Person(store, content, patient.id, clinic=True, today=on)
    person.knows_prescription(facts.prescription)
    found = caseload.concerns_in(tx, person, on, weeks=CALENDAR_WEEKS, facts=facts)
    findings = found.attention.findings
    pain = [] if found.progress is None else [s.value for s in found.progress.pain]
    revision = None if found.history is None else facts.revision
    return rows.SummaryRow(
        patient_id=patient.id,
        clinic_id=patient.clinic_id,
        clinician_id=patient.clinician_id,
        rank=found.attention.rank,
        level=findings[0].concern.value if findings else "none",
        findings=json.dumps([_finding_json(f) for f in findings]),
        last_active=last_active(found.history, on),
        pain=json.dumps(pain[-PAIN_POINTS:]),
        started=found.history is not None,
        name=patient.name,
        email=patient.email,
        revision=revision,
        computed_on=on,
        steady_until=steady_until(on, found.history),
    )


def last_active(history: History | None, on: date) -> date | None:
    """The last day the patient recorded something (a clinician's clearance is not them
    being active), or None before their program starts."""
    if history is None:
        return None
    return max(
        (e.on for e in history.events if e.on <= on and not isinstance(e, Clearance)),
        default=None,
    )


def _finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "concern": finding.concern.value,
        "facts": {name: _fact_json(value) for name, value in finding.facts.items()},
    }


def _fact_json(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, tuple):
        return [_fact_json(v) for v in value]
    return str(value)


def findings_of(text: str) -> tuple[Finding, ...]:
    """The stored findings, dates as the ISO strings `caseload.describe` writes them as."""
    return tuple(Finding(Concern(f["concern"]), f["facts"]) for f in json.loads(text))


@dataclass(frozen=True, slots=True)
class Line:
    """One patient on the dashboard, from their summary."""

    account: Account
    rank: int
    level: str
    findings: tuple[Finding, ...]
    concerns: list[str]
    pain: list[float]
    started: bool
    last_active: date | None
    unread_messages: int
    unread_problems: int

    @property
    def grave(self) -> bool:
        """An emergency or urgent sign no clinician has acknowledged yet."""
        return self.rank < Concern.CLEARANCE_REQUESTED.rank

    @property
    def trend(self) -> str:
        return caseload.sparkline(self.pain)


@dataclass(frozen=True, slots=True)
class Query:
    """What a clinician asks of their dashboard: a page (from 1), a piece of a name or an
    address, and the concern levels to show (none: all)."""

    page: int = 1
    search: str = ""
    levels: tuple[str, ...] = ()
    limit: int = PAGE_SIZE


@dataclass(frozen=True, slots=True)
class Page:
    lines: list[Line]
    total: int
    """How many patients match, on every page."""
    page: int
    pages: int
    offset: int


def dashboard(
    store: Store,
    content: Content,
    clinician: Account,
    query: Query,
    *,
    on: date,
    now: datetime,
    target: str,
    offset: int | None = None,
) -> Page:
    """One page of the clinician's patients, gravest concern first, then by name. Rows not
    right for `on` are computed again first; the patients shown are written to the audit
    log in one statement, in the same transaction. `offset` (the API's) overrides the page."""
    if clinician.role is not Role.CLINICIAN:
        raise NotAllowed("only a clinician has patients")
    start = (query.page - 1) * query.limit if offset is None else offset
    with store.transaction() as tx:
        refresh(store, tx, content, rows.stale(tx.connection, clinician.id, on), on)
        listed, total = rows.listing(
            tx.connection,
            clinician.id,
            search=query.search.strip().casefold(),
            levels=query.levels,
            offset=start,
            limit=query.limit,
        )
        rows.add_audits(
            tx.connection,
            now=now,
            actor=clinician,
            action=Action.READ.value,
            target=target,
            patient_ids=[found.account.id for found in listed],
        )
    lines = [_line(found, content) for found in listed]
    pages = max(1, -(-total // query.limit))
    return Page(lines, total, start // query.limit + 1, pages, start)


def _line(found: rows.Listed, content: Content) -> Line:
    findings = findings_of(found.findings)
    return Line(
        account=found.account,
        rank=found.rank,
        level=found.level,
        findings=findings,
        concerns=[caseload.describe(f, content) for f in findings],
        pain=[float(v) for v in json.loads(found.pain)],
        started=found.started,
        last_active=found.last_active,
        unread_messages=found.unread_messages,
        unread_problems=found.unread_problems,
    )
