"""Milestones and the week's goal: what a person's weeks add up to, said when it happens.

A review found that the moments that matter passed without a word: a new phase appeared
only inside a collapsed "Why?", the four-week review never showed on Today, finishing the
program was said on one day only (issue 17). These are read from the same replay that plans
the day, so they can never disagree with it; nothing about them is stored but whether the
person has put a card away (which the shells keep by `Milestone.key`).

The week's goal counts sessions against the days chosen, this week and last. It never
counts a streak: a week that fell short gets kind words and a fresh start.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from lumbar.domain.decisions import Decision
from lumbar.domain.journey import Journey
from lumbar.domain.model import Milestone, Moment, WeeklyGoal
from lumbar.domain.rules import RuleId

CARD_DAYS = 14
"""How long Today shows a milestone's card that was not put away: two weeks, long enough
for a person who opens the app once a week, short enough not to linger."""

_WEEK = timedelta(days=7)


def milestones(journey: Journey) -> tuple[Milestone, ...]:
    """Every milestone of the journey walked so far, oldest first."""
    found: list[Milestone] = []
    for change in journey.phase_history:
        if change.from_phase is None:
            continue  # the start: the intake is its own moment
        moment = Moment.PHASE_UP if change.to_phase > change.from_phase else Moment.PHASE_BACK
        found.append(Milestone(moment, change.on, change.decision))
    measures = journey.measures
    first = measures.first_judged
    recovered = measures.recovered
    if first is not None and (recovered is None or recovered[0] != first[0]):
        found.append(Milestone(Moment.REVIEW, *measures.decided(first)))
    if recovered is not None:
        found.append(Milestone(Moment.RECOVERED, *measures.decided(recovered)))
    # Each completion stands as a milestone, even when a gap later took the person back.
    found += [Milestone(Moment.COMPLETE, on, decision) for on, decision in journey.completions]
    found.sort(key=lambda milestone: milestone.on)
    return tuple(found)


def cards(on: date, found: Iterable[Milestone], put_away: frozenset[str]) -> list[Milestone]:
    """The milestones Today shows on `on`: those of the last `CARD_DAYS` days (today's
    included) not put away, newest first."""
    since = on - timedelta(days=CARD_DAYS - 1)
    shown = [m for m in found if since <= m.on <= on and m.key not in put_away]
    shown.sort(key=lambda milestone: milestone.on, reverse=True)
    return shown


def weekly_goal(on: date, journey: Journey) -> WeeklyGoal:
    """This week's sessions (Monday to Sunday) against the days chosen, with a kind word
    when last week fell short."""
    # Sessions with something done: one where every exercise was skipped is not one done.
    sessions = journey.answered_dates
    monday = on - timedelta(days=on.weekday())
    # Training days as adherence counts them: the days in force on each day, paused days not.
    planned = journey.planned_sessions
    done = _sessions_in(sessions, monday, monday + _WEEK)
    # A session on a day that is not a training day (the first day's) counts as one planned.
    goal = max(planned(monday + _WEEK) - planned(monday), done)
    decisions = [Decision(RuleId.SCHEDULE_WEEKLY_GOAL, {"done": done, "goal": goal})]
    if journey.start < monday:
        last_monday = monday - _WEEK
        last_done = _sessions_in(sessions, last_monday, monday)
        last_goal = planned(monday) - planned(max(last_monday, journey.start))
        if last_done < last_goal:
            decisions.append(
                Decision(RuleId.SCHEDULE_WEEK_SHORT, {"done": last_done, "goal": last_goal})
            )
    return WeeklyGoal(done=done, goal=goal, decisions=tuple(decisions))


def _sessions_in(sessions: Sequence[date], first: date, end: date) -> int:
    return sum(1 for day in sessions if first <= day < end)
