"""The session player's steps as the page carries them (formats/timeline.py): the domain's
steps in order, each with the words shown and said; the cues of a whole exercise; the next
exercise said aloud."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lumbar.content.load import default_content
from lumbar.domain.dose import Dose
from lumbar.domain.loads import HouseholdLoad, Unit
from lumbar.domain.timeline import StepKind, exercise_timeline
from lumbar.formats.timeline import (
    at_own_pace,
    done_cue,
    minutes_left,
    next_cue,
    player_steps,
    spoken_dose,
    steps_attribute,
)
from tests.unit.test_timeline import DOSES

CATALOGUE = default_content().catalogue


@given(DOSES, st.sampled_from(sorted(CATALOGUE)))
def test_the_page_gets_the_domains_steps_in_order_each_with_words(
    dose: Dose, exercise_id: str
) -> None:
    exercise = CATALOGUE[exercise_id]
    steps = player_steps(exercise, dose, exercise.name)
    domain = exercise_timeline(exercise, dose)
    assert [s["kind"] for s in steps] == [s.kind.value for s in domain]
    assert [s.get("seconds") for s in steps] == [s.seconds for s in domain]
    assert [s.get("side") for s in steps] == [s.side for s in domain]
    assert all(s["show"] and s["say"] for s in steps)
    assert json.loads(steps_attribute(exercise, dose, exercise.name)) == steps


def test_the_glute_bridge_says_each_phase_of_its_dose() -> None:
    bridge = CATALOGUE["glute-bridge"]
    dose = Dose(sets=2, reps=3, hold_seconds=3, rest_seconds=45)
    said = [s["say"] for s in player_steps(bridge, dose, "Glute bridge")]
    one_set = ["Hold. 1 of 3.", "Release.", "Hold. 2.", "Release.", "Last one. Hold."]
    assert said == [
        "Glute bridge. Set 1 of 2: get ready.",
        *one_set,
        "Release. Rest for 45 seconds. Then set 2 of 2.",
        "Set 2 of 2: get ready.",
        *one_set,
    ]


def test_a_side_is_done_whole_then_the_voice_says_switch_sides() -> None:
    bird_dog = CATALOGUE["bird-dog"]
    dose = Dose(sets=1, reps=2, hold_seconds=5, rest_seconds=30)
    steps = player_steps(bird_dog, dose, "Bird-dog")
    assert [(s["say"], s["where"]) for s in steps] == [
        ("Bird-dog. Left side: get ready.", "Left side"),
        ("Hold. 1 of 2.", "Left side · hold 1 of 2"),
        ("Release.", "Left side"),
        ("Last one. Hold.", "Left side · hold 2 of 2"),
        ("Release. Switch sides.", "Left side done. Next: the right side"),
        ("Right side: get ready.", "Right side"),
        ("Hold. 1 of 2.", "Right side · hold 1 of 2"),
        ("Release.", "Right side"),
        ("Last one. Hold.", "Right side · hold 2 of 2"),
    ]


def test_a_stretch_held_on_each_side_counts_sides_not_holds() -> None:
    """Hip flexor "20 s each side" once said "0 of 1 hold each side"."""
    stretch = CATALOGUE["hip-flexor-stretch"]
    dose = Dose(sets=2, reps=None, hold_seconds=20, rest_seconds=15)
    steps = player_steps(stretch, dose, "Hip flexor stretch")
    holds = [(s["say"], s["where"]) for s in steps if s["kind"] == "hold"]
    assert holds == [
        ("Hold for 20 seconds.", "Left side · set 1 of 2"),
        ("Hold for 20 seconds.", "Right side · set 1 of 2"),
        ("Hold for 20 seconds.", "Left side · set 2 of 2"),
        ("Hold for 20 seconds.", "Right side · set 2 of 2"),
    ]
    assert [s["say"] for s in steps if s["kind"] == "get_ready"] == [
        "Hip flexor stretch. Set 1 of 2, left side: get ready.",
        "Right side: get ready.",
        "Set 2 of 2, left side: get ready.",
        "Right side: get ready.",
    ]


def test_reps_at_ones_own_pace_say_how_many_and_can_be_counted_for_the_person() -> None:
    dead_bug = CATALOGUE["dead-bug"]
    dose = Dose(sets=1, reps=3, hold_seconds=None, rest_seconds=45)
    reps = [s for s in player_steps(dead_bug, dose, "Dead bug") if s["kind"] == "reps"]
    assert [(s["show"], s["say"]) for s in reps] == [
        ("Do 3 on the left", "Do 3 on the left, at your own pace. Then tap Done."),
        ("Do 3 on the right", "Do 3 on the right, at your own pace. Then tap Done."),
    ]
    assert "seconds" not in reps[0]  # no timer: the person says when
    assert reps[0]["counted"] == "Do 3 on the left, with me."
    assert reps[0]["counts"] == ["1", "2", "Last one."]
    assert reps[0]["pace"] == 4
    assert at_own_pace(dead_bug, dose)
    assert not at_own_pace(CATALOGUE["glute-bridge"], Dose(2, 6, 3, 45))


def test_breathing_is_paced_in_then_out() -> None:
    breathing = CATALOGUE["diaphragmatic-breathing"]
    dose = Dose(sets=1, reps=2, hold_seconds=None, rest_seconds=0)
    steps = player_steps(breathing, dose, "Diaphragmatic breathing")
    assert [(s["show"], s.get("seconds"), s["where"]) for s in steps[1:]] == [
        ("Breathe in", 4, "Breath 1 of 2"),
        ("Breathe out", 6, "Breath 1 of 2"),
        ("Breathe in", 4, "Breath 2 of 2"),
        ("Breathe out", 6, "Breath 2 of 2"),
    ]
    assert [s["say"] for s in steps[1:]] == [
        "Breathe in.",
        "Breathe out.",
        "Last breath. Breathe in.",
        "Breathe out.",
    ]


@pytest.mark.parametrize(
    ("exercise_id", "dose", "said"),
    [
        ("dead-bug", Dose(2, 6, None, 45), "Next: Dead bug, 2 sets of 6 a side."),
        ("glute-bridge", Dose(1, 8, 3, 0), "Next: Glute bridge, 8 reps, hold 3 seconds."),
        (
            "hip-flexor-stretch",
            Dose(2, None, 20, 15),
            "Next: Hip flexor stretch, 2 holds of 20 seconds a side.",
        ),
        (
            "diaphragmatic-breathing",
            Dose(1, 8, None, 0),
            "Next: Diaphragmatic breathing, 8 slow breaths.",
        ),
        ("squat", Dose(3, 8, None, 60, 12.5), "Next: Squat, 3 sets of 8, with 12.5 pounds."),
    ],
)
def test_the_next_exercise_is_said_with_its_dose(exercise_id: str, dose: Dose, said: str) -> None:
    exercise = CATALOGUE[exercise_id]
    assert next_cue(exercise, dose, exercise.name, Unit.LB) == said


def test_a_load_is_said_in_the_persons_unit_alone() -> None:
    squat = CATALOGUE["squat"]
    bottles = HouseholdLoad("water-four", "a bag holding four 1.5 L bottles of water ({weight})", 6)
    held = Dose(3, 8, None, 60, bottles.lb, household=bottles)
    assert next_cue(squat, Dose(3, 8, None, 60, 12.5), "Squat", Unit.KG) == (
        "Next: Squat, 3 sets of 8, with 5.5 kilograms."
    )
    assert next_cue(squat, held, "Squat", Unit.KG) == (
        "Next: Squat, 3 sets of 8, with a bag holding four 1.5 L bottles of water (6 kilograms)."
    )
    assert "pounds" not in next_cue(squat, held, "Squat", Unit.KG)


def test_a_hold_alone_is_said_once() -> None:
    assert spoken_dose(Dose(1, None, 30, 0), per_side=False) == "1 hold of 30 seconds"


def test_the_end_of_an_exercise_asks_the_pain_question() -> None:
    assert done_cue("Glute bridge") == "Exercise done. How did Glute bridge feel?"


def test_the_minutes_left_are_those_of_the_exercises_given() -> None:
    from lumbar.domain.plan import plan_day
    from lumbar.domain.timeline import estimated_minutes, session_seconds
    from tests import builders as b

    plan = plan_day(b.START, b.history(), b.program())
    whole = minutes_left(plan.exercises, CATALOGUE)
    assert whole == estimated_minutes(session_seconds(plan, CATALOGUE))
    assert minutes_left(plan.exercises[3:], CATALOGUE) < whole
    assert all(
        s.kind is not StepKind.REPS or s.seconds is None
        for e in plan.exercises
        for s in exercise_timeline(CATALOGUE[e.exercise_id], e.dose)
    )
