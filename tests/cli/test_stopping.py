"""Issue #18: Ctrl-C stops every command the same way (one short line, exit 130, as git
and gh do), the end of input at a question exits 1, and an error line at a terminal is
folded at word boundaries to its width. Run in a pseudo-terminal, as a person runs them."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path
from typing import Any

import pexpect

from tests.cli.conftest import CLOCK, in_a_terminal

LUMBAR = Path(sys.executable).with_name("lumbar")


def spawn(*args: str, columns: int = 100) -> Any:
    env = {**os.environ, "LUMBAR_TODAY": CLOCK.isoformat(), "TERM": "xterm", "NO_COLOR": "1"}
    env.pop("LUMBAR_DATABASE_URL", None)
    env.pop("COLUMNS", None)  # the terminal's own width
    child = in_a_terminal([str(LUMBAR), *args], env)
    child.setwinsize(24, columns)
    child.logfile_read = io.StringIO()
    return child


def test_ctrl_c_at_the_intake_exits_130_and_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "lumbar.db"
    child = spawn("start", "--db", str(db))
    child.expect(r"do you understand it\?")
    child.sendintr()
    child.expect(r"lumbar: stopped \(Ctrl-C\)")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert "Traceback" not in child.logfile_read.getvalue()
    assert not db.exists()


def test_ctrl_c_stops_the_web_app_as_any_command(tmp_path: Path) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    child = spawn("serve", "--port", str(port), "--db", str(tmp_path / "lumbar.db"))
    child.expect("Press Ctrl\\+C to stop")
    child.sendintr()
    child.expect(r"lumbar: stopped \(Ctrl-C\)")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert "Traceback" not in child.logfile_read.getvalue()


def test_the_end_of_input_at_a_question_exits_1(tmp_path: Path) -> None:
    db = tmp_path / "lumbar.db"
    child = spawn("start", "--db", str(db))
    child.expect(r"do you understand it\?")
    child.sendeof()
    child.expect("lumbar: stopped")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1
    assert "Ctrl-C" not in child.logfile_read.getvalue()


def test_an_error_line_is_folded_at_word_boundaries_at_60_columns(tmp_path: Path) -> None:
    child = spawn("serve", "--host", "192.168.1.20", "--db", str(tmp_path / "x.db"), columns=60)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 2
    lines = child.logfile_read.getvalue().replace("\r\n", "\n").strip().splitlines()
    assert len(lines) > 2 and lines[0].startswith("lumbar: --host: local mode")
    assert all(len(line) <= 60 for line in lines), lines
    words = " ".join(lines).split()
    assert "(127.0.0.1)," in words and "--phone" in words  # whole words, none cut
