"""The address and name rules of a clinic's server (usecases/identity.py, issue #19): one
normal form, and no address that could show like another's."""

from __future__ import annotations

from datetime import date

import pytest

from lumbar.errors import UserError
from lumbar.usecases import identity

TODAY = date(2026, 11, 2)


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("Ann@Patients.Example", "ann@patients.example"),
        ("  ann@patients.example\n", "ann@patients.example"),
        ("\u212aate@example.org", "kate@example.org"),  # a Kelvin sign is a K
        ("ａｎｎ@ｅｘａｍｐｌｅ.ｏｒｇ", "ann@example.org"),  # full-width letters
        ("jose\u0301@example.org", "jos\u00e9@example.org"),  # e + a combining accent: é
    ],
)
def test_an_address_has_one_form(typed: str, normal: str) -> None:
    assert identity.checked_address(typed) == normal


@pytest.mark.parametrize(
    "address",
    ["josé@example.org", "ørsted@example.dk", "müller@beispiel.de", "张伟@例子.中国", "a@b.co"],
)
def test_accents_and_scripts_that_look_like_no_latin_letter_are_kept(address: str) -> None:
    assert identity.address_problem(identity.normal_address(address), new=True) is None


@pytest.mark.parametrize(
    ("address", "said"),
    [
        ("\u0430nn@patients.example", "mixes letters of different alphabets (Cyrillic and Latin)"),
        ("ann@ex\u0430mple.org", "mixes letters of different alphabets (Cyrillic and Latin)"),
        ("an\u200bn@patients.example", "cannot be seen (zero width space)"),
        ("ann@patients.example\u2060", "cannot be seen (word joiner)"),
        ("ann\u202e@patients.example", "cannot be seen (right-to-left override)"),
        ("\u0251nn@patients.example", "looks like 'a' but is not (latin small letter alpha)"),
        ("k\u0131m@example.org", "looks like 'i' but is not (latin small letter dotless i)"),
        ("\u043e\u0441\u0435@example.org", "looks like 'o' but is not (cyrillic small letter o)"),
        ("ann@localhost", "is not an email address"),
        ("ann@clinic.test", "is not an email address"),
        ("a" * 250 + "@x.org", "is not an email address"),
    ],
)
def test_an_address_that_could_pass_for_another_is_refused_with_why(
    address: str, said: str
) -> None:
    with pytest.raises(UserError, match=rf"{said.replace('(', '.').replace(')', '.')}") as refused:
        identity.checked_address(address)
    assert refused.value.field == "email"


def test_an_address_looked_up_keeps_the_old_syntax_but_not_look_alikes() -> None:
    """Signing in with an address made before these rules (a special-use domain) still
    works; a look-alike does not, whatever its age."""
    assert identity.address_problem("ann@clinic.local", new=False) is None
    assert identity.address_problem("ann@clinic.local", new=True) is not None
    assert identity.address_problem("\u0430nn@clinic.local", new=False) is not None


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("  Ann   Lee ", "Ann Lee"), ("Zoë O’Brien-Núñez", "Zoë O’Brien-Núñez"), ("李小龍", "李小龍")],
)
def test_a_name_is_kept_as_typed_in_one_line(typed: str, kept: str) -> None:
    assert identity.patient_name(typed) == kept


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("", "write the patient's name"),
        ("Ann\u202eLee", "cannot be seen (right-to-left override)"),
        ("Ann\u200bLee", "cannot be seen (zero width space)"),
        ("Ann\x00Lee", "control character"),
        ("A" * 101, "at most 100 characters"),
    ],
)
def test_a_name_that_cannot_be_read_as_it_is_is_refused(typed: str, said: str) -> None:
    with pytest.raises(UserError, match=said.replace("(", ".").replace(")", ".")) as refused:
        identity.patient_name(typed)
    assert refused.value.field == "name"


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("", "give the date of birth"),
        ("1958-02-30", "that is not a date"),
        ("2026-11-03", "cannot be after today"),
        ("1905-12-31", "at most 120 years ago"),
    ],
)
def test_a_birth_date_is_a_day_in_the_last_120_years(typed: str, said: str) -> None:
    assert identity.birth_date("2026-11-02", TODAY) == TODAY
    assert identity.birth_date("1906-01-01", TODAY) == date(1906, 1, 1)
    with pytest.raises(UserError, match=said) as refused:
        identity.birth_date(typed, TODAY)
    assert refused.value.field == "birth_date"
