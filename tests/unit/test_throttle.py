"""When a sign-in must wait (lumbar.domain.throttle): failures slow down the address they
come from, the account only slowly and never where it usually signs in, and the whole
server has a ceiling on failures a minute."""

from __future__ import annotations

from datetime import datetime, timedelta

from lumbar.domain.throttle import (
    ACCOUNT_FREE,
    CLIENT_MAX,
    EVERYONE_MAX,
    PAIR_FREE,
    Failures,
    Limit,
    attempt_wait,
)

NOW = datetime(2026, 11, 2, 9, 0)


def ago(*seconds: float) -> list[datetime]:
    return [NOW - timedelta(seconds=s) for s in seconds]


def test_the_shipped_numbers() -> None:
    assert (PAIR_FREE, ACCOUNT_FREE, CLIENT_MAX, EVERYONE_MAX) == (5, 10, 20, 10)


def test_four_failures_from_one_address_leave_it_open() -> None:
    assert attempt_wait(Failures(), NOW) is None
    four = ago(40, 30, 20, 10)
    assert attempt_wait(Failures(pair=four, account=four, client=four, everyone=four), NOW) is None


def test_the_waits_of_one_address_grow_from_one_minute_to_fifteen() -> None:
    waits = []
    for extra in range(8):
        failures = ago(*range(10 * (PAIR_FREE + extra), 0, -10))  # the last 10 s ago
        wait = attempt_wait(Failures(pair=failures), NOW)
        assert wait is not None and wait.limit is Limit.PAIR
        waits.append(wait.until - max(failures))
    assert waits[:5] == [timedelta(minutes=m) for m in (1, 2, 4, 8, 15)]
    assert set(waits[5:]) == {timedelta(minutes=15)}


def test_a_wait_ends_and_old_failures_are_forgotten() -> None:
    five = ago(300, 240, 180, 120, 61)  # the last a minute and a second ago
    assert attempt_wait(Failures(pair=five), NOW) is None
    an_hour = ago(3600, 3600, 3600, 3600, 3600)
    assert attempt_wait(Failures(pair=an_hour), NOW) is None


def test_failures_from_elsewhere_never_stop_a_known_address() -> None:
    many = ago(*range(1, 50))
    crowd = Failures(account=many, client=[], everyone=many, known=True)
    assert attempt_wait(crowd, NOW) is None
    # An unknown address waits for the account's slowdown (2 s, doubling, at most 2 min)
    # and for the server's ceiling.
    unknown = attempt_wait(Failures(account=many, everyone=many), NOW)
    assert unknown is not None
    assert unknown.until - NOW <= timedelta(minutes=2)
    # A known address still waits for its own failures.
    own = attempt_wait(Failures(pair=ago(50, 40, 30, 20, 10), known=True), NOW)
    assert own is not None and own.limit is Limit.PAIR


def test_the_accounts_slowdown_grows_slowly() -> None:
    ten = ago(*range(100, 0, -10))  # ten failures, the last 10 s ago
    first = attempt_wait(Failures(account=ten[:-1] + ago(0)), NOW)
    assert first is not None and first.limit is Limit.ACCOUNT
    assert first.until - NOW == timedelta(seconds=2)
    assert attempt_wait(Failures(account=ten), NOW) is None  # waited out


def test_one_address_trying_many_accounts_is_stopped() -> None:
    spread = ago(*range(880, 0, -44))  # 20 failures in under 15 minutes, 1 a minute or so
    assert len(spread) == CLIENT_MAX
    wait = attempt_wait(Failures(client=spread, everyone=spread), NOW)
    assert wait is not None and wait.limit is Limit.CLIENT
    assert wait.until == NOW - timedelta(seconds=880) + timedelta(minutes=15)
    assert attempt_wait(Failures(client=spread[1:], everyone=spread[1:]), NOW) is None


def test_the_whole_server_has_a_ceiling_a_minute() -> None:
    ten = ago(*range(55, 5, -5))
    wait = attempt_wait(Failures(everyone=ten), NOW)
    assert wait is not None and wait.limit is Limit.EVERYONE
    assert wait.until == NOW + timedelta(seconds=5)
    assert attempt_wait(Failures(everyone=ten[1:]), NOW) is None
