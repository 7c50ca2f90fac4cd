"""Issue #14, item 5, at the command line: the alternative a person chooses for an exercise
(`lumbar alternative`), taught everywhere, counted as the exercise itself; the versions the
dose steps use; phase 3's warm-up."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.cli.conftest import Cli
from tests.cli.test_commands import _refused
from tests.cli.test_safety_journeys import Life, _weekly, day


def _json(cli: Cli, *args: str) -> Any:
    outcome = cli(*args, "--json")
    assert outcome.code == 0, outcome.stderr
    return json.loads(outcome.stdout)


def _planned(cli: Cli, on: str) -> dict[str, dict[str, Any]]:
    return {e["id"]: e for e in _json(cli, "today", "--date", on)["exercises"]}


def test_an_alternative_is_chosen_for_good_and_taught_as_the_exercise_itself(
    started: Cli,
) -> None:
    listed = _json(started, "alternative")
    assert [c["exercise"] for c in listed][:3] == [
        "diaphragmatic-breathing",
        "cat-cow",
        "childs-pose",
    ]
    assert all(c["alternatives"] and c["chosen"] is None for c in listed)
    before = _planned(started, "2026-11-02")
    chosen = _json(started, "alternative", "cat-cow", "chair")
    assert chosen["exercise"] == "cat-cow" and chosen["chosen"] == "chair"
    after = _planned(started, "2026-11-02")
    assert after["cat-cow"]["version"] == "chair"
    assert after["cat-cow"]["taught_as"] == "Seated cat-cow (instead of cat-cow)"
    same = ("sets", "reps", "hold_seconds", "rest_seconds", "step", "range", "load_lb")
    assert {k: after["cat-cow"][k] for k in same} == {k: before["cat-cow"][k] for k in same}
    assert list(after) == list(before)
    # The terminal's table and the export say so too.
    today = " ".join(started("today", "--date", "2026-11-02").stdout.split())
    assert "Seated cat-cow (instead of cat-cow)" in today
    assert json.loads(started("export").stdout)["profile"]["alternatives"] == {"cat-cow": "chair"}
    # Sharp pain in it steps cat-cow back like any other.
    logged = started("log", "--date", "2026-11-02", "-e", "cat-cow=sharp")
    assert logged.code == 0, logged.stderr
    assert _planned(started, "2026-11-04")["cat-cow"]["range"] == "reduced"
    back = started("alternative", "cat-cow", "none")
    assert back.code == 0 and "as described in the catalogue" in back.stdout
    assert _planned(started, "2026-11-04")["cat-cow"]["version"] is None


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("crunch", "chair"), "unknown exercise 'crunch'"),
        (("squat", "sofa"), "Squat has no alternative 'sofa'; choose one of chair, none"),
        (("squat",), "give the alternative too (or none)"),
    ],
)
def test_a_wrong_choice_is_refused_and_changes_nothing(
    started: Cli, args: tuple[str, ...], fragment: str
) -> None:
    before = started("export").stdout
    _refused(started("alternative", *args), fragment)
    assert started("export").stdout == before


def test_the_guide_teaches_the_chosen_alternative_and_offers_it(started: Cli) -> None:
    assert started("alternative", "diaphragmatic-breathing", "chair").code == 0
    # Skip every exercise but the first, which is stopped for sharp pain.
    answers = "\n3\n" + "s\n\n" * 10
    outcome = started("session", "--no-timers", "--date", "2026-11-02", input=answers)
    flat = " ".join(outcome.stdout.split())
    assert "Breathing in a chair (instead of diaphragmatic breathing)" in flat
    assert "Sit back in a chair with your feet flat" in flat
    assert "Take care: Choose a steady chair with a back" in flat
    assert "lying flat on your back" not in flat.split("Breathing in a chair")[1].split("2/")[0]
    # The next exercise, not chosen, says how to choose its alternative.
    assert "lumbar alternative cat-cow ID" in flat


def test_the_versions_arrive_in_order_and_phase_3_opens_with_a_warm_up(started: Cli) -> None:
    life = Life(started, checkins=_weekly(4))
    life.until(day(30))
    phase_2 = next(p for on, p in sorted(life.plans.items()) if p.get("phase") == 2)
    planned = {e["id"]: e for e in phase_2["exercises"]}
    assert planned["side-plank"]["taught_as"] == "Side plank on the knees"
    assert planned["hip-hinge"]["version"] == "dowel" and planned["hip-hinge"]["load_lb"] is None
    phase_3 = next(p for on, p in sorted(life.plans.items()) if p.get("phase") == 3)
    order = [(e["id"], e["warm_up"]) for e in phase_3["exercises"]]
    assert order[:3] == [("cat-cow", True), ("glute-bridge", True), ("bird-dog", False)]
    lunge = next(e for e in phase_3["exercises"] if e["id"] == "lunge-with-twist")
    assert lunge["taught_as"] == "Lunge" and lunge["load_lb"] is None
    shown = " ".join(started("exercises", "side-plank").stdout.split())
    assert "knees: Side plank on the knees" in shown
    assert "counter: Side plank at a counter" in shown
    assert "step 1: 1 set of 3 each side, hold 10 s (Side plank on the knees)" in shown
