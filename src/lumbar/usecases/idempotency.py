"""Writes a client may send again: each with an Idempotency-Key, written once.

A phone that lost its connection sends its answers again, later, each with the key it gave
it (the web player's queue, issue #16), and an API client retries a request whose answer it
never saw. The first request with a key writes and keeps what it did under the key, in the
same transaction; the same key sent again writes nothing and gets the same answer; the key
sent with another request is refused. A key lasts 24 hours (issue #19: they were kept a
week, and never expired until the person's next key was stored).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from lumbar.errors import UserError
from lumbar.usecases.person import Person

if TYPE_CHECKING:
    from lumbar.store.writes import Transaction

KEY_LIMIT = 128
"""The longest Idempotency-Key kept (the column's size)."""

KEYS_KEPT = timedelta(hours=24)
"""How long an Idempotency-Key holds: a retry comes within seconds or minutes (the web
player's outbox tries again after 2 s, then waits longer each time, up to 30 s, while the
page is open). A key older than this is expired: the request sent with it again is taken as
new, and the rules of what it writes answer it (an answer or a session already recorded is
refused, so nothing is written twice). A person's expired keys are dropped when their next
write with a key comes."""

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Idempotency:
    """A client's Idempotency-Key for one write, so that sending it again writes nothing.

    `request` is the request as the client sent it, as one canonical text: the same key sent
    with another request is refused rather than answered with the first one's response.
    `at` is when it came, in UTC without a zone (the shells read the clock, not the use
    cases).
    """

    key: str
    request: str
    at: datetime

    def check(self) -> None:
        """Refuse a key that is empty, longer than the column, or not printable ASCII."""
        wanted = f"a key of 1 to {KEY_LIMIT} printable ASCII characters"
        odd = next((c for c in self.key if not " " <= c <= "~"), None)
        if not self.key:
            raise UserError(f"give {wanted} (this one is empty)", field="Idempotency-Key")
        if len(self.key) > KEY_LIMIT:
            raise UserError(
                f"give {wanted} (this one has {len(self.key)})", field="Idempotency-Key"
            )
        if odd is not None:
            raise UserError(f"give {wanted} (this one holds {odd!r})", field="Idempotency-Key")

    @property
    def digest(self) -> str:
        import hashlib

        return hashlib.sha256(self.request.encode("utf-8")).hexdigest()

    def stored(self, body: dict[str, Any]) -> str:
        """What is kept under the key: the response, and the digest of the request it
        answered (the table has one text column, so both go in one JSON document)."""
        return json.dumps({"request": self.digest, "body": body}, ensure_ascii=False)

    def replay(self, stored: str) -> Recorded:
        """The response kept under the key, if it answered this same request."""
        kept = json.loads(stored)
        if kept["request"] != self.digest:
            raise UserError("this Idempotency-Key was already used for a different request")
        return Recorded(kept["body"], replayed=True)


@dataclass(frozen=True, slots=True)
class ClientKey:
    """An Idempotency-Key as a shell reads it, and when it came (UTC without a zone). The
    use case it is given to says what request it stands for."""

    key: str
    at: datetime

    def of(self, **request: str) -> Idempotency:
        return Idempotency(self.key, json.dumps(request, sort_keys=True), self.at)


@dataclass(frozen=True, slots=True)
class Once(Generic[T]):
    """What a write sent with an Idempotency-Key did: its outcome, and whether this is the
    key sent again (then nothing was written this time)."""

    outcome: T
    replayed: bool


@dataclass(frozen=True, slots=True)
class Recorded:
    """The answer to a write sent with an Idempotency-Key: its JSON, and whether it is the
    answer kept from an earlier request with the same key (then nothing was written)."""

    body: dict[str, Any]
    replayed: bool


def write_once(
    person: Person,
    once: Idempotency,
    first: Callable[[Transaction], tuple[T, dict[str, Any]]],
    again: Callable[[Transaction, dict[str, Any]], T],
) -> Once[T]:
    """Write once under the person's key: `first` writes and says what to keep, `again`
    answers a key already kept (from what was kept, and the record as it is now)."""
    from lumbar.store.beside import KeyTaken

    once.check()
    try:
        with person.store.transaction() as tx:
            # Reading the history locks the person's row (PostgreSQL; SQLite has one
            # writer), so a request with the same key waits here and then finds it.
            person.history_in(tx)
            stored = kept_response(tx, person, once)
            if stored is not None:
                return Once(again(tx, once.replay(stored).body), replayed=True)
            outcome, kept = first(tx)
            keep(tx, person, once, kept)
    except KeyTaken:
        # Another writer stored the key first: this transaction is rolled back; answer
        # what the other stored.
        with person.store.transaction() as tx:
            person.history_in(tx)
            stored = tx.idempotent_response(person.id, once.key)
            if stored is None:
                raise
            return Once(again(tx, once.replay(stored).body), replayed=True)
    return Once(outcome, replayed=False)


def kept_response(tx: Transaction, person: Person, once: Idempotency) -> str | None:
    """What is kept under the person's key, unless it has expired: expired keys are dropped
    first, so that one of them sent again is taken as a new request."""
    tx.forget_idempotent_responses(person.id, before=once.at - KEYS_KEPT)
    return tx.idempotent_response(person.id, once.key)


def keep(tx: Transaction, person: Person, once: Idempotency, body: dict[str, Any]) -> None:
    """Keep the answer under the key, and forget the person's keys older than KEYS_KEPT."""
    tx.forget_idempotent_responses(person.id, before=once.at - KEYS_KEPT)
    tx.add_idempotent_response(person.id, once.key, once.stored(body), once.at)
