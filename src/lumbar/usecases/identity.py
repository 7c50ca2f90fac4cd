"""Who a person is on a clinic's server: their email address, and a patient's name and date
of birth, checked at every door (joining, signing in, forgetting a password, an account
made by an admin, an invitation).

A clinician tells patients apart by what the dashboard shows. An address that looks like
another (`аnn@…` with a Cyrillic а, an invisible zero-width space in `ann@…`) would show
exactly like Ann's, and messages and prescriptions could reach the wrong person; so every
address is normalised the same way (NFKC, then lower case: a Kelvin sign is a K, a
full-width letter its plain one) and refused when it holds a character that cannot be
seen, letters of two alphabets in one part, or a letter that looks like a plain Latin one
without being it. The syntax of a new address is `email-validator`'s (no DNS: whether mail
arrives is the reset link's test); the look-alikes are Unicode's confusables list
(UTS #39), as the `confusable_homoglyphs` package keeps it. Both are imported only when
an address needs them: the command line starts without them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from lumbar.domain.access import email_problem
from lumbar.errors import UserError, refuse_control_characters

MAX_ADDRESS = 254
MAX_NAME = 100
OLDEST = 120
"""A date of birth more than this many years ago is a typing mistake."""

INVISIBLE = frozenset({"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp", "Zs", "Mn", "Me"})
"""Unicode categories of characters an address cannot show: controls, formats (zero-width
spaces and joiners, bidi overrides), unassigned and private ones, spaces, and combining
marks left over after NFKC (a mark NFKC could not join to its letter)."""


HIDDEN_IN_NAMES = frozenset({"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"})
"""What a name may not hold: the invisible characters, but for spaces (and combining
marks, which belong to letters in many names)."""


def normal_address(raw: str) -> str:
    """The one form an address is stored and looked up in."""
    return unicodedata.normalize("NFKC", raw).strip().lower()


def address_problem(address: str, *, new: bool) -> str | None:
    """What is wrong with a normal address, or None. `new`: an address an account is made
    with, held to email-validator's syntax; else one to look up, held to the characters
    rules and a plain something@somewhere.tld (an account made before these rules keeps
    signing in)."""
    if len(address) > MAX_ADDRESS:
        return f"{address!r} is not an email address"
    problem = character_problem(address)
    if problem is not None or not new:
        return problem or email_problem(address)
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError as refusal:
        return f"{address!r} is not an email address ({refusal})"
    return None


def checked_address(raw: str) -> str:
    """A new account's address, normal; UserError (field `email`) when it will not do."""
    address = normal_address(raw)
    problem = address_problem(address, new=True)
    if problem is not None:
        raise UserError(problem, field="email")
    return address


def character_problem(address: str) -> str | None:
    """An invisible character, two alphabets in one part, or a look-alike letter."""
    for char in address:
        if char != " " and unicodedata.category(char) in INVISIBLE:
            return (
                f"the address holds a character that cannot be seen ({_named(char)}): "
                "type it again by hand instead of pasting it"
            )
    if address.isascii():
        return None
    from confusable_homoglyphs import categories, confusables

    local, _, domain = address.rpartition("@")
    for part in (local, *domain.split(".")):
        scripts = categories.unique_aliases(part) - {"COMMON"}
        if len(scripts) > 1:
            names = " and ".join(sorted(s.title() for s in scripts))
            return (
                f"the address mixes letters of different alphabets ({names}), which can look "
                "alike: type it again in one alphabet"
            )
    for char in dict.fromkeys(address):
        if char.isascii():
            continue
        found = confusables.is_confusable(char, greedy=True)
        for glyph in [] if not found else found[0]["homoglyphs"]:
            if glyph["c"].isascii():
                return (
                    f"the address has a letter that looks like {glyph['c']!r} but is not "
                    f"({_named(char)}): type it again with the letter you meant"
                )
    return None


def visible(text: str) -> str:
    """`text` without the characters a name may not hold because they cannot be seen."""
    return "".join(c for c in text if unicodedata.category(c) not in HIDDEN_IN_NAMES)


def _named(char: str) -> str:
    return unicodedata.name(char, f"U+{ord(char):04X}").lower()


def patient_name(raw: str) -> str:
    """A patient's name as their clinician typed it, normal: what the dashboard shows."""
    name = " ".join(unicodedata.normalize("NFKC", raw).split())
    if not name:
        raise UserError("write the patient's name", field="name")
    if len(name) > MAX_NAME:
        raise UserError(f"a name has at most {MAX_NAME} characters", field="name")
    refuse_control_characters(name, field="name")
    for char in name:
        if unicodedata.category(char) in HIDDEN_IN_NAMES:
            raise UserError(
                f"the name holds a character that cannot be seen ({_named(char)}): "
                "type it again by hand",
                field="name",
            )
    return name


def birth_date(raw: str | date, today: date) -> date:
    """A date of birth (YYYY-MM-DD, as a date field sends it) on or before today, and at
    most 120 years before it."""
    if isinstance(raw, date):
        born = raw
    else:
        try:
            born = date.fromisoformat(raw.strip())
        except ValueError:
            message = "give the date of birth" if not raw.strip() else "that is not a date"
            raise UserError(message, field="birth_date") from None
    if born > today:
        raise UserError("a date of birth cannot be after today", field="birth_date")
    if born.year < today.year - OLDEST:
        raise UserError(f"a date of birth is at most {OLDEST} years ago", field="birth_date")
    return born


@contextmanager
def unique_address(email: str, message: str = "") -> Iterator[None]:
    """Two requests making the same address at once: the second meets the unique index
    after the check that there is no such account; it is refused like one that came later
    (with `message`, where the answer must not name the address)."""
    from sqlalchemy.exc import IntegrityError

    try:
        yield
    except IntegrityError:
        raise UserError(message or f"there is already an account for {email}") from None
