"""The interactive paths: the intake, the check-in, the guided session and `lumbar` itself."""

from __future__ import annotations

import io
import json
from pathlib import Path

from rich.console import Console

from lumbar.cli.guide import SWITCH_SECONDS, Countdown, perform
from lumbar.content.load import Content
from lumbar.domain.model import Range
from lumbar.domain.plan import plan_day
from tests.builders import START, history, program
from tests.cli.conftest import Cli

INTAKE = "\n".join(
    [
        "forty",  # not a number: asked again
        "42",
        "6",
        "",  # weeks: skipped
        "",  # no red flags
        "mon,tue,thu",  # consecutive: asked again
        "",  # the default days
        "lift groceries",
        "4",
        "sit through a film",
        "11",  # out of range: asked again
        "5",
        "",  # no more activities
    ]
)


def test_the_interactive_intake_asks_again_until_the_answer_is_valid(cli: Cli) -> None:
    outcome = cli("start", "--date", "2026-11-02", input=INTAKE + "\n")
    assert outcome.code == 0, outcome.stderr
    assert "please answer with a whole number from 0 to 120" in outcome.stdout
    assert "mon and tue are consecutive days" in outcome.stdout
    assert "please answer with a whole number from 0 to 10" in outcome.stdout
    assert "Your program has started" in outcome.stdout
    profile = json.loads(cli("export").stdout)["profile"]
    assert profile["psfs_activities"] == ["lift groceries", "sit through a film"]
    assert profile["days"] == ["mon", "wed", "fri"] and profile["pain_weeks"] is None


def test_the_interactive_intake_stops_at_an_emergency_answer(cli: Cli) -> None:
    # 1 is an emergency sign: no further question is asked, and no program starts.
    answers = ["55", "5", "4", "1, 12"]
    outcome = cli("start", "--date", "2026-11-02", input="\n".join(answers) + "\n")
    assert outcome.code == 2
    assert "emergency care now" in outcome.stderr
    assert "training days" not in outcome.stdout.lower()
    assert cli("today", "--date", "2026-11-02").code == 2


def test_the_interactive_intake_records_see_a_clinician_answers(cli: Cli) -> None:
    answers = ["55", "5", "4", "12", "n", "every-other-day", "walk", "3", ""]  # 12: leg numbness
    outcome = cli("start", "--date", "2026-11-02", "--json", input="\n".join(answers) + "\n")
    assert outcome.code == 0, outcome.stderr
    plan = json.loads(outcome.stdout[outcome.stdout.index("{") :])
    assert plan["kind"] == "session"
    codes = {a["code"] for a in plan["alerts"]}
    assert {"leg_numbness", "over_50_new_episode"} <= codes


def test_the_interactive_intake_asks_about_clearance_for_an_urgent_answer(cli: Cli) -> None:
    answers = ["40", "5", "4", "8", "y", "", "walk", "3", ""]  # 8: a history of cancer
    outcome = cli("start", "--date", "2026-11-02", "--json", input="\n".join(answers) + "\n")
    assert outcome.code == 0, outcome.stderr
    plan = json.loads(outcome.stdout[outcome.stdout.index("{") :])
    assert plan["kind"] == "session"
    assert [a["code"] for a in plan["alerts"]] == ["cancer_history_cleared"]


def test_end_of_input_in_a_question_stops_without_writing(cli: Cli, db_path: Path) -> None:
    outcome = cli("start", input="42\n")
    assert outcome.code == 1
    assert outcome.stderr.strip() == "lumbar: stopped"
    assert not db_path.exists()


def test_the_interactive_checkin_asks_pain_activities_and_symptoms(started: Cli) -> None:
    outcome = started("checkin", "--date", "2026-11-09", "--json", input="4\n5\n6\n4\n\n")
    assert outcome.code == 0, outcome.stderr
    status = json.loads(outcome.stdout[outcome.stdout.index("{") :])
    assert status["improvement"]["latest_pain"] == 4
    assert status["improvement"]["latest_psfs"] == 5.0


