"""The errors every layer may raise and every shell shows: bad input or a refused request
(`UserError`), and a database that cannot be used (`DatabaseError`), each said in a line."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping


class UserError(Exception):
    """Bad input or a refused request. The message is one line that says what is wrong.

    `field` names the input at fault in the use case's own words (`date`, `psfs`,
    `exercises`); each shell shows it under its own name (`--date` on the command line,
    `date` in the API). Nothing has been written when this is raised.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.said_as({})

    def said_as(self, names: Mapping[str, str]) -> str:
        """The message with its field named as a shell calls it."""
        if self.field is None:
            return self.message
        return f"{names.get(self.field, self.field)}: {self.message}"


class NoProgram(UserError):
    """Asked about a program that has not started."""

    def __init__(self) -> None:
        super().__init__("no program yet: start one first")


class DatabaseError(Exception):
    """The database cannot be used as it is; the message says why. Raised by the store;
    shown by the shells (the command line's one line, the web's 503)."""


def refuse_control_characters(text: str, *, field: str | None = None, where: str = "") -> None:
    """Refuse a control character (a NUL, an escape) in text a person typed, before it is
    written: PostgreSQL cannot store a NUL (it answered 503, as if the database were
    broken, where SQLite kept it), and a terminal that shows the text would act on an
    escape. Tabs and line breaks are text."""
    for char in text:
        if char not in "\t\n\r" and unicodedata.category(char) == "Cc":
            raise UserError(
                f"{where}{char!r} is a control character, not text: leave it out", field=field
            )
