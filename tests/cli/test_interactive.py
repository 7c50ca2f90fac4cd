"""The interactive paths: the intake, the check-in, the guided session and `lumbar` itself."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

from rich.console import Console

from lumbar.cli.guide import perform
from lumbar.cli.timer import Countdown
from lumbar.content.load import Content
from lumbar.domain.model import Level, Range
from lumbar.domain.plan import plan_day
from lumbar.domain.timeline import exercise_timeline
from tests.builders import START, history, program
from tests.cli.conftest import Cli

INTAKE = "\n".join(
    [
        "y",  # read the safety information, and understood it
        "forty",  # not a number: asked again
        "42",
        "6",
        "",  # weeks: required, asked again
        "10",
        "",  # no red flags (so no question about who saw them)
        "mon,tue,thu",  # consecutive: asked again
        "",  # the default days
        "lift groceries",
        "4",
        "sit through a film",
        "11",  # out of range: asked again
        "5",
        "",  # no more activities
        "stone",  # weights in: not a unit, asked again
        "kg",
        "-5",  # dumbbells: not a weight anyone has, asked again
        "5, 8",
        "",  # no kettlebell
        "y",  # a resistance band
    ]
)
EQUIPMENT_DEFAULTS = ["", "", "", ""]
"""The equipment questions answered with their defaults: the locale's unit, nothing."""


def test_the_interactive_intake_asks_again_until_the_answer_is_valid(cli: Cli) -> None:
    outcome = cli("start", "--date", "2026-11-02", input=INTAKE + "\n")
    assert outcome.code == 0, outcome.stderr
    assert "please answer with a whole number from 0 to 120" in outcome.stdout
    assert "please answer with a whole number from 0 to 5200" in outcome.stdout
    assert "Monday and Tuesday are consecutive days" in outcome.stdout
    assert "please answer with a whole number from 0 to 10" in outcome.stdout
    assert "already seen you" not in outcome.stdout and "Who saw you" not in outcome.stdout
    assert "Your program has started" in outcome.stdout
    exported = json.loads(cli("export").stdout)
    profile = exported["profile"]
    assert profile["psfs_activities"] == ["lift groceries", "sit through a film"]
    assert profile["days"] == ["mon", "wed", "fri"] and profile["pain_weeks"] == 10
    assert [e["type"] for e in exported["events"]] == ["checkin"]
    assert exported["events"][0]["screened"] is True
    # Issue #17: the equipment, asked last.
    assert "'stone' is not a unit" in outcome.stdout
    assert "a weight must be more than 0" in outcome.stdout
    assert profile["unit"] == "kg"
    assert profile["equipment"] == {
        "weights": [
            {"kind": "dumbbells", "amount": 5.0, "unit": "kg"},
            {"kind": "dumbbells", "amount": 8.0, "unit": "kg"},
        ],
        "band": True,
    }


def _said(text: str) -> str:
    """The words, whatever the line breaks and the panels' borders."""
    return " ".join(re.sub("[╭╮╰╯─│]", " ", text).split())


def test_the_interactive_intake_shows_the_disclaimer_and_asks_that_it_is_understood(
    cli: Cli, content: Content, db_path: Path
) -> None:
    outcome = cli("start", "--date", "2026-11-02", input="n\n")
    assert outcome.code == 2, outcome.stderr
    assert outcome.stderr.startswith("lumbar: the program starts once you have read the safety")
    said = _said(outcome.stdout)
    disclaimer = content.topics["disclaimer"]
    assert disclaimer.title in said
    emergency = [s for s in content.symptoms.values() if s.level is Level.EMERGENCY]
    assert emergency and all(s.label in said for s in emergency)
    assert "Have you read this, and do you understand it? [y/n] (n)" in said
    assert "Your age" not in said
    assert not db_path.exists()
    # The default is no: Enter alone does not start the program either.
    assert cli("start", "--date", "2026-11-02", input="\n").code == 2
    assert not db_path.exists()


# The symptoms as the intake numbers them: emergency signs first, then urgent, then the
# signs to have checked, each tier in the order of content/screening.toml.
SADDLE_NUMBNESS = "1"
CANCER_HISTORY = "15"
LEG_NUMBNESS = "20"


