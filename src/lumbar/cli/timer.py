"""The terminal guide's timer and cues (issue #16): a countdown that, at a terminal, reads
keys without echo (Enter skips it, `p` pauses it, 3 or 4 stop for pain, anything else is
discarded, so nothing typed during a countdown reaches a later prompt), and the cue at each
step (the terminal bell, and the words spoken through espeak-ng when it is installed).
With input piped in, the countdowns read no keys and no cue sounds."""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from time import monotonic

from rich.console import Console

from lumbar.domain.model import Pain

STOP_KEYS = {"3": Pain.SHARP, "4": Pain.RADIATING}
"""At any prompt during an exercise, these stop it at once with that pain."""
SPEAKER = "espeak-ng"
"""The program the spoken cues go through when it is installed."""

SKIP, PAUSE = "skip", "pause"


class StoppedForPain(Exception):
    """The person stopped an exercise half-way for sharp pain or pain down the leg."""

    def __init__(self, pain: Pain) -> None:
        super().__init__(pain.value)
        self.pain = pain


def terminal() -> int | None:
    """Standard input's file descriptor when it is a terminal a person types at; None when
    the input is piped in (or the system has no terminal control): the countdowns then read
    no keys, and no cue sounds."""
    try:
        import termios  # noqa: F401  (Unix only)

        fd = sys.stdin.fileno()
    except (ImportError, AttributeError, OSError, ValueError):
        return None
    return fd if os.isatty(fd) else None


@contextmanager
def _keys_read(fd: int) -> Iterator[None]:
    """The terminal in cbreak mode (keys one by one, not echoed) for a countdown; what was
    typed and not read is discarded and the terminal restored on every way out, Ctrl-C
    included."""
    import termios
    import tty

    saved = termios.tcgetattr(fd)
    tty.setcbreak(fd, termios.TCSAFLUSH)
    try:
        yield
    finally:
        termios.tcflush(fd, termios.TCIFLUSH)
        termios.tcsetattr(fd, termios.TCSAFLUSH, saved)


def _command(fd: int, seconds: float | None) -> str | None:
    """The next command typed within `seconds` (None: wait for one): SKIP (Enter) or PAUSE
    (p); 3 or 4 stop for pain; other keys are discarded. None when the time ran out."""
    deadline = None if seconds is None else monotonic() + seconds
    while True:
        timeout = None if deadline is None else max(0.0, deadline - monotonic())
        ready, _, _ = select.select([fd], [], [], timeout)
        if not ready:
            return None
        typed = os.read(fd, 64).decode(errors="replace")
        if not typed:
            raise EOFError  # the terminal was closed
        for key in typed:
            if key in STOP_KEYS:
                raise StoppedForPain(STOP_KEYS[key])
            if key in "\r\n":
                return SKIP
            if key in "pP":
                return PAUSE


@dataclass
class Countdown:
    """Counts seconds down on the console; `sleep` is time.sleep in real use. `enabled`
    False (`--no-timers`): the person paces the steps and presses Enter instead."""

    console: Console
    sleep: Callable[[float], None]
    enabled: bool = True
    keys: int | None = None
    """A terminal to read keys from while counting (`terminal()`), or None."""

    def run(self, seconds: int, label: Callable[[int], str]) -> bool:
        """Count `seconds` down, `label(remaining)` on show; False when skipped."""
        if not self.enabled or seconds <= 0:
            return True
        if self.keys is None:
            with self.console.status(label(seconds)) as status:
                for remaining in range(seconds, 0, -1):
                    status.update(label(remaining))
                    self.sleep(1)
            return True
        with _keys_read(self.keys), self.console.status(label(seconds)) as status:
            remaining = seconds
            while remaining > 0:
                status.update(label(remaining))
                command = _command(self.keys, 1.0)
                if command is None:
                    remaining -= 1
                elif command == SKIP:
                    return False
                else:
                    status.update(f"{label(remaining)} · paused: press p or Enter to carry on")
                    _command(self.keys, None)  # the second paused in starts again
        return True


@dataclass
class Cues:
    """The cue at the start of each step: the terminal bell, and the words spoken through
    espeak-ng when it is installed (each cue its own run, not waited for, its output
    discarded). `Cues()` is silent."""

    console: Console | None = None
    """Where the bell rings; None: no bell."""
    speaker: str | None = None
    """The espeak-ng program; None: nothing spoken."""

    @classmethod
    def at(cls, console: Console, *, quiet: bool) -> Cues:
        if quiet:
            return cls()
        return cls(console if console.is_terminal else None, shutil.which(SPEAKER))

    def __call__(self, words: str) -> None:
        if self.console is not None:
            self.console.bell()
        if self.speaker is None:
            return
        try:
            subprocess.Popen(
                [self.speaker, words],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        except OSError:
            self.speaker = None  # it cannot run: the bell alone from now on


SILENT = Cues()
