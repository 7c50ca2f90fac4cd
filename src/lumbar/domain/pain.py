"""Pain rules: good pain (a dull ache) is fine; bad pain (sharp, or down the leg) stops work.

D1-3 and D1-11: sharp or stabbing pain stops the exercise; pain that travels down the leg
stops the whole session; after bad pain the exercise comes back at reduced range.
"""

from __future__ import annotations

from datetime import date

from lumbar.domain.decisions import Decision, Fact
from lumbar.domain.model import Pain
from lumbar.domain.rules import RuleId


def respond(exercise_id: str, pain: Pain) -> Decision:
    """What to do right after an exercise, given the pain reported for it."""
    if pain is Pain.RADIATING:
        return Decision(RuleId.PAIN_STOP_SESSION, {"exercise": exercise_id})
    if pain is Pain.SHARP:
        return Decision(RuleId.PAIN_STOP_EXERCISE, {"exercise": exercise_id})
    return Decision(RuleId.PAIN_CONTINUE, {"exercise": exercise_id, "pain": pain.value})


def reduce_range(exercise_id: str, pain: Pain, on: date, clean_sessions: int) -> Decision:
    """Bad pain at full range: the next prescription of the exercise is at reduced range.

    It stays there until `clean_sessions` sessions of it in a row without bad pain.
    """
    facts: dict[str, Fact] = {
        "exercise": exercise_id,
        "pain": pain.value,
        "on": on,
        "clean_sessions": clean_sessions,
    }
    return Decision(RuleId.PAIN_REDUCE_RANGE, facts)


def radiating_again(previous: date | None, on: date, window_days: int) -> Decision | None:
    """Pain down the leg in a second session within `window_days` days of the previous one."""
    if previous is not None and (on - previous).days <= window_days:
        return Decision(
            RuleId.PAIN_RADIATING_TWICE,
            {"first": previous, "second": on, "window_days": window_days},
        )
    return None
