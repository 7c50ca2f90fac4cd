"""Sign-in throttling on a running clinic server (issue #19, finding 3), on SQLite and on
PostgreSQL: failures from one client address slow that address down and cannot keep the
owner out; an account slows down only slowly, and never where it signed in from lately;
the server has a ceiling on failures a minute (password spraying). A refused attempt is not
counted, hashes no password and makes no session.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Table, func, select

from lumbar.domain.throttle import EVERYONE_MAX, PAIR_FREE
from lumbar.store.tables import auth_sessions, login_failures
from lumbar.usecases.accounts import SignInRefused, now_utc
from tests.server.conftest import BASE_URL, PASSWORD, Clinic, email

ATTACKER = "203.0.113.9"
OWNER = "198.51.100.7"


def count(clinic: Clinic, table: Table) -> int:
    with clinic.store.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


def browser(clinic: Clinic, address: str) -> TestClient:
    """An anonymous browser whose requests come from `address`."""
    opened = TestClient(clinic.app, base_url=BASE_URL, follow_redirects=False, client=(address, 4))
    opened.__enter__()
    clinic._clients.append(opened)
    return opened


def sign_in(clinic: Clinic, name: str, address: str, password: str = PASSWORD) -> tuple[int, str]:
    response = browser(clinic, address).post(
        "/api/v1/sign-in", json={"email": email(name), "password": password}
    )
    return response.status_code, response.json().get("message", "")


def test_guesses_from_one_address_do_not_keep_the_owner_out(clinic: Clinic) -> None:
    """Five wrong passwords made even the right one 429 for 15 minutes, from anywhere: five
    requests every quarter of an hour kept a clinician out. Now the guesser's address
    waits, and the owner, elsewhere, signs in."""
    for _ in range(PAIR_FREE):
        assert sign_in(clinic, "north_pt", ATTACKER, "a wrong guess")[0] == 401
    sessions = count(clinic, auth_sessions)
    counted = count(clinic, login_failures)

    refused = sign_in(clinic, "north_pt", ATTACKER)  # even with the right password

    assert refused == (429, f"too many attempts to sign in as {email('north_pt')}: "
                       "try again in 1 minute")  # fmt: skip
    assert count(clinic, auth_sessions) == sessions  # no session for the guesser
    assert count(clinic, login_failures) == counted  # a refusal is not counted
    assert sign_in(clinic, "north_pt", OWNER)[0] == 200


def test_an_owners_usual_address_passes_what_slows_the_account_down(clinic: Clinic) -> None:
    """Guesses from a dozen addresses slow the account (and the server) down for every
    address it has not signed in from; the address it signed in from lately is let in."""
    assert sign_in(clinic, "north_pt", OWNER)[0] == 200
    for n in range(12):
        status, _ = sign_in(clinic, "north_pt", f"203.0.113.{n + 10}", "a wrong guess")
        assert status in (401, 429)
    assert sign_in(clinic, "north_pt", "192.0.2.55")[0] == 429  # a new address waits
    assert sign_in(clinic, "north_pt", OWNER)[0] == 200


def test_password_spraying_is_refused_after_the_servers_ceiling(clinic: Clinic) -> None:
    """One common password on twelve addresses, each from its own client address: the
    first ten are answered, the rest refused before any hash; nothing is written for them,
    and an owner at their usual address still signs in."""
    assert sign_in(clinic, "ann", OWNER)[0] == 200
    sessions = count(clinic, auth_sessions)
    answers = [
        sign_in(clinic, f"user{n}", f"192.0.2.{n + 1}", "Password123!")[0] for n in range(12)
    ]
    assert answers == [401] * EVERYONE_MAX + [429] * (12 - EVERYONE_MAX)
    refused = sign_in(clinic, "bob", "192.0.2.99")
    assert refused == (429, "too many attempts on this server right now: try again in 1 minute")
    assert count(clinic, auth_sessions) == sessions
    assert sign_in(clinic, "ann", OWNER)[0] == 200


def test_one_address_trying_many_accounts_is_stopped(clinic: Clinic) -> None:
    """Twenty failures from one address within 15 minutes (slowly enough to pass the
    server's ceiling), on as many addresses: the next is refused, from that address only."""
    start = now_utc() - timedelta(minutes=14)
    for n in range(20):
        with pytest.raises(SignInRefused, match="do not match"):
            clinic.accounts.sign_in(
                f"user{n}@example.org", "Password123!", start + n * timedelta(seconds=40),
                client=ATTACKER,
            )  # fmt: skip
    with pytest.raises(SignInRefused, match="too many attempts from your network"):
        clinic.accounts.sign_in(email("ann"), PASSWORD, now_utc(), client=ATTACKER)
    assert clinic.accounts.sign_in(email("ann"), PASSWORD, now_utc(), client=OWNER)


def test_the_wait_of_one_address_grows(clinic: Clinic) -> None:
    """One minute after the fifth failure, two after the sixth: the address may try again
    once each wait is over, and waits longer after each failure."""
    start = now_utc() - timedelta(minutes=30)
    for n in range(PAIR_FREE):
        with pytest.raises(SignInRefused, match="do not match"):
            clinic.accounts.sign_in(email("ann"), "guess", start + n * timedelta(seconds=1),
                                    client=ATTACKER)  # fmt: skip
    fifth = start + (PAIR_FREE - 1) * timedelta(seconds=1)
    with pytest.raises(SignInRefused, match="try again in 1 minute"):
        clinic.accounts.sign_in(email("ann"), PASSWORD, fifth + timedelta(seconds=30),
                                client=ATTACKER)  # fmt: skip
    sixth = fifth + timedelta(minutes=1)
    with pytest.raises(SignInRefused, match="do not match"):
        clinic.accounts.sign_in(email("ann"), "guess", sixth, client=ATTACKER)
    with pytest.raises(SignInRefused, match="try again in 2 minutes"):
        clinic.accounts.sign_in(email("ann"), PASSWORD, sixth + timedelta(seconds=1),
                                client=ATTACKER)  # fmt: skip
    late = sixth + timedelta(minutes=2)
    assert clinic.accounts.sign_in(email("ann"), PASSWORD, late, client=ATTACKER)


def test_guesses_sent_together_are_counted_one_after_the_other(clinic: Clinic) -> None:
    """Twelve wrong passwords at once from one address: each attempt is counted in the
    transaction that checks the count, so no more than five are tried against the hash."""
    answers: list[str] = []
    start = threading.Barrier(12)

    def guess() -> None:
        start.wait()
        try:
            clinic.accounts.sign_in(email("ann"), "a wrong guess", now_utc(), client=ATTACKER)
        except SignInRefused as refusal:
            answers.append(refusal.message)

    threads = [threading.Thread(target=guess) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(answers) == 12
    assert len([a for a in answers if "do not match" in a]) == PAIR_FREE
    assert sign_in(clinic, "ann", ATTACKER)[0] == 429
    assert sign_in(clinic, "ann", OWNER)[0] == 200


def test_the_sign_in_form_says_when_to_try_again(clinic: Clinic) -> None:
    guesser = browser(clinic, ATTACKER)
    for _ in range(PAIR_FREE):
        form = {"email": email("ann"), "password": "a wrong guess"}
        assert guesser.post("/sign-in", data=form).status_code == 401
    page = guesser.post("/sign-in", data={"email": email("ann"), "password": PASSWORD})
    assert page.status_code == 429
    assert "try again in 1 minute" in page.text
