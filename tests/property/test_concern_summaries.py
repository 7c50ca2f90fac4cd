"""Property test (issue #20): a patient's kept concern summary always says what the full
computation (`caseload.overview`, the patient page's) says from their history, after any
write and on any later day.

A random history is written through the store's own transaction (sessions with any pain,
check-ins with any pain and signs, problem reports, requests for clearance, a clinician's
acknowledgements and clearances, deleted records) on random days, each on the day the
clock says; after every write the patient's row is compared with the full computation on
that day, without a listing in between (the row was kept by the write itself). The unread
counts in the row are compared too with what the messages and reports say
(`store/notifications.py:unread_counts`): the patient's messages (kept by the message, not
by a full computation), their clinician's replies, problem reports and their deletion, and
the clinician opening the patient's page, which marks them read. Then on a
random later day with no write, a row the listing would not compute again (not stale:
`steady_until` says it cannot have changed) must already be right, and every row is right
once the dashboard has listed it.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from lumbar.content.load import Content, default_content
from lumbar.domain.access import Account
from lumbar.domain.model import (
    CheckIn,
    Clearance,
    ExerciseResult,
    Pain,
    ProblemKind,
    ProblemReport,
    SessionLog,
)
from lumbar.store import accounts as account_rows
from lumbar.store import notices
from lumbar.store import notifications as kept
from lumbar.store import summaries as rows
from lumbar.store.database import Store, sqlite_url
from lumbar.store.tables import concern_summaries
from lumbar.usecases import caseload, summaries
from lumbar.usecases.accounts import Accounts
from tests.builders import START, intake, profile
from tests.server.conftest import CHEAP
from tests.web.conftest import Clock

EXERCISES = ("diaphragmatic-breathing", "cat-cow", "glute-bridge", "bird-dog")
SIGNS = ("bladder_bowel", "leg_weakness_worsening", "night_pain", "fever", "not_coping")
NOON = datetime(2026, 11, 2, 12, 0)
LIGHT = ("message", "reply", "read")
"""The writes that count a patient's unread messages and reports again, and nothing else."""


class World:
    """The clinic a property test writes in. Not a dataclass: Hypothesis prints a failing
    example's arguments field by field, and the content's would run to 177 kB."""

    def __init__(
        self, store: Store, content: Content, clock: Clock, accounts: Accounts, clinician: Account
    ) -> None:
        self.store, self.content, self.clock = store, content, clock
        self.accounts, self.clinician = accounts, clinician
        self.count = itertools.count()

    def __repr__(self) -> str:
        return f"World(clinician={self.clinician.email}, today={self.clock.today})"

    def new_patient(self) -> Account:
        n = next(self.count)
        return self.accounts.create_user(
            f"p{n}@example.org", None, "patient", NOON, clinician_email="pt@example.org"
        )


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder: Path = tmp_path_factory.mktemp("summaries")
    store = Store(sqlite_url(folder / "clinic.db"))
    content = default_content()
    clock = Clock()
    summaries.keep(store, content, clock)
    accounts = Accounts(store, CHEAP)
    clinician = accounts.create_user(
        "pt@example.org", "correct horse battery", "clinician", NOON, clinic="North"
    )
    yield World(store, content, clock, accounts, clinician)
    store.dispose()


pains = st.sampled_from(list(Pain))
session_op = st.tuples(
    st.just("session"),
    st.lists(
        st.tuples(st.sampled_from(EXERCISES), pains),
        min_size=1,
        max_size=4,
        unique_by=lambda r: r[0],
    ),
)
checkin_op = st.tuples(
    st.just("checkin"),
    st.tuples(
        st.none() | st.integers(0, 10),
        st.lists(st.sampled_from(SIGNS), max_size=2, unique=True),
        st.booleans(),
    ),
)
other_ops = st.tuples(
    st.sampled_from(["problem", "request", "acknowledge", "clear", "delete", "unreport"]),
    st.integers(0, 50),
)
unread_ops = st.tuples(st.sampled_from(LIGHT), st.integers(0, 50))
operation = st.tuples(st.integers(0, 6), st.one_of(session_op, checkin_op, other_ops, unread_ops))


