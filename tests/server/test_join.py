"""Joining by invitation on a running clinic server (issue #19, finding 2), on SQLite and
on PostgreSQL: `/join` told anyone which addresses have accounts, hashed a password before
checking anything, and was not throttled."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import Table, func, select

from lumbar.domain.throttle import EVERYONE_MAX
from lumbar.errors import UserError
from lumbar.store.tables import auth_sessions, login_failures, users
from lumbar.usecases.accounts import now_utc
from lumbar.usecases.joining import INVITATION_INVALID, INVITATION_UNUSABLE
from tests.server.conftest import BASE_URL, PASSWORD, Clinic, email
from tests.web.conftest import text

ATTACKER = "203.0.113.9"


class CountingHasher(PasswordHasher):
    """The fixture's cheap hasher, counting the passwords it hashes."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=8, parallelism=1)
        self.hashed = 0

    def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
        self.hashed += 1
        return super().hash(password, salt=salt)


@pytest.fixture
def hasher(clinic: Clinic) -> CountingHasher:
    counting = CountingHasher()
    clinic.accounts.hasher = counting
    return counting


def count(clinic: Clinic, table: Table) -> int:
    with clinic.store.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


def browser(clinic: Clinic, address: str = "198.51.100.7") -> TestClient:
    opened = TestClient(clinic.app, base_url=BASE_URL, follow_redirects=False, client=(address, 4))
    opened.__enter__()
    clinic._clients.append(opened)
    return opened


def join(client: TestClient, code: str, address: str, password: str = "patient password") -> Any:
    return client.post(f"/join/{code}", data={"email": address, "password": password})


def test_an_unknown_invitation_is_refused_first_whatever_the_address(
    clinic: Clinic, hasher: CountingHasher
) -> None:
    """A known address, an unknown one, a malformed one, a short password: with an unknown
    code they all get the same words, and no password is hashed."""
    client = browser(clinic)
    before = count(clinic, users)
    typed = [
        (email("ann"), "patient password"),
        ("stranger@example.org", "patient password"),
        ("not-an-email", "patient password"),
        ("short@example.org", "short"),
    ]
    answers = [join(client, "not-a-code", address, password) for address, password in typed]
    assert {a.status_code for a in answers} == {422}
    words = {
        text(a).replace(address, "ADDRESS") for a, (address, _) in zip(answers, typed, strict=True)
    }
    assert len(words) == 1
    assert INVITATION_INVALID[1:] in words.pop()
    assert all("already" not in a.text for a in answers)
    assert hasher.hashed == 0
    assert count(clinic, users) == before


def test_an_address_with_an_account_is_not_named_and_the_invitation_stays(
    clinic: Clinic, hasher: CountingHasher
) -> None:
    code = clinic.accounts.invite(
        clinic.people["north_pt"], now_utc(), name="Gil Moss", born="1958-07-14"
    )
    client = browser(clinic)
    before = count(clinic, users)

    taken = join(client, code, email("ann").upper())

    assert taken.status_code == 422
    assert INVITATION_UNUSABLE[1:] in text(taken)
    assert "already an account" not in taken.text
    assert hasher.hashed == 0
    assert count(clinic, users) == before
    assert client.get("/api/v1/me").status_code == 401  # no session
    made = join(client, code, "new.patient@example.org")
    assert made.status_code == 303 and made.headers["location"] == "/start"
    assert hasher.hashed == 1  # the new account's password, once
    assert client.get("/api/v1/me").json()["email"] == "new.patient@example.org"


def test_unknown_invitations_are_throttled_per_client_address(clinic: Clinic) -> None:
    """Bad codes are failures like wrong passwords. From one address, slowly enough for
    the server's ceiling (20 in 15 minutes), then that address is refused, a good
    invitation too; sent fast, from anywhere, the server's ceiling stops them within the
    minute."""
    code = clinic.accounts.invite(
        clinic.people["north_pt"], now_utc(), name="Gil Moss", born="1958-07-14"
    )
    start = now_utc() - timedelta(minutes=14)
    for n in range(20):
        with pytest.raises(UserError, match="not valid"):
            clinic.accounts.accept_invite(
                f"slow-{n}", "late@example.org", PASSWORD, start + n * timedelta(seconds=40),
                client="192.0.2.1",
            )  # fmt: skip
    with pytest.raises(UserError, match="too many attempts from your network"):
        clinic.accounts.accept_invite(code, "late@example.org", PASSWORD, now_utc(),
                                      client="192.0.2.1")  # fmt: skip

    guesser = browser(clinic, ATTACKER)
    answers = [join(guesser, f"guess-{n}", f"x{n}@example.org").status_code for n in range(12)]
    assert answers == [422] * EVERYONE_MAX + [429] * (12 - EVERYONE_MAX)
    sessions, before = count(clinic, auth_sessions), count(clinic, users)
    refused = join(guesser, code, "new.patient@example.org")
    assert refused.status_code == 429
    assert "Too many attempts" in text(refused)
    assert (count(clinic, auth_sessions), count(clinic, users)) == (sessions, before)
    assert count(clinic, login_failures) == 20 + EVERYONE_MAX
