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


class NotAllowed(UserError):
    """Asked for something this account may not do or see. The web answers 404 for a
    patient's data (whether a patient exists is itself not shown) and 403 otherwise."""


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


HIDDEN_CHARACTERS = frozenset(
    chr(code)
    for code in (
        *range(0x202A, 0x202F),  # bidi embeddings and overrides (U+202E reverses text)
        *range(0x2066, 0x206A),  # bidi isolates
        0x200B,  # zero width space
        0x200C,  # zero width non-joiner
        0x200D,  # zero width joiner
        0x2060,  # word joiner
        0xFEFF,  # zero width no-break space (a byte order mark)
    )
)
"""Characters that show nothing themselves but change what the text around them looks like:
a right-to-left override makes "dose 10" read as "01 esod", and zero-width characters make
two different texts look the same."""


def refuse_hidden_characters(text: str, *, field: str | None = None, where: str = "") -> None:
    """Refuse what `refuse_control_characters` refuses, and the invisible characters that
    reorder or hide text (HIDDEN_CHARACTERS), in free text that someone else reads: a
    message, a note, a problem report, a PSFS activity, a skip's note. The reader would see
    something other than what was written (issue #19); nothing is written when refused."""
    refuse_control_characters(text, field=field, where=where)
    for char in text:
        if char in HIDDEN_CHARACTERS:
            name = unicodedata.name(char, "invisible character").lower()
            raise UserError(
                f"{where}it holds an invisible character (U+{ord(char):04X}, {name}) that "
                "changes how the text reads: type it again without it",
                field=field,
            )
