"""A change in pain said in one wording everywhere (issue #19, finding 10): a patient whose
pain rose from 6 to 7 showed as "-16.7% better". The progress page, the one-page summary,
`lumbar status` and the review's message all say "17% worse" now, through one function
(`content.wording.pain_change_words`), on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from lumbar.cli.main import app as cli_app
from lumbar.content.wording import pain_change_words
from tests.web.conftest import MONDAY, WEDNESDAY, Clock, log_session, text


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (-16.67, "17% worse"),
        (-5.5, "5.5% worse"),
        (33.33, "33% better"),
        (2.0, "2% better"),
        (0.0, "the same"),
        (None, ""),
    ],
)
def test_one_wording_for_a_change_in_pain(change: float | None, said: str) -> None:
    assert pain_change_words(change) == said


@pytest.fixture
def worse(started: TestClient, clock: Clock) -> TestClient:
    """Pain 6 at the start (Monday), 7 on Wednesday's check-in."""
    log_session(started, MONDAY)
    clock.today = WEDNESDAY
    response = started.post("/api/v1/checkins", json={"date": WEDNESDAY.isoformat(), "pain": 7})
    assert response.status_code == 201, response.text
    return started


def test_the_progress_page_says_worse(worse: TestClient) -> None:
    page = text(worse.get("/progress"))
    assert "6 at the start, 7 now (17% worse)" in page
    assert "-16" not in page and "-17" not in page


def test_the_summary_says_worse(worse: TestClient) -> None:
    summary = text(worse.get("/summary"))
    assert "17% worse" in summary
    assert "-16" not in summary and "better" not in summary.split("Change", 1)[1][:40]


def test_the_status_command_says_worse(worse: TestClient, tmp_path: Path) -> None:
    """The same record, exported and imported into the command line's database."""
    document = worse.get("/api/v1/export").json()
    export = tmp_path / "export.json"
    export.write_text(json.dumps(document))
    db = str(tmp_path / "cli.db")
    runner = CliRunner()
    imported = runner.invoke(cli_app, ["import", str(export), "--db", db])
    assert imported.exit_code == 0, imported.output
    status = runner.invoke(cli_app, ["status", "--db", db, "--date", WEDNESDAY.isoformat()])
    assert status.exit_code == 0, status.output
    assert "baseline 6, latest 7 (17% worse)" in " ".join(status.output.split())
