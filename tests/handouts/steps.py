"""Steps the hand-out tests share: days counted from the builders' start, the plan of a
day, a whole session logged, and the two ways a command ends."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from tests.builders import START
from tests.cli.conftest import Cli, Outcome


def day(offset: int) -> date:
    return START + timedelta(days=offset)


def iso(offset: int) -> str:
    return day(offset).isoformat()


def plan(cli: Cli, on: date) -> dict[str, Any]:
    outcome = cli("today", "--date", on.isoformat(), "--json")
    assert outcome.code == 0, outcome.stderr
    found: dict[str, Any] = outcome.json()
    return found


def log(cli: Cli, offset: int, pains: dict[str, str] | None = None) -> None:
    """Record the whole session of the day, with no pain unless `pains` says otherwise."""
    pains = pains or {}
    exercises = [e["id"] for e in plan(cli, day(offset))["exercises"]]
    args = [a for e in exercises for a in ("-e", f"{e}={pains.get(e, 'none')}")]
    outcome = cli("log", *args, "--date", iso(offset))
    assert outcome.code == 0, outcome.stderr


def ok(outcome: Outcome) -> Outcome:
    assert outcome.code == 0, outcome.stderr
    return outcome


def refused(outcome: Outcome, fragment: str) -> None:
    assert outcome.code == 2, (outcome.stdout, outcome.stderr)
    assert outcome.stderr.startswith("lumbar: ")
    assert outcome.stderr.count("\n") == 1, outcome.stderr
    assert fragment in outcome.stderr, outcome.stderr
    assert outcome.stdout == ""
    assert "Traceback" not in outcome.stderr
