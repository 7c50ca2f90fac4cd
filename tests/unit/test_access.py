"""Who may see whose clinical record, who may manage which account, sign-in throttling, and
what an email address and a password must be (lumbar.domain.access)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from lumbar.domain.access import (
    FAILURE_WINDOW,
    MAX_FAILURES,
    MAX_PASSWORD,
    MIN_PASSWORD,
    Account,
    Role,
    email_problem,
    may_manage,
    may_see_patient,
    password_problem,
    sign_in_refused_until,
)

NORTH, SOUTH = 1, 2

NORTH_ADMIN = Account(
    id=1, email="admin@north.example", role=Role.ADMIN, clinic_id=NORTH, clinician_id=None
)
SOUTH_ADMIN = Account(
    id=2, email="admin@south.example", role=Role.ADMIN, clinic_id=SOUTH, clinician_id=None
)
NORTH_PT = Account(
    id=3, email="pt@north.example", role=Role.CLINICIAN, clinic_id=NORTH, clinician_id=None
)
NORTH_PT2 = Account(
    id=4, email="pt2@north.example", role=Role.CLINICIAN, clinic_id=NORTH, clinician_id=None
)
SOUTH_PT = Account(
    id=5, email="pt@south.example", role=Role.CLINICIAN, clinic_id=SOUTH, clinician_id=None
)
ANN = Account(
    id=6, email="ann@example.org", role=Role.PATIENT, clinic_id=NORTH, clinician_id=NORTH_PT.id
)
BOB = Account(
    id=7, email="bob@example.org", role=Role.PATIENT, clinic_id=NORTH, clinician_id=NORTH_PT.id
)
CY = Account(
    id=8, email="cy@example.org", role=Role.PATIENT, clinic_id=NORTH, clinician_id=NORTH_PT2.id
)
DEE = Account(
    id=9, email="dee@example.org", role=Role.PATIENT, clinic_id=SOUTH, clinician_id=SOUTH_PT.id
)
EVERYONE = (NORTH_ADMIN, SOUTH_ADMIN, NORTH_PT, NORTH_PT2, SOUTH_PT, ANN, BOB, CY, DEE)
PATIENTS = (ANN, BOB, CY, DEE)


def _disabled(account: Account) -> Account:
    return replace(account, active=False)


# Clinical records.


def test_a_patient_sees_their_own_record_and_no_one_elses() -> None:
    for viewer in PATIENTS:
        for patient in PATIENTS:
            assert may_see_patient(viewer, patient) is (viewer == patient), (viewer, patient)


def test_a_clinician_sees_only_the_patients_they_invited() -> None:
    clinicians = (NORTH_PT, NORTH_PT2, SOUTH_PT)
    seen = {c.id: {p.id for p in PATIENTS if may_see_patient(c, p)} for c in clinicians}
    assert seen == {NORTH_PT.id: {ANN.id, BOB.id}, NORTH_PT2.id: {CY.id}, SOUTH_PT.id: {DEE.id}}


def test_an_admin_never_sees_clinical_data_even_in_their_own_clinic() -> None:
    for admin in (NORTH_ADMIN, SOUTH_ADMIN):
        for patient in PATIENTS:
            assert not may_see_patient(admin, patient), (admin, patient)


def test_an_inactive_viewer_sees_nothing_not_even_their_own_record() -> None:
    for viewer in EVERYONE:
        for patient in PATIENTS:
            assert not may_see_patient(_disabled(viewer), patient), (viewer, patient)
    assert may_see_patient(ANN, ANN) and not may_see_patient(_disabled(ANN), ANN)
    assert may_see_patient(NORTH_PT, ANN) and not may_see_patient(_disabled(NORTH_PT), ANN)


def test_an_account_that_is_not_a_patient_has_no_record_to_see() -> None:
    """Even an account whose clinician_id names the viewer, or the viewer's own account."""
    not_patients = (NORTH_ADMIN, NORTH_PT, NORTH_PT2, SOUTH_PT)
    for viewer in EVERYONE:
        for target in not_patients:
            assert not may_see_patient(viewer, target), (viewer, target)
    claimed = replace(NORTH_PT2, clinician_id=NORTH_PT.id)
    assert not may_see_patient(NORTH_PT, claimed)


# Managing accounts.


