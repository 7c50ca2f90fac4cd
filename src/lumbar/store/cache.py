"""Histories kept in memory by revision, so a server does not re-read an unchanged one.

Every write of a person's history raises `people.revision` in the same transaction (see
`writes.py`), whichever process makes it. A reader that finds the revision it cached still
in the database knows the history it holds is the one stored; any other number means
something was written since, and it reads again. This module imports nothing heavy.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

from lumbar.domain.model import History

CAPACITY = 4096
"""Entries kept; the least recently used is dropped first."""

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class RevisionCache(Generic[K, V]):
    """Values derived from a person's history, each kept with the revision it came from."""

    def __init__(self, capacity: int = CAPACITY) -> None:
        self._entries: OrderedDict[K, tuple[int, V]] = OrderedDict()
        self._lock = threading.Lock()
        self._capacity = capacity

    def get(self, key: K, revision: int) -> V | None:
        """The value for `key` if it was cached at exactly `revision`."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] != revision:
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def put(self, key: K, revision: int, value: V) -> None:
        with self._lock:
            self._entries[key] = (revision, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self._capacity:
                self._entries.popitem(last=False)


HistoryCache = RevisionCache[int, History]
"""Each person's history, by person id."""
