"""Migration 0022: notifications (issue #20). A clinic's database from before it keeps its
messages, which read as new (nobody has marked them), with no problem report read, no mail
setting (every clinician gets both mails) and nothing mailed. Down and up again leaves the
same tables, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import inspect, text

from lumbar.store import notifications
from lumbar.store.database import Store
from lumbar.store.migrate import alembic_config
from lumbar.store.notifications import MailSettings, Unread
from tests.databases import Databases

MADE = datetime(2026, 12, 1, 9, 0)


def test_messages_from_before_read_as_new_and_everyone_gets_mail(databases: Databases) -> None:
    from alembic import command

    url = databases.new()
    store = Store(url)
    try:
        with store.engine.begin() as connection:
            command.upgrade(alembic_config(connection), "0018")
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
            connection.execute(
                text(
                    "INSERT INTO messages (patient_id, sender_id, at, body)"
                    " VALUES (2, 2, :at, 'Hello'), (2, 1, :at, 'Hi')"
                ),
                {"at": MADE},
            )
            command.upgrade(alembic_config(connection), "head")
            assert notifications.unread_counts(connection, [2]) == {2: Unread(1, 0)}
            assert notifications.mail_settings_of(connection, 1) == MailSettings(True, True)
            assert notifications.mailed(connection, 2, "alert") == set()
            read = notifications.mark_thread_read(connection, 2, 1, MADE)
            assert len(read) == 1 and notifications.unread_counts(connection, [2]) == {}
        with store.engine.begin() as connection:
            before = sorted(inspect(connection).get_table_names())
            command.downgrade(alembic_config(connection), "0018")
            tables = inspect(connection).get_table_names()
            assert not {"problem_reads", "mail_settings", "mailed_concerns"} & set(tables)
            columns = {c["name"] for c in inspect(connection).get_columns("messages")}
            assert "read_at" not in columns
            assert connection.execute(text("SELECT count(*) FROM messages")).scalar_one() == 2
            command.upgrade(alembic_config(connection), "head")
            assert sorted(inspect(connection).get_table_names()) == before
    finally:
        store.dispose()
