"""Backing up a whole database and restoring it, on SQLite and on PostgreSQL.

Every test runs twice (tests/databases.py): on SQLite files, where the standard library's
backup API does the copying, and on a real PostgreSQL cluster, where pg_dump and pg_restore
do. A restored database is compared with the original table by table, row by row; a
refused restore leaves its target exactly as it was.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import insert, inspect, select, text, update
from sqlalchemy.exc import DBAPIError

from lumbar.content.load import Content
from lumbar.domain.loads import Unit
from lumbar.domain.model import History, Kind, Pain
from lumbar.domain.schedule import LAST_DAY
from lumbar.formats.intake import IntakeAnswers
from lumbar.store import cards
from lumbar.store import summaries as summary_rows
from lumbar.store.backup import BackupError, HoldsData, back_up, find_tool, restore
from lumbar.store.database import HEAD, Store
from lumbar.store.migrate import alembic_config
from lumbar.store.tables import (
    acknowledgements,
    audit_log,
    auth_sessions,
    clearance_requests,
    clinics,
    concern_summaries,
    digest_days,
    handovers,
    intake_drafts,
    intake_emergencies,
    login_failures,
    mail_settings,
    mailed_concerns,
    messages,
    metadata,
    monitoring_time,
    one_time_tokens,
    prescription_changes,
    prescriptions,
    problem_reads,
    problem_reports,
    recovery_codes,
    users,
)
from lumbar.store.template_tables import program_templates
from lumbar.usecases import (
    checkins,
    clearances,
    corrections,
    devices,
    equipment,
    problems,
    program,
    recorded,
    reminders,
    scores,
    sessions,
    versions,
)
from lumbar.usecases.idempotency import Idempotency
from lumbar.usecases.person import Person
from tests import builders as b
from tests.camera_samples import BRIDGE
from tests.databases import Databases

ANSWERS: dict[str, Any] = {
    "understood": True,
    "age": 42,
    "pain": 6,
    "pain_weeks": 10,
    "days": ["mon", "wed", "fri"],
    "psfs": [{"activity": activity, "score": 4} for activity in b.ACTIVITIES],
}
NOON = datetime(2026, 11, 2, 12, 0)
"""A UTC time for the accounts' rows."""

Rows = dict[str, list[tuple[Any, ...]]]


@pytest.fixture
def open_store() -> Iterator[Callable[[str], Store]]:
    """Opens stores on any URL for the test, and closes them all after it."""
    opened: list[Store] = []

    def open_(url: str) -> Store:
        opened.append(Store(url))
        return opened[-1]

    yield open_
    for store in opened:
        store.dispose()


def services(store: Store, content: Content, person: int = 1) -> Person:
    """The use cases over the store, with a clock past every day the tests record."""
    return Person(store, content, person, today=LAST_DAY)


def full_session(s: Person, on: date, pains: dict[str, Pain] | None = None) -> None:
    plan = program.today(s, on)
    sessions.log(
        s,
        on,
        [(e.exercise_id, (pains or {}).get(e.exercise_id, Pain.NONE)) for e in plan.exercises],
    )


