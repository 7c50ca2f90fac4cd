"""Words, not codes (issue #13, item 7): every sentence the engine's decisions become, on
any surface (they all render through `Content.say`), is free of rule ids, alert codes and
"not measured yet" where something was measured.

Random stories (tests/unit/test_escalation.py) are lived day by day, and every decision a
person could read is rendered: the day's reasons, each exercise's reasons, every alert,
the review and each phase change.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

from hypothesis import given, settings

from lumbar.content.load import default_content
from lumbar.domain.decisions import Decision
from lumbar.domain.plan import program_status
from lumbar.domain.rules import RULES, RuleId
from tests.builders import START
from tests.unit.test_escalation import Lived, Story, live, stories

CONTENT = default_content()
CODE = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b")
"""snake_case: an alert code, a symptom code, a fact name."""
RULE_ID = re.compile("|".join(re.escape(rule) for rule in RULES))


def _read(lived: Lived) -> Iterator[Decision]:
    for plan in lived.plans.values():
        yield from plan.decisions
        for exercise in plan.exercises:
            yield from exercise.decisions
        for alert in plan.alerts:
            yield alert.decision
    until = START + timedelta(days=lived.story.horizon)
    status = program_status(until, lived.history, lived.program)
    if status.improvement.review is not None:
        yield status.improvement.review
    for change in status.phase_history:
        yield change.decision


@settings(max_examples=40, deadline=None)
@given(stories())
def test_no_sentence_a_person_reads_holds_a_code_or_a_rule_id(story: Story) -> None:
    lived = live(story)
    for decision in _read(lived):
        said = CONTENT.say(decision)
        assert CODE.search(said) is None, (decision.rule, said)
        assert RULE_ID.search(said) is None, (decision.rule, said)
        assert "{" not in said and "}" not in said, (decision.rule, said)


@settings(max_examples=40, deadline=None)
@given(stories())
def test_not_measured_yet_is_said_only_of_what_was_not_measured(story: Story) -> None:
    lived = live(story)
    for decision in _read(lived):
        said = CONTENT.say(decision)
        if "not measured yet" in said:
            assert decision.facts.get("latest_pain") is None, (decision.rule, said)
        if "not rated again yet" in said:
            assert decision.facts.get("latest_psfs") is None, (decision.rule, said)


def test_the_judgements_state_the_numbers_they_used() -> None:
    for rule in ("outcomes.on_track", "outcomes.not_improving", "outcomes.worse"):
        facts = {
            "baseline_pain": 0,
            "latest_pain": 3,
            "pain_change_pct": None,
            "baseline_psfs": 6.0,
            "latest_psfs": 5.5,
            "psfs_change": -0.5,
            "judged_by": "pain",
        }
        said = " ".join(CONTENT.say(Decision(RuleId(rule), facts)).split())
        assert "3 out of 10 now, 0 at the start." in said, said
        assert "5.5 out of 10 now, 6 at the start" in said, said
        assert "not measured" not in said


def test_training_days_are_said_in_words() -> None:
    """Issue #17: "mon, wed, fri" and "every-other-day" were shown as typed in a file."""
    from lumbar.content.wording import days_words

    assert days_words("mon,wed,fri") == "Monday, Wednesday and Friday"
    assert days_words("tue,sat") == "Tuesday and Saturday"
    assert days_words("every-other-day") == "every other day"
    days = CONTENT.say(Decision(RuleId.SCHEDULE_TRAINING_DAY, {"days": "mon,wed,fri"}))
    assert days == "Today is one of your training days (Monday, Wednesday and Friday)."
    pair = CONTENT.say(Decision(RuleId.SCHEDULE_NO_CONSECUTIVE_DAYS, {"pair": ("mon", "tue")}))
    assert pair.startswith("Monday and Tuesday are consecutive days")
    assert "mon" not in pair and "every-other-day" not in pair


def test_activities_not_rated_again_read_as_a_sentence() -> None:
    """Issue #17: the review's card read "(PSFS): not rated again yet out of 10 now"."""
    for rule in ("outcomes.on_track", "outcomes.recovered", "outcomes.suggest_assessment"):
        facts = {
            "baseline_pain": 6,
            "latest_pain": 4,
            "pain_change_pct": 33.3,
            "baseline_psfs": 4.333,
            "latest_psfs": None,
            "psfs_change": None,
            "judged_by": "pain",
        }
        said = CONTENT.say(Decision(RuleId(rule), facts))
        assert "Your activities (PSFS): not rated again yet, 4.3 at the start." in said, said
        assert "yet out of 10" not in said
        rated = CONTENT.say(Decision(RuleId(rule), {**facts, "latest_psfs": 6.0}))
        assert "Your activities (PSFS): 6 out of 10 now, 4.3 at the start." in rated, rated
