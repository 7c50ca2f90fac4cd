"""The same answers give the same record and the same plan from every shell: the command
line, the API and the web page all call one check-in use case (usecases/checkins.py).

The case that once differed: a clearance given in the same check-in as a new symptom. The
web page put both in one record and the symptom was cleared with the alerts before it; the
interactive command line recorded the clearance first, and the symptom stood. Now the rule
is the domain's, whatever the shell: a clearance is of the alerts standing before the
check-in, and what the check-in reports stands until a later clearance.
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
from tests.web.conftest import ANSWERS, MONDAY, TUESDAY, start_program

Answers = dict[str, Any]
"""A check-in: `pain`, `symptoms` and `cleared`, as each shell takes them."""

CASES: list[tuple[str, list[Answers]]] = [
    ("an urgent sign with a clearance", [{"symptoms": ["fever"], "cleared": True}]),
    (
        "an emergency cleared, then a new sign with a clearance",
        [{"symptoms": ["bladder_bowel"]}, {"symptoms": ["leg_weakness"], "cleared": True}],
    ),
    (
        "two signs, then a clearance alone",
        [{"symptoms": ["fever", "leg_numbness"]}, {"cleared": True}],
    ),
    ("pain and a clearance with nothing standing", [{"pain": 4, "cleared": True}]),
]


def by_cli(run: Cli, tmp_path: Path, checkins: list[Answers]) -> dict[str, Any]:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(CLI_ANSWERS))
    assert run("start", "--answers", str(answers), "--date", MONDAY.isoformat()).code == 0
    for answered in checkins:
        args = ["checkin", "--date", TUESDAY.isoformat()]
        if "pain" in answered:
            args += ["--pain", str(answered["pain"])]
        for code in answered.get("symptoms", []):
            args += ["--symptom", code]
        if answered.get("cleared"):
            args.append("--cleared-by-clinician")
        done = run(*args)
        assert done.code == 0, done.stderr
    today = run("today", "--json", "--date", TUESDAY.isoformat())
    exported = run("export")
    return {"plan": today.json(), "events": exported.json()["events"]}


def by_api(client: TestClient, checkins: list[Answers]) -> dict[str, Any]:
    start_program(client)
    for answered in checkins:
        body = {
            "date": TUESDAY.isoformat(),
            "symptoms": answered.get("symptoms", []),
            "cleared_by_clinician": answered.get("cleared", False),
        }
        if "pain" in answered:
            body["pain"] = answered["pain"]
        response = client.post("/api/v1/checkins", json=body)
        assert response.status_code == 201, response.text
    return _read(client)


def by_page(client: TestClient, checkins: list[Answers], set_day: Callable[[date], None]) -> Any:
    start_program(client)
    set_day(TUESDAY)
    for answered in checkins:
        form: dict[str, Any] = {"symptoms": answered.get("symptoms", [])}
        if "pain" in answered:
            form["pain"] = str(answered["pain"])
        if answered.get("cleared"):
            form["cleared"] = "1"
        response = client.post("/check-in", data=form)
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


def test_a_sign_reported_with_a_clearance_stands_until_a_later_clearance(
    client: TestClient,
) -> None:
    """The safety rule itself, through the API: fever and "cleared" together pause the
    program; a clearance given afterwards (once a clinician has seen the fever) lifts it."""
    start_program(client)
    body = {"date": TUESDAY.isoformat(), "symptoms": ["fever"], "cleared_by_clinician": True}
    assert client.post("/api/v1/checkins", json=body).status_code == 201
    paused = client.get("/api/v1/today", params={"date": TUESDAY.isoformat()}).json()
    assert paused["kind"] == "blocked"
    assert [a["code"] for a in paused["alerts"] if a["level"] == "urgent"] == ["fever"]

    later = {"date": TUESDAY.isoformat(), "cleared_by_clinician": True}
    assert client.post("/api/v1/checkins", json=later).status_code == 201
    lifted = client.get("/api/v1/today", params={"date": TUESDAY.isoformat()}).json()
    assert lifted["kind"] != "blocked"
    assert "fever" not in [a["code"] for a in lifted["alerts"] if a["level"] == "urgent"]
