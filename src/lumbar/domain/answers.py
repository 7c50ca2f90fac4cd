"""A session's pain answers applied to the doses, exercise by exercise, in the order they
were given (D1-5 to D1-11): a clean answer steps the dose up after enough clean sessions
and restores a reduced range; a sharp or radiating one steps it back and reduces the
range, and a second one at reduced range goes back a phase (`escalation`); pain down the
leg ends the session, so nothing of it counts as clean; a swapped exercise's clean answer
moves nothing.

`journey.py` calls `apply` as it walks; split from it because it is about one session's
answers, not the walk.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from lumbar.domain import escalation
from lumbar.domain import pain as pain_rules
from lumbar.domain.decisions import Decision
from lumbar.domain.dosage import after_bad_pain, clean_step
from lumbar.domain.doses import FRESH
from lumbar.domain.model import ExerciseResult, Pain
from lumbar.domain.rules import RuleId

_RESTORE = RuleId.DOSAGE_RESTORE_RANGE
"""A module constant: an enum member read from its class costs a lookup in the hot loop."""
_LEG_FOLLOW_UP = RuleId.PAIN_LEG_FOLLOW_UP
_BAD = frozenset({Pain.SHARP, Pain.RADIATING})
"""`Pain.is_bad` as a set: the hot loop tests every result, and membership is cheaper."""
_SWAPPED = RuleId.DOSAGE_SWAPPED


class Answered(NamedTuple):
    done: set[str]
    """The exercises answered."""
    hurt: bool
    """Sharp or radiating pain in any of them."""
    radiating: bool
    revert_for: str | None
    """The exercise whose pain at reduced range sends the journey back a phase."""


def apply(
    journey: escalation.Journey,
    phase: int,
    results: tuple[ExerciseResult, ...],
    on: date,
    *,
    leg: bool,
) -> Answered:
    """The answers of a session on day `on`, in phase `phase`, applied to the journey's
    doses (`leg`: the session ended with pain down the leg)."""
    clean_needed = journey.program.thresholds.clean_sessions_to_step_up
    doses = journey.doses
    exposures = doses.exposure
    reduced = doses.reduced
    last_change = doses.last_change
    done_at = doses.done_at
    all_steps = doses.steps
    tops = doses.top_step
    revert_for: str | None = None
    radiating = False
    hurt = False
    done: set[str] = set()
    for result in results:
        exercise_id = result.exercise_id
        done.add(exercise_id)
        key = (phase, exercise_id)
        exposure = exposures.get(key, FRESH)
        last_change.pop(key, None)
        done_at[key] = exposure
        change: Decision | RuleId | None
        if result.pain in _BAD:
            hurt = True
            radiating = radiating or result.pain is Pain.RADIATING
            steps = all_steps.get(key, ())
            exposure, change = after_bad_pain(exposure, exercise_id, phase, steps)
            doses.end_clean_runs(exercise_id)
            eased = reduced.get(exercise_id)
            if eased is None or eased.rule is _LEG_FOLLOW_UP:
                # Eased only because pain went down the leg elsewhere: this exercise's
                # own first bad pain (pain.leg_follow_up).
                reduced[exercise_id] = pain_rules.reduce_range(
                    exercise_id, result.pain, on, clean_needed
                )
            else:
                revert_for = (
                    escalation.hurt_at_reduced_range(journey, exercise_id, on) or revert_for
                )
        elif leg:
            exposure, change = (exposure[0], 0), None
        elif result.version is not None:
            # Another version done for this session only: its pain counts in full, a
            # clean answer moves nothing (dosage.swapped).
            change = Decision(_SWAPPED, {"exercise": exercise_id, "version": result.version})
        else:
            exposure, change = clean_step(
                exposure,
                tops.get(key, 0),  # pragma: no mutate (unprescribed: never planned)
                exercise_id in reduced,
                clean_needed,
            )
            if change is not None and change is _RESTORE:
                del reduced[exercise_id]
        if change is not None:
            last_change[key] = change
        exposures[key] = exposure
    return Answered(done, hurt, radiating, revert_for)
