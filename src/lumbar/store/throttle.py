"""What the throttles count (table `login_failures`), on a connection the caller holds
inside one transaction: failed sign-ins and uses of invitations by account and client
address, requests for reset links, and the client addresses each account signed in from.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, delete, func, insert, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from lumbar.domain.throttle import CLIENT_WINDOW, EVERYONE_WINDOW, HISTORY, KNOWN_FOR, Failures
from lumbar.store.tables import login_failures as counted

FAILED = ("sign-in", "join")
"""The kinds that are failures (the others are counted, not failed)."""
CLIENT_LENGTH = 64


def lock(connection: Connection, *keys: str) -> None:
    """Hold these counts for the rest of the transaction, so that attempts sent together
    are counted one after the other. SQLite's BEGIN IMMEDIATE already does (one writer at
    a time); PostgreSQL takes transaction-scoped advisory locks, always in the order given
    (every caller gives the client address first, then the account)."""
    if connection.dialect.name != "postgresql":
        return
    for key in keys:
        connection.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": key})


def failures(connection: Connection, *, email: str, client: str, now: datetime) -> Failures:
    """Every failure the throttle weighs for an attempt on `email` from `client` (an empty
    email: an attempt on no account, such as a use of an invitation). Each query reads one
    index's range, however many failures an attack has left elsewhere."""
    client = client[:CLIENT_LENGTH]

    def times(*where: ColumnElement[bool]) -> list[tuple[datetime, str]]:
        query = select(counted.c.at, counted.c.client).where(counted.c.kind.in_(FAILED), *where)
        return [(row.at, row.client) for row in connection.execute(query)]

    account = times(counted.c.email == email, counted.c.at > now - HISTORY) if email else []
    known = (
        email
        and connection.execute(
            select(func.count()).where(
                counted.c.kind == "success",
                counted.c.email == email,
                counted.c.client == client,
                counted.c.at > now - KNOWN_FOR,
            )
        ).scalar_one()
    )
    return Failures(
        pair=[at for at, by in account if by == client],
        account=[at for at, _ in account],
        client=[
            at for at, _ in times(counted.c.client == client, counted.c.at > now - CLIENT_WINDOW)
        ],
        everyone=[at for at, _ in times(counted.c.at > now - EVERYONE_WINDOW)],
        known=bool(known),
    )


def add(connection: Connection, *, kind: str, email: str, client: str, now: datetime) -> None:
    connection.execute(
        insert(counted).values(kind=kind, email=email, client=client[:CLIENT_LENGTH], at=now)
    )


def succeeded(connection: Connection, *, email: str, client: str, now: datetime) -> None:
    """A right password: this address's failures for the account are forgiven (others'
    stand), and the address is known to the account from now on."""
    client = client[:CLIENT_LENGTH]
    connection.execute(
        delete(counted).where(
            counted.c.kind.in_(("sign-in", "success")),
            counted.c.email == email,
            counted.c.client == client,
        )
    )
    add(connection, kind="success", email=email, client=client, now=now)


def count(connection: Connection, *, kind: str, client: str, since: datetime) -> int:
    query = select(func.count()).where(
        counted.c.kind == kind, counted.c.client == client[:CLIENT_LENGTH], counted.c.at > since
    )
    return int(connection.execute(query).scalar_one())


def forget_old(connection: Connection, now: datetime) -> None:
    """Drop what no limit looks at any more, so that an attack does not fill the disk."""
    connection.execute(
        delete(counted).where(
            (and_(counted.c.kind != "success", counted.c.at < now - HISTORY))
            | (counted.c.at < now - KNOWN_FOR)
        )
    )
