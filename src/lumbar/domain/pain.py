"""Pain rules: good pain (a dull ache) is fine; bad pain (sharp, or down the leg) stops work.

D1-3 and D1-11: sharp or stabbing pain stops the exercise; pain that travels down the leg
stops the whole session; after bad pain the exercise comes back at reduced range.
"""

from __future__ import annotations

from collections.abc import Sequence
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


def leg_follow_up(exercise_id: str, on: date, clean_sessions: int) -> Decision:
    """After pain down the leg, an exercise that did not cause it is eased too: reduced
    range, and no dose increase, until `clean_sessions` sessions of it go well (C13: new
    leg symptoms call for caution with the whole session, not one exercise)."""
    facts: dict[str, Fact] = {"exercise": exercise_id, "on": on, "clean_sessions": clean_sessions}
    return Decision(RuleId.PAIN_LEG_FOLLOW_UP, facts)


def leg_check(on: date) -> Decision:
    """Pain went down the leg on `on`: the next session opens with the safety questions."""
    return Decision(RuleId.PAIN_LEG_CHECK, {"since": on})


def radiating_again(previous: date | None, on: date, window_days: int) -> Decision | None:
    """Pain down the leg in a second session within `window_days` days of the previous one."""
    if previous is not None and (on - previous).days <= window_days:
        return Decision(
            RuleId.PAIN_RADIATING_TWICE,
            {"first": previous, "second": on, "window_days": window_days},
        )
    return None


def persistent(
    dates: Sequence[date], hurt: Sequence[bool], *, sessions: int, window: int
) -> Decision | None:
    """Sharp or radiating pain in `sessions` of the last `window` sessions, whichever the
    exercises: the pain is not settling with reduced range and step-backs (brief §5d: bad
    pain despite regression is a reason for a clinician's review). `dates` are the sessions
    recorded so far and `hurt` whether each had bad pain."""
    recent = [on for on, bad in zip(dates[-window:], hurt[-window:], strict=True) if bad]
    if len(recent) < sessions:
        return None
    facts: dict[str, Fact] = {
        "sessions": len(recent),
        "window": window,
        "first": recent[0],
        "last": recent[-1],
    }
    return Decision(RuleId.PAIN_PERSISTENT, facts)