def test_an_active_admin_manages_every_account_of_their_own_clinic_and_no_other() -> None:
    for account in EVERYONE:
        assert may_manage(NORTH_ADMIN, account) is (account.clinic_id == NORTH), account
        assert may_manage(SOUTH_ADMIN, account) is (account.clinic_id == SOUTH), account


def test_only_an_active_admin_with_a_clinic_manages_anyone() -> None:
    for account in EVERYONE:
        assert not may_manage(_disabled(NORTH_ADMIN), account), account
        assert not may_manage(replace(NORTH_ADMIN, clinic_id=None), account), account
        for other in (NORTH_PT, ANN):
            assert not may_manage(other, account), (other, account)
    no_clinic = replace(ANN, clinic_id=None)
    assert not may_manage(replace(NORTH_ADMIN, clinic_id=None), no_clinic)


# Sign-in throttling.

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _minutes_ago(*minutes: float) -> list[datetime]:
    return [NOW - timedelta(minutes=m) for m in minutes]


def test_the_shipped_throttle_is_five_failures_in_fifteen_minutes() -> None:
    assert (MAX_FAILURES, FAILURE_WINDOW) == (5, timedelta(minutes=15))


def test_four_recent_failures_leave_sign_in_open() -> None:
    assert sign_in_refused_until([], NOW) is None
    assert sign_in_refused_until(_minutes_ago(1, 2, 3, 4), NOW) is None


def test_five_failures_spread_over_minutes_lock_until_the_oldest_leaves_the_window() -> None:
    failures = _minutes_ago(12, 9, 6, 3, 1)
    assert sign_in_refused_until(failures, NOW) == NOW - timedelta(minutes=12) + FAILURE_WINDOW
    # In any order.
    shuffled = [failures[i] for i in (3, 0, 4, 2, 1)]
    assert sign_in_refused_until(shuffled, NOW) == NOW + timedelta(minutes=3)


def test_with_more_than_five_failures_the_fifth_newest_decides() -> None:
    failures = _minutes_ago(14, 13, 10, 8, 5, 2, 1)
    assert sign_in_refused_until(failures, NOW) == NOW - timedelta(minutes=10) + FAILURE_WINDOW


def test_sign_in_opens_again_once_the_oldest_of_the_five_leaves_the_window() -> None:
    failures = _minutes_ago(12, 9, 6, 3, 1)
    reopens = sign_in_refused_until(failures, NOW)
    assert reopens is not None
    assert sign_in_refused_until(failures, reopens - timedelta(seconds=1)) == reopens
    assert sign_in_refused_until(failures, reopens) is None


def test_a_failure_exactly_fifteen_minutes_old_no_longer_counts() -> None:
    assert sign_in_refused_until(_minutes_ago(15, 4, 3, 2, 1), NOW) is None
    just_inside = [NOW - FAILURE_WINDOW + timedelta(seconds=1), *_minutes_ago(4, 3, 2, 1)]
    assert sign_in_refused_until(just_inside, NOW) == NOW + timedelta(seconds=1)


# Addresses and passwords.


@pytest.mark.parametrize(
    "address", ["ann@example.org", "a@b.co", "first.last+tag@clinic.example.org"]
)
def test_an_ordinary_email_address_will_do(address: str) -> None:
    assert email_problem(address) is None


@pytest.mark.parametrize(
    "address",
    [
        "",
        "ann",
        "ann@example",
        "@example.org",
        "ann@",
        "ann@@example.org",
        "an n@example.org",
        "ann@exa mple.org",
        "ann@example.org\n",  # `$` alone would match before a final newline
        "ann@example.org\nx",
        "ann\x00@example.org",
        "ann@example.org\x7f",
    ],
)
def test_an_address_without_a_name_a_domain_or_with_spaces_is_refused(address: str) -> None:
    problem = email_problem(address)
    assert problem is not None and "is not an email address" in problem


def test_an_email_address_holds_at_most_254_characters() -> None:
    domain = "@example.org"
    assert email_problem("a" * (254 - len(domain)) + domain) is None
    assert email_problem("a" * (255 - len(domain)) + domain) is not None


def test_a_password_needs_10_to_200_characters_of_any_kind() -> None:
    assert (MIN_PASSWORD, MAX_PASSWORD) == (10, 200)
    assert password_problem("x" * 9) == "a password needs at least 10 characters"
    assert password_problem("x" * 10) is None
    assert password_problem("correct horse") is None
    assert password_problem("é" * 200) is None
    assert password_problem("x" * 201) == "a password can have at most 200 characters"
    assert password_problem("") is not None
