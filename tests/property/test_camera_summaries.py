"""Property tests of the camera's summaries (issue #21): no rule reads them. A person follows
the shipped program for three to six weeks, answering each exercise's pain (now and then
sharp, rarely down the leg); the same history with a camera summary on every answer (any
counts: all well, or every check failed) is decided exactly as without: every day's plan
(its doses, progressions, refusals and alerts) and the program's status, phase changes and
escalations included. A summary saying all went well never softens a sharp pain answer.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from lumbar.domain.camera import CameraSummary, camera_summary
from lumbar.domain.model import CheckIn, Event, ExerciseResult, History, Kind, Pain, SessionLog
from lumbar.domain.plan import plan_day, program_status
from tests.builders import START, history, program

PROGRAM = program()
PAINS = st.sampled_from((*[Pain.NONE] * 12, *[Pain.ACHE] * 3, Pain.SHARP, Pain.RADIATING))

SUMMARIES = st.one_of(
    st.builds(
        camera_summary,
        st.integers(0, 1000),
        st.none(),
        st.dictionaries(st.sampled_from(("hips-low", "over-arch", "knee-in")), st.integers(0, 5)),
        st.integers(0, 3600),
    ),
    st.builds(
        camera_summary,
        st.none(),
        st.integers(0, 3600),
        st.dictionaries(st.sampled_from(("hips-sag", "pelvis-tip")), st.integers(0, 50)),
        st.integers(0, 3600),
        st.one_of(st.none(), st.integers(0, 3600)),
    ),
)
ALL_WELL = camera_summary(10, None, {}, 60, 60)
"""The camera saw every repetition, every check passed."""


def _follow(pains: list[Pain], days: int) -> History:
    """Live `days` days: each planned session done, its answers drawn from `pains` in turn."""
    h = history()
    drawn = iter(pains)
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
        for planned in plan.exercises:
            pain = next(drawn, Pain.NONE)
            results.append(ExerciseResult(planned.exercise_id, pain))
            if pain is Pain.RADIATING:
                break
        h = History.of(h.profile, [*events, SessionLog(on, tuple(results))])
    return h


def _seen(h: History, summaries: list[CameraSummary]) -> History:
    """The same history with a camera summary on every answer (drawn in turn)."""
    drawn = iter(summaries)
    events: list[Event] = []
    for e in h.events:
        if isinstance(e, SessionLog):
            seen = tuple(replace(r, camera=next(drawn, ALL_WELL)) for r in e.results)
            e = replace(e, results=seen)
        events.append(e)
    return History.of(h.profile, events)


def _decided(h: History, days: int) -> list[object]:
    until = START + timedelta(days=days - 1)
    plans = [plan_day(START + timedelta(days=n), h, PROGRAM) for n in range(days + 3)]
    return [*plans, program_status(until, h, PROGRAM)]


@settings(max_examples=25, deadline=None)
@given(
    st.lists(PAINS, min_size=80, max_size=300),
    st.lists(SUMMARIES, max_size=300),
    st.integers(21, 42),
)
def test_adding_or_removing_camera_summaries_changes_no_decision(
    pains: list[Pain], summaries: list[CameraSummary], days: int
) -> None:
    bare = _follow(pains, days)
    seen = _seen(bare, summaries)
    assert seen != bare or not any(isinstance(e, SessionLog) for e in bare.events)
    assert _decided(seen, days) == _decided(bare, days)


@settings(max_examples=15, deadline=None)
@given(st.lists(PAINS, min_size=80, max_size=300), st.integers(21, 42))
def test_a_camera_that_saw_all_go_well_never_softens_a_sharp_answer(
    pains: list[Pain], days: int
) -> None:
    bare = _follow([*pains[:10], Pain.SHARP, *pains[10:]], days)
    seen = _seen(bare, [])  # every answer, the sharp one included: all well on camera
    assert any(
        r.pain is Pain.SHARP for e in seen.events if isinstance(e, SessionLog) for r in e.results
    )
    assert _decided(seen, days) == _decided(bare, days)
