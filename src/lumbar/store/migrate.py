"""Running the Alembic migrations from code, on a connection the caller owns."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

SCRIPT_LOCATION = "lumbar.store:migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError("no migrations found")
    return head


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(connection: Connection) -> None:
    """Migrate to the newest schema; refuse a database made by a newer lumbar."""
    from lumbar.errors import DatabaseError

    current = current_revision(connection)
    script = ScriptDirectory.from_config(alembic_config())
    if current == script.get_current_head():
        return
    known = {revision.revision for revision in script.walk_revisions()}
    if current is not None and current not in known:
        raise DatabaseError(
            f"this database was written by a newer version of lumbar (schema {current}); "
            "upgrade lumbar to use it"
        )
    if current is None and inspect(connection).has_table("people"):
        raise DatabaseError(
            "this database holds lumbar tables but no schema version, so it cannot be "
            "migrated safely; export it with the lumbar that made it"
        )
    command.upgrade(alembic_config(connection), "head")
