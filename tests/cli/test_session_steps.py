"""Issue #16 in the terminal: `lumbar session` runs each dose as the timeline has it (a
get-ready before each set and side, the holds counted, each side whole then a switch, the
rest between sets), says how long the session takes, and counts its countdowns down in a
terminal that reads keys without echo: Enter skips, p pauses, 3 or 4 stop for pain,
anything else is thrown away, and the terminal comes back as it was on every way out.

The whole-session counts below are what a person types: with the timers, an Enter to start
each exercise and one for each set (and side) of reps at their own pace; without them, one
for each set and side of everything. Input is piped here; the same through a real
terminal is in test_session_terminal.py."""

from __future__ import annotations

import io
import os
import re
import select
import termios
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from rich.console import Console

from lumbar.cli.timer import Countdown, StoppedForPain, terminal
from lumbar.content.load import Content
from lumbar.domain.model import Pain
from lumbar.domain.plan import plan_day
from lumbar.domain.timeline import exercise_timeline
from tests.builders import START, history, program
from tests.cli.conftest import Cli

MONDAY = "2026-11-02"
PHASE_1 = (
    "diaphragmatic-breathing",
    "cat-cow",
    "glute-bridge",
    "dead-bug",
    "hip-flexor-stretch",
    "piriformis-stretch",
    "childs-pose",
)
NO_TIMERS_ENTERS = {  # each exercise's Enters without timers: start, then each set (and side)
    "diaphragmatic-breathing": 2,
    "cat-cow": 3,
    "glute-bridge": 3,
    "dead-bug": 5,
    "hip-flexor-stretch": 5,
    "piriformis-stretch": 5,
    "childs-pose": 3,
}
TIMERS_ENTERS = {  # with the timers: start, then each set (and side) of reps at one's pace
    "diaphragmatic-breathing": 1,
    "cat-cow": 3,
    "glute-bridge": 1,
    "dead-bug": 5,
    "hip-flexor-stretch": 1,
    "piriformis-stretch": 1,
    "childs-pose": 1,
}


def _typed(enters: dict[str, int]) -> list[str]:
    """Enter as many times as each exercise takes, then "1" (no pain) for each, and Enter
    again for no comment."""
    lines: list[str] = []
    for exercise in PHASE_1:
        lines += [""] * enters[exercise] + ["1", ""]
    return lines


def _recorded(cli: Cli) -> list[dict[str, Any]]:
    events = cli("export").json()["events"]
    return [e for e in events if e["type"] == "session"]


def test_without_timers_each_set_and_each_side_waits_for_its_enter(started: Cli) -> None:
    typed = _typed(NO_TIMERS_ENTERS)
    assert typed.count("") == 33 and len(typed) == 40  # 26 + 7 Enters and 7 pain answers
    short = started("session", "--no-timers", "--date", MONDAY, input="\n".join(typed[:-3]))
    assert short.code == 1 and "Session paused: your 6 answers are kept" in short.stdout
    started("session", "--no-timers", "--date", MONDAY, input="s\n")  # start over
    outcome = started("session", "--no-timers", "--date", MONDAY, input="\n".join(typed) + "\n")
    assert outcome.code == 0, outcome.stderr
    assert "The session of Mon 2 Nov 2026: 7 exercises, about 15 minutes." in outcome.stdout
    assert "\a" not in outcome.stdout  # input piped in: no bell
    assert [e["id"] for e in _recorded(started)[-1]["exercises"]] == list(PHASE_1)
    flat = " ".join(outcome.stdout.split())
    dead_bug = flat[flat.index("4/7") : flat.index("5/7")]
    assert re.findall(
        r"Set \d of 2: do 5 reps on the \w+|Switch sides\.|Rest about 45 s\.", dead_bug
    ) == [
        "Set 1 of 2: do 5 reps on the left",
        "Switch sides.",
        "Set 1 of 2: do 5 reps on the right",
        "Rest about 45 s.",
        "Set 2 of 2: do 5 reps on the left",
        "Switch sides.",
        "Set 2 of 2: do 5 reps on the right",
    ]
    bridge = flat[flat.index("3/7") : flat.index("4/7")]
    assert bridge.count("hold 6 times for 3 s, relaxing between, then press Enter") == 2
    assert "Set 1 of 2: hold 6 times" in bridge and "Set 2 of 2: hold 6 times" in bridge
    stretch = flat[flat.index("5/7") : flat.index("6/7")]
    assert re.findall(r"Set \d of 2: hold 20 s on the \w+", stretch) == [
        "Set 1 of 2: hold 20 s on the left",
        "Set 1 of 2: hold 20 s on the right",
        "Set 2 of 2: hold 20 s on the left",
        "Set 2 of 2: hold 20 s on the right",
    ]
    breathing = flat[flat.index("1/7") : flat.index("2/7")]
    assert "Breathe 8 times, in for 4 and out for 6, then press Enter" in breathing


