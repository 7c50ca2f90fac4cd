"""The options every command takes, and what they resolve to.

Only the standard library and Typer are imported here: `lumbar --help` must stay fast, so
content, storage and Rich load inside the commands that use them.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from lumbar.content.load import Content
    from lumbar.services import Services

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        metavar="PATH",
        help="SQLite file (or database URL) to use. "
        "Default: $LUMBAR_DATABASE_URL, else lumbar.db in your data directory.",
    ),
]
DateOption = Annotated[
    str | None,
    typer.Option(
        "--date",
        metavar="YYYY-MM-DD",
        help="The day this is about (default: today), to record or look at another day.",
    ),
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print JSON for scripts (schema in docs/cli.md).")
]


@dataclass
class Invocation:
    """One run of a command: its shared options, and the services they point at."""

    db: str | None
    date_text: str | None
    as_json: bool
    _services: Services | None = field(default=None, init=False)

    @property
    def day(self) -> date:
        from lumbar.cli.arguments import parse_date

        return parse_date(self.date_text, date.today())

    @property
    def services(self) -> Services:
        if self._services is None:
            from lumbar.config import database_url
            from lumbar.content.load import default_content
            from lumbar.services import Services
            from lumbar.store.database import Store

            store = Store(database_url(self.db, os.environ))
            self._services = Services(store, default_content())
        return self._services

    @property
    def content(self) -> Content:
        from lumbar.content.load import default_content

        return default_content()

    def emit(self, document: Any) -> None:
        """Print a JSON document on standard output."""
        sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")

    @property
    def console(self) -> Console:
        from rich.console import Console

        return Console(highlight=False)
