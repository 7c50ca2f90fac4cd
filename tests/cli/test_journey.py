"""Six weeks of the program driven through the command line, as a person would live them.

Monday 2 November 2026 to Sunday 13 December: a clean first week, sharp pain in phase 2 that
sends the person back to phase 1, a fever that pauses the program until a clinician clears
it, a half squat after sharp pain in phase 3, the 4-week review, and the end of phase 3.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest

from tests.cli.conftest import Cli

START = date(2026, 11, 2)
END = date(2026, 12, 13)

SHARP = {
    (date(2026, 11, 11), "bird-dog"),  # phase 2: reduced range next time
    (date(2026, 11, 13), "bird-dog"),  # again at reduced range: back to phase 1
    (date(2026, 12, 2), "squat"),  # phase 3: a half squat next time
}
CHECKINS = {
    date(2026, 11, 9): ("6", "4,5,3"),
    date(2026, 11, 16): ("5", "5,5,4"),
    date(2026, 11, 23): ("4", "5,6,4"),
    date(2026, 11, 30): ("3", "6,7,5"),
    date(2026, 12, 7): ("3", "7,7,6"),
}


def _json(cli: Cli, *args: str) -> Any:
    outcome = cli(*args, "--json")
    assert outcome.code == 0, outcome.stderr
    return json.loads(outcome.stdout)


def test_six_weeks_through_the_three_phases(started: Cli) -> None:
    cli = started
    plans: dict[date, Any] = {}
    statuses: dict[date, Any] = {}
    day = START
    while day <= END:
        on = day.isoformat()
        if day in CHECKINS:
            pain, psfs = CHECKINS[day]
            _json(cli, "checkin", "--pain", pain, "--psfs", psfs, "--date", on)
        if day == date(2026, 11, 17):
            _json(cli, "checkin", "--symptom", "fever", "--date", on)
        if day == date(2026, 11, 18):
            _json(cli, "clear", "--by", "Dr Rao", "--alert", "fever", "--date", on)
        plan = _json(cli, "today", "--date", on)
        plans[day] = plan
        if plan["kind"] == "session":
            entries = []
            for planned in plan["exercises"]:
                pain = "sharp" if (day, planned["id"]) in SHARP else "none"
                entries += ["-e", f"{planned['id']}={pain}"]
            assert cli("log", *entries, "--date", on).code == 0
        else:
            refused = cli("log", "-e", "cat-cow=none", "--date", on)
            assert refused.code == 2
        statuses[day] = _json(cli, "status", "--date", on)
        day += timedelta(days=1)

    def phase(on: date) -> int:
        return int(plans[on]["phase"])

    def exercise(on: date, exercise_id: str) -> Any:
        return next(e for e in plans[on]["exercises"] if e["id"] == exercise_id)

    def rules(on: date) -> list[str]:
        return [d["rule"] for d in plans[on]["decisions"]]

    # Week 1: three sessions on Mon, Wed, Fri; the doses step up after two clean sessions.
    sessions = [d for d, p in plans.items() if p["kind"] == "session"]
    assert sessions[:3] == [date(2026, 11, 2), date(2026, 11, 4), date(2026, 11, 6)]
    assert all((b - a).days >= 2 for a, b in zip(sessions, sessions[1:], strict=False))
    assert exercise(date(2026, 11, 6), "cat-cow")["step"] == 2
    assert exercise(date(2026, 11, 6), "cat-cow")["why"][0].startswith("dosage.step_up")
    assert plans[date(2026, 11, 7)]["daily"] == [
        "diaphragmatic-breathing",
        "cat-cow",
        "childs-pose",
    ]
    assert "progression.ready" in rules(date(2026, 11, 7))

    # Monday 9: phase 2, with the reason and the new-symptom check.
    assert phase(date(2026, 11, 9)) == 2
    assert "progression.advance_phase" in rules(date(2026, 11, 9))
    assert "phase_change_check" in [a["code"] for a in plans[date(2026, 11, 9)]["alerts"]]

    # Sharp pain on bird-dog (Wed 11): reduced range on Fri 13; sharp again: back to phase 1.
    assert exercise(date(2026, 11, 13), "bird-dog")["range"] == "reduced"
    assert statuses[date(2026, 11, 13)]["phase"] == 1
    assert statuses[date(2026, 11, 13)]["phase_history"][-1]["rule"] == "regression.revert_phase"
    assert phase(date(2026, 11, 16)) == 1

    # A fever on Tue 17 pauses everything until a clinician clears it on Wed 18.
    assert plans[date(2026, 11, 17)]["kind"] == "blocked"
    assert plans[date(2026, 11, 17)]["alerts"][0]["level"] == "urgent"
    assert plans[date(2026, 11, 18)]["kind"] == "session"
    assert "fever_cleared" in [a["code"] for a in plans[date(2026, 11, 18)]["alerts"]]

    # Back up to phase 2 through the same gate (a week, three sessions, no bad pain).
    assert phase(date(2026, 11, 20)) == 1
    assert phase(date(2026, 11, 23)) == 2
    assert exercise(date(2026, 11, 23), "bird-dog")["range"] == "reduced"

    # Phase 3 with light weights (with no weights at home: something from home, weighed out
    # to no more than the first step's 10 lb); a half squat after sharp pain, then full range.
    assert phase(date(2026, 11, 30)) == 3
    squat = exercise(date(2026, 11, 30), "squat")
    assert squat["household"] == "water-three" and squat["load_lb"] == pytest.approx(9.92, 0.01)
    assert exercise(date(2026, 12, 4), "squat")["range"] == "reduced"
    assert exercise(date(2026, 12, 9), "squat")["range"] == "full"

    # The 4-week review on Mon 30 Nov: pain 6 -> 3 is 50% better, on track.
    review = statuses[date(2026, 11, 30)]["improvement"]["review"]
    assert review["rule"] == "outcomes.on_track" and review["date"] == "2026-11-30"
    assert statuses[date(2026, 11, 30)]["improvement"]["pain_change_pct"] == 50.0

    # Pain on Wed 2 Dec holds the end of phase 3 until Fri 11: the program is complete.
    assert statuses[date(2026, 12, 9)]["completed_on"] is None
    assert statuses[date(2026, 12, 11)]["completed_on"] == "2026-12-11"
    assert "progression.program_complete" in rules(date(2026, 12, 11))

    final = statuses[END]
    assert [c["to_phase"] for c in final["phase_history"]] == [1, 2, 1, 2, 3]
    assert [c["rule"] for c in final["phase_history"]] == [
        "progression.start",
        "progression.advance_phase",
        "regression.revert_phase",
        "progression.advance_phase",
        "progression.advance_phase",
    ]
    assert final["improvement"]["adherence_pct"] == 100.0
    assert not [a for a in final["alerts"] if a["level"] != "info"]
