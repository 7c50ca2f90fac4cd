"""How a server process keeps its garbage collector out of the way of its answers.

A server holds many long-lived objects: the content, the framework, and the histories and
plans it keeps in memory. Python's full collections walk all of them, and on the machines
this was measured on one took 50-125 ms, during which no request moves: with writes queued
behind each other, that was the whole of the p99 of posting a session (bench/README.md).
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 10_000
"""Allocations between two collections of the youngest generation (Python's default: 700).
A request allocates a few thousand objects; a bigger young generation is collected less
often and lets fewer of them be promoted to the older ones."""
FULL_COLLECTION_EVERY = 1000
"""Collections of the middle generation between two full ones (Python's default: 10).
With the young threshold above, a full walk comes after some 100 million allocations
(about a minute of posting sessions flat out) instead of 70 thousand."""


def settle_collector() -> None:
    """Call once the app is built, before serving: what exists now lives as long as the
    process, so the collector stops walking it (`gc.freeze`); and collections come less
    often, full ones rarely. Cycles that die young are still collected young."""
    gc.collect()
    gc.freeze()
    _, middle, _ = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, FULL_COLLECTION_EVERY)
