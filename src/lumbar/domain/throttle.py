"""When a sign-in (or a use of an invitation) must wait: limits that slow guessing down
without letting anyone else keep an account's owner out.

A hard lock (five failures, then nobody for fifteen minutes) let anyone keep a clinician
out with five requests every quarter of an hour. Here failures are counted per account and
client address together, so a guesser mostly slows down themselves; the account as a whole
slows down only slowly (and never for an address it signed in from lately); one client
address, and the whole server, have ceilings on failures, which stop password spraying
(one common password tried on many accounts). Pure: the caller passes the failures it
counted and the time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

HISTORY = timedelta(hours=1)
"""Failures older than this count for nothing (the store may forget them)."""
PAIR_FREE = 5
"""Failures of one account from one client address before it must wait."""
PAIR_FIRST_WAIT = timedelta(minutes=1)
"""The wait after the fifth failure; it doubles with each further failure..."""
PAIR_LONGEST_WAIT = timedelta(minutes=15)
"""... up to this."""
ACCOUNT_FREE = 10
"""Failures of one account from every address within the hour before the account slows
down for addresses it has not signed in from."""
ACCOUNT_FIRST_WAIT = timedelta(seconds=2)
ACCOUNT_LONGEST_WAIT = timedelta(minutes=2)
CLIENT_MAX = 20
"""Failures from one client address, whatever the account, within CLIENT_WINDOW."""
CLIENT_WINDOW = timedelta(minutes=15)
EVERYONE_MAX = 10
"""Failures on the whole server within EVERYONE_WINDOW (password spraying from many
addresses); addresses an account signed in from lately are let through."""
EVERYONE_WINDOW = timedelta(minutes=1)
KNOWN_FOR = timedelta(days=30)
"""How long a client address an account signed in from stays known to it."""


class Limit(StrEnum):
    """Which limit made an attempt wait (said in words by the use case)."""

    PAIR = "pair"
    ACCOUNT = "account"
    CLIENT = "client"
    EVERYONE = "everyone"


@dataclass(frozen=True, slots=True, kw_only=True)
class Failures:
    """What the throttle counted before one attempt."""

    pair: Sequence[datetime] = ()
    """This account's failures from this client address."""
    account: Sequence[datetime] = ()
    """This account's failures from every client address."""
    client: Sequence[datetime] = ()
    """Failures from this client address, whatever the account."""
    everyone: Sequence[datetime] = ()
    """Failures on the whole server."""
    known: bool = False
    """The account signed in from this client address within KNOWN_FOR."""


@dataclass(frozen=True, slots=True)
class Wait:
    until: datetime
    limit: Limit


def attempt_wait(failures: Failures, now: datetime) -> Wait | None:
    """Until when this attempt must wait, and why; None when it may go ahead. A known
    address waits only for its own failures (the pair limit): failures elsewhere, however
    many, do not keep the owner out where they usually sign in."""
    waits = []
    pair = _within(failures.pair, HISTORY, now)
    if len(pair) >= PAIR_FREE:
        wait = _doubled(PAIR_FIRST_WAIT, len(pair) - PAIR_FREE, PAIR_LONGEST_WAIT)
        waits.append(Wait(pair[-1] + wait, Limit.PAIR))
    if not failures.known:
        account = _within(failures.account, HISTORY, now)
        if len(account) >= ACCOUNT_FREE:
            wait = _doubled(ACCOUNT_FIRST_WAIT, len(account) - ACCOUNT_FREE, ACCOUNT_LONGEST_WAIT)
            waits.append(Wait(account[-1] + wait, Limit.ACCOUNT))
        client = _within(failures.client, CLIENT_WINDOW, now)
        if len(client) >= CLIENT_MAX:
            waits.append(Wait(client[-CLIENT_MAX] + CLIENT_WINDOW, Limit.CLIENT))
        everyone = _within(failures.everyone, EVERYONE_WINDOW, now)
        if len(everyone) >= EVERYONE_MAX:
            waits.append(Wait(everyone[-EVERYONE_MAX] + EVERYONE_WINDOW, Limit.EVERYONE))
    current = [w for w in waits if w.until > now]
    return max(current, key=lambda w: w.until) if current else None


def _within(times: Sequence[datetime], window: timedelta, now: datetime) -> list[datetime]:
    return sorted(at for at in times if now - at < window)


def _doubled(first: timedelta, times: int, longest: timedelta) -> timedelta:
    longer: timedelta = first * 2 ** min(times, 20)
    return min(longer, longest)
