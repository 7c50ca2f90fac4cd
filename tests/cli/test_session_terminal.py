"""Issue #16: `lumbar session` at a real terminal (a pseudo-terminal, through pexpect), as a
person on the mat uses it: the get-ready before the holds, each side counted and the switch
between them, Enter skipping a countdown, p pausing it, the keys typed during one thrown
away (an Enter during the rest once skipped a whole set), 3 or 4 during one stopping for
pain; the bell and the words spoken through espeak-ng (a fake one here), none with
`--quiet`.

The countdowns are real seconds, so the tests skip most of them with Enter."""

from __future__ import annotations

import io
import os
import stat
import sys
import time
from pathlib import Path
from typing import Any

import pexpect

from tests.cli.conftest import CLOCK, Cli, in_a_terminal

MONDAY = "2026-11-02"
LUMBAR = Path(sys.executable).with_name("lumbar")


def spawn(db_path: Path, *args: str, path: str | None = None) -> Any:
    env = {**os.environ, "LUMBAR_TODAY": CLOCK.isoformat(), "COLUMNS": "100", "TERM": "xterm"}
    env.pop("LUMBAR_DATABASE_URL", None)
    if path is not None:
        env["PATH"] = path
    command = [str(LUMBAR), "session", "--date", MONDAY, "--db", str(db_path), *args]
    child = in_a_terminal(command, env)
    child.logfile_read = io.StringIO()
    return child


def skip_exercises(child: Any, count: int) -> None:
    for _ in range(count):
        child.expect("Press Enter to start")
        child.sendline("s")
        child.expect("Your reason")
        child.sendline("")  # no reason: left out


def no_comment(child: Any) -> None:
    """Enter at the comment question after a pain answer (issue #20): none."""
    child.expect("Anything to add about this exercise")
    child.sendline("")


def stop(child: Any) -> None:
    """Ctrl-C at the next exercise's start: the session waits with its answers kept."""
    child.expect("Press Enter to start")
    child.sendintr()
    child.expect("Session paused")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130


def answers(cli: Cli) -> list[dict[str, Any]]:
    """The answers kept so far, recorded as a partial session."""
    assert cli("session", "--no-timers", "--date", MONDAY, input="r\n").code == 0
    events = cli("export").json()["events"]
    exercises: list[dict[str, Any]] = [e for e in events if e["type"] == "session"][-1]["exercises"]
    return exercises


def test_enter_skips_p_pauses_and_keys_typed_during_a_countdown_answer_nothing_later(
    started: Cli, db_path: Path
) -> None:
    child = spawn(db_path, "--quiet")
    skip_exercises(child, 1)
    child.expect("Press Enter to start")  # the cat-cow: 2 sets of 6, rest 30 s
    child.sendline("")
    child.expect("Get ready: 3")
    child.send("\r")  # skips the get-ready
    child.expect(r"Do 6 reps, then press Enter")
    child.sendline("")
    child.expect(r"Rest: \d+ s")
    child.send("zqz")  # thrown away, not shown
    child.send("p")
    child.expect(r"Rest: (\d+) s · paused")
    paused = int(child.match.group(1))
    time.sleep(2.5)
    child.send("p")
    child.expect(r"Rest: (\d+) s(?! ·)")
    assert int(child.match.group(1)) == paused  # no time passed while paused
    child.send("\r\r\r")  # one Enter skips the rest; the others must answer nothing
    child.expect("Rest: skipped")
    child.expect("Set 2 of 2")
    child.expect("Get ready: 1")  # the get-ready after the rest was not skipped
    child.expect("Do 6 reps, then press Enter")
    assert child.expect(["How did that feel", pexpect.TIMEOUT], timeout=1.5) == 1
    child.sendline("")  # the second set, done
    child.expect(r"Your answer \(1-4\)")
    child.sendline("2")
    no_comment(child)
    stop(child)
    assert "zqz" not in child.logfile_read.getvalue()
    assert answers(started) == [{"id": "cat-cow", "pain": "ache"}]


