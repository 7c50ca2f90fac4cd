"""Each command: exit codes, `--json` shapes, and bad input that writes nothing."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import Cli

SVG = "{http://www.w3.org/2000/svg}"

PLAN_KEYS = {
    "date", "kind", "phase", "phase_name", "completed", "exercises", "daily", "alerts", "why",
    "decisions", "next_session", "estimated_minutes",
}  # fmt: skip
EXERCISE_KEYS = {
    "id", "name", "sets", "reps", "hold_seconds", "rest_seconds", "per_side", "range",
    "load_lb", "household", "step", "why", "version", "taught_as", "warm_up",
    "estimated_seconds",
}  # fmt: skip
STATUS_KEYS = {
    "date", "phase", "phase_name", "phase_started", "day_in_phase", "sessions_in_phase",
    "sessions_this_week", "next_session", "today", "completed_on", "alerts", "improvement",
    "phase_history", "milestones", "week",
}  # fmt: skip


def _export(cli: Cli) -> str:
    outcome = cli("export")
    assert outcome.code == 0, outcome.stderr
    return outcome.stdout


def _refused(outcome: object, fragment: str) -> None:
    from tests.cli.conftest import Outcome

    assert isinstance(outcome, Outcome)
    assert outcome.code == 2, (outcome.stdout, outcome.stderr)
    assert outcome.stderr.startswith("lumbar: ")
    assert outcome.stderr.count("\n") == 1, outcome.stderr
    assert fragment in outcome.stderr
    assert "Traceback" not in outcome.stderr + outcome.stdout


def test_start_with_an_answers_file_prints_the_first_plan(
    cli: Cli, answers_file: Callable[..., Path]
) -> None:
    outcome = cli("start", "--answers", str(answers_file()), "--date", "2026-11-02", "--json")
    assert outcome.code == 0
    plan = outcome.json()
    assert set(plan) == PLAN_KEYS
    assert plan["kind"] == "session" and plan["phase"] == 1 and plan["date"] == "2026-11-02"
    assert set(plan["exercises"][0]) == EXERCISE_KEYS
    assert plan["why"][0].startswith("schedule.training_day: ")


def test_start_defaults_the_optional_answers(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "minimal.json"
    minimal = {
        "understood": True,
        "age": 30,
        "pain": 4,
        "pain_weeks": 3,
        "psfs": [{"activity": "run", "score": 5}],
    }
    path.write_text(json.dumps(minimal))
    assert cli("start", "--answers", str(path), "--date", "2026-11-04").code == 0
    exported = json.loads(_export(cli))
    assert exported["profile"]["days"] == ["mon", "wed", "fri"]
    assert exported["profile"]["pain_weeks"] == 3
    assert exported["events"][0]["symptoms"] == []
    assert exported["events"][0]["screened"] is True
    assert [e["type"] for e in exported["events"]] == ["checkin"]  # no one saw them: no clearance


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"age": 16}, "for adults"),
        ({"pain": 11}, "pain: input should be less than or equal to 10 (got 11)"),
        ({"red_flags": ["headache"]}, "unknown symptom code 'headache'"),
        ({"days": ["mon", "tue", "fri"]}, "Monday and Tuesday are consecutive days"),
        ({"days": ["mon", "thu"]}, "You chose 2 training days"),
        ({"days": "weekends"}, "unknown day 'weekends'"),
        ({"psfs": []}, "psfs: list should have at least 1 item"),
        ({"age": "forty"}, "age: input should be a valid integer"),
        ({"mood": "fine"}, "mood: extra inputs are not permitted"),
        ({"understood": False}, "understood: read what this program is and is not"),
        ({"understood": "yes"}, "understood: input should be a valid boolean"),
        ({"pain_weeks": None}, "pain_weeks: input should be a valid integer"),
        ({"cleared_by_clinician": True}, "cleared_by_clinician: extra inputs are not permitted"),
        ({"seen_by": "x" * 201}, "seen_by"),
    ],
)
def test_start_refuses_bad_answers_and_writes_nothing(
    cli: Cli,
    answers_file: Callable[..., Path],
    db_path: Path,
    changes: dict[str, object],
    fragment: str,
) -> None:
    _refused(cli("start", "--answers", str(answers_file(**changes))), fragment)
    assert not db_path.exists()


def test_start_refuses_a_missing_required_answer(cli: Cli, tmp_path: Path, db_path: Path) -> None:
    path = tmp_path / "partial.json"
    partial = {"understood": True, "age": 30, "psfs": [{"activity": "run", "score": 5}]}
    path.write_text(json.dumps({**partial, "pain_weeks": 3}))
    _refused(cli("start", "--answers", str(path)), "pain: this field is required")
    path.write_text(json.dumps({**partial, "pain": 4}))
    _refused(cli("start", "--answers", str(path)), "pain_weeks: this field is required")
    path.write_text(json.dumps({"age": 30, "pain": 4, "pain_weeks": 3, "psfs": partial["psfs"]}))
    _refused(cli("start", "--answers", str(path)), "understood: read what this program is")
    assert not db_path.exists()


def test_start_refuses_a_broken_answers_file(cli: Cli, tmp_path: Path, db_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"age": 42,')
    _refused(cli("start", "--answers", str(path)), "not valid JSON (line 1")
    _refused(cli("start", "--answers", str(tmp_path / "missing.json")), "cannot read")
    assert not db_path.exists()


def test_start_twice_is_refused_and_keeps_the_first_program(
    started: Cli, answers_file: Callable[..., Path]
) -> None:
    before = _export(started)
    _refused(started("start", "--answers", str(answers_file(age=60))), "already started")
    assert _export(started) == before


def test_an_emergency_answer_starts_no_program_and_says_to_get_care(
    cli: Cli, answers_file: Callable[..., Path], db_path: Path
) -> None:
    path = answers_file(red_flags=["saddle_numbness", "leg_numbness"])
    outcome = cli("start", "--answers", str(path), "--date", "2026-11-02", "--json")
    assert outcome.code == 3, (outcome.stdout, outcome.stderr)  # EXIT_EMERGENCY
    assert outcome.stdout == ""
    said = " ".join(re.sub("[╭╮╰╯─│]", " ", outcome.stderr).split())  # the panel's words
    assert said.startswith("EMERGENCY You reported numbness")
    assert "emergency care now" in said and "Do not start the exercises" in said
    assert said.endswith("Nothing has been saved: your program has not started.")
    assert "Traceback" not in outcome.stderr
    assert not db_path.exists()
    _refused(cli("today", "--date", "2026-11-03"), "no program yet")


def test_an_emergency_sign_a_clinician_has_seen_starts_with_a_clearance_in_their_name(
    cli: Cli, answers_file: Callable[..., Path]
) -> None:
    path = answers_file(red_flags=["saddle_numbness", "leg_numbness"], seen_by="  Dr Rao ")
    outcome = cli("start", "--answers", str(path), "--date", "2026-11-02", "--json")
    assert outcome.code == 0, outcome.stderr
    plan = outcome.json()
    assert plan["kind"] == "session"
    notes = {a["code"]: a for a in plan["alerts"]}
    assert set(notes) == {"saddle_numbness_cleared", "leg_numbness_cleared"}
    assert {a["level"] for a in notes.values()} == {"info"}
    message = " ".join(notes["saddle_numbness_cleared"]["message"].split())
    assert message.startswith("You told us on ")
    assert "that Dr Rao saw you about" in message
    events = json.loads(_export(cli))["events"]
    assert events[1] == {
        "type": "clearance",
        "date": "2026-11-02",
        "alerts": ["leg_numbness", "saddle_numbness"],
        "by": "Dr Rao",
        "confirmed": False,
    }
    assert events[0]["symptoms"] == ["leg_numbness", "saddle_numbness"]


def test_today_before_start_says_how_to_begin(cli: Cli, db_path: Path) -> None:
    _refused(cli("today"), "no program yet: run `lumbar start` first")
    assert not db_path.exists()


def test_an_unparseable_date_is_refused(started: Cli) -> None:
    for command in ("today", "status", "log"):
        _refused(started(command, "--date", "2026-13-01"), "'2026-13-01' is not a date")
    _refused(started("today", "--date", "2026-10-01"), "before the program started")


def test_today_shows_a_rest_day_with_the_daily_routine(started: Cli) -> None:
    plan = started("today", "--date", "2026-11-03", "--json").json()
    # Monday's session was not done, so it moved to Tuesday.
    assert plan["kind"] == "session"
    assert plan["decisions"][0] == {
        "rule": "schedule.moved_session",
        "facts": {"due": "2026-11-02"},
    }
    assert started("log", "-e", "cat-cow=none", "--date", "2026-11-03").code == 0
    rest = started("today", "--date", "2026-11-04", "--json").json()
    assert rest["kind"] == "rest" and rest["exercises"] == []
    assert rest["daily"] == ["diaphragmatic-breathing", "cat-cow", "childs-pose"]
    assert rest["next_session"] == "2026-11-05"
    human = started("today", "--date", "2026-11-04")
    assert "Rest day." in human.stdout and "Child's pose" in human.stdout


def test_log_records_a_session_and_says_what_each_answer_means(started: Cli) -> None:
    outcome = started(
        "log", "-e", "cat-cow=ache", "-e", "glute-bridge=sharp", "-e", "dead-bug=none",
        "--date", "2026-11-02", "--json",
    )  # fmt: skip
    assert outcome.code == 0, outcome.stderr
    logged = outcome.json()
    assert [r["rule"] for r in logged["responses"]] == [
        "pain.continue", "pain.stop_exercise", "pain.continue",
    ]  # fmt: skip
    assert logged["plan"]["completed"] is True
    nxt = started("today", "--date", "2026-11-04", "--json").json()
    bridge = next(e for e in nxt["exercises"] if e["id"] == "glute-bridge")
    assert bridge["range"] == "reduced"
    assert bridge["why"][0].startswith("pain.reduce_range: Glute bridge is at reduced range")


@pytest.mark.parametrize(
    ("entries", "fragment"),
    [
        (["cat-cow=11"], "'11' is not a pain answer"),
        (["plank=none"], "unknown exercise 'plank'"),
        (["cat-cow"], "'cat-cow' is not ID=PAIN"),
        (["squat=none"], "squat is not in the plan for 2026-11-02"),
        (["cat-cow=none", "cat-cow=ache"], "cat-cow is given twice"),
        (["cat-cow=radiating", "dead-bug=none"], "nothing can come after it (dead-bug)"),
        ([], "give at least one"),
    ],
)
def test_log_refuses_bad_entries_and_writes_nothing(
    started: Cli, entries: list[str], fragment: str
) -> None:
    before = _export(started)
    args = [arg for entry in entries for arg in ("-e", entry)]
    _refused(started("log", *args, "--date", "2026-11-02"), fragment)
    assert _export(started) == before


def test_log_refuses_a_rest_day_and_a_second_session(started: Cli) -> None:
    assert started("log", "-e", "cat-cow=none", "--date", "2026-11-02").code == 0
    before = _export(started)
    _refused(started("log", "-e", "cat-cow=none", "--date", "2026-11-02"), "already recorded")
    _refused(started("log", "-e", "cat-cow=none", "--date", "2026-11-03"), "Rest day")
    assert _export(started) == before
    assert started("log", "-e", "cat-cow=none", "--date", "2026-11-04").code == 0
    _refused(started("log", "-e", "cat-cow=none", "--date", "2026-11-02"), "recorded in order")


def test_checkin_records_pain_psfs_and_symptoms(started: Cli) -> None:
    outcome = started("checkin", "--pain", "4", "--psfs", "5,6,4", "--date", "2026-11-09", "--json")
    assert outcome.code == 0, outcome.stderr
    status = outcome.json()
    assert set(status) == STATUS_KEYS
    assert status["improvement"]["latest_pain"] == 4
    assert status["improvement"]["pain_change_pct"] == 33.3
    assert status["improvement"]["psfs_change"] == 1.0
    flagged = started("checkin", "--symptom", "night_pain", "--date", "2026-11-10", "--json")
    assert flagged.json()["today"] == "blocked"
    cleared = started("clear", "--by", "Dr Rao", "--date", "2026-11-11", "--json")
    assert cleared.code == 0, cleared.stderr
    assert cleared.json()["today"] == "session"
    assert [a["code"] for a in cleared.json()["alerts"]] == ["night_pain_cleared"]
    assert [a["rule"] for a in cleared.json()["alerts"]] == ["screening.cleared_reported"]


def test_checkin_screened_records_the_safety_questions_answered(started: Cli) -> None:
    outcome = started("checkin", "--screened", "--date", "2026-11-03", "--json")
    assert outcome.code == 0, outcome.stderr
    assert outcome.json()["today"] == "session" and outcome.json()["alerts"] == []
    flagged = started(
        "checkin", "--screened", "--symptom", "leg_numbness", "--date", "2026-11-04", "--json"
    )
    assert [a["code"] for a in flagged.json()["alerts"]] == ["leg_numbness"]
    events = json.loads(_export(started))["events"]
    assert [(e["date"], e["symptoms"], e["screened"]) for e in events[1:]] == [
        ("2026-11-03", [], True),
        ("2026-11-04", ["leg_numbness"], True),
    ]
    plain = started("checkin", "--pain", "5", "--date", "2026-11-05", "--json")
    assert plain.code == 0, plain.stderr
    assert json.loads(_export(started))["events"][-1]["screened"] is False


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (
            ["--by", "Dr Rao", "--alert", "fever"],
            "--alert: 'fever' is not an alert standing on 2026-11-11; the alerts standing are: "
            "night_pain",
        ),
        (["--by", "   "], "--by: say who saw you"),
        (["--by", "x" * 201], "--by: keep the name to 200 characters at most"),
        (["--by", "Dr Rao", "--date", "2026-11-01"], "before the program started"),
    ],
)
def test_clear_refuses_bad_input_and_writes_nothing(
    started: Cli, args: list[str], fragment: str
) -> None:
    started("checkin", "--symptom", "night_pain", "--date", "2026-11-10")
    before = _export(started)
    dated = args if "--date" in args else [*args, "--date", "2026-11-11"]
    _refused(started("clear", *dated), fragment)
    assert _export(started) == before


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--pain", "11"], "--pain: pain is rated from 0 to 10 (got 11)"),
        (["--pain", "-1"], "--pain: pain is rated from 0 to 10 (got -1)"),
        (["--pain", "four"], "Invalid value for '--pain'"),
        (["--psfs", "5,6"], "--psfs: expected 3 scores"),
        (["--psfs", "5,x,4"], "each score is a whole number from 0 to 10 (got 'x')"),
        (["--symptom", "sneezing"], "unknown symptom code 'sneezing'"),
        # A clearance is a record of its own now (`lumbar clear`), never part of a check-in.
        (["--cleared-by-clinician"], "No such option: --cleared-by-clinician"),
        (["--symptom", "fever", "--cleared-by-clinician"], "No such option"),
    ],
)
def test_checkin_refuses_bad_input_and_writes_nothing(
    started: Cli, args: list[str], fragment: str
) -> None:
    before = _export(started)
    _refused(started("checkin", *args, "--date", "2026-11-09"), fragment)
    assert _export(started) == before


PHASE_1 = [
    "diaphragmatic-breathing", "cat-cow", "glute-bridge", "dead-bug", "hip-flexor-stretch",
    "piriformis-stretch", "childs-pose",
]  # fmt: skip


def _whole_session(pain: str = "none") -> list[str]:
    return [arg for exercise in PHASE_1 for arg in ("-e", f"{exercise}={pain}")]


def test_status_reports_phase_sessions_and_history(started: Cli) -> None:
    started("log", *_whole_session(), "--date", "2026-11-02")
    status = started("status", "--date", "2026-11-03", "--json").json()
    assert status["phase"] == 1 and status["day_in_phase"] == 2
    assert status["sessions_in_phase"] == 1 and status["sessions_this_week"] == 1
    assert status["next_session"] == "2026-11-04"
    assert status["phase_history"][0]["rule"] == "progression.start"
    human = started("status", "--date", "2026-11-03")
    assert "Phase" in human.stdout and "Calm and reboot" in human.stdout


def test_a_session_with_exercises_left_out_does_not_count_toward_the_gate(started: Cli) -> None:
    logged = started("log", "-e", "cat-cow=none", "-e", "dead-bug=ache", "--date", "2026-11-02",
                     "--json").json()  # fmt: skip
    partial = [d for d in logged["plan"]["decisions"] if d["rule"] == "progression.partial_session"]
    assert partial and "glute-bridge" in partial[0]["facts"]["exercises"]
    status = started("status", "--date", "2026-11-03", "--json").json()
    assert status["sessions_in_phase"] == 0 and status["sessions_this_week"] == 1
    assert status["next_session"] == "2026-11-04"


def test_exercises_and_learn_list_and_show_and_refuse_unknown_ids(cli: Cli) -> None:
    listing = cli("exercises", "--json").json()
    assert len(listing) == 13
    squat = cli("exercises", "squat", "--json").json()
    assert squat["phases"] == [3] and squat["spinal_flexion"] == "none"
    assert squat["doses"]["3"][0]["load_lb"] == 10
    assert "half squat" in cli("exercises", "squat").stdout.lower()
    _refused(cli("exercises", "crunch"), "unknown exercise 'crunch'")
    topics = cli("learn", "--json").json()
    assert [t["id"] for t in topics][-1] == "disclaimer"
    assert "emergency" in cli("learn", "disclaimer").stdout.lower()
    _refused(cli("learn", "astrology"), "unknown topic 'astrology'")


def test_export_then_import_gives_back_the_same_bytes(started: Cli, tmp_path: Path) -> None:
    started("log", "-e", "cat-cow=ache", "-e", "dead-bug=radiating", "--date", "2026-11-02")
    started(
        "checkin", "--pain", "5", "--psfs", "5,5,5", "--symptom", "fever", "--date", "2026-11-03"
    )
    cleared = started("clear", "--by", "Dr Rao", "--alert", "fever", "--date", "2026-11-04")
    assert cleared.code == 0, cleared.stderr
    exported = _export(started)
    assert json.loads(exported)["events"][-1] == {
        "type": "clearance",
        "date": "2026-11-04",
        "alerts": ["fever"],
        "by": "Dr Rao",
        "confirmed": False,
    }
    path = tmp_path / "mine.json"
    path.write_text(exported)
    other = tmp_path / "other.db"
    imported = started("import", str(path), "--json", db=other)
    assert imported.code == 0, imported.stderr
    assert imported.json() == {
        "imported": {
            "start": "2026-11-02",
            "events": 4,
            "sessions": 1,
            "checkins": 2,
            "clearances": 1,
        }
    }
    assert started("export", db=other).stdout == exported
    said = started("import", str(path), db=tmp_path / "third.db")
    assert said.code == 0, said.stderr
    assert "Imported 4 events (1 session, 2 check-ins, 1 clearance)" in said.stdout


def test_import_refuses_a_non_empty_database(started: Cli, tmp_path: Path) -> None:
    path = tmp_path / "mine.json"
    path.write_text(_export(started))
    before = _export(started)
    _refused(
        started("import", str(path)),
        "this database already holds a program (since Mon 2 Nov 2026: 1 check-in): export it "
        "first (lumbar export --out FILE.json), then import with --replace",
    )
    assert _export(started) == before


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (
            lambda d: d.update(version=9),
            "is from a newer lumbar (format 9); this lumbar reads up to 8: update lumbar",
        ),
        (
            lambda d: d["profile"].update(alternatives={"squat": "sofa"}),
            "profile.alternatives.squat: no alternative 'sofa' (the ids are chair)",
        ),
        (
            lambda d: d["profile"].update(alternatives={"crunch": "chair"}),
            "profile.alternatives.crunch: unknown exercise 'crunch'",
        ),
        (lambda d: d.update(format="other"), "not a lumbar export"),
        (lambda d: d["events"][1]["exercises"][0].update(id="crunch"), "unknown exercise 'crunch'"),
        (lambda d: d["events"][1]["exercises"][0].update(pain="stabbing"), "events.1"),
        (lambda d: d["events"].reverse(), "the first event must be the intake"),
        (lambda d: d["profile"].update(age=15), "profile.age"),
        (lambda d: d["events"][0].update(psfs=[1]), "expected 3 scores"),
        (
            lambda d: d["profile"].update(days=["sat", "sun", "tue"]),
            "Saturday and Sunday are consecutive",
        ),
    ],
)
def test_import_refuses_a_bad_document_and_writes_nothing(
    started: Cli, tmp_path: Path, change: Callable[[dict[str, Any]], None], fragment: str
) -> None:
    started("log", "-e", "cat-cow=ache", "--date", "2026-11-02")
    document = json.loads(_export(started))
    change(document)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document))
    other = tmp_path / "other.db"
    _refused(started("import", str(path), db=other), fragment)
    assert not other.exists() or started("export", db=other).code == 2


def _import_events(
    started: Cli, tmp_path: Path, events: list[dict[str, Any]], fragment: str
) -> None:
    document = json.loads(_export(started))
    document["events"] += events
    path = tmp_path / "crafted.json"
    path.write_text(json.dumps(document))
    other = tmp_path / "crafted.db"
    _refused(started("import", str(path), db=other), fragment)
    assert not other.exists()


def _session(on: str, *exercises: str, pain: str = "none") -> dict[str, Any]:
    return {
        "type": "session",
        "date": on,
        "exercises": [{"id": e, "pain": pain} for e in exercises],
    }


def test_import_replays_every_session_through_the_rules(started: Cli, tmp_path: Path) -> None:
    blocked = {"type": "checkin", "date": "2026-11-02", "symptoms": ["bladder_bowel"]}
    _import_events(started, tmp_path, [blocked, _session("2026-11-03", "cat-cow")],
                   "events.2: no session can be recorded while the program is paused")  # fmt: skip
    _import_events(
        started, tmp_path, [_session("2026-11-02", "cat-cow"), _session("2026-11-03", "cat-cow")],
        "events.2: no session is planned on 2026-11-03",
    )  # fmt: skip
    _import_events(started, tmp_path, [_session("2026-11-02", "squat")],
                   "events.1: squat is not in the plan for 2026-11-02")  # fmt: skip
    _import_events(
        started, tmp_path, [_session("2026-11-02", "cat-cow"), _session("2026-11-02", "dead-bug")],
        "events.2: today's session is already recorded",
    )  # fmt: skip


def test_a_followed_program_exports_and_imports_whole(cli: Cli, tmp_path: Path) -> None:
    from lumbar.formats import archive
    from tests.builders import Follower, day, history, program

    lived = Follower(program(), history(), checkins={day(7): (5, (5, 5, 5))}).follow(day(40))
    path = tmp_path / "lived.json"
    path.write_text(archive.dumps(archive.to_document(lived)))
    imported = cli("import", str(path), "--json")
    assert imported.code == 0, imported.stderr
    assert cli("export").stdout == path.read_text()


def test_dates_outside_the_calendar_are_refused(started: Cli) -> None:
    _refused(started("checkin", "--pain", "5", "--date", "9999-12-31"), "outside the calendar")
    _refused(started("today", "--date", "1066-10-14"), "outside the calendar")


def test_a_file_that_is_not_a_database_gets_one_line(cli: Cli, tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_text("not a database")
    _refused(cli("today", db=junk), "is not a lumbar database")
    _refused(cli("checkin", "--pain", "4", db=junk), "file is not a database")
    assert junk.read_text() == "not a database"


def test_a_database_url_without_its_driver_gets_one_line(cli: Cli, tmp_path: Path) -> None:
    outcome = cli("today", db=Path("nosuchdriver+x://u@127.0.0.1:1/db"))
    _refused(outcome, "lumbar: ")


def test_import_refuses_a_file_that_is_not_json(cli: Cli, tmp_path: Path, db_path: Path) -> None:
    path = tmp_path / "junk.json"
    path.write_bytes(b"\xff\xfe not json")
    _refused(cli("import", str(path)), "junk.json is not a lumbar export: choose the .json file")
    path.write_text("[1, 2")
    _refused(cli("import", str(path)), "junk.json is not a lumbar export: choose the .json file")
    path.write_text("")
    _refused(cli("import", str(path)), "junk.json is empty: choose the .json file")
    _refused(cli("import", str(tmp_path / "gone.json")), "gone.json: cannot read it")
    assert not db_path.exists()


def test_unknown_options_get_one_line_and_exit_2(cli: Cli) -> None:
    _refused(cli("today", "--colour"), "No such option: --colour")
    _refused(cli("fly"), "No such command 'fly'")


def test_the_console_script_prints_no_traceback_for_user_errors(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("lumbar")
    env = {**os.environ, "LUMBAR_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    result = subprocess.run(
        [str(script), "checkin", "--pain", "11"], capture_output=True, text=True, env=env
    )
    assert result.returncode == 2
    assert result.stderr == "lumbar: --pain: pain is rated from 0 to 10 (got 11)\n"
    assert not (tmp_path / "x.db").exists()
    result = subprocess.run([str(script), "--help"], capture_output=True, text=True, env=env)
    assert result.returncode == 0 and "checkin" in result.stdout


def test_days_shows_and_changes_the_training_days_with_the_start_checks(started: Cli) -> None:
    assert started("days", "--json").json() == {"days": "mon,wed,fri"}
    _refused(started("days", "mon,tue,thu"), "consecutive days")
    _refused(started("days", "mon,someday"), "DAYS:")
    assert started("days", "--json").json() == {"days": "mon,wed,fri"}
    changed = started("days", "tue,thu,sat")
    assert changed.code == 0 and "Tuesday, Thursday and Saturday" in changed.stdout
    assert started("export").json()["profile"]["days"] == ["tue", "thu", "sat"]


def test_exercises_writes_a_figure_as_svg_moving_or_as_key_poses(cli: Cli, tmp_path: Path) -> None:
    moving = tmp_path / "bird-dog.svg"
    wrote = cli("exercises", "bird-dog", "--svg", str(moving))
    assert wrote.code == 0 and "Wrote the figure of Bird-dog" in wrote.stdout
    root = ET.fromstring(moving.read_text(encoding="utf-8"))
    assert root.get("aria-label") == "Bird-dog"
    assert len(list(root.iter(f"{SVG}animate"))) >= 6
    poses = tmp_path / "bird-dog-poses.svg"
    told = cli("exercises", "bird-dog", "--svg", str(poses), "--poses", "--json").json()
    assert told == {"exercise": "bird-dog", "file": str(poses), "kind": "poses"}
    labels = [t.text for t in ET.fromstring(poses.read_text(encoding="utf-8")).iter(f"{SVG}text")]
    assert labels == ["1. Hands and knees, back flat", "2. Reach arm and opposite leg level"]
    printed = cli("exercises", "squat", "--svg", "-")
    assert ET.fromstring(printed.stdout).get("aria-label") == "Squat"


def test_exercises_refuses_a_figure_it_cannot_write_and_writes_nothing(
    cli: Cli, tmp_path: Path
) -> None:
    target = tmp_path / "figure.svg"
    _refused(cli("exercises", "crunch", "--svg", str(target)), "unknown exercise 'crunch'")
    _refused(cli("exercises", "--svg", str(target)), "--svg draws one exercise")
    _refused(cli("exercises", "squat", "--poses"), "--poses draws a figure for --svg FILE")
    _refused(cli("exercises", "squat", "--svg", "-", "--json"), "leave out --json")
    missing = tmp_path / "no-such-folder" / "figure.svg"
    _refused(cli("exercises", "squat", "--svg", str(missing)), "the folder")
    assert not target.exists() and not missing.parent.exists()
