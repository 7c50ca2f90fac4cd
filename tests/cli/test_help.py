"""Issue #18: every command's help reads as gh's and git's do, at the widths people use:
examples that run (each parses: the command and its options exist), the codes it takes or
the command that lists them, placeholders in words (FILE, N), and a command list whose
summaries are shown whole."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from typing import Any

import pytest
import typer

from lumbar.cli.help import EXAMPLES, SYMPTOM_CODES
from lumbar.cli.main import app
from lumbar.content.load import default_content


def _root() -> Any:
    return typer.main.get_command(app)


def _commands() -> dict[str, Any]:
    """Every command by its full name, groups included ("records", "records edit")."""
    found: dict[str, Any] = {}
    for name, command in _root().commands.items():
        found[name] = command
        for sub, leaf in getattr(command, "commands", {}).items():
            found[f"{name} {sub}"] = leaf
    return found


def _help(*args: str, columns: int = 100) -> str:
    environment = {**os.environ, "COLUMNS": str(columns), "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "lumbar", *args, "--help"],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def helps() -> dict[str, str]:
    """Each command's help at 100 columns, as a person's terminal prints it."""
    return {name: _help(*name.split()) for name in _commands()}


def test_every_command_has_examples(helps: dict[str, str]) -> None:
    assert set(EXAMPLES) == {*_commands(), ""}
    for name, text in {**helps, "": _help()}.items():
        assert "Examples:" in text, name
        for example in EXAMPLES[name]:
            assert f"$ {example}" in text, (name, example)


def _parse(example: str) -> None:
    """Parse an example as the command line would, without running it: the command must
    exist and every option and argument must be accepted."""
    words = shlex.split(example)
    assert words[0] == "lumbar", example
    if len(words) == 1:
        return  # `lumbar` alone: the root, which takes no argument
    command, parent, path = _root(), None, ["lumbar"]
    rest = words[1:]
    while hasattr(command, "commands") and rest and not rest[0].startswith("-"):
        parent = command.make_context(" ".join(path), [], resilient_parsing=True, parent=parent)
        path.append(rest[0])
        command = command.commands.get(rest[0])
        assert command is not None, f"{example}: no command {rest[0]!r}"
        rest = rest[1:]
    command.make_context(" ".join(path), rest, parent=parent)


@pytest.mark.parametrize("example", sorted({e for examples in EXAMPLES.values() for e in examples}))
def test_every_example_parses(example: str) -> None:
    _parse(example)


def test_a_broken_example_would_be_caught() -> None:
    with pytest.raises(Exception, match="no_such"):
        _parse("lumbar log --no_such 1")
    with pytest.raises(AssertionError, match="no command"):
        _parse("lumbar records edot c5")


def test_the_symptom_codes_in_the_help_are_the_contents() -> None:
    assert SYMPTOM_CODES.split(", ") == list(default_content().symptoms)


def test_every_option_taking_a_code_says_the_codes_or_where_they_are_listed(
    helps: dict[str, str],
) -> None:
    flat = {name: " ".join(text.split()) for name, text in helps.items()}
    for name in ("checkin", "problem", "records edit"):
        assert "--symptom CODE" in flat[name]
        assert all(code in flat[name] for code in SYMPTOM_CODES.split(", ")), name
    for name in ("log", "exercises", "records edit"):
        assert "`lumbar exercises`" in flat[name], name
    assert "`lumbar learn`" in flat["learn"]
    assert "`lumbar alternative`" in flat["alternative"]
    assert "`lumbar records`" in flat["records delete"]


PLACEHOLDER = re.compile(r"<[a-z ]+>|\{[A-Za-z_|]+\}|\b(INTEGER|TEXT|FLOAT|BOOLEAN)\b|<=")


def test_placeholders_are_words(helps: dict[str, str]) -> None:
    for name, text in helps.items():
        found = PLACEHOLDER.search(text)
        assert found is None, f"lumbar {name} --help: {found.group(0) if found else ''}"
    assert "--weeks N" in helps["calendar"]
    assert "Usage: lumbar import [OPTIONS] FILE" in helps["import"]
    assert "Usage: lumbar admin invite [OPTIONS] CLINICIAN" in helps["admin invite"]


def test_the_command_lists_show_every_summary_whole() -> None:
    for group in ("", "records", "devices", "admin"):
        text = _help(*group.split())
        listed = text.split("Commands:")[1].split("Examples:")[0]
        lines = [line for line in listed.splitlines() if line.strip()]
        assert len(lines) >= 1, group
        for line in lines:
            assert not line.rstrip().endswith("..."), line
            assert line.rstrip().endswith("."), line  # one line each, whole


def test_a_bad_weeks_or_port_is_one_line_in_words(tmp_path: Any) -> None:
    environment = {**os.environ, "COLUMNS": "100"}
    for args in (["calendar", "--weeks", "13"], ["serve", "--port", "0"]):
        done = subprocess.run(
            [sys.executable, "-m", "lumbar", *args, "--db", str(tmp_path / "x.db")],
            capture_output=True,
            text=True,
            env=environment,
            check=False,
        )
        assert done.returncode == 2
        assert done.stderr.startswith(f"lumbar: {args[1]}: give a"), done.stderr
    assert not (tmp_path / "x.db").exists()