def record_everything(store: Store, content: Content) -> None:
    """A history through the use cases, and a row in every table of the schema."""
    first = services(store, content)
    program.start(first, IntakeAnswers.model_validate(ANSWERS), b.START)
    full_session(first, b.day(0), {"cat-cow": Pain.ACHE})
    full_session(first, b.day(2))
    plan = program.today(first, b.day(4))
    entries = [(e.exercise_id, Pain.NONE) for e in plan.exercises]
    request = Idempotency("retry-4", request="friday", at=NOON)
    # Issue #17: one exercise skipped (no equipment), one done in its alternative.
    skipped = [(entries[-1][0], "no_equipment", "")]
    # Issue #21: the camera's summary of the glute bridge.
    logged = sessions.log(
        first,
        b.day(4),
        entries[:-1],
        skipped=skipped,
        versions={"cat-cow": "chair"},
        cameras={"glute-bridge": BRIDGE},
        idempotency=request,
    )
    assert not logged.replayed
    checkins.record(first, b.day(7), pain=4, psfs=(5, 6, 4), symptoms=("leg_numbness",))
    hurt = problems.FallAnswers(back_hurt=True)
    problems.report(first, b.day(5), "fall", "slipped on the stairs", fall=hurt)
    clearances.record(first, b.day(6), by="Dr Rao", codes=("trauma",))
    reminders.change(first, session_time="07:30", work_days="mon,tue")
    reminders.calendar_token(first)
    program.set_training_days(first, "tue,thu,sat", b.day(6))
    versions.choose(first, "squat", "chair")
    # Issue #17: the equipment changed in Settings (a dumbbell and a band), in pounds.
    dumbbell = equipment.owned(((15.0, None),), (), band=True, unit=Unit.LB)
    equipment.change(first, dumbbell, Unit.LB)
    # Issue #15: a check-in corrected, a problem report deleted (it stays, marked).
    corrections.edit(first, "c6", corrections.Change(pain=3))
    first_problem = next(r for r in recorded.records(first) if r.kind == "problem")
    corrections.delete(first, first_problem.id)
    following = program.today(first, b.day(9))
    assert following.kind is Kind.SESSION
    # In progress, with the patient's comment on the exercise (issue #20).
    sessions.answer(
        first, b.day(9), following.exercises[0].exercise_id, Pain.ACHE, comment="a bit stiff"
    )
    # Issue #17: a milestone's card put away (this history holds none: the leg's numbness
    # keeps it in phase 1, so the row is written as the use case would write it).
    with store.transaction() as tx:
        cards.put_card_away(tx.connection, 1, "phase_up:2026-11-09")
    sessions.skip(first, b.day(9), following.exercises[1].exercise_id, "other", "knee sore")
    # Issue #20: a clinician's STarT Back and ODI totals.
    scores.record(first, scores.entered("start_back", b.day(1).isoformat(), "5", "4"), NOON)
    scores.record(first, scores.entered("odi", b.day(1).isoformat(), "38"), NOON)
    # Issue #16: a phone paired (its pairing link used).
    devices.pair(store, devices.start_pairing(store, NOON), "Ann's phone", NOON)
    second = services(store, content, person=2)
    program.start(second, IntakeAnswers.model_validate({**ANSWERS, "age": 67}), b.day(1))
    with store.transaction() as tx:
        write = tx.connection.execute
        write(insert(clinics), [{"id": 1, "name": "Back clinic"}])
        clinician = {"id": 10, "email": "pt@clinic.example", "password_hash": "$argon2id$x"}
        write(
            insert(users),
            [
                {**clinician, "role": "clinician", "clinic_id": 1, "created_at": NOON},
                {
                    "id": 11,
                    "email": "ann@example.org",
                    "password_hash": None,
                    "role": "patient",
                    "clinic_id": 1,
                    "clinician_id": 10,
                    "active": False,
                    "created_at": NOON,
                },
            ],
        )
        later = NOON + timedelta(days=14)
        write(
            insert(auth_sessions),
            [{"token_hash": "a" * 64, "user_id": 10, "csrf_token": "c" * 64,
              "created_at": NOON, "expires_at": later}],
        )  # fmt: skip
        write(insert(login_failures), [{"email": "ann@example.org", "at": NOON}])
        write(
            insert(one_time_tokens),
            [{"token_hash": "b" * 64, "purpose": "invite", "clinician_id": 10,
              "created_at": NOON, "expires_at": later, "used_at": None}],
        )  # fmt: skip
        write(
            insert(audit_log),
            [{"at": NOON, "actor_id": 10, "actor_role": "clinician", "action": action,
              "patient_id": 11, "target": "/api/v1/status"} for action in ("read", "write")],
        )  # fmt: skip
        write(
            insert(prescriptions),
            [{"patient_id": 11, "clinician_id": 10, "program": '{"phases": []}',
              "notes": "gentle", "updated_at": NOON}],
        )  # fmt: skip
        write(
            insert(messages),
            [{"patient_id": 11, "sender_id": 10, "at": NOON, "body": "How was Monday?"}],
        )
        # Issue #14: an invited patient's refused intake, their request, the clinician's reply.
        emergency = {"patient_id": 11, "on_date": b.START, "code": "saddle_numbness"}
        write(
            insert(intake_emergencies),
            [{**emergency, "created_at": NOON, "cleared_by": 10, "cleared_at": later}],
        )
        write(
            insert(clearance_requests),
            [{"patient_id": 11, "on_date": b.START, "codes": "saddle_numbness,fever",
              "seen_by": "the emergency department", "created_at": NOON, "closed_at": later,
              "closed_by": 10, "outcome": "cleared"}],
        )  # fmt: skip
        # Issue #17: a second patient halfway through the intake's steps.
        write(
            insert(intake_drafts),
            [{"person_id": 12, "answers": '{"age": "42", "steps_done": ["about"]}',
              "updated_at": NOON}],
        )  # fmt: skip
        write(
            insert(acknowledgements),
            [{"patient_id": 11, "code": "saddle_numbness", "since": b.START, "clinician_id": 10,
              "at": NOON}],
        )  # fmt: skip
        # Issue #19: the clinician's recovery codes for two-step sign-in, one of them used.
        write(
            insert(recovery_codes),
            [{"user_id": 10, "code_hash": "d" * 64, "used_at": None},
             {"user_id": 10, "code_hash": "e" * 64, "used_at": NOON}],
        )  # fmt: skip
        # Issue #20: a clinic's program template.
        write(
            insert(program_templates),
            [{"clinic_id": 1, "name": "Bridging", "program": "{}", "created_by": 10,
              "updated_at": NOON}],
        )  # fmt: skip
        # Issue #20: a handover to the same clinician (the move itself is elsewhere), time
        # logged (and a timer running), a change of the prescription.
        write(
            insert(handovers),
            [{"patient_id": 11, "from_id": 10, "to_id": 10, "by_id": 10, "at": NOON}],
        )
        write(
            insert(monitoring_time),
            [{"patient_id": 11, "clinician_id": 10, "on_date": b.START, "minutes": 25,
              "note": "Reviewed the pain scores", "started_at": None, "created_at": NOON},
             {"patient_id": 11, "clinician_id": 10, "on_date": b.START, "minutes": None,
              "note": "", "started_at": later, "created_at": later}],
        )  # fmt: skip
        write(insert(prescription_changes), [{"patient_id": 11, "clinician_id": 10, "at": NOON}])
        # Issue #20: a message read, a problem report read, mail settings, a concern mailed.
        write(update(messages).values(read_at=later, read_by=11))
        report = tx.connection.execute(select(problem_reports.c.id)).scalars().first()
        write(insert(problem_reads), [{"report_id": report, "read_by": 10, "read_at": later}])
        write(insert(mail_settings), [{"user_id": 10, "alerts": False, "digest": True}])
        write(insert(digest_days), [{"user_id": 10, "sent_on": b.START}])
        write(
            insert(mailed_concerns),
            [{"patient_id": 11, "kind": "alert", "concern": "emergency:saddle_numbness:2026-11-02",
              "mailed_at": NOON}],
        )  # fmt: skip
        # Issue #20: the dashboard's concern summary of the patient, two unread.
        summary_rows.write(
            tx.connection,
            [summary_rows.SummaryRow(
                patient_id=11, clinic_id=1, clinician_id=10, rank=9, level="inactive",
                findings='[{"concern": "inactive", "facts": {"last_on": "2026-11-02"}}]',
                last_active=b.START, pain="[6.0, 4.0]", started=True, name=None,
                email="ann@example.org", revision=3, computed_on=b.day(9),
                steady_until=b.day(10),
            )],
        )  # fmt: skip
        write(
            update(concern_summaries)
            .where(concern_summaries.c.patient_id == 11)
            .values(unread_messages=2, unread_problems=1)
        )


