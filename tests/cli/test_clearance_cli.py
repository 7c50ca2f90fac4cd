"""Issue #14 at the command line: clearances of their own, the emergency at the intake, the
fall's questions, and the safety questions again before a new phase's first session."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.cli.conftest import Cli
from tests.cli.test_safety_journeys import START, Life, _codes, _json, day


def _events(cli: Cli) -> list[dict[str, Any]]:
    outcome = cli("export")
    assert outcome.code == 0, outcome.stderr
    events: list[dict[str, Any]] = json.loads(outcome.stdout)["events"]
    return events


def _started(cli: Cli, answers_file: Callable[..., Path], **answers: Any) -> Cli:
    outcome = cli("start", "--answers", str(answers_file(**answers)), "--date", START.isoformat())
    assert outcome.code == 0, outcome.stderr
    return cli


def test_a_symptom_and_its_clearance_cannot_be_one_record(
    cli: Cli, answers_file: Callable[..., Path]
) -> None:
    _started(cli, answers_file)
    before = _events(cli)
    outcome = cli(
        "checkin", "--symptom", "fever", "--symptom", "weight_loss", "--cleared-by-clinician"
    )
    assert outcome.code == 2
    assert "--cleared-by-clinician" in outcome.stderr
    assert _events(cli) == before


def test_a_clearance_clears_only_the_alerts_it_names_and_says_whose_word_it_is(
    cli: Cli, answers_file: Callable[..., Path]
) -> None:
    _started(cli, answers_file)
    when = day(1).isoformat()
    assert (
        cli("checkin", "--symptom", "fever", "--symptom", "weight_loss", "--date", when).code == 0
    )
    outcome = cli("clear", "--by", "Dr Rao", "--alert", "fever", "--date", day(2).isoformat())
    assert outcome.code == 0, outcome.stderr
    flat = " ".join(outcome.stdout.split())
    assert "You told us on Wed 4 Nov 2026 that Dr Rao saw you about a fever" in flat
    status = _json(cli, "status", "--date", day(2).isoformat())
    assert "weight_loss" in _codes(status) and "fever" not in _codes(status)
    assert _json(cli, "today", "--date", day(2).isoformat())["kind"] == "blocked"
    assert _events(cli)[-1] == {
        "type": "clearance",
        "date": day(2).isoformat(),
        "alerts": ["fever"],
        "by": "Dr Rao",
        "confirmed": False,
    }


def test_a_clearance_of_what_does_not_stand_is_refused_and_nothing_is_written(
    cli: Cli, answers_file: Callable[..., Path]
) -> None:
    _started(cli, answers_file)
    before = _events(cli)
    nothing = cli("clear", "--by", "Dr Rao")
    assert nothing.code == 2 and "nothing to clear" in nothing.stderr
    assert cli("checkin", "--symptom", "fever").code == 0
    before = _events(cli)
    wrong = cli("clear", "--by", "Dr Rao", "--alert", "chest_pain")
    assert wrong.code == 2
    assert "'chest_pain' is not an alert standing" in wrong.stderr and "fever" in wrong.stderr
    nobody = cli("clear", "--by", "  ", "--alert", "fever")
    assert nobody.code == 2 and "say who saw you" in nobody.stderr
    assert _events(cli) == before


def test_the_interactive_clearance_lists_the_alerts_and_asks_who(
    cli: Cli, answers_file: Callable[..., Path]
) -> None:
    _started(cli, answers_file)
    assert cli("checkin", "--symptom", "fever", "--symptom", "pregnancy").code == 0
    outcome = cli("clear", input="2\nmy midwife\n")
    assert outcome.code == 0, outcome.stderr
    assert "a fever" in outcome.stdout and "pregnancy" in outcome.stdout
    assert _events(cli)[-1]["alerts"] == ["pregnancy"]
    assert _events(cli)[-1]["by"] == "my midwife"


def test_an_emergency_at_the_intake_shows_the_panel_and_exits_3(
    cli: Cli, answers_file: Callable[..., Path]
) -> None:
    path = answers_file(red_flags=["chest_pain"])
    outcome = cli("start", "--answers", str(path), "--date", START.isoformat())
    assert outcome.code == 3
    assert "EMERGENCY" in outcome.stderr
    flat = " ".join(outcome.stderr.replace("│", " ").split())
    assert "seek emergency care now" in flat
    assert "give the name of the clinician who saw you" in flat
    assert "Nothing has been saved" in flat
    assert cli("today").code == 2  # no program
    # Once seen, the same answers with who saw them start the program.
    seen = answers_file(red_flags=["chest_pain"], seen_by="the emergency department")
    started = cli("start", "--answers", str(seen), "--date", START.isoformat(), "--json")
    assert started.code == 0, started.stderr
    assert "chest_pain_cleared" in {a["code"] for a in json.loads(started.stdout)["alerts"]}


def test_the_intake_needs_the_safety_information_understood_and_when_the_pain_began(
    cli: Cli, answers_file: Callable[..., Path]
) -> None:
    outcome = cli("start", "--answers", str(answers_file(understood=False)))
    assert outcome.code == 2 and "understand" in outcome.stderr
    path = answers_file()
    answers = json.loads(path.read_text())
    del answers["pain_weeks"]
    path.write_text(json.dumps(answers))
    outcome = cli("start", "--answers", str(path))
    assert outcome.code == 2 and "pain_weeks" in outcome.stderr
    # Interactively: no means no; an age under 18 is refused as soon as it is typed.
    assert cli("start", input="n\n").code == 2
    minor = cli("start", input="y\n16\n")
    assert minor.code == 2 and "for adults" in minor.stderr
    assert "Your average back pain" not in minor.stdout
    assert cli("today").code == 2


def test_a_fall_asks_its_questions_and_a_fall_at_70_is_an_emergency(
    cli: Cli, answers_file: Callable[..., Path]
) -> None:
    _started(cli, answers_file, age=70, pain_weeks=30)
    outcome = cli("problem", "fall", "--date", day(1).isoformat(), input="y\nn\nn\n\n")
    assert outcome.code == 0, outcome.stderr
    assert "Did the fall hurt your back" in outcome.stdout
    assert "EMERGENCY" in outcome.stdout
    plan = _json(cli, "today", "--date", day(2).isoformat())
    assert plan["kind"] == "blocked"
    assert "minor_trauma_fragile" in {a["code"] for a in plan["alerts"]}


def test_a_fall_that_did_not_hurt_is_recorded_with_the_answers(
    cli: Cli, answers_file: Callable[..., Path]
) -> None:
    _started(cli, answers_file)
    when = START.isoformat()
    outcome = cli("problem", "fall", "--back-fine", "--note", "tripped", "--date", when)
    assert outcome.code == 0, outcome.stderr
    assert _events(cli)[-1] == {
        "type": "checkin",
        "date": START.isoformat(),
        "pain": None,
        "psfs": None,
        "symptoms": [],
        "screened": False,
        "follow_up": True,
    }
    assert _json(cli, "today", "--date", when)["kind"] == "session"
    hurt = cli("problem", "fall", "--hurt-back", "--symptom", "leg_numbness", "--date", when)
    assert hurt.code == 0, hurt.stderr
    alerts = _json(cli, "today", "--date", when)["alerts"]
    assert {"trauma", "leg_numbness"} <= {a["code"] for a in alerts}


def test_a_new_phase_asks_the_safety_questions_before_its_first_exercise(
    cli: Cli, answers_file: Callable[..., Path]
) -> None:
    _started(cli, answers_file)
    Life(cli).until(day(6))
    first = _json(cli, "today", "--date", day(7).isoformat())
    assert "phase_change_check" in {a["code"] for a in first["alerts"]}
    # No symptom, then the session is stopped before any exercise (end of input).
    outcome = cli("session", "--no-timers", "--date", day(7).isoformat(), input="\n")
    assert "You are starting a new phase" in outcome.stdout
    assert _events(cli)[-1]["screened"] is True
    after = _json(cli, "today", "--date", day(7).isoformat())
    assert "phase_change_check" not in {a["code"] for a in after["alerts"]}


def test_a_new_symptom_at_the_phase_questions_stops_the_session(
    cli: Cli, answers_file: Callable[..., Path]
) -> None:
    _started(cli, answers_file)
    Life(cli).until(day(6))
    outcome = cli("session", "--no-timers", "--date", day(7).isoformat(), input="9\n")
    assert outcome.code == 0, outcome.stderr
    assert f"No session on {day(7):%a} {day(7).day} {day(7):%b %Y}" in outcome.stdout
    assert _json(cli, "today", "--date", day(7).isoformat())["kind"] == "blocked"


def test_who_saw_the_person_is_one_line_and_nothing_is_written_otherwise(
    cli: Cli, answers_file: Callable[..., Path]
) -> None:
    path = answers_file(red_flags=["fever"], seen_by="Dr\nRao")
    outcome = cli("start", "--answers", str(path), "--date", START.isoformat())
    assert outcome.code == 2 and "seen_by: give the name on one line" in outcome.stderr
    assert cli("today", "--date", START.isoformat()).code == 2