def test_the_intake_numbers_the_symptoms_by_tier(cli: Cli, content: Content) -> None:
    outcome = cli("start", "--date", "2026-11-02", input="y\n40\n5\n4\n")
    assert outcome.code == 1  # the input ends at the symptoms
    said = _said(outcome.stdout)
    for number, code in (
        (SADDLE_NUMBNESS, "saddle_numbness"),
        (CANCER_HISTORY, "cancer_history"),
        (LEG_NUMBNESS, "leg_numbness"),
    ):
        assert f" {number}. {' '.join(content.symptoms[code].question.split())}" in said, code
    tiers = [
        said.index("Signs that need emergency care"),
        said.index("Signs to see a doctor about today"),
        said.index("Signs to have checked in the next few days"),
    ]
    assert tiers == sorted(tiers)
    assert f" {len(content.symptoms)}. " in said and f" {len(content.symptoms) + 1}. " not in said


def test_the_interactive_intake_stops_at_an_emergency_answer(cli: Cli, db_path: Path) -> None:
    # An emergency sign no clinician has seen: no further question, and no program starts.
    answers = ["y", "55", "5", "4", f"{SADDLE_NUMBNESS}, {LEG_NUMBNESS}", "n"]
    outcome = cli("start", "--date", "2026-11-02", input="\n".join(answers) + "\n")
    assert outcome.code == 3  # EXIT_EMERGENCY
    said = _said(outcome.stderr)
    assert said.startswith("EMERGENCY You reported numbness")
    assert "emergency care now" in said
    assert said.endswith("Nothing has been saved: your program has not started.")
    assert "already seen you about this" in _said(outcome.stdout)
    assert "training days" not in outcome.stdout.lower()
    assert not db_path.exists()
    assert cli("today", "--date", "2026-11-02").code == 2


def test_an_emergency_answer_a_clinician_has_seen_starts_the_program(cli: Cli) -> None:
    answers = [
        "y", "55", "5", "4", SADDLE_NUMBNESS, "y",
        "",  # who saw them: an answer is needed
        "Dr Rao", "", "walk", "3", "", *EQUIPMENT_DEFAULTS,
    ]  # fmt: skip
    outcome = cli("start", "--date", "2026-11-02", "--json", input="\n".join(answers) + "\n")
    assert outcome.code == 0, outcome.stderr
    assert "please give a name or a role" in outcome.stdout
    plan = json.loads(outcome.stdout[outcome.stdout.index("{") :])
    codes = {a["code"] for a in plan["alerts"]}
    assert "saddle_numbness_cleared" in codes and "saddle_numbness" not in codes
    events = json.loads(cli("export").stdout)["events"]
    assert events[1] == {
        "type": "clearance",
        "date": "2026-11-02",
        "alerts": ["saddle_numbness"],
        "by": "Dr Rao",
        "confirmed": False,
    }


def test_the_interactive_intake_records_see_a_clinician_answers(cli: Cli) -> None:
    answers = ["y", "55", "5", "4", LEG_NUMBNESS, "n", "every-other-day", "walk", "3", ""]
    answers += EQUIPMENT_DEFAULTS
    outcome = cli("start", "--date", "2026-11-02", "--json", input="\n".join(answers) + "\n")
    assert outcome.code == 0, outcome.stderr
    plan = json.loads(outcome.stdout[outcome.stdout.index("{") :])
    assert plan["kind"] == "session"
    codes = {a["code"] for a in plan["alerts"]}
    assert {"leg_numbness", "over_50_new_episode"} <= codes
    assert "Who saw you" not in outcome.stdout


def test_the_interactive_intake_asks_about_clearance_for_an_urgent_answer(cli: Cli) -> None:
    answers = ["y", "40", "5", "4", CANCER_HISTORY, "y", "my GP", "", "walk", "3", ""]
    answers += EQUIPMENT_DEFAULTS
    outcome = cli("start", "--date", "2026-11-02", "--json", input="\n".join(answers) + "\n")
    assert outcome.code == 0, outcome.stderr
    plan = json.loads(outcome.stdout[outcome.stdout.index("{") :])
    assert plan["kind"] == "session"
    assert [a["code"] for a in plan["alerts"]] == ["cancer_history_cleared"]
    assert "that my GP saw you about" in " ".join(plan["alerts"][0]["message"].split())


