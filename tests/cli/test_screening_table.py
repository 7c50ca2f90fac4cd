"""The screening table of docs/rules.md is the code's, and every shell asks every question.

docs/rules.md's table is the brief's §2e, item by item, with the tier each code has. These
tests read the table and hold `domain/screening.py` to it, then check that each code's
question is asked where a person answers the screening: the command line's intake and
check-in, the web app's start and check-in pages, and (for what to do in an emergency) the
safety information every intake shows.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from lumbar.content.load import default_content
from lumbar.domain.model import Level
from lumbar.domain.screening import RED_FLAGS
from lumbar.store.database import Store
from lumbar.web.app import create_app
from tests.builders import START
from tests.cli.conftest import Cli

RULES_MD = Path(__file__).parents[2] / "docs" / "rules.md"
ROW = re.compile(
    r"^\| `(?P<code>[a-z0-9_]+)` \| (?P<item>[^|]+) \| (?P<tier>[a-z_]+) \| (?P<source>[^|]+) \|$",
    re.MULTILINE,
)
CONTENT = default_content()
QUESTIONS = {code: CONTENT.symptoms[code].question for code in RED_FLAGS}


def _table() -> list[tuple[str, str, str]]:
    text = RULES_MD.read_text(encoding="utf-8")
    section = text.split("#### The screening table", 1)[1].split("\n### ", 1)[0]
    return [(m["code"], m["tier"], m["source"].strip()) for m in ROW.finditer(section)]


def _flat(text: str) -> str:
    """Text with its line breaks and runs of spaces as single spaces (a terminal wraps)."""
    return " ".join(html.unescape(text).split())


def test_the_docs_table_has_every_code_with_the_tier_the_code_gives_it() -> None:
    rows = _table()
    assert [(code, tier) for code, tier, _ in rows] == [
        (code, level.value) for code, level in RED_FLAGS.items()
    ]
    assert all(source for _, _, source in rows)
    tiers = {tier for _, tier, _ in rows}
    assert tiers == {Level.EMERGENCY.value, Level.URGENT.value, Level.SEE_CLINICIAN.value}


def test_the_brief_items_the_issue_found_missing_are_in_the_table() -> None:
    tiers = {code: tier for code, tier, _ in _table()}
    assert tiers["sexual_dysfunction"] == tiers["chest_pain"] == "emergency"
    assert tiers["minor_trauma_fragile"] == "emergency"
    for code in ("deformity", "thoracic_pain", "infection_risk", "recent_spinal_surgery"):
        assert tiers[code] == "urgent", code
    for code in ("pregnancy", "below_knee_pain", "not_coping"):
        assert tiers[code] == "see_clinician", code


def test_the_command_line_intake_asks_every_question(cli: Cli) -> None:
    # Understood, age, pain, weeks, an emergency answer, not seen yet: the intake stops.
    outcome = cli("start", "--date", START.isoformat(), input="y\n42\n6\n10\n1\nn\n")
    assert outcome.code == 3, outcome.stderr
    shown = _flat(outcome.stdout)
    for code, question in QUESTIONS.items():
        assert _flat(question) in shown, code


def test_the_command_line_check_in_asks_every_question(cli: Cli, answers_file: object) -> None:
    assert callable(answers_file)
    assert cli("start", "--answers", str(answers_file()), "--date", START.isoformat()).code == 0
    outcome = cli("checkin", "--date", START.isoformat(), input="5\n4\n5\n3\n\n")
    assert outcome.code == 0, outcome.stderr
    shown = _flat(outcome.stdout)
    for code, question in QUESTIONS.items():
        assert _flat(question) in shown, code


@pytest.fixture
def web(tmp_path: Path) -> Iterator[TestClient]:
    store = Store(f"sqlite:///{tmp_path / 'web.db'}")
    app = create_app(store, clock=lambda: START)
    with TestClient(
        app, base_url="http://127.0.0.1", follow_redirects=False, client=("127.0.0.1", 50000)
    ) as client:
        yield client
    store.dispose()


def test_the_web_start_and_check_in_pages_ask_every_question(web: TestClient) -> None:
    about = web.post("/start/about", data={"understood": "1", "age": "42", "pain_weeks": "3"})
    assert about.status_code == 303, about.text
    start_page = _flat(web.get("/start/signs").text)
    for code, question in QUESTIONS.items():
        assert _flat(question) in start_page, code
    answers = {
        "understood": True,
        "age": 42,
        "pain": 6,
        "pain_weeks": 10,
        "psfs": [{"activity": "walk", "score": 4}],
    }
    assert web.post("/api/v1/program", json=answers).status_code == 201
    checkin_page = _flat(web.get("/check-in").text)
    for code, question in QUESTIONS.items():
        assert _flat(question) in checkin_page, code


def test_the_safety_information_lists_every_sign_in_its_tier() -> None:
    body = CONTENT.topics["disclaimer"].body
    emergency, rest = body.split("Do not wait", 1)
    urgent, soon = rest.split("in the next few days", 1)
    for code, level in RED_FLAGS.items():
        label = CONTENT.symptoms[code].label
        part = {Level.EMERGENCY: emergency, Level.URGENT: urgent}.get(level, soon)
        assert f"- {label};" in part, code
    assert "{" not in body  # every placeholder was filled