def test_a_hold_gets_ready_first_and_each_side_is_counted_then_switched(
    started: Cli, db_path: Path
) -> None:
    child = spawn(db_path, "--quiet")
    skip_exercises(child, 2)
    # The glute bridge: 2 sets of 6, hold 3 s; a release between the holds.
    child.expect("Press Enter to start")
    child.sendline("")
    child.expect("Get ready: 3")
    child.expect(r"Hold 1 of 6: 3 s")  # after the get-ready, by itself
    child.send("\r")
    child.expect("Hold 1 of 6: skipped")
    child.expect(r"Release: \d s")
    child.send("\r")
    child.expect(r"Hold 2 of 6: \d s")
    child.sendintr()  # Ctrl-C during a hold: was it pain?
    child.expect("Was it pain?")
    child.sendline("3")
    child.expect("Sharp pain: stop Glute bridge")
    no_comment(child)
    # The dead bug: 2 sets of 5 each side, at one's own pace.
    child.expect("Press Enter to start")
    child.sendline("")
    child.expect("Set 1 of 2, left side")
    child.expect("Get ready: 3")
    child.send("\r")
    child.expect("Do 5 reps on the left, then press Enter")
    child.sendline("")
    child.expect(r"Switch sides: \d s")
    child.send("\r")
    child.expect("Set 1 of 2, right side")
    child.expect("Get ready: 3")
    child.send("\r")
    child.expect("Do 5 reps on the right, then press Enter")
    child.sendline("")
    child.expect(r"Rest: \d+ s")
    child.send("\r")
    child.expect("Set 2 of 2, left side")
    child.expect("Get ready: 3")
    child.send("\r")
    child.expect("Do 5 reps on the left")
    child.sendline("1")  # not a pain that stops: the set is done
    child.expect(r"Switch sides: \d s")
    child.send("\r")
    child.expect("Get ready: 3")
    child.send("\r")
    child.expect("Do 5 reps on the right")
    child.sendline("")
    child.expect(r"Your answer \(1-4\)")
    child.sendline("1")
    no_comment(child)
    # The hip flexor stretch: 2 sets, hold 20 s each side.
    child.expect("Press Enter to start")
    child.sendline("")
    child.expect("Set 1 of 2, left side")
    child.expect("Get ready: 3")
    child.expect(r"Hold \(left\): 20 s")
    child.send("\r")
    child.expect(r"Switch sides: \d s")
    child.send("\r")
    child.expect("Set 1 of 2, right side")
    child.expect("Get ready: 3")
    child.send("\r")
    child.expect(r"Hold \(right\): 20 s")
    child.send("4")  # pain down the leg during the hold: the session ends
    no_comment(child)
    child.expect("Session saved")
    child.expect("You stopped because pain travelled down your leg")
    child.expect("Type the numbers that apply")
    child.sendline("")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    said = " ".join(child.logfile_read.getvalue().split())
    assert said.index("Hold (left): skipped") < said.index("Hold (right): 20 s")
    events = started("export").json()["events"]
    assert [e for e in events if e["type"] == "session"][-1]["exercises"] == [
        {"id": "glute-bridge", "pain": "sharp"},
        {"id": "dead-bug", "pain": "none"},
        {"id": "hip-flexor-stretch", "pain": "radiating"},
    ]


def _fake_speaker(tmp_path: Path) -> tuple[str, Path]:
    """A PATH whose espeak-ng writes down what it is asked to say, one line a cue."""
    folder = tmp_path / "bin"
    folder.mkdir()
    said = tmp_path / "said.txt"
    speaker = folder / "espeak-ng"
    speaker.write_text(f"#!/bin/sh\nprintf '%s\\n' \"$*\" >> '{said}'\n")
    speaker.chmod(speaker.stat().st_mode | stat.S_IXUSR)
    return f"{folder}{os.pathsep}{os.environ['PATH']}", said


def _said(path: Path, last: str) -> list[str]:
    """The cues spoken, once the last one expected is written down."""
    for _ in range(100):
        if path.exists() and last in path.read_text():
            break
        time.sleep(0.05)
    return path.read_text().splitlines() if path.exists() else []


def test_each_step_rings_the_bell_and_is_spoken_through_espeak_ng(
    started: Cli, db_path: Path, tmp_path: Path
) -> None:
    path, said = _fake_speaker(tmp_path)
    child = spawn(db_path, path=path)
    skip_exercises(child, 1)
    child.expect("Press Enter to start")  # the cat-cow
    child.sendline("")
    for first_set in (True, False):
        child.expect("Get ready: 3")
        child.send("\r")
        child.expect("Do 6 reps, then press Enter")
        child.sendline("")
        if first_set:
            child.expect(r"Rest: \d+ s")
            child.send("\r")
    child.expect(r"Your answer \(1-4\)")
    assert _said(said, "Done. How did that feel?") == [
        "Next: Diaphragmatic breathing",
        "Next: Cat-cow",
        "Get ready",
        "Do 6 reps",
        "Rest 30 seconds",
        "Get ready",
        "Do 6 reps",
        "Done. How did that feel?",
    ]
    child.sendline("1")
    no_comment(child)
    stop(child)
    assert child.logfile_read.getvalue().count("\a") >= 8  # the bell with each cue


def test_quiet_rings_no_bell_and_says_nothing(started: Cli, db_path: Path, tmp_path: Path) -> None:
    path, said = _fake_speaker(tmp_path)
    child = spawn(db_path, "--quiet", "--no-timers", path=path)
    child.expect("Press Enter to start")
    child.sendline("")
    child.expect("Breathe 8 times, in for 4 and out for 6, then press Enter")
    child.sendline("")
    child.expect(r"Your answer \(1-4\)")
    child.sendline("1")
    no_comment(child)
    stop(child)
    time.sleep(0.3)
    assert not said.exists()
    assert "\a" not in child.logfile_read.getvalue()