def test_three_at_a_set_without_timers_stops_the_exercise_for_pain(started: Cli) -> None:
    # Breathing skipped (no reason given); the cat-cow's second set hurts.
    outcome = started("session", "--no-timers", "--date", MONDAY, input="s\n\n\n\n3\n")
    assert "Set 2 of 2: do 6 reps" in " ".join(outcome.stdout.split())
    assert "Sharp pain: stop Cat-cow" in " ".join(outcome.stdout.split())
    assert started("session", "--date", MONDAY, input="r\n").code == 0
    assert _recorded(started)[-1]["exercises"] == [{"id": "cat-cow", "pain": "sharp"}]


def test_with_timers_the_steps_run_themselves_and_reps_wait_for_enter(
    started: Cli, monkeypatch: pytest.MonkeyPatch, content: Content
) -> None:
    ticks: list[float] = []
    monkeypatch.setattr(time, "sleep", ticks.append)  # the session's clock, made instant
    typed = _typed(TIMERS_ENTERS)
    assert typed.count("") == 20 and len(typed) == 27  # 13 + 7 Enters and 7 pain answers
    outcome = started("session", "--date", MONDAY, input="\n".join(typed) + "\n")
    assert outcome.code == 0, outcome.stderr
    assert [e["id"] for e in _recorded(started)[-1]["exercises"]] == list(PHASE_1)
    plan = plan_day(START, history(), program())
    timed = sum(
        step.seconds or 0
        for planned in plan.exercises
        for step in exercise_timeline(content.catalogue[planned.exercise_id], planned.dose)
    )
    assert len(ticks) == timed  # every timed step counted down, second by second
    flat = " ".join(outcome.stdout.split())
    dead_bug = flat[flat.index("4/7") : flat.index("5/7")]
    assert re.findall(r"Set \d of 2, \w+ side|Do 5 reps on the \w+|Switch sides\.", dead_bug) == [
        "Set 1 of 2, left side",
        "Do 5 reps on the left",
        "Switch sides.",
        "Set 1 of 2, right side",
        "Do 5 reps on the right",
        "Set 2 of 2, left side",
        "Do 5 reps on the left",
        "Switch sides.",
        "Set 2 of 2, right side",
        "Do 5 reps on the right",
    ]
    stretch = flat[flat.index("5/7") : flat.index("6/7")]
    assert re.findall(r"Hold \((?:left|right)\): done|Switch sides\.|Rest: done", stretch) == [
        "Hold (left): done",
        "Switch sides.",
        "Hold (right): done",
        "Rest: done",
        "Hold (left): done",
        "Switch sides.",
        "Hold (right): done",
    ]
    bridge = flat[flat.index("3/7") : flat.index("4/7")]
    assert (
        re.findall(r"Hold \d of 6: done", bridge)
        == [f"Hold {n} of 6: done" for n in range(1, 7)] * 2
    )


