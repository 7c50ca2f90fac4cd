"""Migration 0019: the dashboard's concern summaries (issue #20). A clinic's database from
before it gets a row for every patient, marked not yet computed, which the first listing of
their clinician's dashboard computes; staff get none. Down and up again leaves the same
tables, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import inspect, select, text

from lumbar.content.load import default_content
from lumbar.store.database import Store
from lumbar.store.migrate import alembic_config
from lumbar.store.tables import concern_summaries
from lumbar.usecases import summaries
from lumbar.usecases.accounts import Accounts
from tests.databases import Databases
from tests.server.conftest import CHEAP

MADE = datetime(2026, 12, 1, 9, 0)
TODAY = date(2026, 12, 4)


def test_patients_from_before_get_a_row_that_the_first_listing_computes(
    databases: Databases,
) -> None:
    from alembic import command

    url = databases.new()
    store = Store(url)
    try:
        with store.engine.begin() as connection:
            command.upgrade(alembic_config(connection), "0018")
            connection.execute(text("INSERT INTO clinics (id, name) VALUES (1, 'North')"))
            for id, mail, role, invited_by, name in (
                (1, "pt@example.org", "clinician", None, None),
                (2, "ann@example.org", "patient", 1, "Ann Lee"),
                (3, "bob@example.org", "patient", 1, None),
            ):
                connection.execute(
                    text(
                        "INSERT INTO users (id, email, role, clinic_id, clinician_id, active,"
                        " created_at, name) VALUES (:id, :mail, :role, 1, :clinician, true,"
                        " :at, :name)"
                    ),
                    {"id": id, "mail": mail, "role": role, "clinician": invited_by, "at": MADE}
                    | {"name": name},
                )
            command.upgrade(alembic_config(connection), "head")
            made = connection.execute(
                select(
                    concern_summaries.c.patient_id,
                    concern_summaries.c.sort_name,
                    concern_summaries.c.computed_on,
                ).order_by(concern_summaries.c.patient_id)
            ).all()
        assert [tuple(r) for r in made] == [(2, "ann lee", None), (3, "bob@example.org", None)]

        content = default_content()
        accounts = Accounts(store, CHEAP)
        clinician = accounts.accounts()[0]
        found = summaries.dashboard(
            store, content, clinician, summaries.Query(), on=TODAY, now=MADE, target="test"
        )
        assert [(line.account.id, line.concerns) for line in found.lines] == [
            (2, ["Has not started the program yet"]),
            (3, ["Has not started the program yet"]),
        ]
        with store.reading() as connection:
            computed = connection.execute(select(concern_summaries.c.computed_on)).scalars()
            assert set(computed) == {TODAY}

        with store.engine.begin() as connection:
            before = sorted(inspect(connection).get_table_names())
            command.downgrade(alembic_config(connection), "0018")
            assert "concern_summaries" not in inspect(connection).get_table_names()
            command.upgrade(alembic_config(connection), "head")
            assert sorted(inspect(connection).get_table_names()) == before
    finally:
        store.dispose()
