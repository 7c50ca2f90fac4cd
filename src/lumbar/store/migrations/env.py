"""Alembic environment: migrations run on the connection lumbar hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from lumbar.store.tables import metadata

config = context.config
connection = config.attributes.get("connection")

if connection is None:
    # Run from the alembic command line (for `alembic revision --autogenerate`).
    url = config.get_main_option("sqlalchemy.url") or "sqlite:///lumbar-dev.db"
    with create_engine(url).begin() as own:
        context.configure(connection=own, target_metadata=metadata, render_as_batch=True)
        context.run_migrations()
else:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    context.run_migrations()
