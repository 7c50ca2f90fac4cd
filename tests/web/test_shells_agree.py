"""The same answers give the same record and the same plan from every shell: the command
line, the API and the web pages all call one check-in use case (usecases/checkins.py) and
one clearance use case (usecases/clearances.py).

The case that once differed: a clearance given in the same check-in as a new symptom. The
web page put both in one record and the symptom was cleared with the alerts before it; the
interactive command line recorded the clearance first, and the symptom stood. Now a
clearance is a record of its own (issue #14), in every shell: it clears only the alerts it
names that stand before it, and what a later check-in reports stands until a later
clearance.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.cli.conftest import ANSWERS as CLI_ANSWERS
from tests.cli.conftest import Cli, cli  # noqa: F401 (a fixture)
from tests.web.conftest import ANSWERS, MONDAY, TUESDAY, live_until, start_program

Answers = dict[str, Any]
"""A check-in (`pain`, `symptoms`, every safety question answered), or a clearance by
Dr Rao of the alerts in `clear` (`refused` when every shell must refuse it), as each shell
takes them."""

BY = "Dr Rao"

CASES: list[tuple[str, list[Answers]]] = [
    ("an urgent sign, then its clearance", [{"symptoms": ["fever"]}, {"clear": ["fever"]}]),
    (
        "an emergency cleared, then a new sign",
        [
            {"symptoms": ["bladder_bowel"]},
            {"clear": ["bladder_bowel"]},
            {"symptoms": ["leg_weakness"]},
        ],
    ),
    (
        "two signs, then a clearance of one",
        [{"symptoms": ["fever", "leg_numbness"]}, {"clear": ["fever"]}],
    ),
    (
        "pain, then a clearance with nothing standing",
        [{"pain": 4}, {"clear": ["fever"], "refused": True}],
    ),
]


def by_cli(run: Cli, tmp_path: Path, checkins: list[Answers]) -> dict[str, Any]:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(CLI_ANSWERS))
    assert run("start", "--answers", str(answers), "--date", MONDAY.isoformat()).code == 0
    for answered in checkins:
        if "clear" in answered:
            args = ["clear", "--date", TUESDAY.isoformat(), "--by", BY]
            for code in answered["clear"]:
                args += ["--alert", code]
        else:
            args = ["checkin", "--date", TUESDAY.isoformat(), "--screened"]
            if "pain" in answered:
                args += ["--pain", str(answered["pain"])]
            for code in answered.get("symptoms", []):
                args += ["--symptom", code]
        done = run(*args)
        assert done.code == (2 if answered.get("refused") else 0), done.stderr
    today = run("today", "--json", "--date", TUESDAY.isoformat())
    exported = run("export")
    return {"plan": today.json(), "events": exported.json()["events"]}


def by_api(client: TestClient, checkins: list[Answers]) -> dict[str, Any]:
    start_program(client)
    live_until(client, TUESDAY)
    for answered in checkins:
        if "clear" in answered:
            body = {"date": TUESDAY.isoformat(), "alerts": answered["clear"], "by": BY}
            response = client.post("/api/v1/clearances", json=body)
        else:
            body = {
                "date": TUESDAY.isoformat(),
                "symptoms": answered.get("symptoms", []),
                "screened": True,
            }
            if "pain" in answered:
                body["pain"] = answered["pain"]
            response = client.post("/api/v1/checkins", json=body)
        assert response.status_code == (422 if answered.get("refused") else 201), response.text
    return _read(client)


def by_page(client: TestClient, checkins: list[Answers], set_day: Callable[[date], None]) -> Any:
    set_day(MONDAY)  # the clock the other shells moved on
    start_program(client)
    set_day(TUESDAY)
    for answered in checkins:
        if "clear" in answered:
            response = client.post("/clear", data={"alerts": answered["clear"], "by": BY})
        else:
            form: dict[str, Any] = {"symptoms": answered.get("symptoms", [])}
            if "pain" in answered:
                form["pain"] = str(answered["pain"])
            response = client.post("/check-in", data=form)
        if answered.get("refused"):
            assert response.status_code == 422, response.text
        else:
            assert response.status_code in (200, 303), response.text
    return _read(client)


def _read(client: TestClient) -> dict[str, Any]:
    plan = client.get("/api/v1/today", params={"date": TUESDAY.isoformat()}).json()
    return {"plan": plan, "events": client.get("/api/v1/export").json()["events"]}


def _same(outcome: dict[str, Any]) -> dict[str, Any]:
    """What must agree: the records kept and the plan (its kind, alerts and reasons)."""
    plan = outcome["plan"]
    return {
        "events": outcome["events"],
        "kind": plan["kind"],
        "alerts": [(a["level"], a["code"], a["rule"]) for a in plan["alerts"]],
        "decisions": plan["decisions"],
    }


@pytest.mark.parametrize(("case", "checkins"), CASES, ids=[case for case, _ in CASES])
def test_the_same_check_in_answers_give_the_same_record_and_plan_from_every_shell(
    case: str,
    checkins: list[Answers],
    cli: Cli,  # noqa: F811 (the fixture)
    tmp_path: Path,
    client: TestClient,
    fresh: TestClient,
    clock: Any,
) -> None:
    assert ANSWERS["psfs"] == CLI_ANSWERS["psfs"] and ANSWERS["days"] == CLI_ANSWERS["days"]

    def set_day(day: date) -> None:
        clock.today = day

    from_cli = _same(by_cli(cli, tmp_path, checkins))
    from_api = _same(by_api(client, checkins))
    from_page = _same(by_page(fresh, checkins, set_day))

    assert from_api == from_cli, case
    assert from_page == from_cli, case


def test_a_sign_reported_after_a_clearance_stands_until_a_later_clearance(
    client: TestClient,
) -> None:
    """The safety rule itself, through the API: a check-in cannot carry a clearance; a
    clearance lifts the pause of the sign it names, and a sign reported after it pauses the
    program again until a later clearance names that sign."""
    start_program(client)
    live_until(client, TUESDAY)
    day = TUESDAY.isoformat()

    def today() -> dict[str, Any]:
        found: dict[str, Any] = client.get("/api/v1/today", params={"date": day}).json()
        return found

    def urgent(plan: dict[str, Any]) -> list[str]:
        return [a["code"] for a in plan["alerts"] if a["level"] == "urgent"]

    def clear(*codes: str) -> int:
        body = {"date": day, "alerts": list(codes), "by": BY}
        return client.post("/api/v1/clearances", json=body).status_code

    before = client.get("/api/v1/export").json()
    together = {"date": day, "symptoms": ["fever"], "cleared_by_clinician": True}
    assert client.post("/api/v1/checkins", json=together).status_code == 422
    assert client.get("/api/v1/export").json() == before

    body = {"date": day, "symptoms": ["fever"]}
    assert client.post("/api/v1/checkins", json=body).status_code == 201
    paused = today()
    assert paused["kind"] == "blocked"
    assert urgent(paused) == ["fever"]

    assert clear("fever") == 201
    lifted = today()
    assert lifted["kind"] != "blocked"
    assert urgent(lifted) == []
    assert "fever_cleared" in [a["code"] for a in lifted["alerts"] if a["level"] == "info"]

    later = {"date": day, "symptoms": ["night_pain"]}
    assert client.post("/api/v1/checkins", json=later).status_code == 201
    again = today()
    assert again["kind"] == "blocked"
    assert urgent(again) == ["night_pain"]
    assert clear("fever") == 422  # cleared already: it no longer stands

    assert clear("night_pain") == 201
    assert today()["kind"] != "blocked"
