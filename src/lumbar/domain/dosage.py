"""Graded exposure within a phase: a little more after clean sessions, a step back after pain.

The steps themselves are data (each exercise's dose steps per phase, in the content files);
this module only decides when to move between them.
"""

from __future__ import annotations

from lumbar.domain.decisions import Decision, Fact
from lumbar.domain.rules import RuleId

Exposure = tuple[int, int]
"""Where one exercise stands in one phase: (dose step, run of clean sessions).

A plain tuple rather than a dataclass: the engine builds one for every exercise of every
session when it replays a year of history, and a tuple is many times cheaper to build.
"""


def after_clean_session(
    exposure: Exposure,
    exercise_id: str,
    phase: int,
    top_step: int,
    reduced: bool,
    clean_needed: int,
) -> tuple[Exposure, Decision | None]:
    """A session of the exercise without bad pain.

    After `clean_needed` in a row, an exercise at reduced range goes back to full range first;
    one at full range steps up a dose, until the last step. (Positional arguments: the
    engine calls this for every exercise of every session it replays.)
    """
    step, streak = exposure
    streak += 1
    if streak < clean_needed:
        return (step, streak), None
    if reduced:
        restored: dict[str, Fact] = {"exercise": exercise_id, "clean_sessions": streak}
        return (step, 0), Decision(RuleId.DOSAGE_RESTORE_RANGE, restored)
    if step < top_step:
        facts: dict[str, Fact] = {
            "exercise": exercise_id,
            "phase": phase,
            "step": step + 1,
            "clean_sessions": streak,
        }
        return (step + 1, 0), Decision(RuleId.DOSAGE_STEP_UP, facts)
    return (step, streak), None


def after_bad_pain(
    exposure: Exposure, exercise_id: str, phase: int
) -> tuple[Exposure, Decision | None]:
    """Bad pain on the exercise: one dose step back (not below the first) and a fresh count."""
    step = exposure[0]
    if step == 0:
        return (0, 0), None
    facts: dict[str, Fact] = {"exercise": exercise_id, "phase": phase, "step": step - 1}
    return (step - 1, 0), Decision(RuleId.DOSAGE_STEP_BACK, facts)
