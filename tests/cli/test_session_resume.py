"""Issue #15, item 3: `lumbar session` keeps each answer at once, as the web player does.
Stopped halfway (Ctrl-C, the end of input), it exits 1 with the answers kept; the next
`lumbar session` that day offers to carry on, to record what was done, or to start over;
the web player and the terminal share the session in progress.

Ctrl-C is sent as a person sends it, through a pseudo-terminal (pexpect), at a prompt and
during a timer; the other cases end the input instead, which the guide treats the same."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pexpect
import pytest
from fastapi.testclient import TestClient

from lumbar.store.database import Store, sqlite_url
from lumbar.web.app import create_app
from tests.cli.conftest import CLOCK, Cli, in_a_terminal

MONDAY = "2026-11-02"
LUMBAR = Path(sys.executable).with_name("lumbar")
FIRST, SECOND = "diaphragmatic-breathing", "cat-cow"


def sessions(cli: Cli) -> list[dict[str, Any]]:
    events = cli("export").json()["events"]
    return [e for e in events if e["type"] == "session" and "deleted_on" not in e]


@pytest.fixture
def stopped(started: Cli) -> Cli:
    """Monday's session stopped at the second exercise's first prompt, after one answer."""
    outcome = started("session", "--no-timers", "--date", MONDAY, input="\n\n1\n")
    assert outcome.code == 1, outcome.stdout
    assert "Session paused: your 1 answer is kept" in outcome.stdout
    return started


def test_a_session_stopped_halfway_keeps_its_answers_and_records_nothing_yet(
    stopped: Cli,
) -> None:
    assert sessions(stopped) == []
    again = stopped("session", "--no-timers", "--date", MONDAY, input="")
    assert again.code == 1
    assert "You started the session of Mon 2 Nov 2026 and answered 1 exercise" in again.stdout


def test_recording_what_was_done_saves_a_partial_session(stopped: Cli) -> None:
    outcome = stopped("session", "--no-timers", "--date", MONDAY, input="r\n")
    assert outcome.code == 0, outcome.stderr
    assert sessions(stopped)[-1]["exercises"] == [{"id": FIRST, "pain": "none"}]
    refused = stopped("session", "--no-timers", "--date", MONDAY)
    assert refused.code == 2 and "today's session is already recorded" in refused.stderr


def test_carrying_on_starts_at_the_next_exercise_and_keeps_the_earlier_answer(
    stopped: Cli,
) -> None:
    # Carry on; the cat-cow hurts (3 at its first prompt); stopped again at the next one.
    outcome = stopped("session", "--no-timers", "--date", MONDAY, input="c\n\n3\n")
    assert outcome.code == 1, outcome.stdout
    assert "1/7" not in outcome.stdout and "2/7" in outcome.stdout
    assert "Session paused: your 2 answers are kept" in outcome.stdout
    recorded = stopped("session", "--no-timers", "--date", MONDAY, input="r\n")
    assert recorded.code == 0, recorded.stdout
    assert sessions(stopped)[-1]["exercises"] == [
        {"id": FIRST, "pain": "none"},
        {"id": SECOND, "pain": "sharp"},
    ]


def test_starting_over_forgets_the_answers(stopped: Cli) -> None:
    outcome = stopped("session", "--no-timers", "--date", MONDAY, input="s\n\n\n2\n")
    assert outcome.code == 1, outcome.stdout
    assert "Starting over." in outcome.stdout and "1/7" in outcome.stdout
    assert "Session paused: your 1 answer is kept" in outcome.stdout
    assert stopped("session", "--no-timers", "--date", MONDAY, input="r\n").code == 0
    assert sessions(stopped)[-1]["exercises"] == [{"id": FIRST, "pain": "ache"}]


def test_a_draft_from_an_earlier_day_is_not_offered(stopped: Cli) -> None:
    outcome = stopped("session", "--no-timers", "--date", "2026-11-04", input="")
    assert "You started" not in outcome.stdout


@pytest.fixture
def web(db_path: Path) -> Iterator[TestClient]:
    """The web app on the command line's database, its clock on Monday."""
    store = Store(sqlite_url(db_path))
    app = create_app(store, clock=lambda: date.fromisoformat(MONDAY))
    with TestClient(
        app, base_url="http://127.0.0.1", follow_redirects=False, client=("127.0.0.1", 50000)
    ) as client:
        yield client
    store.dispose()


def test_the_web_player_and_the_terminal_share_the_session_in_progress(
    stopped: Cli, web: TestClient
) -> None:
    page = web.get("/session")
    assert page.status_code == 200
    assert f'value="{SECOND}"' in page.text  # the player is at the second exercise
    answered = web.post("/session/answer", data={"exercise": SECOND, "pain": "ache"})
    assert answered.status_code == 200
    outcome = stopped("session", "--no-timers", "--date", MONDAY, input="r\n")
    assert "answered 2 exercises" in outcome.stdout
    assert sessions(stopped)[-1]["exercises"] == [
        {"id": FIRST, "pain": "none"},
        {"id": SECOND, "pain": "ache"},
    ]


# Through a pseudo-terminal: Ctrl-C as a person presses it.


def spawn(db_path: Path, *args: str) -> Any:
    env = {**os.environ, "LUMBAR_TODAY": CLOCK.isoformat(), "COLUMNS": "100", "TERM": "xterm"}
    env.pop("LUMBAR_DATABASE_URL", None)
    command = [str(LUMBAR), "session", "--date", MONDAY, "--db", str(db_path), *args]
    return in_a_terminal(command, env)


def test_ctrl_c_at_a_prompt_and_during_a_timer_keeps_the_answers(
    started: Cli, db_path: Path
) -> None:
    child = spawn(db_path, "--no-timers")
    child.expect("Press Enter to start")
    child.sendline("")
    child.expect("then press Enter")
    child.sendline("")
    child.expect(r"Your answer \(1-4\)")
    child.sendline("2")
    child.expect("Anything to add about this exercise")
    child.sendline("")
    child.expect("Press Enter to start")
    child.sendintr()
    child.expect("Session paused: your 1 answer is kept")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert sessions(started) == []

    # With the timers on, carrying on, Ctrl-C in the middle of a hold.
    child = spawn(db_path)
    child.expect("You started the session of Mon 2 Nov 2026")
    child.sendline("c")
    child.expect("Press Enter to start")
    child.sendline("")
    child.expect("then press Enter")
    child.sendline("")
    child.expect(r"Rest: \d+ s")  # the rest between the sets is counting down
    child.sendintr()
    child.expect("Was it pain?")
    child.sendline("")
    child.expect("Session paused: your 1 answer is kept")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130

    child = spawn(db_path, "--no-timers")
    child.expect("You started the session of Mon 2 Nov 2026")
    child.sendline("r")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert sessions(started)[-1]["exercises"] == [{"id": FIRST, "pain": "ache"}]
