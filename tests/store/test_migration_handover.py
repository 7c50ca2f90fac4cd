"""Migration 0024: handover and remote monitoring (issue #20). A clinic's database from
before it keeps its patients with their clinicians, gains the three tables empty (no
prescription change is made up for the prescriptions saved before), and down and up
again leaves the same tables, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import datetime

import pytest
from alembic import command
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from lumbar.store.database import Store
from lumbar.store.migrate import alembic_config
from tests.databases import Databases

MADE = datetime(2026, 12, 1, 9, 0)
NEW = {"handovers", "monitoring_time", "prescription_changes"}


def test_a_clinic_from_before_keeps_its_patients_and_gains_empty_tables(
    databases: Databases,
) -> None:
    store = Store(databases.new())
    try:
        with store.engine.begin() as connection:
            command.upgrade(alembic_config(connection), "0018")
            assert not NEW & set(inspect(connection).get_table_names())
            connection.execute(text("INSERT INTO clinics (id, name) VALUES (1, 'North')"))
            for user, role, clinician in ((1, "clinician", None), (2, "patient", 1)):
                connection.execute(
                    text(
                        "INSERT INTO users (id, email, role, clinic_id, clinician_id, active,"
                        " created_at) VALUES (:id, :email, :role, 1, :clinician, true, :at)"
                    ),
                    {"id": user, "email": f"{user}@example.org", "role": role,
                     "clinician": clinician, "at": MADE},
                )  # fmt: skip
            command.upgrade(alembic_config(connection), "head")
            patient = connection.execute(text("SELECT clinician_id FROM users WHERE id = 2"))
            assert patient.scalar_one() == 1
            for table in NEW:
                assert connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one() == 0
            before = sorted(inspect(connection).get_table_names())
            command.downgrade(alembic_config(connection), "0018")
            assert not NEW & set(inspect(connection).get_table_names())
            command.upgrade(alembic_config(connection), "head")
            assert sorted(inspect(connection).get_table_names()) == before
    finally:
        store.dispose()


def test_a_time_entry_over_a_day_is_refused_by_the_database_too(databases: Databases) -> None:
    """The use case refuses it first; the check constraint holds whatever writes."""
    store = Store(databases.new())
    try:
        with store.engine.begin() as connection:
            command.upgrade(alembic_config(connection), "head")
            connection.execute(text("INSERT INTO clinics (id, name) VALUES (1, 'North')"))
            connection.execute(
                text(
                    "INSERT INTO users (id, email, role, clinic_id, active, created_at)"
                    " VALUES (1, 'pt@example.org', 'clinician', 1, true, :at)"
                ),
                {"at": MADE},
            )
        with pytest.raises(IntegrityError), store.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO monitoring_time (patient_id, clinician_id, on_date, minutes,"
                    " note, created_at) VALUES (1, 1, :on, 1441, '', :at)"
                ),
                {"on": MADE.date(), "at": MADE},
            )
    finally:
        store.dispose()
