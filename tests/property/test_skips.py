"""Property tests of skips (issue #17): whatever a person skips, and why, the gate never
opens sooner than the exercises they did allow, and a skip never counts as "no pain".

A random person follows the shipped program for four to six weeks with a weekly check-in;
at each session each exercise is answered (no pain, a dull ache, now and then sharp pain)
or skipped with a random reason. The same sessions with every skip answered "No pain"
instead (the lie the review found people pushed into) are the comparison: the honest
history is never ahead of it.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import event, given, settings
from hypothesis import strategies as st

from lumbar.domain.model import (
    CheckIn,
    Event,
    ExerciseResult,
    History,
    Kind,
    Pain,
    SessionLog,
    Skip,
    SkipReason,
)
from lumbar.domain.plan import plan_day, program_status
from tests.builders import START, history, program

PROGRAM = program()
_CHOICES: tuple[Pain | SkipReason, ...] = (
    *[Pain.NONE] * 24,
    *[Pain.ACHE] * 4,
    Pain.SHARP,
    *tuple(SkipReason),
)
CHOICES = st.sampled_from(_CHOICES)
"""Mostly no pain, now and then an ache, rarely sharp pain (about one session in four), and
a skip about one exercise in eight: the gate opens in many of the histories."""


EXERCISES = tuple(sorted(PROGRAM.exercises))
Script = dict[tuple[int, str], Pain | SkipReason]
"""What the person does on each day with each exercise: a pain answer, or a skip."""


def _script(data: st.DataObject, days: int) -> Script:
    choices = data.draw(
        st.lists(CHOICES, min_size=days * len(EXERCISES), max_size=days * len(EXERCISES))
    )
    return {
        (offset, exercise): choices[offset * len(EXERCISES) + n]
        for offset in range(days)
        for n, exercise in enumerate(EXERCISES)
    }


def _follow(script: Script, days: int, *, lie: bool = False) -> History:
    """Live `days` days: each planned session done, each exercise answered or skipped as
    `script` says (with `lie`, every skip answered "No pain" instead)."""
    h = history()
    for offset in range(days):
        on = START + timedelta(days=offset)
        events: list[Event] = list(h.events)
        if offset and offset % 7 == 0:
            events.append(CheckIn(on, 4))
            h = History.of(h.profile, events)
        plan = plan_day(on, h, PROGRAM)
        if plan.kind is not Kind.SESSION or plan.completed:
            continue
        results: list[ExerciseResult] = []
        skips: list[Skip] = []
        for planned in plan.exercises:
            choice = script[(offset, planned.exercise_id)]
            if isinstance(choice, SkipReason) and lie:
                choice = Pain.NONE
            if isinstance(choice, SkipReason):
                note = "tired" if choice is SkipReason.OTHER else ""
                skips.append(Skip(planned.exercise_id, choice, note))
            else:
                results.append(ExerciseResult(planned.exercise_id, choice))
        h = History.of(h.profile, [*events, SessionLog(on, tuple(results), tuple(skips))])
    return h


def _first_advance(h: History, until: date) -> date | None:
    changes = program_status(until, h, PROGRAM).phase_history
    return next(
        (c.on for c in changes if c.from_phase is not None and c.to_phase > c.from_phase), None
    )


@settings(max_examples=40, deadline=None)
@given(st.data(), st.integers(28, 42))
def test_skips_never_open_the_gate_sooner_than_answering_no_pain(
    data: st.DataObject, days: int
) -> None:
    script = _script(data, days)
    honest = _follow(script, days)
    lied = _follow(script, days, lie=True)
    until = START + timedelta(days=days - 1)
    first = _first_advance(honest, until)
    event("the honest history advanced" if first is not None else "it did not advance")
    if first is not None:
        earliest = _first_advance(lied, until)
        assert earliest is not None and earliest <= first


@settings(max_examples=40, deadline=None)
@given(st.data(), st.integers(21, 42))
def test_a_skip_never_counts_as_no_pain_nor_hides_bad_pain(data: st.DataObject, days: int) -> None:
    honest = _follow(_script(data, days), days)
    until = honest.events[-1].on
    sessions = [e for e in honest.events if isinstance(e, SessionLog)]
    bad = [s.on for s in sessions if any(r.pain.is_bad for r in s.results)]
    gate = PROGRAM.gate
    for change in program_status(until, honest, PROGRAM).phase_history[1:]:
        if change.to_phase > (change.from_phase or 0):
            window = change.on - timedelta(days=gate.pain_free_days)
            assert not [d for d in bad if window <= d < change.on], change
    for session in sessions:
        answered = {r.exercise_id for r in session.results}
        assert answered.isdisjoint(s.exercise_id for s in session.skipped)
        if not session.results:
            recorded = plan_day(session.on, honest, PROGRAM)
            assert recorded.completed
            assert any(d.rule == "progression.all_skipped" for d in recorded.decisions)