def test_today_says_how_long_the_session_takes(started: Cli) -> None:
    today = started("today", "--date", MONDAY)
    assert "About 15 minutes." in today.stdout
    assert started("today", "--date", MONDAY, "--json").json()["estimated_minutes"] == 15
    started("log", "-e", "cat-cow=none", "--date", MONDAY)
    assert "About" not in started("today", "--date", MONDAY).stdout  # done
    assert "About" not in started("today", "--date", "2026-11-03").stdout  # a rest day


# A countdown at a terminal: a pseudo-terminal in this process, keys typed a moment later.


@pytest.fixture
def tty() -> Iterator[tuple[int, int]]:
    """A pseudo-terminal: the side typed into, and the side the countdown reads."""
    typed, read = os.openpty()
    yield typed, read
    os.close(typed)
    os.close(read)


def _type_later(fd: int, keys: bytes, after: float = 0.3) -> None:
    threading.Timer(after, os.write, (fd, keys)).start()


def _waiting(fd: int) -> bool:
    """A line typed and not read: it would answer the next prompt."""
    return bool(select.select([fd], [], [], 0.05)[0])


def _countdown(read: int) -> Countdown:
    def no_sleep(_: float) -> None:
        raise AssertionError("at a terminal the countdown waits for keys, not in sleep")

    return Countdown(Console(file=io.StringIO()), no_sleep, keys=read)


def test_enter_skips_a_countdown_and_the_keys_after_it_are_thrown_away(
    tty: tuple[int, int],
) -> None:
    typed, read = tty
    before = termios.tcgetattr(read)
    _type_later(typed, b"xyz\r\r\r")
    began = time.monotonic()
    assert _countdown(read).run(30, "Rest: {} s".format) is False
    assert time.monotonic() - began < 5
    assert termios.tcgetattr(read) == before  # echo and lines back
    assert not _waiting(read)  # the other Enters did not reach the next prompt


def test_other_keys_are_thrown_away_and_the_countdown_runs_to_its_end(
    tty: tuple[int, int],
) -> None:
    typed, read = tty
    _type_later(typed, b"xyz")
    began = time.monotonic()
    assert _countdown(read).run(1, "Hold: {} s".format) is True
    assert 0.9 < time.monotonic() - began < 3
    os.write(typed, b"\n")  # a line typed after it: only that one is waiting
    assert _waiting(read) and os.read(read, 64) == b"\n"


def test_p_pauses_a_countdown_until_p_or_enter(tty: tuple[int, int]) -> None:
    typed, read = tty
    _type_later(typed, b"p", after=0.2)
    _type_later(typed, b"\r", after=1.4)  # carry on: the second paused in starts again
    began = time.monotonic()
    assert _countdown(read).run(1, "Hold: {} s".format) is True
    assert time.monotonic() - began > 2.2


@pytest.mark.parametrize(("key", "pain"), [(b"3", Pain.SHARP), (b"4", Pain.RADIATING)])
def test_three_or_four_during_a_countdown_stop_for_pain(
    tty: tuple[int, int], key: bytes, pain: Pain
) -> None:
    typed, read = tty
    before = termios.tcgetattr(read)
    _type_later(typed, key + b"\r")
    with pytest.raises(StoppedForPain) as stopped:
        _countdown(read).run(30, "Hold: {} s".format)
    assert stopped.value.pain is pain
    assert termios.tcgetattr(read) == before and not _waiting(read)


def test_ctrl_c_during_a_countdown_gives_the_terminal_back_with_nothing_typed_in_it(
    tty: tuple[int, int],
) -> None:
    typed, read = tty
    before = termios.tcgetattr(read)

    def label(remaining: int) -> str:
        if remaining == 1:  # "2" and Enter typed, not read yet, then Ctrl-C
            os.write(typed, b"2\n")
            time.sleep(0.05)
            raise KeyboardInterrupt
        return f"Hold: {remaining} s"

    with pytest.raises(KeyboardInterrupt):
        _countdown(read).run(2, label)
    assert termios.tcgetattr(read) == before
    assert not _waiting(read)  # "Was it pain?" is not answered by what was typed before


def test_piped_input_is_no_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("\n"))
    assert terminal() is None
