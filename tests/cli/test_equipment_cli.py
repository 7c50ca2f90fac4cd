"""Issue #17, item 3, on the command line: the equipment and the unit in the answers file
(the unit defaults to the shell's locale), `lumbar equipment` to change them, every weight
in the person's unit alone, and refusals that write nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from lumbar.formats.archive import to_document
from tests.builders import Follower, day, history, profile, program
from tests.cli.conftest import Cli


def _profile(cli: Cli) -> dict[str, Any]:
    exported = cli("export")
    assert exported.code == 0, exported.stderr
    found: dict[str, Any] = json.loads(exported.stdout)["profile"]
    return found


def test_the_answers_file_keeps_the_equipment_and_the_unit(
    cli: Cli, answers_file: Callable[..., Path]
) -> None:
    path = answers_file(unit="lb", equipment={"dumbbells": [10, 15], "band": True})
    outcome = cli("start", "--answers", str(path), "--date", "2026-11-02")
    assert outcome.code == 0, outcome.stderr
    kept = _profile(cli)
    assert kept["unit"] == "lb"
    assert kept["equipment"] == {
        "weights": [
            {"kind": "dumbbells", "amount": 10.0, "unit": "lb"},
            {"kind": "dumbbells", "amount": 15.0, "unit": "lb"},
        ],
        "band": True,
    }


@pytest.mark.parametrize(
    ("locale", "unit"),
    [("en_US.UTF-8", "lb"), ("en_GB.UTF-8", "kg"), ("de_DE.UTF-8", "kg"), ("C.UTF-8", "kg")],
)
def test_without_a_unit_the_answers_file_takes_the_shells(
    cli: Cli,
    answers_file: Callable[..., Path],
    monkeypatch: pytest.MonkeyPatch,
    locale: str,
    unit: str,
) -> None:
    for name in ("LC_ALL", "LC_MEASUREMENT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", locale)
    assert cli("start", "--answers", str(answers_file()), "--date", "2026-11-02").code == 0
    kept = _profile(cli)
    assert kept["unit"] == unit
    assert kept["equipment"] == {"weights": [], "band": False}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"equipment": {"dumbbells": [-2]}}, "equipment.dumbbells.0: input should be greater"),
        ({"equipment": {"kettlebells": [400]}, "unit": "kg"}, "at most 100 kg"),
        ({"unit": "stone"}, "unit: input should be 'kg' or 'lb'"),
        ({"equipment": {"barbell": [20]}}, "equipment.barbell"),
    ],
    ids=["negative", "absurd", "stone", "barbell"],
)
def test_a_wrong_equipment_answer_is_refused_and_nothing_starts(
    cli: Cli,
    answers_file: Callable[..., Path],
    db_path: Path,
    changes: dict[str, Any],
    message: str,
) -> None:
    outcome = cli("start", "--answers", str(answers_file(**changes)), "--date", "2026-11-02")
    assert outcome.code == 2
    assert message in outcome.stderr
    assert cli("today", "--date", "2026-11-02").code == 2  # no program


def test_lumbar_equipment_shows_and_changes_what_you_have(started: Cli) -> None:
    shown = started("equipment")
    assert shown.code == 0, shown.stderr
    assert "nothing (phase 3 uses things from home, weighed out)" in shown.stdout
    changed = started("equipment", "--dumbbells", "5, 8", "--band", "--unit", "kg", "--json")
    assert changed.code == 0, changed.stderr
    assert changed.json() == {
        "unit": "kg",
        "weights": [
            {"kind": "dumbbells", "amount": 5.0, "unit": "kg"},
            {"kind": "dumbbells", "amount": 8.0, "unit": "kg"},
        ],
        "band": True,
        "nothing": False,
    }
    # The unit alone: the dumbbells keep the unit written on them.
    pounds = started("equipment", "--unit", "lb", "--json").json()
    assert pounds["unit"] == "lb" and pounds["weights"][0] == {
        "kind": "dumbbells",
        "amount": 5.0,
        "unit": "kg",
    }
    assert started("equipment", "--kettlebell", "12", "--json").json()["weights"][-1] == {
        "kind": "kettlebell",
        "amount": 12.0,
        "unit": "lb",
    }
    cleared = started("equipment", "--nothing", "--json").json()
    assert cleared["nothing"] is True and cleared["unit"] == "lb"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--dumbbells", "-3"), "--dumbbells: a weight must be more than 0"),
        (("--kettlebell", "300", "--unit", "lb"), "--kettlebell: a weight of 300 lb"),
        (("--dumbbells", "five"), "'five' is not a weight"),
        (("--unit", "st"), "'st' is not a unit: choose one of kg, lb"),
        (("--nothing", "--band"), "--nothing alone"),
    ],
    ids=["negative", "absurd", "words", "unit", "nothing-and-band"],
)
def test_lumbar_equipment_refuses_a_wrong_answer_and_writes_nothing(
    started: Cli, args: tuple[str, ...], message: str
) -> None:
    before = started("export").stdout
    outcome = started("equipment", *args)
    assert outcome.code == 2
    assert message in outcome.stderr
    assert started("export").stdout == before


def test_today_in_phase_3_says_the_household_load_in_your_unit(cli: Cli, tmp_path: Path) -> None:
    follower = Follower(program(), history(who=profile()), weekly=4)
    document = to_document(follower.follow(day(13)))
    document["profile"]["unit"] = "lb"
    path = tmp_path / "phase-3.json"
    path.write_text(json.dumps(document))
    assert cli("import", str(path)).code == 0
    today = cli("today", "--date", day(14).isoformat())
    assert today.code == 0, today.stderr
    said = " ".join(today.stdout.split())
    # The table wraps the words in its column: each line of the cell says its part.
    assert "with a bag holding three 1.5 L bottles" in said and "of water (10 lb)" in said
    assert "You have no weights, so this uses something from home" in said
    assert " kg" not in said
    assert cli("equipment", "--unit", "kg").code == 0
    said = " ".join(cli("today", "--date", day(14).isoformat()).stdout.split())
    assert "of water (4.5 kg)" in said
    assert " lb" not in said
    planned = cli("today", "--date", day(14).isoformat(), "--json").json()
    squat = next(e for e in planned["exercises"] if e["id"] == "squat")
    assert squat["household"] == "water-three"
    assert squat["load_lb"] == pytest.approx(9.92, abs=0.01)