def expected(world: World, patient: Account, on: date) -> tuple[object, ...]:
    """What the patient page's full computation says on `on`, and the unread counts."""
    found = caseload.overview(world.store, world.content, patient, on)
    pain = [] if found.progress is None else [s.value for s in found.progress.pain]
    with world.store.reading() as connection:
        unread = kept.unread_counts(connection, [patient.id]).get(patient.id, kept.NOTHING_NEW)
    return (
        unread.messages,
        unread.problems,
        found.attention.rank,
        tuple(caseload.describe(f, world.content) for f in found.attention.findings),
        tuple(pain[-summaries.PAIN_POINTS :]),
        found.history is not None,
        summaries.last_active(found.history, on),
    )


def stored(world: World, patient: Account) -> tuple[object, ...]:
    with world.store.reading() as connection:
        row = connection.execute(
            select(concern_summaries).where(concern_summaries.c.patient_id == patient.id)
        ).one()
    findings = summaries.findings_of(row.findings)
    return (
        row.unread_messages,
        row.unread_problems,
        row.rank,
        tuple(caseload.describe(f, world.content) for f in findings),
        tuple(json.loads(row.pain)),
        bool(row.started),
        row.last_active,
    )


def computed_on(world: World, patient: Account) -> date | None:
    with world.store.reading() as connection:
        found: date | None = connection.execute(
            select(concern_summaries.c.computed_on).where(
                concern_summaries.c.patient_id == patient.id
            )
        ).scalar_one()
    return found


def write(world: World, patient: Account, on: date, op: tuple[str, object]) -> bool:
    """One write through the store's transaction, as the use cases make them; False when
    there was nothing to write (no program yet, no alert to act on, no record to delete)."""
    kind, detail = op
    with world.store.transaction() as tx:
        connection = tx.connection
        if kind in ("message", "reply"):  # before the program starts too
            sender = patient.id if kind == "message" else world.clinician.id
            account_rows.add_message(
                connection, patient_id=patient.id, sender_id=sender, now=NOON, body="Hello"
            )
            return True
        if kind == "read":  # the clinician opens the patient's page
            new = kept.mark_thread_read(connection, patient.id, world.clinician.id, NOON)
            return bool(
                new | kept.mark_problems_read(connection, patient.id, world.clinician.id, NOON)
            )
        if tx.history(patient.id) is None:
            return False
        if kind == "session":
            assert isinstance(detail, list)
            results = tuple(ExerciseResult(e, p) for e, p in detail)
            tx.add_session(patient.id, SessionLog(on, results))
        elif kind == "checkin":
            assert isinstance(detail, tuple)
            pain, signs, screened = detail
            tx.add_checkin(patient.id, CheckIn(on, pain, None, tuple(signs), screened))
        elif kind == "problem":
            tx.add_problem(patient.id, ProblemReport(on, ProblemKind.OTHER, "a sore knee"))
        elif kind == "request":
            notices.add_request(connection, patient.id, on, ("night_pain",), "Dr Rao", NOON)
        elif kind in ("acknowledge", "clear"):
            found = caseload.concerns_in(
                tx, caseload.patient_record(world.store, world.content, patient, today=on), on
            )
            raised = [
                f for f in found.attention.findings if "code" in f.facts and "since" in f.facts
            ]
            if not raised:
                return False
            assert isinstance(detail, int)
            chosen = raised[detail % len(raised)]
            code, since = chosen.facts["code"], chosen.facts["since"]
            assert isinstance(code, str) and isinstance(since, date)
            if kind == "acknowledge":
                if (code, since) in notices.acknowledged(connection, patient.id):
                    return False  # acknowledged already: nothing is written, nothing kept
                notices.acknowledge(connection, patient.id, code, since, world.clinician.id, NOON)
            else:
                tx.add_clearance(patient.id, Clearance(on, (code,), "Dr Rao", True))
                notices.close_requests(
                    connection, patient.id, by=world.clinician.id, outcome="cleared", now=NOON
                )
        elif kind == "delete":
            stored_events = tx.stored(patient.id)
            assert stored_events is not None and isinstance(detail, int)
            live = [event_id for event_id, _, deleted in stored_events[1] if deleted is None]
            if len(live) < 2:  # the intake stays
                return False
            tx.mark_event_deleted(patient.id, live[1:][detail % (len(live) - 1)], on)
        elif kind == "unreport":
            reports = [p for p in tx.stored_problems(patient.id) if p.deleted_on is None]
            if not reports:
                return False
            assert isinstance(detail, int)
            tx.mark_problem_deleted(patient.id, reports[detail % len(reports)].id, on)
    return True