def test_the_interactive_checkin_asks_for_clearance_when_an_alert_waits(started: Cli) -> None:
    started("checkin", "--symptom", "leg_numbness", "--date", "2026-11-03")
    outcome = started("checkin", "--date", "2026-11-09", "--json", input="y\n3\n5\n5\n5\n\n")
    assert outcome.code == 0, outcome.stderr
    status = json.loads(outcome.stdout[outcome.stdout.index("{") :])
    assert not [a for a in status["alerts"] if a["level"] == "see_clinician"]


SESSION = [
    "", "", "1",  # breathing: start, one set of reps, no pain
    "", "", "", "2",  # cat-cow: start, two sets, a dull ache
    "", "3",  # glute bridge: start (holds are timed), sharp
    "", "", "", "1",  # dead bug
    "s",  # skip the hip flexor stretch
    "", "1",  # piriformis stretch
    "", "4",  # child's pose: down the leg, which ends the session
]  # fmt: skip


def test_the_guided_session_records_each_exercise_with_its_pain(started: Cli) -> None:
    outcome = started(
        "session", "--no-timers", "--date", "2026-11-02", input="\n".join(SESSION) + "\n"
    )
    assert outcome.code == 0, outcome.stderr
    assert "Sharp pain: stop Glute bridge" in outcome.stdout
    assert "stop the session here" in outcome.stdout
    assert "Session saved" in outcome.stdout
    events = json.loads(started("export").stdout)["events"]
    assert events[-1]["exercises"] == [
        {"id": "diaphragmatic-breathing", "pain": "none"},
        {"id": "cat-cow", "pain": "ache"},
        {"id": "glute-bridge", "pain": "sharp"},
        {"id": "dead-bug", "pain": "none"},
        {"id": "piriformis-stretch", "pain": "none"},
        {"id": "childs-pose", "pain": "radiating"},
    ]
    nxt = json.loads(started("today", "--date", "2026-11-04", "--json").stdout)
    assert next(e for e in nxt["exercises"] if e["id"] == "glute-bridge")["range"] == "reduced"


def test_a_session_stopped_halfway_keeps_what_was_done(started: Cli) -> None:
    outcome = started("session", "--no-timers", "--date", "2026-11-02", input="\n\n1\n")
    assert outcome.code == 0, outcome.stderr
    events = json.loads(started("export").stdout)["events"]
    assert events[-1]["exercises"] == [{"id": "diaphragmatic-breathing", "pain": "none"}]


def test_the_guided_session_is_refused_on_a_rest_day(started: Cli) -> None:
    started("log", "-e", "cat-cow=none", "--date", "2026-11-02")
    outcome = started("session", "--date", "2026-11-03")
    assert outcome.code == 2 and "no session is planned on 2026-11-03" in outcome.stderr


def test_a_countdown_ticks_once_a_second_for_the_whole_hold() -> None:
    ticks: list[float] = []
    Countdown(Console(file=io.StringIO()), ticks.append).run(5, "Hold")
    assert ticks == [1, 1, 1, 1, 1]
    Countdown(Console(file=io.StringIO()), ticks.append, enabled=False).run(5, "Hold")
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
    holds = dose.sets * dose.reps * (dose.hold_seconds + SWITCH_SECONDS)
    assert len(ticks) == holds + (dose.sets - 1) * dose.rest_seconds


def test_lumbar_with_no_command_starts_then_continues_the_program(cli: Cli) -> None:
    intake = "\n".join(["42", "6", "10", "", "", "walk the dog", "4", "", "n"]) + "\n"
    first = cli("--date", "2026-11-02", input=intake)
    assert first.code == 0, first.stderr
    assert "Your program has started" in first.stdout
    assert "Start today's session now?" in first.stdout
    again = cli("--date", "2026-11-02", input="n\n")
    assert again.code == 0, again.stderr
    assert "Today's session" in again.stdout and "Welcome" not in again.stdout
