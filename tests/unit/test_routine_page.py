"""The daily routine as its page carries it (formats/routine.py): each exercise's player
steps are the session's, the next exercise is said as the one before ends (no pain
question), and the outline for reading without the player sums to the steps' own times."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from lumbar.content.load import default_content
from lumbar.domain.dose import Dose
from lumbar.domain.model import PlannedExercise, Range
from lumbar.domain.timeline import StepKind, exercise_timeline
from lumbar.formats.routine import minutes, outline, seconds_text, views
from lumbar.formats.timeline import player_steps
from tests.unit.test_timeline import DOSES

CATALOGUE = default_content().catalogue
ROUTINE = tuple(
    PlannedExercise(item.exercise_id, item.dose, Range.FULL, 0)
    for item in default_content().program.daily_routine
)


def _said(exercise_id: str, dose: Dose) -> list[tuple[str, str]]:
    return [(line.words, line.time) for line in outline(CATALOGUE[exercise_id], dose)]


def test_the_outline_says_each_set_and_rest_of_the_shipped_routine_with_its_time() -> None:
    breaths = "10 slow breaths, in for 4 seconds and out for 6"
    assert _said("diaphragmatic-breathing", Dose(2, 10, None, 30)) == [
        (f"Set 1 of 2: {breaths}", "1 min 40 s"),
        ("Rest", "30 s"),
        (f"Set 2 of 2: {breaths}", "1 min 40 s"),
    ]
    assert _said("cat-cow", Dose(2, 8, None, 30)) == [
        ("Set 1 of 2: 8 reps at your own pace", "about 30 s"),
        ("Rest", "30 s"),
        ("Set 2 of 2: 8 reps at your own pace", "about 30 s"),
    ]
    assert _said("childs-pose", Dose(3, None, 45, 15))[:2] == [
        ("Set 1 of 3: hold 45 seconds", "45 s"),
        ("Rest", "15 s"),
    ]


def test_holds_on_each_side_are_a_line_a_side_with_the_switch_between() -> None:
    assert _said("bird-dog", Dose(1, 6, 5, 30)) == [
        ("Left side: 6 holds of 5 seconds, 3 seconds between", "45 s"),
        ("Switch sides", "5 s"),
        ("Right side: 6 holds of 5 seconds, 3 seconds between", "45 s"),
    ]
    assert _said("glute-bridge", Dose(1, None, 20, 0)) == [("Hold 20 seconds", "20 s")]


@given(DOSES, st.sampled_from(sorted(CATALOGUE)))
def test_the_outline_holds_every_timed_step_but_the_get_readies(
    dose: Dose, exercise_id: str
) -> None:
    exercise = CATALOGUE[exercise_id]
    lines = outline(exercise, dose)
    steps = exercise_timeline(exercise, dose)
    timed = sum(s.seconds or 0 for s in steps if s.kind is not StepKind.GET_READY)
    assert sum(line.seconds for line in lines if not line.estimated) == timed
    work = sum(1 for s in steps if s.kind is StepKind.GET_READY)
    between = sum(1 for s in steps if s.kind in (StepKind.REST, StepKind.SWITCH_SIDES))
    assert len(lines) == work + between


def test_times_read_in_minutes_and_seconds() -> None:
    assert [seconds_text(s) for s in (5, 59, 60, 100, 120)] == [
        "5 s",
        "59 s",
        "1 min",
        "1 min 40 s",
        "2 min",
    ]


def test_each_exercise_runs_the_sessions_steps_and_the_next_is_said_as_one_ends() -> None:
    shown = views(ROUTINE, CATALOGUE)
    assert [v["position"] for v in shown] == [1, 2, 3]
    for view, planned in zip(shown, ROUTINE, strict=True):
        exercise = CATALOGUE[planned.exercise_id]
        assert json.loads(view["steps"]) == player_steps(exercise, planned.dose, exercise.name)
    # The first is named by its get-ready, after Start; the others as the one before ends.
    assert shown[0]["say_next"] is None
    assert shown[1]["say_next"] == "Exercise done. Next: Cat-cow, 2 sets of 8."
    assert shown[2]["say_next"] == "Exercise done. Next: Child's pose, 3 holds of 45 seconds."
    assert shown[1]["own_pace"] and not shown[2]["own_pace"]
    assert minutes(ROUTINE, CATALOGUE) == 10


def test_an_alternative_is_taught_and_said_by_its_own_name() -> None:
    chair = tuple(
        PlannedExercise(p.exercise_id, p.dose, p.range, 0, version="chair")
        if p.exercise_id == "cat-cow"
        else p
        for p in ROUTINE
    )
    shown = views(chair, CATALOGUE)
    assert shown[1]["name"] == "Seated cat-cow"
    assert shown[1]["say_next"].startswith("Exercise done. Next: Seated cat-cow,")