def test_end_of_input_in_a_question_stops_without_writing(cli: Cli, db_path: Path) -> None:
    outcome = cli("start", input="y\n42\n")
    assert outcome.code == 1
    assert outcome.stderr.strip() == "lumbar: stopped"
    assert not db_path.exists()


def test_the_interactive_checkin_asks_pain_activities_and_symptoms(started: Cli) -> None:
    outcome = started("checkin", "--date", "2026-11-09", "--json", input="4\n5\n6\n4\n\n")
    assert outcome.code == 0, outcome.stderr
    status = json.loads(outcome.stdout[outcome.stdout.index("{") :])
    assert status["improvement"]["latest_pain"] == 4
    assert status["improvement"]["latest_psfs"] == 5.0


def test_the_interactive_checkin_no_longer_clears_and_lumbar_clear_asks_which_and_who(
    started: Cli,
) -> None:
    started("checkin", "--symptom", "leg_numbness", "--date", "2026-11-03")
    outcome = started("checkin", "--date", "2026-11-09", "--json", input="3\n5\n5\n5\n\n")
    assert outcome.code == 0, outcome.stderr
    assert "Has a clinician seen you" not in outcome.stdout  # the question it used to ask
    status = json.loads(outcome.stdout[outcome.stdout.index("{") :])
    assert status["improvement"]["latest_pain"] == 3
    assert [a["code"] for a in status["alerts"] if a["level"] == "see_clinician"] == [
        "leg_numbness"
    ]
    assert json.loads(started("export").stdout)["events"][-1]["screened"] is True

    cleared = started("clear", "--date", "2026-11-10", "--json", input="7\n1\n\nDr Rao\n")
    assert cleared.code == 0, cleared.stderr
    asked = _said(cleared.stdout[: cleared.stdout.index("{")])
    assert "The alerts standing: 1. numbness in one leg (since 2026-11-03)" in asked
    assert "type numbers from 1 to 1" in asked  # 7 is not on the list: asked again
    assert "please give a name or a role" in asked
    status = json.loads(cleared.stdout[cleared.stdout.index("{") :])
    assert not [a for a in status["alerts"] if a["level"] == "see_clinician"]
    assert "leg_numbness_cleared" in [a["code"] for a in status["alerts"]]
    assert json.loads(started("export").stdout)["events"][-1] == {
        "type": "clearance",
        "date": "2026-11-10",
        "alerts": ["leg_numbness"],
        "by": "Dr Rao",
        "confirmed": False,
    }


def test_lumbar_clear_with_nothing_standing_asks_nothing(started: Cli) -> None:
    outcome = started("clear", "--date", "2026-11-03")
    assert outcome.code == 2
    assert outcome.stderr == "lumbar: nothing to clear: no alert stands today\n"


SESSION = [
    "", "", "1", "",  # breathing: start, its one set of breaths, no pain, no comment
    "", "", "", "2", "  Stiff at the top,  easier after ",  # cat-cow: an ache, a comment
    "", "", "3", "",  # glute bridge: start, the first set's holds, sharp at the second
    "", "", "", "", "", "1", "",  # dead bug: start, two sets, each side
    "s", "",  # skip the hip flexor stretch, no reason given
    "", "", "", "", "", "1", "",  # piriformis stretch: start, two sets, each side
    "", "4", "",  # child's pose: start, down the leg at the first set, which ends the session
    "",  # none of the leg's signs since
]  # fmt: skip
"""What a person types in the guided session: after each pain answer, a comment or Enter."""


