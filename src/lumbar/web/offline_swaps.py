"""What the session page carries to swap an exercise without the network (issue #17).

Offline, the page goes on from what it holds (static/offline.js): each exercise still to
do, the one shown and those ahead, as the player shows it (web/player.py, `_ahead`). A swap
("do the alternative for this session") shows the exercise in its alternative, its own
figure, steps and timer; so, for each of those exercises that has alternatives and is
taught as itself (not already done in an alternative chosen in Settings or swapped), the
page also carries the player as the server shows it after the swap, one per alternative.
The swap itself waits in the outbox with its own Idempotency-Key and is sent before the
answer that follows it (usecases/swaps.py).

One difference from the player online: the alternative's figure is its key poses side by
side, each numbered with what it shows (the handout's figure), not the moving one. The
moving figures are most of a player's weight; carried for every alternative they added 30
KB to the first session of phase 1 and 40 KB to phase 3's, which took phase 3's page over
its 120 KB (bench/README.md). The key poses add 9 to 13 KB. Online, a swap still shows the
moving figure, as the server sends it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from lumbar.domain.exercise import Exercise
from lumbar.domain.model import PlannedExercise
from lumbar.domain.session import SessionInProgress

Runner = Callable[[SessionInProgress, PlannedExercise, Exercise], dict[str, object]]
"""What the hands-free player runs for an exercise at a point of the session (its steps
with their words, how long it and the session take)."""


def swapped_views(views: Sequence[Mapping[str, Any]], runner: Runner) -> list[dict[str, Any]]:
    """Each view (`planned`, `exercise`, `position`, `progress`, and `swapped` when it is
    swapped already) in each of its alternatives, as the player shows it swapped."""
    found: list[dict[str, Any]] = []
    for view in views:
        planned: PlannedExercise = view["planned"]
        exercise: Exercise = view["exercise"]
        if view.get("swapped") or planned.version is not None:
            continue
        for alternative in exercise.alternatives:
            swapped = replace(planned, version=alternative.id)
            found.append(
                {
                    "planned": swapped,
                    "exercise": exercise,
                    "position": view["position"],
                    "progress": view["progress"],
                    "swapped": alternative.id,
                    **runner(view["progress"], swapped, exercise),
                    "say_next": None,
                }
            )
    return found
