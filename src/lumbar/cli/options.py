"""The options every command takes, and what they resolve to: the command line's
composition root, the one place it opens the store and hands it to the use cases.

Only the standard library and Typer are imported here: `lumbar --help` must stay fast, so
content, storage and Rich load inside the commands that use them.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from lumbar.content.load import Content
    from lumbar.domain.loads import Unit
    from lumbar.store.database import Store
    from lumbar.usecases.person import Person

DATABASE_URL_VARIABLE = "LUMBAR_DATABASE_URL"
TODAY_VARIABLE = "LUMBAR_TODAY"
CHECK_SHAPES_VARIABLE = "LUMBAR_CHECK_SHAPES"

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
    """One run of a command: its shared options, and the record they point at."""

    db: str | None
    date_text: str | None
    as_json: bool
    _person: Person | None = field(default=None, init=False)

    @property
    def today(self) -> date:
        """The clock's day: the system's, or `LUMBAR_TODAY` (YYYY-MM-DD) where it is set,
        for demonstrations and tests that live a program through weeks in a few seconds."""
        from lumbar.errors import UserError

        told = os.environ.get(TODAY_VARIABLE, "").strip()
        if not told:
            return date.today()
        try:
            return date.fromisoformat(told)
        except ValueError as error:
            raise UserError(f"{TODAY_VARIABLE}: {told!r} is not a date; use YYYY-MM-DD") from error

    @property
    def day(self) -> date:
        from lumbar.cli.arguments import parse_date

        return parse_date(self.date_text, self.today)

    @property
    def day_said(self) -> str:
        """The day in words: "today", or the day `--date` names ("Wed 9 Dec")."""
        from lumbar.content.wording import day_words

        return day_words(self.day, self.today)

    def command(self, words: str) -> str:
        """A command to suggest, with this run's `--date` repeated: the hint must be about
        the same day ("lumbar session --date 2026-12-09")."""
        if self.date_text is None:
            return f"lumbar {words}"
        return f"lumbar {words} --date {self.day.isoformat()}"

    @property
    def database_url(self) -> str:
        return database_url(self.db, os.environ)

    @property
    def person(self) -> Person:
        """The person's record in the database the options point at (local mode)."""
        if self._person is None:
            from lumbar.content.load import default_content
            from lumbar.usecases.person import Person

            self._person = Person(open_store(self.db), default_content(), today=self.today)
        return self._person

    @property
    def content(self) -> Content:
        from lumbar.content.load import default_content

        return default_content()

    def emit(self, document: Any, *, shape: str | None = None, each: bool = False) -> None:
        """Print a JSON document on standard output. `shape` names its model in
        formats/shapes ("plan.Plan": the one the API declares for the same document; with
        `each`, a list of them). The tests check every document against it
        (`LUMBAR_CHECK_SHAPES`, set in tests/conftest.py); a person's command does not:
        loading pydantic's models costs `lumbar today --json` a tenth of a second."""
        if shape is not None and os.environ.get(CHECK_SHAPES_VARIABLE):
            check_shape(document, shape, each=each)
        sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")

    @property
    def console(self) -> Console:
        from rich.console import Console

        return Console(highlight=False)


def check_shape(document: Any, shape: str, *, each: bool = False) -> None:
    """Raise pydantic's ValidationError unless `document` (each of them, with `each`) has
    the shape `shape` names ("plan.Plan": the model Plan in formats/shapes/plan.py)."""
    import importlib

    module, name = shape.split(".")
    model = getattr(importlib.import_module(f"lumbar.formats.shapes.{module}"), name)
    for one in document if each else [document]:
        model.model_validate(one)


def database_url(db: str | None, environ: Mapping[str, str]) -> str:
    """Where the data lives: `--db` (a file path or a full URL) first, then
    LUMBAR_DATABASE_URL, then lumbar.db in the data directory."""
    from lumbar.store.database import sqlite_url

    if db:
        return db if "://" in db else sqlite_url(Path(db))
    from_environment = environ.get(DATABASE_URL_VARIABLE, "").strip()
    if from_environment:
        return from_environment
    from platformdirs import user_data_dir

    return sqlite_url(Path(user_data_dir("lumbar", appauthor=False)) / "lumbar.db")


def open_store(db: str | None) -> Store:
    """The store the options name. lumbar's own data folder is made (0700) when the
    default is used; a database others could read is made private, said in one line."""
    from lumbar.private_files import private_folder
    from lumbar.store.database import Store

    url = database_url(db, os.environ)
    store = Store(url)
    if not db and not os.environ.get(DATABASE_URL_VARIABLE, "").strip():
        assert store.sqlite_path is not None  # the default is a SQLite file
        private_folder(store.sqlite_path.parent)
    for file in store.make_private():
        typer.echo(
            f"lumbar: made {file} private (other users of this computer could read it)",
            err=True,
        )
    return store


def shell_unit(environ: Mapping[str, str] | None = None) -> Unit:
    """The unit of the shell's locale (LC_ALL, LC_MEASUREMENT, LANG: 'en_US.UTF-8' weighs
    in pounds), for what is shown about no one in particular (the catalogue) and the
    intake's default."""
    from lumbar.domain.loads import unit_for_language

    found = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MEASUREMENT", "LANG"):
        value = found.get(name, "")
        if value and value not in ("C", "POSIX") and not value.startswith("C."):
            return unit_for_language(value.split(".")[0])
    return unit_for_language(None)