def test_the_guided_session_records_each_exercise_with_its_pain(started: Cli) -> None:
    outcome = started(
        "session", "--no-timers", "--date", "2026-11-02", input="\n".join(SESSION) + "\n"
    )
    assert outcome.code == 0, outcome.stderr
    assert "Sharp pain: stop Glute bridge" in outcome.stdout
    assert "stop the session here" in outcome.stdout
    assert "Session saved" in outcome.stdout
    assert "You stopped because pain travelled down your leg" in outcome.stdout
    events = json.loads(started("export").stdout)["events"]
    assert events[-1]["exercises"] == [
        {"id": "diaphragmatic-breathing", "pain": "none"},
        {"id": "cat-cow", "pain": "ache", "comment": "Stiff at the top, easier after"},
        {"id": "glute-bridge", "pain": "sharp"},
        {"id": "dead-bug", "pain": "none"},
        {"id": "piriformis-stretch", "pain": "none"},
        {"id": "childs-pose", "pain": "radiating"},
    ]
    nxt = json.loads(started("today", "--date", "2026-11-04", "--json").stdout)
    bridge = next(e for e in nxt["exercises"] if e["id"] == "glute-bridge")
    assert bridge["range"] == "reduced"
    assert bridge["why"][0].startswith("pain.reduce_range: Glute bridge is at reduced range after")
    assert [a["code"] for a in nxt["alerts"]] == ["leg_check"]


def test_pain_down_the_leg_asks_the_leg_signs_and_records_those_picked(started: Cli) -> None:
    # Breathing: start, one set of reps, then pain down the leg, no comment; then sign 5,
    # one leg numb.
    outcome = started("session", "--no-timers", "--date", "2026-11-02", input="\n\n4\n\n5\n")
    assert outcome.code == 0, outcome.stderr
    said = " ".join(outcome.stdout.split())
    assert "5. Numbness or tingling in one leg that is not getting worse?" in said
    assert "call your emergency number or go to an emergency department" in said
    events = json.loads(started("export").stdout)["events"]
    assert events[-1]["type"] == "checkin" and events[-1]["symptoms"] == ["leg_numbness"]
    assert events[-2]["exercises"] == [{"id": "diaphragmatic-breathing", "pain": "radiating"}]
    nxt = json.loads(started("today", "--date", "2026-11-04", "--json").stdout)
    assert "leg_numbness" in {a["code"] for a in nxt["alerts"]}


def test_the_guided_session_is_refused_on_a_rest_day(started: Cli) -> None:
    started("log", "-e", "cat-cow=none", "--date", "2026-11-02")
    outcome = started("session", "--date", "2026-11-03")
    assert outcome.code == 2 and "no session is planned on 2026-11-03" in outcome.stderr


def test_a_countdown_ticks_once_a_second_for_the_whole_hold() -> None:
    ticks: list[float] = []
    Countdown(Console(file=io.StringIO()), ticks.append).run(5, "Hold: {} s".format)
    assert ticks == [1, 1, 1, 1, 1]
    Countdown(Console(file=io.StringIO()), ticks.append, enabled=False).run(5, "Hold {}".format)
    assert len(ticks) == 5


def test_the_timers_keep_the_prescribed_holds_and_rests(content: Content) -> None:
    plan = plan_day(START, history(), program())
    bridge = next(e for e in plan.exercises if e.exercise_id == "glute-bridge")
    assert bridge.range is Range.FULL
    ticks: list[float] = []
    console = Console(file=io.StringIO())
    perform(console, bridge, content, Countdown(console, ticks.append))
    dose = bridge.dose
    assert dose.reps is not None and dose.hold_seconds is not None
    steps = exercise_timeline(content.catalogue["glute-bridge"], dose)
    assert len(ticks) == sum(s.seconds or 0 for s in steps)
    holds = dose.sets * dose.reps * dose.hold_seconds
    assert len(ticks) > holds + (dose.sets - 1) * dose.rest_seconds


def test_lumbar_with_no_command_starts_then_continues_the_program(cli: Cli) -> None:
    answers = ["y", "42", "6", "10", "", "", "walk the dog", "4", "", *EQUIPMENT_DEFAULTS, "n"]
    intake = "\n".join(answers) + "\n"
    first = cli("--date", "2026-11-02", input=intake)
    assert first.code == 0, first.stderr
    assert "Your program has started" in first.stdout
    assert "Start the session of Mon 2 Nov 2026 now?" in first.stdout
    again = cli("--date", "2026-11-02", input="n\n")
    assert again.code == 0, again.stderr
    assert "The session of Mon 2 Nov 2026" in again.stdout and "Welcome" not in again.stdout
