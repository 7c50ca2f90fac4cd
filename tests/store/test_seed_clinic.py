"""The benchmarks' seeded clinic (bench/seed_clinic.py): a patient copied in bulk reads back
through the use cases exactly as the patient written through them, on SQLite and PostgreSQL.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sqlalchemy import func, select

from bench.seed_clinic import clinician_email, patient_email, seed
from lumbar.content.load import default_content
from lumbar.store.database import Store
from lumbar.store.tables import events, people, session_exercises, users
from lumbar.usecases import audit, caseload, program
from lumbar.usecases.accounts import Accounts
from lumbar.usecases.person import Person
from tests.builders import START

WEEKS = 5


def test_a_copied_patient_reads_back_as_the_one_the_use_cases_wrote(database_url: str) -> None:
    seeded = seed(database_url, clinicians=2, patients=3, weeks=WEEKS)

    store = Store(database_url)
    try:
        accounts = Accounts(store)
        content = default_content()
        by_email = {a.email: a for a in accounts.accounts()}
        template = by_email[patient_email(0, 0)]
        copy = by_email[patient_email(1, 2)]
        assert seeded.template == template.id != copy.id
        # The copy is the second clinician's patient, and only theirs.
        first, second = by_email[clinician_email(0)], by_email[clinician_email(1)]
        assert copy.clinician_id == second.id and copy.clinic_id == second.clinic_id
        assert [p.email for p in audit.patients(accounts, second)] == [
            patient_email(1, n) for n in range(3)
        ]
        assert copy not in audit.patients(accounts, first)

        written, copied = store.read(template.id), store.read(copy.id)
        assert written is not None and copied is not None
        assert len(written.events) > 3 * WEEKS  # a session every training day, a check-in
        assert copied == written
        day = START + timedelta(weeks=WEEKS)
        for on in (day, day + timedelta(days=1)):
            mine = Person(store, content, template.id, clinic=True, today=on)
            theirs = Person(store, content, copy.id, clinic=True, today=on)
            assert program.today(theirs, on) == program.today(mine, on)
            assert program.status(theirs, on) == program.status(mine, on)
        seen = caseload.overview(store, content, copy, day)
        expected = caseload.overview(store, content, template, day)
        assert replace(seen, account=template, person=expected.person) == expected
        assert seen.attention == expected.attention

        # Every patient has rows of their own: no event is shared.
        with store.reading() as connection:
            total = connection.execute(select(func.count()).select_from(events)).scalar()
            mine_n = connection.execute(
                select(func.count()).select_from(events).where(events.c.person_id == template.id)
            ).scalar()
            assert mine_n and total == 6 * mine_n
            exercises = connection.execute(
                select(func.count()).select_from(session_exercises)
            ).scalar()
            assert exercises and exercises % 6 == 0
            assert connection.execute(select(func.count()).select_from(people)).scalar() == 6
            assert connection.execute(select(func.count()).select_from(users)).scalar() == 8
    finally:
        store.dispose()


def test_a_write_after_the_copy_goes_to_the_copy_alone(database_url: str) -> None:
    """New ids follow the copied ones: the next session of a copy is the copy's own (on
    PostgreSQL the id sequences were moved past the copied rows)."""
    seed(database_url, clinicians=1, patients=2, weeks=2)
    store = Store(database_url)
    try:
        accounts = Accounts(store)
        by_email = {a.email: a for a in accounts.accounts()}
        template, copy = by_email[patient_email(0, 0)], by_email[patient_email(0, 1)]
        from lumbar.usecases import problems

        on = START + timedelta(weeks=2)
        person = Person(store, default_content(), copy.id, clinic=True, today=on)
        problems.report(person, on, "other", "Sore after the bridge.")
        assert len(problems.reports(person)) == 1
        mine = Person(store, default_content(), template.id, clinic=True, today=on)
        assert problems.reports(mine) == []
    finally:
        store.dispose()
