"""Migration 0021: a clinic's program templates (issue #20). A clinic's database from before
it keeps its clinics and gets an empty table of templates, unique by name within a clinic;
down and up again leaves the same tables, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from lumbar.store.database import Store
from lumbar.store.migrate import alembic_config
from tests.databases import Databases

MADE = datetime(2026, 12, 1, 9, 0)
ADD = (
    "INSERT INTO program_templates (clinic_id, name, program, updated_at)"
    " VALUES (:clinic, :name, '{}', :at)"
)


def test_a_clinic_from_before_gets_templates_unique_by_name_within_it(
    databases: Databases,
) -> None:
    from alembic import command

    store = Store(databases.new())
    try:
        with store.engine.begin() as connection:
            command.upgrade(alembic_config(connection), "0018")
            connection.execute(text("INSERT INTO clinics (id, name) VALUES (1, 'North')"))
            connection.execute(text("INSERT INTO clinics (id, name) VALUES (2, 'South')"))
            command.upgrade(alembic_config(connection), "head")
            assert connection.execute(text("SELECT count(*) FROM program_templates")).scalar() == 0
            for clinic in (1, 2):
                connection.execute(text(ADD), {"clinic": clinic, "name": "Bridging", "at": MADE})
        with pytest.raises(IntegrityError), store.engine.begin() as connection:
            connection.execute(text(ADD), {"clinic": 1, "name": "Bridging", "at": MADE})
        with store.engine.begin() as connection:
            before = sorted(inspect(connection).get_table_names())
            command.downgrade(alembic_config(connection), "0018")
            assert "program_templates" not in inspect(connection).get_table_names()
            assert connection.execute(text("SELECT count(*) FROM clinics")).scalar() == 2
            command.upgrade(alembic_config(connection), "head")
            assert sorted(inspect(connection).get_table_names()) == before
    finally:
        store.dispose()