def right_or_stale(world: World, patient: Account, on: date) -> None:
    """The row is what the full computation says on `on`, or the listing computes it again
    first (it is stale); its unread counts are right either way (they do not change with
    the date)."""
    assert stored(world, patient)[:2] == expected(world, patient, on)[:2]
    with world.store.reading() as connection:
        if patient.id in rows.stale(connection, world.clinician.id, on):
            return
    assert stored(world, patient) == expected(world, patient, on)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@example(  # a message read with no report beside it: the thread's own count
    starts=None,
    signs=[],
    operations=[(0, ("message", 0)), (1, ("reply", 0)), (0, ("read", 0))],
    later=0,
)
@example(  # a report read, then deleted
    starts=0,
    signs=[],
    operations=[(0, ("problem", 0)), (0, ("read", 0)), (1, ("problem", 0)), (0, ("unreport", 1))],
    later=3,
)
@given(
    starts=st.none() | st.integers(0, 10),
    signs=st.lists(st.sampled_from(SIGNS), max_size=1),
    operations=st.lists(operation, max_size=10),
    later=st.integers(0, 45),
)
def test_the_kept_summary_is_the_full_computation(
    world: World,
    starts: int | None,
    signs: list[str],
    operations: list[tuple[int, tuple[str, object]]],
    later: int,
) -> None:
    world.clock.today = START
    patient = world.new_patient()
    assert computed_on(world, patient) == START  # the account's creation kept a row
    assert stored(world, patient) == expected(world, patient, START)
    on = START
    if signs:  # an emergency sign at a refused intake, kept for the clinician
        with world.store.transaction() as tx:
            notices.add_intake_emergencies(tx.connection, patient.id, on, tuple(signs), NOON)
        assert stored(world, patient) == expected(world, patient, on)
    if starts is not None:
        on += timedelta(days=starts)
        world.clock.today = on
        with world.store.transaction() as tx:
            tx.add_person(patient.id, profile(start=on))
            tx.add_checkin(patient.id, intake(on=on))
        assert computed_on(world, patient) == on
        assert stored(world, patient) == expected(world, patient, on)
    for gap, op in operations:
        before = on
        on += timedelta(days=gap)
        world.clock.today = on
        # The days between writes: nothing written, the row still right or stale.
        right_or_stale(world, patient, before + (on - before) // 2)
        if write(world, patient, on, op) and op[0] not in LIGHT:
            assert computed_on(world, patient) == on  # kept by the write itself
            assert stored(world, patient) == expected(world, patient, on)
        right_or_stale(world, patient, on)
    # A later day with no write: a row not stale is right as it is; the listing makes
    # every row right.
    day = on + timedelta(days=later)
    world.clock.today = day
    right_or_stale(world, patient, day)
    summaries.dashboard(
        world.store,
        world.content,
        world.clinician,
        summaries.Query(search=patient.email),
        on=day,
        now=NOON,
        target="test",
    )
    assert stored(world, patient) == expected(world, patient, day)