def table_rows(store: Store) -> Rows:
    """Every row of every table of the schema, each table ordered by its primary key."""
    with store.engine.connect() as connection:
        found: Rows = {
            table.name: [
                tuple(row)
                for row in connection.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in metadata.sorted_tables
        }
        version = connection.execute(text("SELECT version_num FROM alembic_version")).all()
        found["alembic_version"] = [tuple(row) for row in version]
    return found


def untouched(store: Store) -> bool:
    """Whether nothing was ever written to a new database: no file, or no table."""
    if store.sqlite_path is not None:
        return not store.sqlite_path.exists()
    with store.engine.connect() as connection:
        return inspect(connection).get_table_names() == []


# The round trip.


def test_a_restored_backup_holds_every_row_of_every_table(
    databases: Databases,
    open_store: Callable[[str], Store],
    content: Content,
    tmp_path: Path,
) -> None:
    source = open_store(databases.new())
    record_everything(source, content)
    before = table_rows(source)
    assert [name for name, rows in before.items() if not rows] == []
    # Issue #21: the camera's summary is in the rows compared.
    assert any('"hips-low":2' in str(row) for row in before["session_exercises"])

    made = back_up(source.url, tmp_path / "clinic.backup")
    target = open_store(databases.new())
    done = restore(made.file, target.url)

    assert table_rows(target) == before
    assert table_rows(source) == before
    assert made.schema == done.schema == HEAD
    assert made.bytes == (tmp_path / "clinic.backup").stat().st_size > 0
    assert made.database == done.database == ("sqlite" if source.sqlite_path else "postgresql")
    # Health data: the backup is readable by its owner only.
    assert stat.S_IMODE(made.file.stat().st_mode) == 0o600
    assert list(tmp_path.glob("*.partial")) == []


def test_the_restored_database_keeps_working_as_the_original(
    databases: Databases,
    open_store: Callable[[str], Store],
    content: Content,
    tmp_path: Path,
) -> None:
    source = open_store(databases.new())
    record_everything(source, content)
    url = databases.new()
    restore(back_up(source.url, tmp_path / "clinic.backup").file, url)
    target = open_store(url)

    restored = services(target, content)
    assert restored.history() == services(source, content).history()
    full_session(restored, b.day(11))  # new rows take ids after the restored ones
    assert services(open_store(url), content).history().events[-1].on == b.day(11)
    # An Idempotency-Key stored before the backup still answers a retry.
    plan = program.today(services(source, content), b.day(4))
    again = sessions.log(
        restored,
        b.day(4),
        [(e.exercise_id, Pain.NONE) for e in plan.exercises],
        idempotency=Idempotency("retry-4", request="friday", at=NOON),
    )
    assert again.replayed
    # The audit log's triggers came back with it: it is still append-only.
    with pytest.raises(DBAPIError, match="append-only"):
        with target.engine.begin() as connection:
            connection.execute(update(audit_log).values(target="changed"))


# Consistency while the server writes.


def test_a_backup_taken_while_sessions_are_being_written_is_consistent(
    databases: Databases,
    open_store: Callable[[str], Store],
    content: Content,
    tmp_path: Path,
) -> None:
    source_url = databases.new()
    program.start(
        services(open_store(source_url), content), IntakeAnswers.model_validate(ANSWERS), b.START
    )
    written: list[date] = []
    stop = threading.Event()
    failures: list[BaseException] = []

    def keep_writing() -> None:
        """A server's writer: one session on every session day, each its own transaction."""
        writer = services(open_store(source_url), content)
        on = b.START
        try:
            while not stop.is_set():
                plan = program.today(writer, on)
                if plan.kind is Kind.SESSION and not plan.completed:
                    full_session(writer, on)
                    written.append(on)
                on += timedelta(days=1)
        except BaseException as error:  # reported by the test, not lost in the thread
            failures.append(error)

    thread = threading.Thread(target=keep_writing)
    thread.start()
    try:
        _wait_for(lambda: len(written) >= 3 or bool(failures))
        before = len(written)
        made = back_up(source_url, tmp_path / "busy.backup")
        still_writing = thread.is_alive() and not failures
        after = len(written)
        _wait_for(lambda: len(written) > after or bool(failures))
    finally:
        stop.set()
        thread.join(timeout=60)
    assert failures == []
    assert still_writing

    target_url = databases.new()
    restore(made.file, target_url)
    target = open_store(target_url)
    restored = target.read()
    final = open_store(source_url).read()
    assert restored is not None and final is not None
    # A moment of the history: every session whole, in order, and nothing after a gap.
    assert restored.profile == final.profile
    assert restored.events == final.events[: len(restored.events)]
    assert len(restored.events) >= 1 + before
    assert len(final.events) > len(restored.events)
    # The revision the backup holds is the one of the history it holds.
    assert target.revision() == len(restored.events)
    assert History.of(restored.profile, restored.events) == restored


def _wait_for(condition: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


# Refusals: the target is left exactly as it was.


def test_a_file_that_is_not_a_backup_is_refused_and_nothing_is_written(
    databases: Databases, open_store: Callable[[str], Store], tmp_path: Path
) -> None:
    target = open_store(databases.new())
    notes = tmp_path / "notes.txt"
    notes.write_text("monday: cat-cow, bridge\n")
    empty = tmp_path / "empty.backup"
    empty.write_bytes(b"")

    with pytest.raises(BackupError, match=r"notes.txt is not a lumbar backup \(neither"):
        restore(notes, target.url)
    with pytest.raises(BackupError, match=r"empty.backup is not a lumbar backup"):
        restore(empty, target.url)
    with pytest.raises(BackupError, match=r"missing.backup: no such file"):
        restore(tmp_path / "missing.backup", target.url)
    with pytest.raises(BackupError, match=r"is a folder"):
        back_up(target.url, tmp_path)
    if target.sqlite_path is not None:
        other = tmp_path / "other.db"
        with closing(sqlite3.connect(other)) as connection:
            connection.execute("CREATE TABLE notes (text)")
        with pytest.raises(BackupError, match=r"other.db is not a lumbar backup \(no such"):
            restore(other, target.url)
    assert untouched(target)


def test_a_backup_of_the_other_kind_of_database_is_refused(
    databases: Databases, open_store: Callable[[str], Store], tmp_path: Path
) -> None:
    target = open_store(databases.new())
    if target.sqlite_path is not None:
        other = tmp_path / "server.dump"
        other.write_bytes(b"PGDMP" + bytes(200))
        expected = "a backup of a PostgreSQL database: restore it into a PostgreSQL database"
    else:
        other = tmp_path / "laptop.db"
        sqlite = open_store(f"sqlite:///{other}")
        sqlite.migrate()
        expected = "a backup of a SQLite database: restore it into a SQLite database"
    with pytest.raises(BackupError, match=expected):
        restore(other, target.url)
    assert untouched(target)


def test_a_damaged_backup_is_refused_and_nothing_is_written(
    databases: Databases,
    open_store: Callable[[str], Store],
    content: Content,
    tmp_path: Path,
) -> None:
    source = open_store(databases.new())
    record_everything(source, content)
    whole = back_up(source.url, tmp_path / "whole.backup").file.read_bytes()
    cut = tmp_path / "cut.backup"
    cut.write_bytes(whole[: len(whole) // 3])
    target = open_store(databases.new())

    with pytest.raises(BackupError, match=r"cut.backup (is not a lumbar backup|is damaged)"):
        restore(cut, target.url)
    assert untouched(target)


def test_a_backup_from_a_newer_schema_is_refused_and_nothing_is_written(
    databases: Databases,
    open_store: Callable[[str], Store],
    content: Content,
    tmp_path: Path,
) -> None:
    source = open_store(databases.new())
    record_everything(source, content)
    with source.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    made = back_up(source.url, tmp_path / "future.backup")
    assert made.schema == "0099"
    target = open_store(databases.new())

    with pytest.raises(BackupError) as refused:
        restore(made.file, target.url)

    assert str(refused.value) == (
        f"{made.file} was made by a newer version of lumbar (schema 0099; this one knows up "
        f"to {HEAD}): upgrade lumbar to restore it"
    )
    assert "\n" not in str(refused.value)
    assert untouched(target)


def test_restoring_over_data_is_refused_unless_forced(
    databases: Databases,
    open_store: Callable[[str], Store],
    content: Content,
    tmp_path: Path,
) -> None:
    source = open_store(databases.new())
    record_everything(source, content)
    made = back_up(source.url, tmp_path / "clinic.backup")
    target = open_store(databases.new())
    program.start(
        services(target, content), IntakeAnswers.model_validate({**ANSWERS, "age": 30}), b.day(3)
    )
    held = table_rows(target)

    with pytest.raises(HoldsData, match=r"already holds data \(checkin_psfs, checkins"):
        restore(made.file, target.url)
    assert table_rows(target) == held

    restore(made.file, target.url, force=True)
    assert table_rows(target) == table_rows(source)


def test_an_empty_schema_is_no_data_to_protect(
    databases: Databases,
    open_store: Callable[[str], Store],
    content: Content,
    tmp_path: Path,
) -> None:
    source = open_store(databases.new())
    record_everything(source, content)
    made = back_up(source.url, tmp_path / "clinic.backup")
    target = open_store(databases.new())
    target.migrate()  # what a server's first start leaves: tables, no rows

    restore(made.file, target.url)

    assert table_rows(target) == table_rows(source)


def test_there_is_nothing_to_back_up_in_an_empty_database(
    databases: Databases, open_store: Callable[[str], Store], tmp_path: Path
) -> None:
    empty = open_store(databases.new())
    with pytest.raises(BackupError, match="nothing to back up|holds no lumbar data"):
        back_up(empty.url, tmp_path / "nothing.backup")
    assert list(tmp_path.glob("*.backup")) == list(tmp_path.glob("*.partial")) == []


def test_an_older_backup_restores_and_is_migrated_on_first_use(
    databases: Databases,
    open_store: Callable[[str], Store],
    content: Content,
    tmp_path: Path,
) -> None:
    older = open_store(databases.new())
    with older.engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0004")
    made = back_up(older.url, tmp_path / "older.backup")
    assert made.schema == "0004"
    target = open_store(databases.new())

    assert restore(made.file, target.url).schema == "0004"

    program.start(services(target, content), IntakeAnswers.model_validate(ANSWERS), b.START)
    assert table_rows(target)["alembic_version"] == [(HEAD,)]


def test_backup_refuses_a_database_it_cannot_copy(tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="on a SQLite file or a PostgreSQL database, not mysql"):
        back_up("mysql+pymysql://ann:secret@db.example/lumbar", tmp_path / "b")
    with pytest.raises(BackupError, match="the folder .*nowhere does not exist"):
        back_up(f"sqlite:///{tmp_path / 'x.db'}", tmp_path / "nowhere" / "b")
    database = tmp_path / "lumbar.db"
    made = Store(f"sqlite:///{database}")
    made.migrate()
    made.dispose()
    with pytest.raises(BackupError, match="is the database itself"):
        back_up(f"sqlite:///{database}", database)
    copy = back_up(f"sqlite:///{database}", tmp_path / "copy.db").file
    with pytest.raises(BackupError, match="is the database itself"):
        restore(copy, f"sqlite:///{copy}", force=True)


# Finding pg_dump and pg_restore.


def _tool(folder: Path, version: str) -> Path:
    """A stand-in PostgreSQL tool that reports its version, as the real ones do."""
    folder.mkdir(parents=True, exist_ok=True)
    program = folder / "pg_dump"
    program.write_text(f"#!/bin/sh\necho 'pg_dump (PostgreSQL) {version}'\n")
    program.chmod(0o755)
    return program


def test_the_newest_pg_dump_is_used_wherever_it_is(tmp_path: Path) -> None:
    on_path = _tool(tmp_path / "bin", "15.4")
    older = _tool(tmp_path / "postgresql" / "14" / "bin", "14.11")
    newer = _tool(tmp_path / "postgresql" / "16" / "bin", "16.2")
    roots = str(tmp_path / "postgresql" / "*" / "bin")

    assert find_tool("pg_dump", path=str(on_path.parent), roots=roots) == str(newer)
    assert find_tool("pg_dump", path=str(on_path.parent), roots=str(older.parent)) == str(on_path)
    assert find_tool("pg_dump", path="", roots=str(older.parent)) == str(older)


def test_a_missing_pg_dump_says_how_to_install_it(tmp_path: Path) -> None:
    with pytest.raises(BackupError) as missing:
        find_tool("pg_dump", path=str(tmp_path), roots=str(tmp_path / "none" / "*"))
    assert "pg_dump was not found on PATH" in str(missing.value)
    assert "apt install postgresql-client" in str(missing.value)


def test_the_real_tools_are_found_for_the_postgresql_tests() -> None:
    """The PostgreSQL half of this file needs them; on a machine without them it is skipped."""
    if not os.environ.get("LUMBAR_TEST_POSTGRES_URL"):
        pytest.skip("no PostgreSQL cluster here")
    assert Path(find_tool("pg_dump")).name == "pg_dump"
    assert Path(find_tool("pg_restore")).name == "pg_restore"
